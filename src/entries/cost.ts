// dist/utt.cost.js: what each partner costs the page (src/cost.ts), loaded by
// utt.js only when the merchant asks for it.

import { afterFrame, annotate, costs, watch } from '../cost';
import type { CostChunk } from '../on-demand';

const frames = watch(window);
const chunk: CostChunk = {
  // Read once the next frame has ended: a partner's long frame is recorded only then.
  costs: (injected, cb, call) => afterFrame(window, () => call(cb, costs(window, injected(), frames))),
  report: (injected, cb, call) => (outcomes, manifest) =>
    afterFrame(window, () => call(cb, annotate(outcomes, costs(window, injected(), frames)), manifest)),
};
const w = window as unknown as { utt?: (command: string, chunk: unknown, version: string) => void };
if (w.utt) w.utt('cost-ready', chunk, __VERSION__);
