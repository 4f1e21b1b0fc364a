// The compiled registry (build/registry.mjs writes it into the bundle) and a
// per-account tag's inlined data (build/account.mjs). Properties starting with
// `_` are internal: the production builds mangle them to one letter.
import type { Wire, WireEntry, WireId } from './partner';

/** One identifier of a partner, compiled from its JSON Schema subset at build time. Every field is present. */
export interface Identifier {
  _name: string;
  /** 1 for `type: integer`. */
  _integer: 0 | 1;
  /** minLength (strings, in code points) or minimum (integers). */
  _min: number | null;
  /** maxLength (strings, in code points) or maximum (integers). */
  _max: number | null;
  /** Regular expression sources (u flag) the value must match, with the rule each one stands for. */
  _tests: [source: string, rule: 'pattern' | 'enum' | 'format'][] | null;
  /**
   * 1 when the merchant may leave it absent or empty (`"optional": true`): only an events mapping may name
   * it, and a mapping that names one the integration has not set is skipped (src/events.ts). Never
   * on the wire: a partner's wire form lists its required identifiers only, and each events mapping
   * the optional ones it names.
   */
  _optional?: 1;
}

/**
 * One partner, as the runtime reads it (decoded from its wire form by src/partner.ts).
 * Every field is present, null when the registry entry has none: none is ever read
 * through Object.prototype.
 */
export interface Partner {
  /** https URL template with `{name}` placeholders in its path or query; a per-account tag's checked URL. */
  _script: string;
  _ids: Identifier[];
  _integrity: string | null;
  _crossorigin: string | null;
  /** The partner's other CSP needs: [request type, source expression]. */
  _needs: [type: string, source: string][] | null;
  _consent: ConsentNeeds;
  /** What the vendor's snippet does before its script loads (the registry's `setup` block): see src/setup.ts. */
  _setup: Setup | null;
  /** Load timing, as an index of LOADS (src/timing.ts): 0 now, 1 idle, 2 interaction. */
  _load: number;
  /**
   * What the vendor is told of each tracked event (the registry's `events` block): see src/events.ts.
   * Not `_`-named, as no events-only member is: the builds share one cache of mangled names, and a
   * new `_name` there would move the others' letters in tags without events (their 0 B budget).
   */
  ev?: EventMap | null;
}

/**
 * A setup value, filled at run time (build/setup.mjs compiles it). A string (with `{name}` placeholders),
 * number or boolean stands for itself; anything else is an array whose first item says what it is:
 * [0, ...items] an array, [1, key, value, ...] an object, [2] the current Date, [3, name] an integer
 * identifier as a number, [4, name] a global (own property of window), [5, bits, granted?, denied?] the
 * word ('granted' or 'denied' unless given) for utt's consent decision on those categories (bits of
 * CATEGORIES) and, with bit 16, the visitor's opt-out of sale or sharing. In an `events` call also:
 * [6, name, conversion] an event's parameter (or, inside [7], an item's) converted (0 string, 1 number,
 * 2 cents, 3 times the item's quantity), [7, value] that value for each item of the event's `items`, [8] the
 * event id, [10, name] an optional identifier's value; src/events.ts turns each into [9, value], the
 * event's data as it is, before setup.ts fills the call.
 */
export type Value = string | number | boolean | Value[];

/** A list of calls: [global, method ('' calls the global itself), args]; with `assign`, `window[assign] = new window[global](...args)`. */
export type Calls = [name: string, method: string, args: Value[], assign?: string][];

/**
 * A compiled `setup` block, in the order the snippet runs: globals [name, value, merge] (a merge
 * adds missing keys to the merchant's object), stubs [name, queue or array global, flags, props,
 * methods, forward, aliases], calls, steps once the script has loaded (constructions, then calls),
 * and calls when consent changes.
 */
export type Setup = [
  globals?: [name: string, value: Value, merge?: 1][],
  stubs?: [
    name: string,
    queue: string,
    flags: number,
    props?: [string, Value][],
    methods?: string[],
    forward?: string,
    aliases?: string[],
  ][],
  calls?: Calls,
  after?: Calls,
  onConsent?: Calls,
];

/**
 * A compiled `events` block (build/setup.mjs, compileEvents): [event name, calls, once, optional][]; `once`
 * (1) when the calls name no identifier, so that every integration of the partner would make the same ones;
 * `optional`: the schemas (wire form) of the optional identifiers the calls name, as [10, name] values.
 */
export type EventMap = [name: string, calls: Calls, once: 0 | 1, optional: WireId[] | null][];

/** What a partner needs before it may load (the registry's `consent` block). */
export interface ConsentNeeds {
  /** Categories the merchant must grant, as bits of CATEGORIES (src/consent/index.ts): 1 analytics, 2 advertising, 4 personalization, 8 functional. */
  _cats: number | null;
  /** Sells or shares personal data under US state laws: GPC and GPP opt-outs refuse it. */
  _sale: 1 | null;
  /** IAB TCF v2.2: vendor id, purposes, and those it may use under legitimate interest, as bit sets (bit p: purpose p). */
  _tcf: [vendor: number, purposes: number, legitimateInterests: number] | null;
}

/** The compiled registry of utt.js, by partner key: each entry in its wire form (src/partner.ts). */
export type Registry = Record<string, WireEntry>;

/**
 * One integration of a per-account tag, settled or checked at build time (build/account.mjs):
 * [id, key] when disabled; [id, key, status, reason] when the build settled it otherwise (the
 * demo hub's lenient build: an invalid identifier, a partner gone from the registry); else its
 * checked script URL, its checked values and its partner's wire form.
 */
export type Inlined =
  | [id: string, key: string]
  | [id: string, key: string, status: 'disabled' | 'invalid' | 'unknown-partner', reason: string]
  | [id: string, key: string, url: string, values: Record<string, string>, wire: Wire];

/** A per-account tag's data: [account, version (content hash), integrations]. */
export type Compiled = [account: string, version: string, integrations: Inlined[]];
