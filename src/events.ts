// Events: `utt('track', name, params)` reaches every integration whose partner
// maps that event (the registry's `events` block, compiled by build/setup.mjs),
// through the calls its setup block defines, once the integration's script may
// run. Until then the event is held (the last MAX_HELD, none older than
// MAX_AGE); refused consent or CSP drops it. The parameters are read once, at
// the call, into a snapshot without prototypes: primitives, and `items` as a
// list of flat objects. Nothing else of the merchant's object is read.
import { append } from './append';
import type { EventMap, Value } from './compiled';
import { listenDataLayer } from './data-layer';
import type { checkIdentifier } from './identifiers';
import { has, own } from './own';
import { decodeId } from './partner';
import type { Report } from './report';
import type { Run } from './setup';
import type { EventOutcome } from './types';
import { Code, warn } from './warn';

/** Events kept for integrations that may not run yet: the last MAX_HELD, none older than MAX_AGE ms (30 minutes). */
export const MAX_HELD = 100;
export const MAX_AGE = 18e5;
/**
 * Calls made into the vendors in one task: the rest wait for the next (a timer), in order. Ten
 * integrations opening at once with MAX_HELD events each, or a burst of tracks, would otherwise be one
 * long task (the bench's 1,000 queued events: test/bench/events.mjs).
 */
export const SLICE = 100;

/** One tracked event: its name, its parameters' snapshot, its id, when (ms) and its number. */
type Tracked = [name: string, params: Record<string, unknown>, id: string, at: number, n: number];

/**
 * An integration, as the events see it: waiting (0), open (1) or refused (2), why, the number of the
 * first event it has not had, its partner key, once open its map, calls and identifiers' values, and
 * 1 while it is behind (its next events wait for a later task: SLICE).
 */
type Sub = [
  state: 0 | 1 | 2,
  why: string,
  next: number,
  key: string,
  map?: EventMap | null,
  run?: Run,
  values?: unknown,
  behind?: 0 | 1,
];

export interface Events {
  /** An event: its name, the snapshot of its parameters (src/track.ts), when (ms). */
  track(name: string, params: Record<string, unknown>, at: number): void;
  /** The integration waits (consent, a deferred load): its events are held. */
  wait(id: string, key: string, why: string): void;
  /** Refused (consent, CSP): what it holds is dropped, and each later event until it may run. */
  drop(id: string, key: string, why: string): void;
  /**
   * Its script may run: what it holds goes to it in order, then each event as it is tracked. `values`: its
   * identifiers as the manifest gives them (or a per-account tag, checked), for the optional ones a mapping names.
   */
  open(id: string, key: string, map: EventMap | null | undefined, run: Run, values: unknown): void;
  /** The opt-in dataLayer listener (src/data-layer.ts): each GA4 ecommerce push through `track`, the `track` command. */
  listen(w: Window, track: (name: unknown, params: unknown) => void): void;
}

/** The events blocks of the generic tag's registry, by partner key: utt.events.js, loaded on the first track. */
export type EventMaps = Record<string, EventMap>;

/**
 * `maps`: the registry's events blocks by key, in utt.events.js (src/entries/events.ts); a per-account
 * tag and the ESM build carry each partner's block in its wire form, and have none. `check`: the
 * runtime's identifier check (src/identifiers.ts), which utt.js hands over; a per-account tag, whose
 * values were checked when it was built, has none.
 */
export function createEvents(
  report: Report,
  debug: () => boolean | undefined,
  maps?: EventMaps,
  check?: typeof checkIdentifier,
): Events {
  const log: Tracked[] = [];
  let count = 0;
  // No prototype: an integration id `__proto__` is a key like any other.
  const subs: Record<string, Sub> = Object.create(null);
  // For a map that names no identifier: which integration of the partner made the calls for an event.
  const made: Record<string, string> = Object.create(null);
  /** What happened to an event at an integration, in its outcome's `events` (the last 100); the debug build prints it. */
  // Each outcome's rows' event numbers, in step with its `events`: a merchant may give two events one
  // event_id, and each has its row.
  const nums: Record<string, number[]> = Object.create(null);
  const mark = (id: string, [name, , eventId, , n]: Tracked, status: EventOutcome['status'], reason = '') => {
    const o = report._outcome(id);
    if (!o) return;
    const list = (o.events = has(o, 'events') ? o.events! : []);
    const ns = (nums[id] = nums[id] || []);
    let row: EventOutcome | undefined;
    for (let i = 0; i < list.length; i++) if (ns[i] === n) row = list[i];
    if (!row) {
      append(list, (row = { event: name, id: eventId, status, reason }));
      append(ns, n);
    }
    row.status = status;
    row.reason = reason;
    if (list.length > 100) {
      list.shift();
      ns.shift();
    }
    warn(debug(), Code.Event, id, name + ' ' + eventId + ': ' + status, reason);
  };

  const send = (id: string, [, , , key, map, run, values]: Sub, e: Tracked) => {
    let row: EventMap[number] | undefined;
    for (const r of map || (own(maps, key) as EventMap) || []) if (r[0] == e[0]) row = r;
    if (!row) return mark(id, e, 'no-mapping');
    // The optional identifiers the mapping names, checked as utt.js checks every identifier (a per-account
    // tag's were checked when it was built): one not set, or breaking its schema, skips the mapping here.
    const opt: Record<string, unknown> = {};
    for (const w of row[3] || []) {
      const raw = own(values, w[0]);
      const [value, rule] = check ? check(decodeId(w), raw) : [raw as string | undefined];
      if (value == null)
        return mark(id, e, 'no-mapping', rule && rule != 'missing' ? w[0] + ': ' + rule : 'no ' + w[0]);
      opt[w[0]] = w[1] ? +value : value;
    }
    if (Date.now() - e[3] > MAX_AGE) return mark(id, e, 'dropped', 'age');
    const once = row[2] && key + ' ' + e[4];
    // Two integrations of a vendor whose calls fan out to every instance: the first one's call counts for both.
    if (once && made[once]) return mark(id, e, 'sent', 'by ' + made[once]);
    try {
      // The event's data goes in as literals ([9, value]): setup.ts fills the rest as for its own calls.
      run!(row[1].map(([name, method, args]) => [name, method, args.map((a) => resolve(a, e[1], e[1], e[2], opt))]));
      if (once) made[once] = id;
      mark(id, e, 'sent');
    } catch (err) {
      warn(debug(), Code.LoadFailed, id, err);
      mark(id, e, 'dropped', 'exception');
    }
  };
  /** Calls made this task (SLICE); the first one sets the timer that resets it and takes up those behind. */
  let spent = 0;
  /**
   * One event at one integration: sent (or no mapping) if it may run, dropped if refused, else held.
   * Returns 1 when this task has made its SLICE of calls: the integration is behind, and waits.
   */
  const step = (id: string, sub: Sub, e: Tracked): 1 | undefined => {
    if (!sub[0]) return void mark(id, e, 'held', sub[1]);
    if (sub[0] == 1) {
      if (spent >= SLICE) return (sub[7] = 1);
      if (!spent++)
        setTimeout(() => {
          spent = 0;
          for (const k in subs) if (subs[k][7]) pump(k, subs[k]);
        });
      send(id, sub, e);
    } else mark(id, e, 'dropped', sub[1]);
    sub[2] = e[4] + 1;
  };
  /** Each event an integration has not had, in order, until this task has made its share of calls. */
  const pump = (id: string, sub: Sub) => {
    sub[7] = 0;
    for (const e of log) if (e[4] >= sub[2] && step(id, sub, e)) return;
  };
  /** An integration's new state. */
  const to = (id: string, sub: Sub) => {
    if (subs[id]) sub[2] = subs[id][2];
    pump(id, (subs[id] = sub));
  };

  return {
    track(name, snap, at) {
      // The merchant's own id, for the vendors' server-side de-duplication; else one of utt's.
      const given = snap.event_id;
      const e: Tracked = [
        name,
        snap,
        typeof given == 'string' ? given : count + '.' + Math.random().toString(36).slice(2),
        at,
        count++,
      ];
      append(log, e);
      if (log.length > MAX_HELD) {
        const old = log.shift()!;
        for (const id in subs) if (subs[id][2] <= old[4]) mark(id, old, 'dropped', 'cap');
      }
      // An integration behind takes it in order, in a later task.
      for (const id in subs) subs[id][7] || step(id, subs[id], e);
    },
    wait: (id, key, why) => to(id, [0, why, 0, key]),
    drop: (id, key, why) => to(id, [2, why, 0, key]),
    open: (id, key, map, run, values) => to(id, [1, '', 0, key, map, run, values]),
    listen: listenDataLayer,
  };
}

/** A parameter the merchant did not give: undefined in a call or a list, its key left out of an object. */
const ABSENT: Value = [9, undefined as unknown as Value];

/**
 * An events call's value with the event's data in it: [6, name, conversion] an event's parameter (or an
 * item's, inside [7]), [7, template] the template for each item, [8] the event id, [10, name] an optional
 * identifier's value (`opt`, checked), each as a literal [9, value] that setup.ts fills as it is; in an
 * object, a key whose value is absent is left out.
 */
const resolve = (
  v: Value,
  data: Record<string, unknown>,
  params: Record<string, unknown>,
  id: string,
  opt: Record<string, unknown>,
): Value => {
  if (!Array.isArray(v)) return v;
  const kind = v[0];
  if (kind == 6) {
    const x = convert(data[v[1] as string], v[2] as number, data) as Value;
    return x === undefined ? ABSENT : [9, x];
  }
  if (kind == 7)
    return [
      0,
      ...((params.items as Record<string, unknown>[]) || []).map((item) => resolve(v[1], item, params, id, opt)),
    ];
  if (kind == 8) return [9, id];
  if (kind == 10) return [9, opt[v[1] as string] as Value];
  const out = v.map((x, i) => (i ? resolve(x, data, params, id, opt) : x));
  // [1, key, value, ...]: a parameter the merchant did not give leaves its key out.
  if (kind == 1) for (let i = out.length - 2; i > 0; i -= 2) if (out[i + 1] === ABSENT) out.splice(i, 2);
  return out;
};

/**
 * An event's parameter as the vendor wants it (conversion 0 a string, 1 a number, 2 cents, 3 times the
 * item's quantity, 1 when it has none, as GA4 reads it): absent if it is none.
 */
const convert = (x: unknown, how: number, data: Record<string, unknown>): unknown => {
  if (x == null) return;
  if (!how) return '' + x;
  const q = data.quantity;
  const n = +(x as number) * (how == 2 ? 100 : how > 2 ? (q == null ? 1 : +q) : 1);
  // In cents, whole: 19.99 * 100 is 1998.9999999999998; a line's total to the cent (19.99 * 3 is 59.97000000000001).
  if (Number.isFinite(n)) return how == 2 ? Math.round(n) : how > 2 ? Math.round(n * 100) / 100 : n;
};
