// utt.js's events stage until utt.events.js has come: utt.js carries neither
// the events machinery (src/events.ts) nor its registry's mappings, which are
// in that file, loaded on the first `track` (or `listen`). Until then every call to the
// stage (the tracked events, each integration's waiting, refusal and
// opening, the dataLayer listener) is kept in order, then replayed into the real one. If the file
// fails to load, the events go nowhere.
import { append } from './append';
import type { Events } from './events';

type Make = Parameters<typeof import('./events').createEvents>;

/** What utt.events.js hands over: the events stage, made with its registry's mappings and utt.js's identifier check. */
export type EventsChunk = (report: Make[0], debug: Make[1], check: Make[3]) => Events;

export function eventsLater(
  need: (cb: (chunk?: EventsChunk) => void) => void,
  make: (chunk: EventsChunk) => Events,
): Events {
  let real: Events | 0 | undefined;
  let asked = 0;
  const calls: [keyof Events, unknown[]][] = [];
  const later =
    (k: keyof Events, load?: 1) =>
    (...args: unknown[]) => {
      if (real) return (real[k] as (...a: unknown[]) => void)(...args);
      if (real === 0) return;
      append(calls, [k, args]);
      // The first track, or the listener, loads the chunk.
      if (load && !asked++)
        need((chunk) => {
          real = chunk ? make(chunk) : 0;
          for (const [name, a] of real ? calls : [])
            (real as Events)[name](...(a as [never, never, never, never, never]));
          calls.length = 0;
        });
    };
  return {
    track: later('track', 1),
    wait: later('wait'),
    drop: later('drop'),
    open: later('open'),
    listen: later('listen', 1),
  };
}
