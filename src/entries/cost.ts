// dist/utt.cost.js: what each partner costs the page (src/cost/), loaded by
// utt.js only when the merchant asks for it.

import { costsLater, watch, withCosts } from '../cost';
import type { CostChunk } from '../on-demand';

const frames = watch(window);
const chunk: CostChunk = {
  costs: (injected, cb, call) => costsLater(window, frames, injected, cb, call),
  report: (injected, cb, call) => withCosts(window, frames, injected, cb, call),
};
const w = window as unknown as { utt?: (command: string, chunk: unknown, version: string) => void };
if (w.utt) w.utt('cost-ready', chunk, __VERSION__);
