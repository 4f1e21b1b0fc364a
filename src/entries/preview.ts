// dist/utt.preview.js: preview of a draft (src/preview.ts), loaded by utt.js
// only on a page opened with a hub's preview link. It carries the registry:
// a per-account tag has only its own partners, a draft may have others.
import type { PreviewChunk } from '../on-demand';
import { preview } from '../preview';

const chunk: PreviewChunk = preview;
const w = window as unknown as { utt?: (command: string, chunk: unknown, version: string) => void };
if (w.utt) w.utt('preview-ready', chunk, __VERSION__);
