import type { Partner } from './compiled';
// The public API's shapes (what merchants read: outcomes, options, costs), and
// the few internal ones that cross stages. The compiled registry's shapes are
// in compiled.ts.

/** What happened to one integration. */
export type Status =
  | 'disabled'
  | 'unknown-partner'
  | 'invalid'
  | 'duplicate'
  | 'blocked-csp'
  | 'awaiting-consent'
  | 'denied-consent'
  | 'deferred'
  | 'injected'
  | 'loaded'
  | 'failed';

/** One integration's outcome, as events, `utt('on')` and `utt('report')` give it. */
export interface Outcome {
  /** The integration's id in the manifest (`#<index>` when the manifest lacks one). */
  id: string;
  /** The partner key, or '' when the manifest lacks one. */
  partner: string;
  status: Status;
  /** Why, for every status but `injected` and `loaded`: e.g. `accountId: minimum`. */
  reason: string;
  /**
   * What the page's CSP refuses of the partner's own requests (connect, img,
   * frame), each with its fix: e.g. `connect-src: add https://collect.partner.example`.
   */
  warnings?: string[];
  /**
   * What a loaded integration costs the page (see src/cost.ts), present once utt.cost.js is
   * loaded: with `data-costs` on the tag, or after the first `utt('costs')`.
   */
  cost?: Pick<Cost, 'bytes' | 'mainThread' | 'longFrames'>;
  /** What happened to each event tracked with `utt('track')` at this integration (the last 100). */
  events?: EventOutcome[];
}

/** One event at one integration: `sent`, `held` (why: its status), `dropped` (why) or `no-mapping`. */
export interface EventOutcome {
  /** The event's name, such as `purchase`. */
  event: string;
  /** The id shared by every integration for one `track` call (the merchant's `event_id`, or utt's). */
  id: string;
  status: 'sent' | 'held' | 'dropped' | 'no-mapping';
  /** held: the integration's status; dropped: `denied-consent`, `blocked-csp`, `cap`, `age`, `exception`; sent: `by <id>` when another integration of the vendor made the call. */
  reason: string;
}

/** The manifest's own outcome: `ok`, or why no integration could run. */
export interface ManifestOutcome {
  account: string;
  url: string;
  /**
   * `ok`; `cached` when the request failed and the last good manifest (localStorage, at most a week old) stands in,
   * with the failure as reason; `failed` (the request); `invalid` (the body); `too-large` (over 256 KB);
   * `too-many` (over 2,000 integrations).
   */
  status: 'pending' | 'ok' | 'cached' | 'failed' | 'invalid' | 'too-large' | 'too-many';
  reason: string;
  /**
   * The publish running: a per-account tag's content hash of the manifest it was built from; for the generic
   * tag, the manifest's `publish` string ('' without one); `preview` for a hub's draft.
   */
  version: string;
}

/** Options of `utt('init', options)`; the script tag's data attributes give the same. */
export interface InitOptions {
  /** Account id (`data-account`): letters, digits, `_` and `-`, at most 64. */
  account?: string;
  /** Manifest URL (`data-manifest`); default `manifests/<account>.json` beside utt.js. */
  manifest?: string;
  /** Milliseconds before the manifest request or a partner script counts as failed (default 10000). */
  timeout?: number;
  /** Coded console warnings and a table of outcomes (`data-debug`). */
  debug?: boolean;
  /** Nonce for partner scripts, when utt's own tag cannot provide one (the ESM build). */
  nonce?: string;
  /** `required` (`data-consent="required"`): no partner that needs a category loads before a signal grants it. */
  consent?: 'required' | 'default';
  /** Milliseconds to wait for a CMP that is present but silent; after that the answer is no (default 3000). */
  consentTimeout?: number;
}

/** What one loaded partner costs the page: `utt('costs')`, and each loaded outcome's `cost` (src/cost.ts). */ export interface Cost {
  id: string;
  partner: string;
  script: string;
  bytes: { transfer: number; encoded: number } | 'unsupported' | 'no timing-allow-origin' | 'not loaded';
  mainThread: number | 'unsupported';
  longFrames: number | 'unsupported';
}
/** An injected integration: its id, partner key, script URL and the partner's declared needs. */
export type Injected = [id: string, partner: string, script: string, needs: NonNullable<Partner['_needs']>];
