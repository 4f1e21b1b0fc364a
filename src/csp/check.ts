// What a page's policies say about one request utt would make, and the fix
// when they refuse it. Shared by the runtime, verify mode and `utt csp-check`.

import { bare, own } from '../own';
import { ALL, matchList } from './match';
import { type Policy, serializePolicy } from './parse';

/** What a request is: 'script', or a directive a registry entry declares, less its `-src` ('img', 'font', 'worker'...). */
export type RequestType = string;

/**
 * CSP3 6.8.4 "Get the fallback list", as data: the directives each one falls back to, in order.
 * Any other directive falls back to default-src alone.
 */
const FALLS: Record<string, string> = {
  'script-src-elem': 'script-src default-src',
  'script-src-attr': 'script-src default-src',
  'style-src-elem': 'style-src default-src',
  'style-src-attr': 'style-src default-src',
  'worker-src': 'child-src script-src default-src',
  'frame-src': 'child-src default-src',
};

/** A directive's fallback list, itself first. */
export const fallbackOf = (directive: string): string[] =>
  directive == 'default-src' ? [directive] : [directive].concat((FALLS[directive] || 'default-src').split(' '));

/** A request type's fallback list, its effective directive first: elements for scripts and styles. */
export const fallback = (type: RequestType): string[] =>
  fallbackOf(type + (type == 'script' || type == 'style' ? '-src-elem' : '-src'));

export interface Request {
  url: URL;
  type: RequestType;
  /** The page's origin, for 'self' and scheme-less sources. */
  self: URL;
  /** The nonce the element carries (utt propagates its own). */
  nonce?: string;
  /** The element's integrity metadata (SRI), for hash-sources. */
  integrity?: string;
  /** The URL was reached through a redirect: paths no longer count. */
  redirected?: boolean;
  /**
   * The script is inserted by a script the policy may not trust: utt's own tag checked
   * offline without its nonce (`utt csp-check` without --nonce, verify's placement item).
   * Under 'strict-dynamic' only a trusted script's insertions load. In the runtime utt
   * is running, so the policy let it run: it is trusted.
   */
  untrusted?: boolean;
}

export interface Verdict {
  /** Engines that allow it (bits of match.ts): ALL is allowed everywhere, 0 blocked everywhere. */
  engines: number;
  /** The directive that decided, or '' when no directive applies. */
  directive: string;
}

/**
 * One policy's verdict on one request. Scripts follow the script-src-elem
 * pre-request check: nonce first, then integrity hashes, then
 * 'strict-dynamic' (utt inserts scripts through the DOM, never the parser),
 * then the URL.
 */
export function checkPolicy(policy: Policy, request: Request): Verdict {
  // The policy's own directives, and the request's own optional fields: never Object.prototype's.
  const directive = fallback(request.type).find((name) => own(policy, name)) || '';
  const list = own(policy, directive) as string[] | undefined;
  const [nonce, integrity, redirected, untrusted] = ['nonce', 'integrity', 'redirected', 'untrusted'].map((k) =>
    own(request, k),
  ) as [string?, string?, boolean?, boolean?];
  if (!list) return { engines: ALL, directive };
  const has = (expression: string) => list.some((e) => e.toLowerCase() == expression.toLowerCase());
  if (request.type == 'script') {
    if (nonce && list.some((e) => /^'nonce-/i.test(e) && e.slice(7, -1) == nonce && e.slice(-1) == "'"))
      return { engines: ALL, directive };
    if (has("'strict-dynamic'")) return { engines: untrusted ? 0 : ALL, directive };
    // CSP3 lets hash-sources allow an external script by all of its SRI hashes, and all three engines do.
    const hashes = (integrity || '').split(/\s+/).filter(Boolean);
    if (hashes.length && hashes.every((h) => has(`'${h.split('?')[0]}'`))) return { engines: ALL, directive };
  }
  const sources = has("'none'") && list.length == 1 ? [] : list;
  return {
    engines: matchList(sources, request.url, request.self, redirected, request.type),
    directive,
  };
}

export interface Check extends Verdict {
  verdict: 'allow' | 'block' | 'varies';
  /** Index of the enforced policy that blocks (or varies), -1 when all allow. */
  policy: number;
  /** Report-only policies that would have blocked: they never block, but report. */
  reportOnly: number[];
  fix?: Fix;
}

interface Fix {
  /** The directive to change, in the policy at `policy`. */
  directive: string;
  /** The source expression to add: an origin, never a path ('' when `nonce`). */
  expression: string;
  /** The whole policy with the fix applied. */
  policy: string;
  /**
   * Under 'strict-dynamic' no source helps (host sources are ignored): utt's own tag needs the
   * page's nonce, and its insertions are then trusted.
   */
  nonce?: boolean;
}

/** `policy` with `expression` added to `directive`; a lone 'none' goes, as it would still refuse everything. */
export const addSource = (policy: Policy, directive: string, expression: string): Policy =>
  bare({
    ...policy,
    [directive]: policy[directive].filter((e) => e.toLowerCase() != "'none'").concat(expression),
  });

const verdictOf = (engines: number) => (engines == ALL ? 'allow' : engines ? 'varies' : 'block');

/**
 * Every enforced policy must allow; report-only ones never block. For a
 * request some engine blocks, the fix is the origin of the URL added to the
 * directive that decided (or the scheme, where no host-source can match).
 */
export function check(policies: Policy[], reportOnly: Policy[], request: Request): Check {
  let result: Check = { engines: ALL, directive: '', verdict: 'allow', policy: -1, reportOnly: [], fix: undefined };
  policies.forEach((policy, index) => {
    const v = checkPolicy(policy, request);
    if (v.engines != ALL && result.policy < 0) {
      result = { ...result, ...v, policy: index, fix: fixFor(policy, v.directive, request) };
    }
    // Where all allow, name the first directive that did.
    result.directive = result.directive || v.directive;
    result.engines &= v.engines;
  });
  result.verdict = verdictOf(result.engines);
  reportOnly.forEach((policy, index) => {
    if (checkPolicy(policy, request).engines != ALL) result.reportOnly.push(index);
  });
  return result;
}

function fixFor(policy: Policy, directive: string, request: Request): Fix | undefined {
  if (request.type == 'script' && policy[directive].some((e) => e.toLowerCase() == "'strict-dynamic'"))
    return { directive, expression: '', policy: serializePolicy(policy), nonce: true };
  for (const expression of [request.url.origin, request.url.protocol]) {
    const fixed = addSource(policy, directive, expression);
    if (checkPolicy(fixed, request).engines == ALL)
      return { directive, expression, policy: serializePolicy(fixed), nonce: false };
  }
}
