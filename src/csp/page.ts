// The CSP stage, as utt.csp.js runs it for the runtime: before a partner is
// injected, check it against every policy the page shows in a meta tag. The
// engine is src/csp/, shared with verify mode and `utt csp-check`.

import { append } from '../append';
import type { Partner } from '../compiled';
import { get } from '../dom';
import { checkPolicy, type RequestType } from './check';
import { ENGINES } from './match';
import { type Policy, parsePolicy } from './parse';

/**
 * The page's `<meta http-equiv="Content-Security-Policy">` tags (utt.js asks
 * whether there are any). Only those in <head> count, as browsers enforce them.
 */
export const metaTags = (d: Document): Element[] =>
  Array.from(get(d, 'querySelectorAll')('head meta[http-equiv]') as NodeListOf<Element>).filter((m) =>
    /^content-security-policy$/i.test(m.getAttribute('http-equiv') || ''),
  );

/** The policies of those tags. */
export const metaPolicies = (d: Document): Policy[] =>
  metaTags(d).map((m) => parsePolicy(m.getAttribute('content') || ''));

/** A URL that stands for a host-source: `https://*.x.example` becomes `https://utt-check.x.example/`. */
export const sampleURL = (source: string) => new URL(source.replace('*', 'utt-check') + '/');

/**
 * What the page's meta policies refuse of this partner: `<directive>: add
 * <source>` for its script, if every engine would block it, and for each of
 * its declared needs (connect, img, frame) that every engine would block.
 */
export function checkMeta(
  d: Document,
  url: string,
  integrity: string | null,
  needs: Partner['_needs'],
  nonce?: string,
): [string, string[]] {
  const self = new URL(get(d, 'URL'));
  const target = new URL(url);
  let script = '';
  const refused: string[] = [];
  for (const policy of metaPolicies(d)) {
    const refuse = (type: RequestType, request: URL, source: string, integrity?: string) => {
      const v = checkPolicy(policy, { url: request, type, self, nonce, integrity });
      return v.engines & ENGINES ? '' : v.directive + ': add ' + source;
    };
    script = script || refuse('script', target, target.origin, integrity || undefined);
    for (const [type, source] of needs || []) {
      const need = refuse(type, sampleURL(source), source);
      if (need && refused.indexOf(need) < 0) append(refused, need);
    }
  }
  return [script, refused];
}
