// The per-account templates (src/entries/account.ts), one per set of optional
// stages: a per-account tag carries load timing (src/timing.ts) only if one
// of its integrations waits, and setup blocks (src/setup.ts) only if one of
// its partners has one. Built by rollup.config.mjs; chosen by build/account.mjs.
import { loadSrc } from './load-src.mjs';

/** The wire form's field list: the runtime's own codec. */
const { FIELDS } = await loadSrc('src/partner.ts');
const field = (wire, name) => wire[FIELDS.indexOf(name)];

/** Each template's file in dist/ and the stages it keeps. */
export const ACCOUNT_TEMPLATES = [
  { file: 'utt.account.js', timing: true, setup: true },
  { file: 'utt.account.timing.js', timing: true, setup: false },
  { file: 'utt.account.setup.js', timing: false, setup: true },
  { file: 'utt.account.lean.js', timing: false, setup: false },
];

/**
 * The template file for a compiled account (src/compiled.ts, Compiled): the smallest one that keeps
 * every stage its enabled integrations use. An enabled integration is [id, key, url, values, wire].
 */
export function templateFor([, , integrations]) {
  const wires = integrations.filter((i) => i.length > 4).map((i) => i[4]);
  const timing = wires.some((w) => field(w, 'load') > 0);
  const setup = wires.some((w) => field(w, 'setup') != null);
  // The four templates cover every pair of stages.
  return /** @type {(typeof ACCOUNT_TEMPLATES)[number]} */ (
    ACCOUNT_TEMPLATES.find((t) => t.timing === timing && t.setup === setup)
  ).file;
}
