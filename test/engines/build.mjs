// Builds the engine suite's bundles into test/artifacts/engines/: the same
// rollup configuration as dist/ (utt.js, utt.csp.js, utt.iab.js, utt.events.js, and utt.account.js,
// the template of a per-account tag), with the
// registry of test/engines/partners/ only, whose partners live on
// *.localhost:47443. The engine server serves them with the port it got
// written in place of 47443. Run as a child process with UTT_PARTNER_DIRS and
// UTT_PARTNERS set (test/engines/setup.ts), so that dist/ is never built with them.
import { basename } from 'node:path';
import { rollup } from 'rollup';
import configs from '../../rollup.config.mjs';

export const OUT = 'test/artifacts/engines';
const wanted = [
  'src/entries/utt.ts',
  'src/entries/csp.ts',
  'src/entries/iab.ts',
  'src/entries/events.ts',
  'src/entries/account.ts',
];

/** @type {{ input: string, output: import('rollup').OutputOptions & { file: string }, plugins: any[] }[]} */
const all = /** @type {any} */ (configs);
for (const config of all.filter(
  (c) => wanted.includes(c.input) && /utt(\.csp|\.iab|\.events|\.account)?\.js$/.test(c.output.file),
)) {
  const bundle = await rollup(config);
  await bundle.write({ ...config.output, file: `${OUT}/${basename(config.output.file)}` });
  await bundle.close();
}
