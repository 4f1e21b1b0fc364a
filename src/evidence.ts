// A preview's evidence: what utt saw running a hub's draft on the merchant's
// real site, sent back by the preview panel (utt.preview.js) to the hub's
// checklist. The wire format's one codec: the encoder the panel uses and the
// decoder the hub uses, side by side. The hub reads it as hostile input: the
// token that signs the draft authenticates it, and every field is checked here.
//
// It holds the page's URL (without the preview token), the engine family, the
// page's Content-Security-Policy as utt saw it, and per integration its
// outcome with its reason and CSP fixes. No cookie, no identifier value, no user agent.
import { ENGINES, type Engine, engineOf, jsonObject, MAX_REASON, STATUSES, text } from './health';
import { own } from './own';
import type { Outcome, Status } from './types';

/** The largest body the hub reads. */
export const MAX_EVIDENCE = 65536;
/** Policies kept of each kind, and characters of each. */
const MAX_POLICIES = 8;
const MAX_POLICY = 4096;
/** CSP fixes kept per integration. */
const MAX_FIXES = 20;

/** One integration on the wire: [id, partner, status, reason, CSP fixes]. */
type Line = [id: string, partner: string, status: Status, reason: string, fixes: string[]];
export interface Evidence {
  /** The page, without its `utt-preview` parameter. */
  url: string;
  engine: Engine;
  /** The page's policies: from its response headers (and violations' reports), and from its meta tags. */
  csp: { header: string[]; meta: string[] };
  outcomes: Line[];
}

/** A page's nonce is that response's only: none is sent. */
const redact = (policy: string) => policy.replace(/'nonce-[^']*'/g, "'nonce-…'");
/** The first `MAX_POLICIES` distinct policies, each cut at MAX_POLICY characters. */
const policies = (list: string[]) =>
  list
    .map((p) => redact(p).slice(0, MAX_POLICY))
    .filter((p, i, all) => p && all.indexOf(p) == i)
    .slice(0, MAX_POLICIES);

/** The page's URL as evidence: the preview token taken out (it is the link's key, not the site's). */
const pageUrl = (href: string) => {
  const u = new URL(href);
  u.searchParams.delete('utt-preview');
  u.hash = '';
  return u.href.slice(0, 2000);
};

/** The evidence of one preview page view. */
export const encode = (href: string, ua: string, header: string[], meta: string[], outcomes: Outcome[]): string =>
  JSON.stringify({
    url: pageUrl(href),
    engine: engineOf(ua),
    csp: { header: policies(header), meta: policies(meta) },
    outcomes: outcomes.map((o) => [
      o.id,
      o.partner,
      o.status,
      String(o.reason).slice(0, MAX_REASON),
      (o.warnings || []).slice(0, MAX_FIXES).map((w) => w.slice(0, MAX_REASON)),
    ]),
  } as Evidence);

const strings = (v: unknown, most: number, max: number): v is string[] =>
  Array.isArray(v) && v.length <= most && v.every((s) => text(s, max));

/**
 * The hub's reading of a body: the evidence, or the name of its first bad field. Untrusted: no field
 * is read from a prototype, every one is checked for its type, its length and its value.
 */
export function decode(body: string, maxOutcomes: number): Evidence | string {
  const json = jsonObject(body, MAX_EVIDENCE);
  if (typeof json == 'string') return json;
  const url = own(json, 'url');
  const engine = own(json, 'engine');
  const csp = own(json, 'csp');
  const header = own(csp, 'header');
  const meta = own(csp, 'meta');
  const outcomes = own(json, 'outcomes');
  if (!text(url, 2000, /^https?:\/\/[^\s]+$/)) return 'url';
  if (ENGINES.indexOf(engine as Engine) < 0) return 'engine';
  if (!strings(header, MAX_POLICIES, MAX_POLICY) || !strings(meta, MAX_POLICIES, MAX_POLICY)) return 'csp';
  if (!Array.isArray(outcomes) || outcomes.length > maxOutcomes) return 'outcomes';
  const ids: Record<string, 1> = Object.create(null);
  for (const line of outcomes) {
    if (!Array.isArray(line) || line.length != 5) return 'outcome';
    const [id, partner, status, reason, fixes] = line;
    if (!text(id, 64, /^[\w.:#-]+$/) || ids[id]) return 'id';
    ids[id] = 1;
    if (!text(partner, 64, /^[\w-]*$/)) return 'partner';
    if (STATUSES.indexOf(status) < 0) return 'status';
    if (!text(reason, MAX_REASON)) return 'reason';
    if (!strings(fixes, MAX_FIXES, MAX_REASON)) return 'fixes';
  }
  return { url, engine, csp: { header, meta }, outcomes } as Evidence;
}
