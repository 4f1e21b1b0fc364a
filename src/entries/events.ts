// dist/utt.events.js: the events stage (src/events.ts) with utt.js's
// registry's events blocks, by partner key, which utt.js loads beside itself on
// the first utt('track') (src/events-later.ts). A per-account tag whose partners
// map events loads it too, from its data-base folder, and brings its own
// partners' blocks in their wire form. Built twice: utt.debug.js loads
// utt.events.debug.js, which keeps the warnings' texts (213: what happened to an
// event at an integration), and hands itself over as 'events.debug-ready'.
import maps from 'utt:events';
import { createEvents } from '../events';
import type { EventsChunk } from '../events-later';

const w = window as unknown as { utt?: (command: string, chunk: EventsChunk, version: string) => void };
if (w.utt)
  w.utt(
    __DEBUG__ ? 'events.debug-ready' : 'events-ready',
    (report, debug, check) => createEvents(report, debug, maps, check),
    __VERSION__,
  );
