// The scripts dist/ ships to browsers, read from dist/ itself so that a new
// chunk is covered by every test that uses this list without editing it.
// dist/cli.mjs is left out: it is the Node CLI, never sent to a browser.
import { readdirSync } from 'node:fs';

export const shipped = readdirSync('dist')
  .filter((f) => /\.m?js$/.test(f) && f !== 'cli.mjs')
  .map((f) => `dist/${f}`);

// An empty list would make every test over it pass: dist/ must be built.
if (!shipped.includes('dist/utt.js')) throw new Error('dist/ is not built: run `npx rollup -c --silent` first');
