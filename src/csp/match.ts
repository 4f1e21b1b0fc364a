// CSP Level 3, section 6.7.2.8 "Does url match expression in origin with
// redirect count?" and the part matchers after it:
// https://www.w3.org/TR/CSP3/#match-url-to-source-expression
//
// Where today's engines part ways with the spec, the result says which
// engines allow: a bit set of SPEC, CHROMIUM, FIREFOX and WEBKIT. Every
// engine bit comes from a case of the conformance table (test/csp/cases.ts)
// that ran in that engine (test/engines/csp-conformance.test.ts); docs/csp.md
// lists where they part ways, with the engine versions that answered.
//
// dist/utt.js only asks whether some engine allows (it blocks only what all
// would block), so it is built with __FULL_CSP__ false: the spec-only
// branches drop out, and `result & ENGINES` stays what the full build says
// (test/unit/csp-lean.test.ts checks that on the whole conformance table).

const SPEC = 1;
export const CHROMIUM = 2;
export const FIREFOX = 4;
export const WEBKIT = 8;
/** Every engine: the runtime blocks only what none of them would load. */
export const ENGINES = 14;
export const ALL = 15;
/** Each engine bit by name, in the order verify mode and `utt csp-check` list them. */
export const ENGINE_NAMES: [name: string, bit: number][] = [
  ['spec', SPEC],
  ['chromium', CHROMIUM],
  ['firefox', FIREFOX],
  ['webkit', WEBKIT],
];

const DEFAULT_PORTS: Record<string, string> = {
  'http:': '80',
  'https:': '443',
  'ws:': '80',
  'wss:': '443',
  'ftp:': '21',
};

/**
 * 6.7.2.9 scheme-part match: a scheme matches itself and its secure upgrade,
 * and the spec lets ws/wss cover http(s) too, as WebKit does and Chromium and
 * Firefox do not.
 */
const schemeMatches = (a: string, b: string) =>
  a == b || (a == 'http:' && b == 'https:') || (a == 'ws:' && b == 'wss:')
    ? ALL
    : (a == 'ws:' && /^https?:$/.test(b)) || (a == 'wss:' && b == 'https:')
      ? SPEC | WEBKIT
      : 0;

/** Percent-decodes as UTF-8; where that fails, the spec (and Firefox and WebKit) compare the raw text... */
const decode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};
/** ...and Chromium decodes byte by byte (Latin-1) instead. */
const latin1 = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s.replace(/%[\da-f]{2}/gi, (e) => String.fromCharCode(parseInt(e.slice(1), 16)));
  }
};

/** 6.7.2.12 path-part match, piece by piece, each piece percent-decoded. */
function specPath(a: string, b: string): boolean {
  if (a == '/' && !b) return true;
  const exact = a.slice(-1) != '/';
  const pa = a.split('/');
  const pb = b.split('/');
  if (pa.length > pb.length || (exact && pa.length != pb.length)) return false;
  if (!exact) pa.pop();
  return pa.every((piece, i) => decode(piece) == decode(pb[i]));
}

/** Engines decode both whole paths first, then compare: `%2F..%2F` crosses a directory. */
const enginePath = (a: string, b: string, decoded: (s: string) => string) => {
  const path = decoded(b);
  a = decoded(a);
  return a.slice(-1) == '/' ? path.indexOf(a) == 0 : path == a;
};

// A trailing dot ("a.example.") is not in the spec's grammar; Chromium and WebKit take it.
const HOST_SOURCE =
  /^(?:([a-z][a-z0-9+.-]*:)\/\/)?(\*|(?:\*\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.?)(?::(\d+|\*))?(\/[^?#]*)?$/i;

/**
 * Which engines find that `url` matches one source expression, for a page
 * whose origin is `self`. Nonces, hashes and keywords other than 'self' and
 * '*' match no URL: the caller deals with them.
 */
export function matchExpression(expression: string, url: URL, self: URL, redirected?: boolean, type?: string): number {
  const scheme = url.protocol;
  const lower = expression.toLowerCase();
  if (expression == '*')
    // The wildcard covers http(s) and the page's own scheme. The engines add ws and wss, and
    // WebKit data: images.
    return /^https?:$/.test(scheme) || scheme == self.protocol
      ? ALL
      : /^wss?:$/.test(scheme)
        ? ENGINES
        : type == 'img' && scheme == 'data:'
          ? WEBKIT
          : 0;
  if (lower == "'self'")
    // Same origin, or the same host and port reached over a secure scheme (or from an http page).
    return url.origin == self.origin ||
      (url.hostname == self.hostname &&
        url.port == self.port &&
        (/^(https|wss):$/.test(scheme) || (self.protocol == 'http:' && /^(http|ws):$/.test(scheme))))
      ? ALL
      : 0;
  if (/^[a-z][a-z0-9+.-]*:$/.test(lower)) return schemeMatches(lower, scheme);

  const m = HOST_SOURCE.exec(expression);
  // A host-source matches only a URL whose host is a domain: never an opaque one (custom-scheme://a).
  if (!m || !url.hostname || !/^(https?|wss?|ftp):$/.test(scheme)) return 0;
  const [, sourceScheme, host, port, path] = m;
  const from = sourceScheme ? sourceScheme.toLowerCase() : self.protocol;
  let result = schemeMatches(from, scheme);
  if (!result) return 0;
  const upgraded = from != scheme;

  // 6.7.2.10 host-part match: `*.` never matches the bare parent domain.
  const h = url.hostname;
  const pattern = host.toLowerCase();
  if (pattern == '*' ? 0 : pattern[0] == '*' ? !h.endsWith(pattern.slice(1)) : h != pattern) return 0;
  if (__FULL_CSP__ && pattern.slice(-1) == '.') result &= CHROMIUM | WEBKIT;
  // The spec never matches an IP address with a host-source; engines compare it literally.
  if (__FULL_CSP__ && /^(\d+\.){3}\d+$|^\[/.test(h)) result &= ENGINES;

  // 6.7.2.11 port-part match.
  const urlPort = url.port || DEFAULT_PORTS[scheme];
  if (port && port != '*' && +port != +urlPort) {
    // Not the spec's: engines still let an http source on :80 cover https on 443,
    // and Firefox and WebKit also take an https source on :80 for 443.
    if (port != '80' || urlPort != '443') return 0;
    if (__FULL_CSP__) result &= upgraded ? ENGINES : FIREFOX | WEBKIT;
  }
  if (!port && url.port) return 0;
  // Chromium refuses a scheme upgrade onto an explicit port, which the spec allows: for scripts
  // only onto a non-default port, for frames onto any.
  if (__FULL_CSP__ && upgraded && (url.port || type == 'frame') && port && port != '*') result &= ~CHROMIUM;

  // 6.7.2.12 path-part match, skipped after a redirect.
  if (path && !redirected)
    result &=
      (__FULL_CSP__ && specPath(path, url.pathname) ? SPEC : 0) |
      (enginePath(path, url.pathname, decode) ? ENGINES : enginePath(path, url.pathname, latin1) ? CHROMIUM : 0);
  return result;
}

/** Which engines find that `url` matches a source list (the union over its expressions). */
export function matchList(list: string[], url: URL, self: URL, redirected?: boolean, type?: string): number {
  let result = 0;
  for (const expression of list) result |= matchExpression(expression, url, self, redirected, type);
  return result;
}
