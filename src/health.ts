// Health beacons: what utt saw of each integration on one page view, sent to
// the merchant's hub (utt.health.js, loaded only on a tag with data-health,
// on the sampled share of page views). The wire format's one codec: the
// encoder the chunk uses and the decoder the hub's collector uses, side by side.
//
// A beacon holds no personal data: the account, the version running, the
// browser's engine family, and per integration its id, partner, status and
// reason. No page URL, no user agent, no identifier, no cookie of utt's.
import { own } from './own';
import type { ManifestOutcome, Outcome, Status } from './types';

/** The engine families a beacon names: enough to tell "blocked in Safari only" apart. */
export const ENGINES = ['blink', 'gecko', 'webkit', 'other'] as const;
export type Engine = (typeof ENGINES)[number];

/** The statuses a beacon (or a preview's evidence, src/evidence.ts) may carry: utt's own (src/types.ts). */
export const STATUSES: readonly Status[] = [
  'disabled',
  'unknown-partner',
  'invalid',
  'duplicate',
  'blocked-csp',
  'awaiting-consent',
  'denied-consent',
  'deferred',
  'injected',
  'loaded',
  'failed',
];

/** A beacon's largest body: the collector refuses anything longer unread. */
export const MAX_BEACON = 16384;
/** Characters kept of a reason (a CSP fix is about 80). */
export const MAX_REASON = 200;

/** One integration's outcome on the wire: [id, partner, status, reason]. */
type Line = [id: string, partner: string, status: Status, reason: string];
export interface Beacon {
  account: string;
  version: string;
  engine: Engine;
  outcomes: Line[];
}

/** The engine family of a user agent string. Chrome and Firefox on iOS are WebKit (CriOS, FxiOS). */
export const engineOf = (ua: string): Engine =>
  /Firefox\//.test(ua)
    ? 'gecko'
    : /Chrome\/|Chromium\/|Edg\//.test(ua)
      ? 'blink'
      : /AppleWebKit\//.test(ua)
        ? 'webkit'
        : 'other';

/** Sends one page view's beacon to the collector utt's tag names in data-health (relative to the page). */
export function send(w: Window, tag: HTMLScriptElement, outcomes: Outcome[], manifest: ManifestOutcome) {
  try {
    const url = new URL(tag.getAttribute('data-health') || '', w.location.href).href;
    // A string goes as text/plain: a simple request, which may go to another origin without a preflight.
    w.navigator.sendBeacon(url, encode(outcomes, manifest, w.navigator.userAgent));
  } catch {
    // No sendBeacon, a page that replaced it, or a data-health that is no URL: the view goes uncounted.
  }
}

/** The beacon of one page view's report. */
export const encode = (outcomes: Outcome[], manifest: ManifestOutcome, ua: string): string =>
  JSON.stringify({
    account: manifest.account,
    version: manifest.version,
    engine: engineOf(ua),
    outcomes: outcomes.map((o) => [o.id, o.partner, o.status, String(o.reason).slice(0, MAX_REASON)]),
  });

/** A string of at most `max` characters, matching `pattern` when given: how a decoder reads a hostile field. */
export const text = (v: unknown, max: number, pattern?: RegExp): v is string =>
  typeof v == 'string' && v.length <= max && (!pattern || pattern.test(v));

/** A body's JSON object, or why it is none: `too-large` past `max` characters, else `json`. */
export function jsonObject(body: string, max: number): object | string {
  if (body.length > max) return 'too-large';
  try {
    const json: unknown = JSON.parse(body);
    return json && typeof json == 'object' && !Array.isArray(json) ? json : 'json';
  } catch {
    return 'json';
  }
}

/**
 * The collector's reading of a body: the beacon, or why it is malformed. Untrusted: every field is
 * checked (its type, its length, its value among the known ones); no field is read from a prototype.
 */
export function decode(body: string, maxOutcomes: number): Beacon | string {
  const json = jsonObject(body, MAX_BEACON);
  if (typeof json == 'string') return json;
  const account = own(json, 'account');
  const version = own(json, 'version');
  const engine = own(json, 'engine');
  const outcomes = own(json, 'outcomes');
  if (!text(account, 64, /^[\w-]+$/)) return 'account';
  if (!text(version, 64, /^[\w.-]*$/)) return 'version';
  if (ENGINES.indexOf(engine as Engine) < 0) return 'engine';
  if (!Array.isArray(outcomes) || !outcomes.length || outcomes.length > maxOutcomes) return 'outcomes';
  const ids: Record<string, 1> = Object.create(null);
  for (const line of outcomes) {
    if (!Array.isArray(line) || line.length != 4) return 'outcome';
    const [id, partner, status, reason] = line;
    if (!text(id, 64, /^[\w.:#-]+$/) || ids[id]) return 'id';
    ids[id] = 1;
    if (!text(partner, 64, /^[\w-]*$/)) return 'partner';
    if (STATUSES.indexOf(status) < 0) return 'status';
    if (!text(reason, MAX_REASON)) return 'reason';
  }
  return { account, version, engine, outcomes } as Beacon;
}
