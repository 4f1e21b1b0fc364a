// Header policies cannot be read by script. Their violations say what they
// refused: this attributes each one to the integration it concerns.
import { PARENT } from './csp/check';
import { parsePolicy } from './csp/parse';

/** Whether a registry source (`https://host[:port]` or `https://*.host[:port]`) covers a URL. */
const covers = (source: string, url: URL) => {
  const [scheme, host] = source.split('://');
  return url.protocol == scheme + ':' && (host[0] == '*' ? url.host.endsWith(host.slice(1)) : url.host == host);
};

/**
 * The fix for one violation, if it concerns one of `sources`: the source to
 * add, to the directive of the original policy that holds the list (say
 * script-src when the violation names script-src-elem).
 */
export function violationFix(e: SecurityPolicyViolationEvent, sources: string[]): string | undefined {
  let blocked: URL;
  try {
    blocked = new URL(e.blockedURI);
  } catch {
    return;
  }
  const source = sources.find((s) => covers(s, blocked));
  if (!source) return;
  const policy = parsePolicy(e.originalPolicy);
  let directive = e.effectiveDirective;
  while (directive && !policy[directive]) directive = PARENT[directive];
  return (directive || e.effectiveDirective) + ': add ' + source;
}
