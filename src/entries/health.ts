// dist/utt.health.js: the health beacon (src/health.ts), loaded by utt.js only
// on a tag with data-health, on the sampled share of page views.
import { send } from '../health';
import type { HealthChunk } from '../on-demand';

const chunk: HealthChunk = (tag, outcomes, manifest) => send(window, tag, outcomes, manifest);
const w = window as unknown as { utt?: (command: string, chunk: unknown, version: string) => void };
if (w.utt) w.utt('health-ready', chunk, __VERSION__);
