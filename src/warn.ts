// Coded console warnings of the debug build (dist/utt.debug.js and the ESM
// build). docs/development.md lists them.

export const Code = {
  NoAccount: 101,
  BadAccount: 102,
  ManifestFailed: 103,
  ManifestInvalid: 104,
  BadIntegration: 201,
  UnknownPartner: 202,
  BadIdentifier: 203,
  UnsafeURL: 204,
  Duplicate: 205,
  LoadFailed: 206,
  UnknownIdentifier: 207,
  BlockedCSP: 208,
  CSPNeed: 209,
  ChunkFailed: 210,
  Consent: 211,
  BadEvent: 212,
  Event: 213,
  UnknownCommand: 301,
  CallbackThrew: 302,
  IncludedTwice: 303,
  InitTwice: 304,
  Overwritten: 305,
} as const;
export type Code = (typeof Code)[keyof typeof Code];

const TEXT: Record<number, string> = __DEBUG__
  ? {
      101: 'no account: add data-account to the utt.js tag or call utt("init", { account })',
      102: 'account id must be 1-64 letters, digits, "_" or "-"',
      103: 'manifest request failed; no integration runs',
      104: 'manifest is not a valid utt manifest; no integration runs',
      201: 'integration entry is malformed and was skipped',
      202: 'partner is not in the registry compiled into this build',
      203: 'identifier is missing or breaks its schema; partner not loaded',
      204: 'script URL built from the identifiers leaves the partner template; partner not loaded',
      205: 'integration id or script URL already on the page; not injected again',
      206: 'partner script failed to load',
      207: "manifest identifier is not among the partner's required ones: ignored, unless it is an optional one its events name",
      208: "the page's Content-Security-Policy blocks this partner script; add the source named",
      209: "the page's Content-Security-Policy blocks a request this partner makes; add the source named",
      210: 'utt.csp.js (beside the tag, or in its data-base) did not load: meta policies go unchecked and violations are not attributed',
      211: 'partner held by consent: waiting for a signal, or refused',
      212: 'utt("track"): the event name is not a string, or its parameters were cut (keys, items) or unreadable',
      213: 'event',
      301: 'unknown command',
      302: 'a callback threw; the runtime goes on',
      303: 'utt.js is included more than once; the first copy handles the page',
      304: 'utt("init") was already called; one account per page, this call is ignored',
      305: 'another script assigned window.utt; utt keeps its own and ignores the assignment',
    }
  : {};

/**
 * Prints one coded warning when debugging is on. Never throws.
 * The production build has no warnings: this body is dropped, then the calls.
 */
export function warn(on: boolean | undefined, code: Code, a?: unknown, b?: unknown, c?: unknown): void {
  if (__DEBUG__) {
    try {
      if (on) console.warn('utt ' + code + ': ' + TEXT[code], ...[a, b, c].filter((x) => x !== undefined));
    } catch {
      // console can be missing or replaced by the page.
    }
  }
}
