// dist/utt.events.js: the events blocks of utt.js's registry, by partner key,
// which utt.js loads beside itself on the first utt('track') (src/events.ts).
// A per-account tag carries its own partners' blocks and never loads it.
import maps from 'utt:events';

const w = window as unknown as { utt?: (command: string, chunk: unknown, version: string) => void };
if (w.utt) w.utt('events-ready', maps, __VERSION__);
