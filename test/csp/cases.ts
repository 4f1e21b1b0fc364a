// The CSP conformance table: what CSP Level 3 says, and what Chromium,
// Firefox and WebKit do where they differ from it. test/unit/csp-conformance
// checks the matcher against every column; test/engines/csp-conformance runs
// every case in each engine and checks its column against what it did.
import { createHash } from 'node:crypto';
import type { RequestType } from '../../src/csp/check';

export type Outcome = 'allow' | 'block';

export interface Case {
  name: string;
  /** The response header value (commas separate several policies). */
  policy: string;
  reportOnly?: string;
  url: string;
  type?: RequestType;
  /** The page's origin; https://shop.example by default. */
  origin?: string;
  nonce?: string;
  integrity?: string;
  /** The request is answered with a redirect to this URL first. */
  redirectTo?: string;
  spec: Outcome;
  /** Chromium's outcome where it is not the spec's. */
  chromium?: Outcome;
  /** Firefox's outcome where it is not the spec's. */
  firefox?: Outcome;
  /** WebKit's outcome where it is not the spec's. */
  webkit?: Outcome;
  /** Engines the case cannot run in, with the reason in a comment: the unit suite still checks the model. */
  notIn?: EngineName[];
}

export type EngineName = 'chromium' | 'firefox' | 'webkit';

/** The outcome the table gives for one engine. */
export const outcomeIn = (c: Case, engine: EngineName): Outcome => c[engine] ?? c.spec;

/** The body every routed test script gets, and its SRI hash. */
export const SCRIPT_BODY = 'window.__csp_ran = (window.__csp_ran || 0) + 1;';
const SCRIPT_HASH = `sha256-${createHash('sha256').update(SCRIPT_BODY).digest('base64')}`;

const A = 'https://a.example/x.js';
const HTTP = 'http://shop.example';

export const CASES: Case[] = [
  // Scheme sources (6.7.2.9): a scheme matches itself and its secure upgrade.
  { name: 'https: allows an https URL', policy: 'script-src https:', url: A, spec: 'allow' },
  { name: 'http: allows the https upgrade', policy: 'script-src http:', url: A, spec: 'allow' },
  {
    name: 'https: refuses http',
    policy: 'script-src https:',
    url: 'http://a.example/x.js',
    origin: HTTP,
    spec: 'block',
  },
  { name: 'http: allows http', policy: 'script-src http:', url: 'http://a.example/x.js', origin: HTTP, spec: 'allow' },
  { name: 'wss: allows https', policy: 'script-src wss:', url: A, spec: 'allow', firefox: 'block', chromium: 'block' },
  { name: 'ws: allows https', policy: 'script-src ws:', url: A, spec: 'allow', firefox: 'block', chromium: 'block' },
  { name: 'data: does not allow https', policy: 'script-src data:', url: A, spec: 'block' },
  { name: 'scheme sources are case-insensitive', policy: 'script-src HTTPS:', url: A, spec: 'allow' },
  {
    name: 'img data: allows a data URL',
    policy: 'img-src data:',
    type: 'img',
    url: 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///ywAAAAAAQABAAACAUwAOw==',
    spec: 'allow',
  },
  {
    name: 'img https: refuses a data URL',
    policy: 'img-src https:',
    type: 'img',
    url: 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///ywAAAAAAQABAAACAUwAOw==',
    spec: 'block',
  },

  // '*' covers network schemes and the page's own scheme only.
  { name: '* allows https', policy: 'script-src *', url: A, spec: 'allow' },
  {
    name: '* allows http on an http page',
    policy: 'script-src *',
    url: 'http://a.example/x.js',
    origin: HTTP,
    spec: 'allow',
  },
  {
    name: '* does not cover data:',
    policy: 'img-src *',
    type: 'img',
    url: 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///ywAAAAAAQABAAACAUwAOw==',
    spec: 'block',
    webkit: 'allow',
  },
  {
    name: '* and ws: from an http page',
    policy: 'connect-src *',
    type: 'connect',
    url: 'ws://a.example/s',
    origin: HTTP,
    spec: 'block',
    firefox: 'allow',
    webkit: 'allow',
    chromium: 'allow',
  },
  {
    name: '* and wss: from an https page',
    policy: 'connect-src *',
    type: 'connect',
    url: 'wss://a.example/s',
    spec: 'block',
    firefox: 'allow',
    webkit: 'allow',
    chromium: 'allow',
  },
  { name: '* allows a fetch', policy: 'connect-src *', type: 'connect', url: 'https://a.example/c', spec: 'allow' },

  // Host sources (6.7.2.10): exact hosts, *. wildcards, case-insensitive.
  { name: 'a scheme-less host on an https page', policy: 'script-src a.example', url: A, spec: 'allow' },
  {
    name: 'a scheme-less host on an http page allows the https upgrade',
    policy: 'script-src a.example',
    url: A,
    origin: HTTP,
    spec: 'allow',
  },
  {
    name: 'a scheme-less host on an http page allows http',
    policy: 'script-src a.example',
    url: 'http://a.example/x.js',
    origin: HTTP,
    spec: 'allow',
  },
  {
    name: 'an https host does not allow http',
    policy: 'script-src https://a.example',
    url: 'http://a.example/x.js',
    origin: HTTP,
    spec: 'block',
  },
  { name: 'hosts are case-insensitive (source)', policy: 'script-src https://A.Example', url: A, spec: 'allow' },
  {
    name: 'hosts are case-insensitive (URL)',
    policy: 'script-src https://a.example',
    url: 'https://A.EXAMPLE/x.js',
    spec: 'allow',
  },
  {
    name: 'a host does not cover its subdomains',
    policy: 'script-src https://a.example',
    url: 'https://cdn.a.example/x.js',
    spec: 'block',
  },
  {
    name: '*. covers a subdomain',
    policy: 'script-src https://*.a.example',
    url: 'https://cdn.a.example/x.js',
    spec: 'allow',
  },
  {
    name: '*. covers deeper subdomains',
    policy: 'script-src https://*.a.example',
    url: 'https://x.y.a.example/x.js',
    spec: 'allow',
  },
  { name: '*. never matches the bare parent domain', policy: 'script-src https://*.a.example', url: A, spec: 'block' },
  {
    name: '*. needs a dot boundary',
    policy: 'script-src https://*.a.example',
    url: 'https://evila.example/x.js',
    spec: 'block',
  },
  {
    name: 'a host is not a prefix',
    policy: 'script-src https://a.example',
    url: 'https://a.example.b.example/x.js',
    spec: 'block',
  },
  {
    name: 'https://* covers any https host',
    policy: 'script-src https://*',
    url: 'https://b.example/x.js',
    spec: 'allow',
  },
  { name: 'another host is refused', policy: 'script-src https://b.example', url: A, spec: 'block' },
  {
    name: 'a scheme-less *. source',
    policy: 'script-src *.a.example',
    url: 'https://cdn.a.example/x.js',
    spec: 'allow',
  },
  {
    name: 'a wss host source covers https',
    policy: 'script-src wss://a.example',
    url: A,
    spec: 'allow',
    firefox: 'block',
    chromium: 'block',
  },

  {
    name: 'a trailing-dot host source is not valid in the spec',
    policy: 'script-src https://a.example.',
    url: 'https://a.example./x.js',
    spec: 'block',
    webkit: 'allow',
    chromium: 'allow',
  },
  {
    // Firefox neither loads nor refuses a request to the host ".": it never settles.
    name: 'http://* takes the host "."',
    notIn: ['firefox'],
    policy: 'script-src http://*',
    url: 'http://./x.js',
    origin: HTTP,
    spec: 'allow',
  },
  {
    // No engine fetches a custom scheme, so a refusal could not be told from a failed load.
    name: 'a host source never matches a custom-scheme URL (its host is not a domain)',
    notIn: ['chromium', 'firefox', 'webkit'],
    policy: 'img-src custom-scheme://a',
    type: 'img',
    url: 'custom-scheme://a/b.gif',
    spec: 'block',
  },
  {
    name: 'ws: allows http on an http page',
    policy: 'script-src ws:',
    url: 'http://a.example/x.js',
    origin: HTTP,
    spec: 'allow',
    firefox: 'block',
    chromium: 'block',
  },

  // Ports (6.7.2.11).
  {
    name: 'an explicit default port in the URL',
    policy: 'script-src https://a.example',
    url: 'https://a.example:443/x.js',
    spec: 'allow',
  },
  {
    name: 'no port refuses a non-default port',
    policy: 'script-src https://a.example',
    url: 'https://a.example:8443/x.js',
    spec: 'block',
  },
  {
    name: 'a matching explicit port',
    policy: 'script-src https://a.example:8443',
    url: 'https://a.example:8443/x.js',
    spec: 'allow',
  },
  {
    name: 'an explicit port refuses the default one',
    policy: 'script-src https://a.example:8443',
    url: A,
    spec: 'block',
  },
  {
    name: ':* allows any port',
    policy: 'script-src https://a.example:*',
    url: 'https://a.example:8443/x.js',
    spec: 'allow',
  },
  { name: ':* allows the default port', policy: 'script-src https://a.example:*', url: A, spec: 'allow' },
  { name: ':443 covers the default https port', policy: 'script-src https://a.example:443', url: A, spec: 'allow' },
  {
    name: 'http on :80 for https on 443: no upgrade in the spec',
    policy: 'script-src http://a.example:80',
    url: A,
    spec: 'block',
    firefox: 'allow',
    webkit: 'allow',
    chromium: 'allow',
  },
  {
    name: 'https on :80 does not cover 443',
    policy: 'script-src https://a.example:80',
    url: A,
    spec: 'block',
    firefox: 'allow',
    webkit: 'allow',
  },
  {
    name: 'a scheme upgrade on a non-default port',
    policy: 'script-src http://a.example:8443',
    url: 'https://a.example:8443/x.js',
    spec: 'allow',
    chromium: 'block',
  },
  {
    name: 'a scheme-less upgrade on a non-default port',
    policy: 'script-src a.example:8443',
    url: 'https://a.example:8443/x.js',
    origin: HTTP,
    spec: 'allow',
    chromium: 'block',
  },
  { name: 'http on :443 covers https on 443', policy: 'script-src http://a.example:443', url: A, spec: 'allow' },
  {
    name: 'http without a port covers the https upgrade',
    policy: 'script-src http://a.example',
    url: A,
    spec: 'allow',
  },

  {
    name: 'frame-src: http on :443 for an https frame',
    policy: 'frame-src http://a.example:443',
    type: 'frame',
    url: 'https://a.example/f.html',
    spec: 'allow',
    chromium: 'block',
  },

  // IP literals: the spec never matches them with a host-source.
  {
    name: 'an IP literal host',
    policy: 'script-src https://127.0.0.2',
    url: 'https://127.0.0.2/x.js',
    spec: 'block',
    firefox: 'allow',
    webkit: 'allow',
    chromium: 'allow',
  },
  { name: 'an IP literal under https:', policy: 'script-src https:', url: 'https://127.0.0.2/x.js', spec: 'allow' },

  // Paths (6.7.2.12): exact unless the source ends in "/", compared percent-decoded.
  {
    name: 'a directory path',
    policy: 'script-src https://a.example/js/',
    url: 'https://a.example/js/x.js',
    spec: 'allow',
  },
  {
    name: 'a directory path covers subdirectories',
    policy: 'script-src https://a.example/js/',
    url: 'https://a.example/js/sub/x.js',
    spec: 'allow',
  },
  {
    name: 'a directory path is not a string prefix',
    policy: 'script-src https://a.example/js/',
    url: 'https://a.example/jsx/x.js',
    spec: 'block',
  },
  {
    name: 'a path without a trailing slash is exact',
    policy: 'script-src https://a.example/js',
    url: 'https://a.example/js/x.js',
    spec: 'block',
  },
  {
    name: 'an exact file path',
    policy: 'script-src https://a.example/js/x.js',
    url: 'https://a.example/js/x.js',
    spec: 'allow',
  },
  {
    name: 'an exact path ignores the query',
    policy: 'script-src https://a.example/js/x.js',
    url: 'https://a.example/js/x.js?v=2',
    spec: 'allow',
  },
  {
    name: 'an exact path refuses another file',
    policy: 'script-src https://a.example/js/x.js',
    url: 'https://a.example/js/y.js',
    spec: 'block',
  },
  {
    name: 'paths are case-sensitive',
    policy: 'script-src https://a.example/JS/',
    url: 'https://a.example/js/x.js',
    spec: 'block',
  },
  {
    name: 'an encoded source path',
    policy: 'script-src https://a.example/j%73/',
    url: 'https://a.example/js/x.js',
    spec: 'allow',
  },
  {
    name: 'an encoded URL path',
    policy: 'script-src https://a.example/js/',
    url: 'https://a.example/j%73/x.js',
    spec: 'allow',
  },
  {
    name: '%2F..%2F inside the directory segment',
    policy: 'script-src https://a.example/js/',
    url: 'https://a.example/js%2F..%2Fevil.js',
    spec: 'block',
    firefox: 'allow',
    webkit: 'allow',
    chromium: 'allow',
  },
  {
    name: '%2F..%2F below the directory',
    policy: 'script-src https://a.example/js/',
    url: 'https://a.example/js/%2F..%2F..%2Fevil.js',
    spec: 'allow',
  },
  {
    name: 'a URL path that is not UTF-8 once decoded',
    policy: 'script-src https://a.example/%C3%AF/',
    url: 'https://a.example/%EF/x.js',
    spec: 'block',
    chromium: 'allow',
  },
  {
    name: 'the root path covers everything',
    policy: 'script-src https://a.example/',
    url: 'https://a.example/any/x.js',
    spec: 'allow',
  },
  {
    name: 'paths are ignored after a redirect',
    policy: 'script-src https://a.example/js/',
    url: 'https://a.example/js/r.js',
    redirectTo: 'https://a.example/other/x.js',
    spec: 'allow',
  },
  {
    name: 'hosts still count after a redirect',
    policy: 'script-src https://a.example/js/',
    url: 'https://a.example/js/r.js',
    redirectTo: 'https://b.example/x.js',
    spec: 'block',
  },

  // 'self'.
  {
    name: "'self' allows the page's origin",
    policy: "script-src 'self'",
    url: 'https://shop.example/x.js',
    spec: 'allow',
  },
  { name: "'self' is case-insensitive", policy: "script-src 'SELF'", url: 'https://shop.example/x.js', spec: 'allow' },
  {
    name: "'self' does not cover a subdomain",
    policy: "script-src 'self'",
    url: 'https://cdn.shop.example/x.js',
    spec: 'block',
  },
  {
    name: "'self' does not cover another port",
    policy: "script-src 'self'",
    url: 'https://shop.example:8443/x.js',
    spec: 'block',
  },
  {
    name: "'self' on an http page allows https",
    policy: "script-src 'self'",
    url: 'https://shop.example/x.js',
    origin: HTTP,
    spec: 'allow',
  },
  { name: 'unquoted self is a host name', policy: 'script-src self', url: 'https://shop.example/x.js', spec: 'block' },

  // 'none' and empty lists.
  { name: "'none' blocks", policy: "script-src 'none'", url: A, spec: 'block' },
  { name: "'none' beside a source is ignored", policy: "script-src 'none' https://a.example", url: A, spec: 'allow' },
  { name: 'an empty directive blocks', policy: 'script-src', url: A, spec: 'block' },

  // Nonces, 'strict-dynamic', hashes (script-src-elem pre-request check).
  {
    name: 'a matching nonce allows any URL',
    policy: "script-src 'nonce-abc123'",
    url: A,
    nonce: 'abc123',
    spec: 'allow',
  },
  { name: 'a wrong nonce', policy: "script-src 'nonce-abc123'", url: A, nonce: 'zzz', spec: 'block' },
  { name: 'no nonce', policy: "script-src 'nonce-abc123'", url: A, spec: 'block' },
  {
    name: 'a nonce beside a host source',
    policy: "script-src 'nonce-abc123' https://a.example",
    url: A,
    spec: 'allow',
  },
  {
    name: "'strict-dynamic' allows a DOM-inserted script",
    policy: "script-src 'nonce-abc123' 'strict-dynamic'",
    url: A,
    spec: 'allow',
  },
  {
    name: "'strict-dynamic' ignores host sources, not DOM insertion",
    policy: "script-src 'strict-dynamic' https://b.example",
    url: A,
    spec: 'allow',
  },
  {
    name: "'unsafe-inline' allows no URL",
    policy: "script-src 'unsafe-inline' https://b.example",
    url: A,
    spec: 'block',
  },
  {
    name: 'a hash allows a script by its integrity',
    policy: `script-src '${SCRIPT_HASH}'`,
    url: A,
    integrity: SCRIPT_HASH,
    spec: 'allow',
  },
  { name: 'a hash without integrity metadata', policy: `script-src '${SCRIPT_HASH}'`, url: A, spec: 'block' },
  { name: "'strict-dynamic' in default-src", policy: "default-src 'strict-dynamic'", url: A, spec: 'allow' },

  // Directive fallback.
  {
    name: 'scripts fall back to default-src (allowed)',
    policy: 'default-src https://a.example',
    url: A,
    spec: 'allow',
  },
  {
    name: 'scripts fall back to default-src (refused)',
    policy: 'default-src https://b.example',
    url: A,
    spec: 'block',
  },
  {
    name: 'script-src overrides default-src',
    policy: "default-src 'none'; script-src https://a.example",
    url: A,
    spec: 'allow',
  },
  {
    name: 'script-src-elem overrides script-src (refused)',
    policy: 'script-src https://a.example; script-src-elem https://b.example',
    url: A,
    spec: 'block',
  },
  {
    name: 'script-src-elem overrides script-src (allowed)',
    policy: 'script-src https://b.example; script-src-elem https://a.example',
    url: A,
    spec: 'allow',
  },
  {
    name: 'img-src overrides default-src',
    policy: "default-src 'none'; img-src https://a.example",
    type: 'img',
    url: 'https://a.example/p.gif',
    spec: 'allow',
  },
  {
    name: 'images fall back to default-src',
    policy: 'default-src https://b.example',
    type: 'img',
    url: 'https://a.example/p.gif',
    spec: 'block',
  },
  {
    name: 'script-src does not govern images',
    policy: 'script-src https://b.example',
    type: 'img',
    url: 'https://a.example/p.gif',
    spec: 'allow',
  },
  {
    name: 'connect-src allows',
    policy: 'connect-src https://a.example',
    type: 'connect',
    url: 'https://a.example/c',
    spec: 'allow',
  },
  {
    name: 'connect-src refuses',
    policy: 'connect-src https://b.example',
    type: 'connect',
    url: 'https://a.example/c',
    spec: 'block',
  },
  {
    name: 'connections fall back to default-src',
    policy: "default-src 'none'",
    type: 'connect',
    url: 'https://a.example/c',
    spec: 'block',
  },
  {
    name: 'frame-src allows',
    policy: 'frame-src https://a.example',
    type: 'frame',
    url: 'https://a.example/f.html',
    spec: 'allow',
  },
  {
    name: 'frames fall back to child-src',
    policy: 'child-src https://a.example',
    type: 'frame',
    url: 'https://a.example/f.html',
    spec: 'allow',
  },
  {
    name: 'frame-src overrides child-src',
    policy: 'child-src https://a.example; frame-src https://b.example',
    type: 'frame',
    url: 'https://a.example/f.html',
    spec: 'block',
  },
  {
    name: 'frames fall back to default-src',
    policy: 'default-src https://b.example',
    type: 'frame',
    url: 'https://a.example/f.html',
    spec: 'block',
  },

  // Parsing and several policies.
  { name: 'directive names are case-insensitive', policy: 'SCRIPT-SRC https://b.example', url: A, spec: 'block' },
  {
    name: 'a repeated directive is ignored',
    policy: 'script-src https://b.example; script-src https://a.example',
    url: A,
    spec: 'block',
  },
  { name: 'tabs separate sources', policy: 'script-src\thttps://b.example\thttps://a.example', url: A, spec: 'allow' },
  {
    name: 'every policy must allow',
    policy: 'script-src https://a.example, script-src https://b.example',
    url: A,
    spec: 'block',
  },
  {
    name: 'two policies that both allow',
    policy: 'script-src https://a.example https://b.example, script-src https://a.example',
    url: A,
    spec: 'allow',
  },
  {
    name: 'a report-only policy never blocks',
    policy: 'img-src *',
    reportOnly: "script-src 'none'",
    url: A,
    spec: 'allow',
  },
];
