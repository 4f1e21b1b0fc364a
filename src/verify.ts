// Verify mode, part of the chunk dist/utt.csp.js that utt.js loads on the first
// utt('verify', callback), so pages that never verify never download it.
// For every integration of the manifest, enabled or not, it fills in the
// hub's checklist with evidence: tag placement, CSP, identifiers, consent.

import type { ConsentNeeds, Partner } from './compiled';
import type { Signals } from './consent';
import { check, fallback, type RequestType } from './csp/check';
import { ENGINE_NAMES } from './csp/match';
import { metaPolicies, sampleURL } from './csp/page';
import { type Policy, parsePolicies } from './csp/parse';
import { get } from './dom';
import { checkIdentifiers } from './identifiers';
import { bare, own } from './own';
import { scriptURL } from './script-url';

type Result = 'pass' | 'fail' | 'unknown';

/** One CSP check: one request of the partner against every policy the page has. */
interface CspRow {
  type: RequestType;
  /** The URL checked (a script) or the source the partner declares (connect, img, frame). */
  target: string;
  verdict: 'allow' | 'block' | 'varies';
  /** The directive that decided, and where its policy comes from. */
  directive: string;
  policy: 'meta' | 'header' | '';
  /** Engines that allow it, where the verdict varies. */
  engines?: string[];
  /** `<directive>: add <source>` where some engine blocks it. */
  fix?: string;
  /** Report-only header policies would report it. */
  reported?: boolean;
}

interface Item {
  item: 'placement' | 'csp' | 'identifiers' | 'consent';
  result: Result;
  evidence: string;
  fix?: string;
  checks?: CspRow[];
}

export interface Verification {
  id: string;
  partner: string;
  /** The manifest's status: verify mode covers disabled integrations too, before they are published. */
  status: string;
  items: Item[];
}

export interface VerifyState {
  manifest: string;
  /** The integrations of a per-account tag, which has no manifest to fetch. */
  integrations?: unknown[];
  nonce?: string;
  tag?: HTMLScriptElement | null;
  version: string;
  debug?: boolean;
  /**
   * The runtime's compiled partner for a key: its registry, or a per-account tag's inlined
   * partners. Handed over at each call, so this chunk carries no registry of its own that a CDN
   * could serve stale.
   */
  partner: (key: string) => Partner | undefined;
  /** The runtime's consent decision for a partner's needs (src/consent/index.ts): ['' | 'wait' | 'deny', reason]. */
  decide?: (needs: ConsentNeeds | undefined) => [string, string];
  /** The consent signals the runtime found, raw. */
  signals?: Signals;
}

/** The page's own response headers, read through a same-origin request (verify mode only). */
async function headerPolicies(w: Window, d: Document): Promise<[Policy[], Policy[]] | undefined> {
  try {
    const res = await w.fetch(get(d, 'URL'), bare<RequestInit>({ credentials: 'same-origin', cache: 'no-store' }));
    // No prototype: an async function's result is read for a `then`, which must not be Object.prototype's.
    return bare([
      parsePolicies(res.headers.get('content-security-policy') || ''),
      parsePolicies(res.headers.get('content-security-policy-report-only') || ''),
    ]) as [Policy[], Policy[]];
  } catch {
    return undefined;
  }
}

/**
 * The checklist for every integration, to `cb`. Handed over by callback, not as a promise's
 * value: resolving a promise with an object reads its `then`, which Object.prototype may hold.
 */
export async function verify(
  w: Window,
  d: Document,
  state: VerifyState,
  cb: (result: Verification[]) => void,
): Promise<void> {
  const self = new URL(get(d, 'URL'));
  const list =
    state.integrations ||
    // As text, then parsed: a body resolved as JSON would be read for a `then` too.
    own(
      JSON.parse(
        await (await w.fetch(state.manifest, bare<RequestInit>({ credentials: 'omit', cache: 'no-store' }))).text(),
      ),
      'integrations',
    );
  const headers = await headerPolicies(w, d);
  const meta = metaPolicies(d);
  const enforced = meta.concat(headers ? headers[0] : []);
  const reportOnly = headers ? headers[1] : [];
  const source = (i: number) => (i < 0 ? '' : i < meta.length ? 'meta' : 'header');

  const placement = placementItem(d, self, state, enforced);
  const trusted = trustedTypesLine(w, enforced);
  const result = (Array.isArray(list) ? list : []).map((entry, index): Verification => {
    const id = String(own(entry, 'id') ?? `#${index}`);
    const key = String(own(entry, 'partner') ?? '');
    const partner = state.partner(key);
    const values = own(entry, 'identifiers');
    const out = { id, partner: key, status: String(own(entry, 'status') ?? ''), items: [placement] };
    const consent = consentItem(state, partner);
    if (!partner) {
      out.items.push(
        { item: 'csp', result: 'unknown', evidence: `no partner to check; ${trusted}` },
        state.integrations
          ? {
              // A per-account tag inlines its enabled integrations only, each checked when it was built.
              item: 'identifiers',
              result: 'unknown',
              evidence: 'not in this tag: it was disabled when the tag was built',
              fix: 'publish it, and the tag is built again with it',
            }
          : {
              item: 'identifiers',
              result: 'fail',
              evidence: `partner "${key}" is not in this build's registry`,
              fix: 'choose a partner of the registry',
            },
        consent,
      );
      return out;
    }
    const [checked, broken] = checkIdentifiers(partner._ids, values);
    const url = broken.length ? undefined : scriptURL(partner._script, checked);
    const identifiers: Item = broken.length
      ? {
          item: 'identifiers',
          result: 'fail',
          evidence: broken.map((b) => b.join(': ')).join('; '),
          fix: 'correct the identifier in the hub',
        }
      : url
        ? { item: 'identifiers', result: 'pass', evidence: `every identifier is valid; script ${url}` }
        : { item: 'identifiers', result: 'fail', evidence: 'the script URL would leave the partner template' };

    let csp: Item = {
      item: 'csp',
      result: 'unknown',
      evidence: 'no script URL to check until the identifiers are valid',
    };
    if (url) {
      const requests: [RequestType, URL, string][] = [['script', new URL(url), url]];
      for (const [type, src] of partner._needs || []) requests.push([type, sampleURL(src), src]);
      const rows = requests.map(([type, target, shown]): CspRow => {
        const c = check(enforced, reportOnly, {
          url: target,
          type,
          self,
          nonce: state.nonce,
          integrity: partner._integrity || undefined,
        });
        const row: CspRow = {
          type,
          target: shown,
          verdict: c.verdict,
          directive: c.directive || fallback(type)[0],
          policy: source(c.policy),
        };
        if (c.verdict == 'varies') row.engines = ENGINE_NAMES.filter(([, bit]) => c.engines & bit).map(([n]) => n);
        if (c.fix)
          row.fix = `${c.fix.directive}: ${c.fix.nonce ? "give utt's own tag the page's nonce" : `add ${c.fix.expression}`}`;
        if (c.reportOnly.length) row.reported = true;
        return row;
      });
      const failing = rows.filter((r) => r.verdict != 'allow');
      csp = {
        item: 'csp',
        result: failing.length ? 'fail' : headers ? 'pass' : 'unknown',
        evidence: failing.length
          ? failing.map((r) => `${r.type} ${r.target}: ${r.verdict} by ${r.policy} ${r.directive}`).join('; ')
          : `${rows.length} request(s) allowed by ${meta.length} meta and ${headers ? headers[0].length : '?'} header policies` +
            (headers ? '' : '; the header policies could not be read'),
        checks: rows,
      };
      if (failing.length)
        csp.fix = failing
          .map((r) => r.fix)
          .filter(Boolean)
          .join('; ');
    }
    csp.evidence += `; ${trusted}`;
    out.items.push(csp, identifiers, consent);
    return out;
  });
  if (state.debug)
    try {
      console.table(
        result.flatMap((v) =>
          v.items.map((i) => ({
            id: v.id,
            partner: v.partner,
            item: i.item,
            result: i.result,
            evidence: i.evidence,
            fix: i.fix || '',
          })),
        ),
      );
    } catch {
      // console can be missing or replaced by the page.
    }
  cb(result);
}

/**
 * Trusted Types, for the CSP item. Verify runs from utt.csp.js, which utt inserts through its
 * "utt" policy: where the page requires Trusted Types and verify runs at all, that policy is allowed.
 */
function trustedTypesLine(w: Window, enforced: Policy[]): string {
  const required = enforced.some((p) => /'script'/i.test((p['require-trusted-types-for'] || []).join()));
  return `Trusted Types: ${'trustedTypes' in w ? '' : 'none in this browser; '}${required ? 'required, policy "utt" allowed' : 'not required'}`;
}

/** The consent signals the runtime found, in words. */
function describeSignals([required, merchant, tcf, gdprApplies, gpp, gppOut, gpc]: Signals): string[] {
  const state = ['none', 'waiting', 'answered', 'no answer'];
  const given = Object.keys(merchant).map((c) => `${c} ${merchant[c]}`);
  return [
    `mode: ${required ? 'required' : 'default'}`,
    `merchant: ${given.join(', ') || 'none'}`,
    `tcf: ${state[tcf]}${tcf == 2 ? `, gdprApplies ${gdprApplies}` : ''}`,
    `gpp: ${state[gpp]}${gppOut ? `, ${gppOut.slice(5)}` : ''}`,
    `gpc: ${gpc ? 'on' : 'off'}`,
  ];
}

/** Consent: the signals found, and what the partner waits for or was refused by. */
function consentItem(state: VerifyState, partner: Partner | undefined): Item {
  if (!state.decide) return { item: 'consent', result: 'unknown', evidence: 'the runtime gave no consent state' };
  const [decision, why] = state.decide(partner && partner._consent);
  const signals = 'signals: ' + (state.signals ? describeSignals(state.signals) : []).join('; ');
  if (!decision) return { item: 'consent', result: 'pass', evidence: `${signals}; may load now` };
  if (decision == 'wait') return { item: 'consent', result: 'unknown', evidence: `${signals}; waiting for ${why}` };
  return {
    item: 'consent',
    result: 'fail',
    evidence: `${signals}; refused by ${why}`,
    fix: 'the visitor has not given, or has refused, the consent this partner needs',
  };
}

/** Tag placement: utt running, its tag in <head>, and allowed by the policies (nonce where they need one). */
function placementItem(d: Document, self: URL, state: VerifyState, enforced: Policy[]): Item {
  const tag = state.tag;
  const inHead = !!tag && tag.parentNode == get(d, 'head');
  const evidence = [
    `utt ${state.version} is running`,
    tag ? (inHead ? 'its tag is in <head>' : 'its tag is not in <head>') : 'its tag was not found',
  ];
  let fix = inHead ? '' : 'place the utt.js tag in <head>, so partners start early';
  if (tag && tag.src) {
    // utt's tag is the page's own (parser-inserted): under 'strict-dynamic' only its nonce lets it in.
    const own = check(enforced, [], {
      url: new URL(tag.src),
      type: 'script',
      self,
      nonce: state.nonce,
      untrusted: true,
    });
    evidence.push(state.nonce ? 'its tag carries a nonce' : 'its tag carries no nonce');
    // A nonce-based policy: partners get in through utt's nonce, so its tag should carry one.
    const needsNonce = enforced.some((p) =>
      (p[fallback('script').find((n) => p[n]) || ''] || []).some((e) => /^'nonce-/i.test(e)),
    );
    if (own.verdict != 'allow' || (needsNonce && !state.nonce)) {
      evidence.push(`the policy ${own.verdict == 'allow' ? 'expects a nonce on it' : 'refuses it'}`);
      fix = [fix, "give utt's tag the page's nonce (nonce attribute), which utt passes on to partners"]
        .filter(Boolean)
        .join('; ');
    }
  }
  return { item: 'placement', result: fix ? 'fail' : 'pass', evidence: evidence.join('; '), ...(fix && { fix }) };
}
