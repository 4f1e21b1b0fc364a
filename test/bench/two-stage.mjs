// `npm run bench:two-stage`: the next design for the per-account size target,
// tried. Builds the first stage of a two-stage tag (test/bench/first-stage.ts,
// the runtime's own modules, minified as the templates are), fills it with the
// bench's five partners by `utt build-account --template`, prints its size
// beside the one-file tag's, then compares the two on the bench's page with
// `npm run bench:ab` (BENCH_RUNS loads each, 25 by default). An experiment, not a test.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { rollup } from 'rollup';
import { minify, plugins } from '../../rollup.config.mjs';
import { perAccount } from './subjects.mjs';

const dir = mkdtempSync(join(tmpdir(), 'utt-two-stage-'));
const template = join(dir, 'first-stage.js');
const bundle = await rollup({
  input: 'test/bench/first-stage.ts',
  // As the lean template: a per-account build, no load timing, no setup block; TypeScript past src/.
  plugins: plugins(false, false, false, true, true, {
    timing: false,
    setup: false,
    tsconfig: 'test/bench/first-stage.tsconfig.json',
  }),
});
await bundle.write({ file: template, format: 'iife', plugins: [minify(false, true)] });
await bundle.close();

const files = { 'one file (A12345.js)': perAccount(5), 'first stage': perAccount(5, false, template) };
const brotli = (b) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
console.log('five partners, brotli 11');
const paths = [];
for (const [name, bytes] of Object.entries(files)) {
  const path = join(dir, `${name.split(' ')[0]}-${name.includes('first') ? 'stage' : 'file'}.js`);
  writeFileSync(path, bytes);
  paths.push(path);
  console.log(`  ${String(brotli(bytes)).padStart(6)} B  ${name}`);
}
const { status } = spawnSync(process.execPath, ['test/bench/ab.mjs', ...paths], { stdio: 'inherit' });
process.exit(status ?? 1);
