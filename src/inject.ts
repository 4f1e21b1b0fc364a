import { create, parentOf } from './dom';
import type { Partner } from './types';

export type InjectStatus = 'injected' | 'loaded' | 'failed' | 'blocked-csp';

/**
 * Inserts the partner script: async, with the runtime's nonce, SRI when the
 * registry declares it, and a referrer policy that sends the origin only.
 * Calls `done` with `injected` as it goes in, then `loaded`, or `failed`
 * (`error` or `timeout`); `blocked-csp` when Trusted Types refuse the URL.
 * A script that loads after its timeout still reports `loaded`.
 */
export function inject(
  d: Document,
  url: string,
  partner: Partner,
  nonce: string | undefined,
  timeout: number,
  toScriptURL: (url: string) => unknown,
  done: (status: InjectStatus, reason: string) => void,
): void {
  const script = create(d, 'script');
  let timer: ReturnType<typeof setTimeout>;
  const end = (ok: boolean) => () => {
    clearTimeout(timer);
    ok ? done('loaded', '') : done('failed', 'error');
  };
  script.async = true;
  if (nonce) script.nonce = nonce;
  if (partner._integrity) script.integrity = partner._integrity;
  if (partner._crossorigin || partner._integrity) script.crossOrigin = partner._crossorigin || 'anonymous';
  script.referrerPolicy = 'strict-origin';
  script.onload = end(true);
  script.onerror = end(false);
  try {
    script.src = toScriptURL(url) as string;
  } catch {
    // Trusted Types enforced, and no `utt` policy allowed by `trusted-types`.
    return done('blocked-csp', 'trusted-types: add utt');
  }
  done('injected', '');
  parentOf(d).appendChild(script);
  timer = setTimeout(() => done('failed', 'timeout'), timeout);
}
