// The per-account templates (src/entries/account.ts), one per set of optional
// stages: a per-account tag carries load timing (src/timing.ts) only if one
// of its integrations waits, setup blocks (src/setup.ts) only if one of its
// partners has one, and events (src/events.ts) only if one maps an event. Built by rollup.config.mjs; chosen by build/account.mjs.
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
  { file: 'utt.account.js', timing: true, setup: true, setupMore: true, events: false },
  { file: 'utt.account.timing.js', timing: true, setup: false, setupMore: false, events: false },
  { file: 'utt.account.setup.js', timing: false, setup: true, setupMore: true, events: false },
  { file: 'utt.account.lean.js', timing: false, setup: false, setupMore: false, events: false },
  { file: 'utt.account.basic.js', timing: true, setup: true, setupMore: false, events: false },
  { file: 'utt.account.setup.basic.js', timing: false, setup: true, setupMore: false, events: false },
  // An events block calls into a setup block: these keep every setup step.
  { file: 'utt.account.events.js', timing: true, setup: true, setupMore: true, events: true },
  { file: 'utt.account.setup.events.js', timing: false, setup: true, setupMore: true, events: true },
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
  // utt('track') and the events machinery, only where a partner maps an event.
  const events = wires.some((w) => field(w, 'events') != null);
  const setupMore = events || setups.some(usesMore);
  // The templates cover every combination of stages.
  return /** @type {(typeof ACCOUNT_TEMPLATES)[number]} */ (
    ACCOUNT_TEMPLATES.find(
      (t) => t.timing === timing && t.setup === setup && t.setupMore === setupMore && t.events === events,
    )
  ).file;
}
