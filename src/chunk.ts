// utt.csp.js, beside utt.js: the full CSP engine and verify mode, loaded
// only when a page needs them (a meta policy to check, a violation to
// attribute, or utt('verify')).

import { create, parentOf } from './dom';
import { append } from './own';
import type { Injected } from './pipeline';
import type { Partner } from './types';
import type { Verification, VerifyState } from './verify/index';

/**
 * What utt.csp.js gives the runtime once loaded. The two files are minified
 * apart, so nothing that crosses between them has a mangled `_name`.
 */
export interface CspChunk {
  checkMeta(
    d: Document,
    url: string,
    integrity: string | undefined,
    needs: Partner['_needs'],
    nonce?: string,
  ): [string, string[]];
  verify(state: VerifyState, cb: (result: Verification[] | { error: string }) => void): void;
  attribute(e: SecurityPolicyViolationEvent, injected: Injected[]): [string, string, string, boolean][];
}

/**
 * Returns `need(cb)`: calls `cb` with the chunk once loaded, or with nothing
 * if it fails to load or takes longer than `timeout`. Loads it at most once.
 */
export function chunkLoader(
  d: Document,
  url: string,
  nonce: string | undefined,
  timeout: number,
  toScriptURL: (url: string) => unknown,
) {
  let waiting: ((chunk?: CspChunk) => void)[] | undefined;
  let loaded: CspChunk | undefined;
  let failed = 0;
  const settle = (chunk?: CspChunk) => {
    loaded = chunk;
    failed = +!chunk;
    for (const cb of (waiting || []).splice(0)) cb(chunk);
  };
  return {
    _need(cb: (chunk?: CspChunk) => void) {
      if (loaded || failed) return cb(loaded);
      if (!waiting) {
        waiting = [];
        const s = create(d, 'script');
        if (nonce) s.nonce = nonce;
        s.onerror = () => settle();
        setTimeout(() => loaded || settle(), timeout);
        try {
          s.src = toScriptURL(url) as string;
          parentOf(d).appendChild(s);
        } catch {
          settle();
          return cb();
        }
      }
      append(waiting, cb);
    },
    _ready: (chunk: CspChunk) => failed || settle(chunk),
  };
}
