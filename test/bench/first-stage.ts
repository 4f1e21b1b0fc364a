// An experiment, not shipped: the first stage of a two-stage per-account tag
// (`npm run bench:two-stage`). It holds the account's data and inserts at once
// every partner that needs no check the page could fail, through the runtime's
// own modules (consent, the CMP locator, the meta-policy finder, Trusted Types,
// batched injection), so that no rule has a second implementation. It would
// then load the shared runtime for the rest: the report and events, the
// commands, CMP answers, header-policy attribution, setup blocks and load
// timing. That second stage, and the hand-off of what this one recorded
// (outcomes, load, error and violation events), are not written: the bench
// measures what the first stage weighs and how soon it requests the first partner.
import type { Compiled } from '../../src/compiled';
import { createConsent } from '../../src/consent';
import { locate } from '../../src/consent/locate';
import { metaTags } from '../../src/csp/page';
import { create, get, on, parentOf } from '../../src/dom';
import { injector } from '../../src/inject';
import { own } from '../../src/own';
import { trustedTypes } from '../../src/trusted-types';

const compiled: Compiled = JSON.parse('"__UTT_ACCOUNT__"');
const w = window;
const d = document;
const tag = get(d, 'currentScript');
const script: HTMLScriptElement | null = tag instanceof HTMLScriptElement ? tag : null;
const nonce = (script && (script.nonce || script.getAttribute('nonce'))) || undefined;
const consent = createConsent(w);
// The merchant's consent calls queued so far by the async snippet.
const live = own(w, 'utt');
for (const args of Array.from((typeof live == 'function' && (own(live, 'q') as ArrayLike<unknown>[])) || []))
  if (args[0] == 'consent') consent._command(args[1], args[2]);
// What the second stage would take over: each outcome, and the violations seen before it came.
const outcomes: unknown[] = [];
const violations: Event[] = [];
on(w, d, 'securitypolicyviolation', (e) => violations.push(e));
const toScriptURL = trustedTypes(w);
const inject = injector(w, d, nonce, 1e4, toScriptURL);
// A page whose checks only the runtime makes: a meta policy, consent required, a CMP.
const fast =
  !metaTags(d).length &&
  !(script && script.getAttribute('data-consent') == 'required') &&
  !locate(w, '__tcfapi', '__tcfapiLocator') &&
  !locate(w, '__gpp', '__gppLocator');
const urls: Record<string, 1> = Object.create(null);
for (const s of Array.from(get(d, 'scripts') as HTMLCollectionOf<HTMLScriptElement>)) urls[s.src] = 1;
if (fast)
  for (const [id, key, url, , p] of compiled[2]) {
    // Left to the runtime: a disabled integration, a setup block, load timing, a duplicate, a consent refusal.
    if (!url || !p || p[6] || p[7] || urls[url]) continue;
    if (consent._decide({ _cats: p[3]!, _sale: p[4]!, _tcf: p[5]! })[0]) continue;
    urls[url] = 1;
    inject._add(
      url,
      { _script: url, _ids: [], _integrity: p[0]!, _crossorigin: p[1]! },
      (status, reason) => outcomes.push([id, key, status, reason]),
      () => {},
    );
  }
inject._flush();
(w as unknown as { uttFirst: unknown }).uttFirst = [compiled, outcomes, violations];
// The second stage: the shared runtime, immutable and cached (not written; the bench answers 404).
const next = create(d, 'script');
next.src = toScriptURL(new URL('utt.runtime.js', (script && script.src) || get(d, 'baseURI')).href) as string;
if (nonce) next.nonce = nonce;
parentOf(d).appendChild(next);
