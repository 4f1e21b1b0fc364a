// `utt('track', name, params)`: the merchant's event, read once, at the call,
// into a snapshot without prototypes (own strings, numbers and booleans, and
// `items` as a list of flat objects), then handed to the events stage
// (src/events.ts, or in utt.js its stand-in until utt.events.js has come:
// src/events-later.ts). Nothing else of the merchant's object is read.
import { append } from './append';
import type { Events } from './events';
import { bare, own } from './own';
import { Code, warn } from './warn';

/** Items read from one event, keys read from one object, characters kept of one string: the rest are left out. */
const MAX_ITEMS = 200;
const MAX_KEYS = 64;
const MAX_TEXT = 1024;

/**
 * A flat copy of the merchant's object: its own string (cut to MAX_TEXT), number and boolean
 * values, and at the top `items` (MAX_ITEMS, each flat). Throws for a Proxy that throws.
 */
const snapshot = (o: unknown, top: boolean, cut: string[]): Record<string, unknown> => {
  const out: Record<string, unknown> = bare({});
  if (Object(o) !== o) return out;
  const keys = Object.keys(o as object);
  // What was cut is only told in the debug build (warning 212).
  if (__DEBUG__ && keys.length > MAX_KEYS) append(cut, 'keys');
  for (const k of keys.slice(0, MAX_KEYS)) {
    const v = own(o, k);
    const type = typeof v;
    if (type == 'string') out[k] = (v as string).slice(0, MAX_TEXT);
    else if ((type == 'number' && Number.isFinite(v)) || type == 'boolean') out[k] = v;
    else if (top && k == 'items' && Array.isArray(v)) {
      if (__DEBUG__ && v.length > MAX_ITEMS) append(cut, 'items');
      out[k] = v.slice(0, MAX_ITEMS).map((item) => snapshot(item, false, cut));
    }
  }
  return out;
};

/** The `track` command. Never throws: a name that is not a string, or parameters cut or unreadable, end in warning 212. */
export const track =
  (events: Events, debug: () => boolean | undefined) =>
  (name: unknown, params: unknown): void => {
    if (typeof name != 'string') return warn(debug(), Code.BadEvent, name);
    const cut: string[] = [];
    let snap: Record<string, unknown>;
    try {
      snap = snapshot(params, true, cut);
    } catch {
      if (__DEBUG__) append(cut, 'unreadable');
      snap = bare({});
    }
    if (__DEBUG__ && cut.length) warn(debug(), Code.BadEvent, name, cut.join());
    events.track(name, snap, Date.now());
  };
