// Runs once before the unit suite. Some unit tests read the built files
// (dist/utt.js, dist/index.mjs, ...): build them when they are missing or stale,
// so `npm run test:unit` works on a fresh clone.
import { ensureBuilt } from '../../build/fresh.mjs';

export default function setup() {
  ensureBuilt();
}
