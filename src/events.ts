// Events: `utt('track', name, params)` reaches every integration whose partner
// maps that event (the registry's `events` block, compiled by build/setup.mjs),
// through the calls its setup block defines, once the integration's script may
// run. Until then the event is held (the last MAX_HELD, none older than
// MAX_AGE); refused consent or CSP drops it. The parameters are read once, at
// the call, into a snapshot without prototypes: primitives, and `items` as a
// list of flat objects. Nothing else of the merchant's object is read.
import { append } from './append';
import type { EventMap } from './compiled';
import { bare, own } from './own';
import type { Report } from './report';
import type { Run } from './setup';
import { Code, warn } from './warn';

/** Events kept for integrations that may not run yet: the last MAX_HELD, none older than MAX_AGE ms (30 minutes). */
export const MAX_HELD = 100;
export const MAX_AGE = 18e5;
/** Items read from one event, keys read from one object, characters kept of one string: the rest are left out. */
export const MAX_ITEMS = 200;
const MAX_KEYS = 64;
const MAX_TEXT = 1024;

/** One tracked event: its name, its parameters' snapshot, its id, when (ms) and its number. */
type Tracked = [name: string, params: Record<string, unknown>, id: string, at: number, n: number];

/**
 * An integration, as the events see it: waiting (0), open (1) or refused (2), why, the number of the
 * first event it has not had, its partner key, and once open its map and calls.
 */
type Sub = [state: 0 | 1 | 2, why: string, next: number, key: string, map?: EventMap | null, run?: Run];

export interface Events {
  track(name: unknown, params: unknown): void;
  /** The integration waits (consent, a deferred load): its events are held. */
  wait(id: string, key: string, why: string): void;
  /** Refused (consent, CSP): what it holds is dropped, and each later event until it may run. */
  drop(id: string, key: string, why: string): void;
  /** Its script may run: what it holds goes to it in order, then each event as it is tracked. */
  open(id: string, key: string, map: EventMap | null | undefined, run: Run): void;
}

/**
 * A flat copy of the merchant's object: its own string (cut to MAX_TEXT), number and boolean
 * values, and at the top `items` (MAX_ITEMS, each flat). Throws for a Proxy that throws.
 */
const snapshot = (o: unknown, top: boolean, cut: string[]): Record<string, unknown> => {
  const out: Record<string, unknown> = bare({});
  if (Object(o) !== o) return out;
  const keys = Object.keys(o as object);
  if (keys.length > MAX_KEYS) append(cut, 'keys');
  for (const k of keys.slice(0, MAX_KEYS)) {
    const v = own(o, k);
    const type = typeof v;
    if (type == 'string') out[k] = (v as string).slice(0, MAX_TEXT);
    else if ((type == 'number' && Number.isFinite(v)) || type == 'boolean') out[k] = v;
    else if (top && k == 'items' && Array.isArray(v)) {
      if (v.length > MAX_ITEMS) append(cut, 'items');
      out[k] = v.slice(0, MAX_ITEMS).map((item) => snapshot(item, false, cut));
    }
  }
  return out;
};

/** The events blocks of the generic tag's registry, by partner key: utt.events.js, loaded on the first track. */
export type EventMaps = Record<string, EventMap>;

/**
 * `need`: in utt.js, loads utt.events.js (its registry's events blocks); a per-account tag and the
 * ESM build carry their partners' blocks and have none.
 */
export function createEvents(
  report: Report,
  debug: () => boolean | undefined,
  need?: (cb: (maps?: EventMaps) => void) => void,
): Events {
  const log: Tracked[] = [];
  let count = 0;
  // No prototype: an integration id `__proto__` is a key like any other.
  const subs: Record<string, Sub> = Object.create(null);
  // For a map that names no identifier: which integration of the partner made the calls for an event.
  const made: Record<string, string> = Object.create(null);
  // The events blocks by key, once utt.events.js has come (empty if it failed): 1 where they are inlined.
  let maps: EventMaps | 0 | 1 = need ? 0 : 1;
  const mark = (id: string, e: Tracked, status: 'sent' | 'held' | 'dropped' | 'no-mapping', why?: string) =>
    report.ev(id, e[0], e[2], status, why);

  const send = (id: string, [, , , key, map, run]: Sub, e: Tracked) => {
    let row: EventMap[number] | undefined;
    for (const r of map || (maps as EventMaps)[key] || []) if (r[0] == e[0]) row = r;
    if (!row) return mark(id, e, 'no-mapping');
    if (Date.now() - e[3] > MAX_AGE) return mark(id, e, 'dropped', 'age');
    const once = row[2] && key + ' ' + e[4];
    // Two integrations of a vendor whose calls fan out to every instance: the first one's call counts for both.
    if (once && made[once]) return mark(id, e, 'sent', 'by ' + made[once]);
    try {
      run!(row[1], [e[1], e[1], e[2]]);
      if (once) made[once] = id;
      mark(id, e, 'sent');
    } catch (err) {
      warn(debug(), Code.LoadFailed, id, err);
      mark(id, e, 'dropped', 'exception');
    }
  };
  /** One event at one integration: sent (or no mapping) if it may run, dropped if refused, else held. */
  const step = (id: string, sub: Sub, e: Tracked) => {
    if (!sub[0] || (sub[0] == 1 && !maps)) return mark(id, e, 'held', sub[0] ? 'utt.events.js' : sub[1]);
    sub[0] == 1 ? send(id, sub, e) : mark(id, e, 'dropped', sub[1]);
    sub[2] = e[4] + 1;
  };
  /** Each event an integration has not had, in order. */
  const pump = (id: string, sub: Sub) => {
    for (const e of log) if (e[4] >= sub[2]) step(id, sub, e);
  };
  /** An integration's new state. */
  const to = (id: string, sub: Sub) => {
    if (subs[id]) sub[2] = subs[id][2];
    pump(id, (subs[id] = sub));
  };

  return {
    track(name, params) {
      if (typeof name != 'string') return warn(debug(), Code.BadEvent, name);
      const cut: string[] = [];
      let snap: Record<string, unknown>;
      try {
        snap = snapshot(params, true, cut);
      } catch {
        append(cut, 'unreadable');
        snap = bare({});
      }
      if (cut.length) warn(debug(), Code.BadEvent, name, cut.join());
      // The merchant's own id, for the vendors' server-side de-duplication; else one of utt's.
      const given = snap.event_id;
      const e: Tracked = [
        name,
        snap,
        typeof given == 'string' ? given : count + '.' + Math.random().toString(36).slice(2),
        Date.now(),
        count++,
      ];
      append(log, e);
      if (log.length > MAX_HELD) {
        const old = log.shift()!;
        for (const id in subs) if (subs[id][2] <= old[4]) mark(id, old, 'dropped', 'cap');
      }
      for (const id in subs) step(id, subs[id], e);
      // utt.js: the registry's events blocks, the first time an event needs them.
      if (need) {
        const load = need;
        need = undefined;
        load((loaded) => {
          maps = loaded || {};
          if (!loaded) warn(debug(), Code.ChunkFailed, 'utt.events.js');
          for (const id in subs) if (subs[id][0] == 1) pump(id, subs[id]);
        });
      }
    },
    wait: (id, key, why) => to(id, [0, why, 0, key]),
    drop: (id, key, why) => to(id, [2, why, 0, key]),
    open: (id, key, map, run) => to(id, [1, '', 0, key, map, run]),
  };
}
