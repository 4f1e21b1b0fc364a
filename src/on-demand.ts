// The files utt.js loads from beside itself, only on pages that need them:
//   utt.csp.js  the full CSP engine and verify mode (a meta policy to check,
//               a violation to attribute, or utt('verify'));
//   utt.iab.js  TCF and GPP (a CMP on the page or in a parent frame);
//   utt.cost.js what each partner costs the page (data-costs, utt('costs'));
//   utt.health.js the health beacon to the merchant's hub (data-health, sampled);
//   utt.preview.js a draft run in this browser only (a hub's ?utt-preview= link).
// Each hands itself over with utt(<name>-ready, chunk, version); a chunk of
// another version (an old one cached by a CDN, say) is refused as if it had
// failed to load.

import { append } from './append';
import type { Partner } from './compiled';
import { create, parentOf } from './dom';
import type { Tag } from './runtime';
import type { Cost, Injected, ManifestOutcome, Outcome } from './types';
import type { Verification, VerifyState } from './verify';

/**
 * What utt.csp.js gives the runtime once loaded. The two files are minified
 * apart, so nothing that crosses between them has a mangled `_name`.
 */
export interface CspChunk {
  checkMeta(
    d: Document,
    url: string,
    integrity: string | null,
    needs: Partner['_needs'],
    nonce?: string,
  ): [string, string[]];
  verify(state: VerifyState, cb: (result: Verification[] | { error: string }) => void): void;
  attribute(e: SecurityPolicyViolationEvent, injected: Injected[]): [string, string, string, boolean][];
}

/** What utt.cost.js gives the runtime once loaded. */
export interface CostChunk {
  /** `cb` gets the costs once the next frame has ended; `call` runs it guarded. */
  costs(
    injected: () => Injected[],
    cb: (list: Cost[]) => void,
    call: (cb: (...args: never[]) => void, ...args: unknown[]) => void,
  ): void;
  /** The report's callback, wrapped to add each loaded outcome's cost; `call` runs it guarded. */
  report(
    injected: () => Injected[],
    cb: (outcomes: Outcome[], manifest: unknown) => void,
    call: (cb: (...args: never[]) => void, ...args: unknown[]) => void,
  ): (outcomes: Outcome[], manifest: unknown) => void;
}

/** What utt.health.js gives the runtime: sends one page view's outcomes to the collector data-health names. */
export type HealthChunk = (tag: HTMLScriptElement, outcomes: Outcome[], manifest: ManifestOutcome) => void;

/**
 * What utt.preview.js gives the runtime: the tag that runs the draft a token names, in place of
 * `kind`. Its `_names` cross between bundles: one name cache mangles them alike (rollup.config.mjs).
 */
export type PreviewChunk = (kind: Tag, token: string) => Tag;

/**
 * Returns `need(cb)`: calls `cb` with the chunk once loaded, or with nothing
 * if it fails to load, takes longer than `timeout` or is of another version.
 * Loads it at most once.
 */
export function chunkLoader<T>(
  d: Document,
  file: string,
  base: string,
  nonce: string | undefined,
  timeout: number,
  toScriptURL: (url: string) => unknown,
) {
  let waiting: ((chunk?: T) => void)[] | undefined;
  let loaded: T | undefined;
  let failed = 0;
  const settle = (chunk?: T) => {
    loaded = chunk;
    failed = +!chunk;
    for (const cb of (waiting || []).splice(0)) cb(chunk);
  };
  return {
    _need(cb: (chunk?: T) => void) {
      if (loaded || failed) return cb(loaded);
      if (!waiting) {
        waiting = [];
        const s = create(d, 'script');
        if (nonce) s.nonce = nonce;
        s.onerror = () => settle();
        setTimeout(() => loaded || settle(), timeout);
        try {
          // A data-base that is not a URL fails here, as a chunk that does not load.
          s.src = toScriptURL(new URL(file, base).href) as string;
          parentOf(d).appendChild(s);
        } catch {
          settle();
          return cb();
        }
      }
      append(waiting, cb);
    },
    _ready: (chunk: unknown, version: unknown) =>
      waiting && !loaded && !failed && settle(version === __VERSION__ ? (chunk as T) : undefined),
  };
}
