// dist/utt.account.js: the template of a per-account tag. `utt build-account`
// (build/account.mjs) replaces the placeholder below with the account's
// integrations, checked against the registry at build time, and writes
// <account>.js: no manifest request, no identifier checks at run time.
import { account } from '../account';
import { boot } from '../boot';
import type { Compiled } from '../compiled';
import { get } from '../dom';

// Replaced whole, with a JSON literal, by build/account.mjs.
const compiled: Compiled = JSON.parse('"__UTT_ACCOUNT__"');
const tag = get(document, 'currentScript');
boot(window, document, tag instanceof HTMLScriptElement ? tag : null, account(compiled));
