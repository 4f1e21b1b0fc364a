// dist/utt.cost.js: what each partner costs the page (src/cost/), loaded by
// utt.js only when the merchant asks for it.
import { costs, watch } from './cost/index';

const frames = watch(window);
const w = window as unknown as { utt?: (command: string, chunk: unknown, version: string) => void };
if (w.utt)
  w.utt(
    'cost-ready',
    { costs: (injected: Parameters<typeof costs>[1]) => costs(window, injected, frames) },
    __VERSION__,
  );
