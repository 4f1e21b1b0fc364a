// What a page's policies say about one request utt would make, and the fix
// when they refuse it. Shared by the runtime, verify mode and `utt csp-check`.

import { bare, own } from '../own';
import { ALL, matchList } from './match';
import { type Policy, serializePolicy } from './parse';

export type RequestType = 'script' | 'connect' | 'img' | 'frame';

/** The directive each one falls back to, CSP3 6.8.4 "Get the fallback list". */
export const PARENT: Record<string, string> = {
  'script-src-elem': 'script-src',
  'script-src': 'default-src',
  'connect-src': 'default-src',
  'img-src': 'default-src',
  'frame-src': 'child-src',
  'child-src': 'default-src',
};

const chain = (directive: string): string[] => (directive ? [directive, ...chain(PARENT[directive])] : []);

/** Directive fallback lists by request type, effective directive first. */
export const FALLBACK: Record<RequestType, string[]> = {
  script: /*#__PURE__*/ chain('script-src-elem'),
  connect: /*#__PURE__*/ chain('connect-src'),
  img: /*#__PURE__*/ chain('img-src'),
  frame: /*#__PURE__*/ chain('frame-src'),
};

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
  const directive = FALLBACK[request.type].find((name) => own(policy, name)) || '';
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
