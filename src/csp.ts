// The CSP stage: before injecting, check the partner against every policy
// the runtime can read (meta tags); after, attribute the violations that
// header policies report. One engine (src/csp/) serves this, verify mode and
// `utt csp-check`.
import { checkPolicy, FALLBACK, type RequestType } from './csp/check';
import { ENGINES, matchExpression } from './csp/match';
import { type Policy, parsePolicy } from './csp/parse';
import type { Partner } from './types';

/** The policies of the page's `<meta http-equiv="Content-Security-Policy">` tags. */
export const metaPolicies = (d: Document): Policy[] =>
  Array.from(d.querySelectorAll('meta[http-equiv]'))
    .filter((m) => /^content-security-policy$/i.test(m.getAttribute('http-equiv') || ''))
    .map((m) => parsePolicy(m.getAttribute('content') || ''));

/** A URL that stands for a host-source: `https://*.x.example` becomes `https://utt-check.x.example/`. */
export const sampleURL = (source: string) => new URL(source.replace('*', 'utt-check') + '/');

/**
 * What one policy refuses of this partner: `<directive>: add <source>` for
 * each request every engine would block, the script first. Empty when allowed.
 */
export function refusals(
  policy: Policy,
  self: URL,
  url: string,
  partner: Partner,
  nonce?: string,
): [script: string, others: string[]] {
  const refuse = (type: RequestType, target: URL, source: string, integrity?: string) => {
    const v = checkPolicy(policy, { url: target, type, self, nonce, integrity });
    return v.engines & ENGINES ? '' : v.directive + ': add ' + source;
  };
  const target = new URL(url);
  return [
    refuse('script', target, target.origin, partner._integrity),
    (partner._needs || []).map(([type, source]) => refuse(type, sampleURL(source), source)).filter(Boolean),
  ];
}

/**
 * For a violation the browser reports (header policies included), the fix:
 * the directive of the original policy that decided, and the source to add.
 */
export function violationFix(e: SecurityPolicyViolationEvent, sources: string[], self: URL): string | undefined {
  let blocked: URL;
  try {
    blocked = new URL(e.blockedURI);
  } catch {
    return;
  }
  const source = sources.find((s) => matchExpression(s, blocked, self) & ENGINES);
  if (!source) return;
  const type = (Object.keys(FALLBACK) as RequestType[]).find((t) => FALLBACK[t][0] == e.effectiveDirective) || 'script';
  const policy = parsePolicy(e.originalPolicy);
  // Name the directive that holds the list (script-src, say), not the effective one it stands for.
  return (FALLBACK[type].find((d) => policy[d]) || e.effectiveDirective) + ': add ' + source;
}
