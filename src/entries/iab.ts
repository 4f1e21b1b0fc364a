// dist/utt.iab.js: TCF and GPP, which utt.js loads beside itself, in parallel
// with the manifest, only on a page where it found a CMP (consent/locate.ts).
import { iab } from '../consent/iab';

const w = window as unknown as { utt?: (command: string, chunk: unknown, version: string) => void };
if (w.utt) w.utt('iab-ready', iab, __VERSION__);
