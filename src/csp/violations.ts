// Header policies cannot be read by script. Their violations say what they
// refused: this attributes each one to the integrations it concerns. It runs
// in utt.csp.js, loaded on the first violation once utt has injected a partner.

import { append } from '../append';
import type { Injected } from '../types';
import { fallbackOf } from './check';
import { ENGINES, matchExpression } from './match';
import { parsePolicy } from './parse';

/** Whether a registry source (`https://host[:port]` or `https://*.host[:port]`) covers a URL: the CSP engine's own matcher. */
const covers = (source: string, url: URL) => !!(matchExpression(source, url, url) & ENGINES);

/**
 * What one violation means for each injected integration it concerns:
 * `[id, partner, fix, blocked]`. The fix is the source to add, to the
 * directive of the original policy that holds the list (say script-src when
 * the violation names script-src-elem). `blocked` when an enforced policy
 * refused the partner's own script; a report-only policy, or one of the
 * partner's other requests, gives a warning instead.
 */
export function attribute(e: SecurityPolicyViolationEvent, injected: Injected[]): [string, string, string, boolean][] {
  let blocked: URL;
  try {
    blocked = new URL(e.blockedURI);
  } catch {
    return [];
  }
  const policy = parsePolicy(e.originalPolicy);
  const directive = fallbackOf(e.effectiveDirective).find((d) => policy[d]);
  const add = (directive || e.effectiveDirective) + ': add ';
  const reportOnly = e.disposition == 'report' ? 'report-only ' : '';
  const script = /^script-src/.test(e.effectiveDirective);
  const found: [string, string, string, boolean][] = [];
  for (const [id, partner, url, needs] of injected) {
    const origin = new URL(url).origin;
    if (script && covers(origin, blocked)) append(found, [id, partner, reportOnly + add + origin, !reportOnly]);
    else {
      const need = needs.find(([, source]) => covers(source, blocked));
      if (need) append(found, [id, partner, reportOnly + add + need[1], false]);
    }
  }
  return found;
}
