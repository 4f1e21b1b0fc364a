// The per-account templates (src/entries/account.ts), one per set of optional
// stages: a per-account tag carries load timing (src/timing.ts) only if one
// of its integrations waits, and setup blocks (src/setup.ts) only if one of
// its partners has one. Built by rollup.config.mjs; chosen by build/account.mjs.
import { loadSrc } from './load-src.mjs';
import { usesMore } from './setup.mjs';

/** The wire form's field list: the runtime's own codec. */
const { FIELDS } = await loadSrc('src/partner.ts');
const field = (wire, name) => wire[FIELDS.indexOf(name)];

/**
 * Each template's file in dist/ and the stages it keeps. `setupMore`: the setup steps and values only
 * some vendors need (merge, onload, onConsent, $global, $consent, integers: build/setup.mjs, usesMore).
 */
export const ACCOUNT_TEMPLATES = [
  { file: 'utt.account.js', timing: true, setup: true, setupMore: true },
  { file: 'utt.account.timing.js', timing: true, setup: false, setupMore: false },
  { file: 'utt.account.setup.js', timing: false, setup: true, setupMore: true },
  { file: 'utt.account.lean.js', timing: false, setup: false, setupMore: false },
  { file: 'utt.account.basic.js', timing: true, setup: true, setupMore: false },
  { file: 'utt.account.setup.basic.js', timing: false, setup: true, setupMore: false },
];

/**
 * The template file for a compiled account (src/compiled.ts, Compiled): the smallest one that keeps
 * every stage its enabled integrations use. An enabled integration is [id, key, url, values, wire].
 */
export function templateFor([, , integrations]) {
  const wires = integrations.filter((i) => i.length > 4).map((i) => i[4]);
  const timing = wires.some((w) => field(w, 'load') > 0);
  const setups = wires.map((w) => field(w, 'setup')).filter((s) => s != null);
  const setup = setups.length > 0;
  const setupMore = setups.some(usesMore);
  // The templates cover every combination of stages.
  return /** @type {(typeof ACCOUNT_TEMPLATES)[number]} */ (
    ACCOUNT_TEMPLATES.find((t) => t.timing === timing && t.setup === setup && t.setupMore === setupMore)
  ).file;
}
