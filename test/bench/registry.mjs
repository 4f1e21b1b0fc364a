// Benchmark (not a test): 1,000 generated partner entries in a temporary
// folder. Times `utt check` (load + validate) and the registry compile, and
// builds dist/utt.js with all of them to report its size.
//   node test/bench/registry.mjs [count]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { brotliCompressSync } from 'node:zlib';
import { compileRegistry, errorsOf, loadRegistry } from '../../build/registry.mjs';

const COUNT = Number(process.argv[2]) || 1000;
const dir = mkdtempSync(join(tmpdir(), 'utt-bench-'));

/** A valid, typical entry: one or two identifiers, a connect or img need, consent. */
function entry(i) {
  const key = `bench-partner-${i}`;
  const host = `p${i}.bench.example`;
  const two = i % 3 === 0;
  return {
    $schema: '../schema.json',
    key,
    name: `Bench Partner ${i}`,
    contact: `dev@${host}`,
    identifiers: {
      site: { type: 'string', pattern: '^[a-z0-9-]{3,32}$', label: 'Site', example: `site-${i}` },
      ...(two && { region: { type: 'string', enum: ['eu', 'us'], label: 'Region', example: 'eu' } }),
    },
    script: `https://cdn.${host}/t.js?s={site}${two ? '&r={region}' : ''}`,
    csp: { 'script-src': [`https://cdn.${host}`], [i % 2 ? 'connect-src' : 'img-src']: [`https://c.${host}`] },
    consent: { categories: [i % 2 ? 'analytics' : 'advertising'] },
  };
}

mkdirSync(dir, { recursive: true });
for (let i = 0; i < COUNT; i++) writeFileSync(join(dir, `bench-partner-${i}.json`), JSON.stringify(entry(i), null, 2));

let t = performance.now();
const { entries, problems } = loadRegistry({ dirs: [dir], only: '' });
const checkMs = performance.now() - t;
if (errorsOf(problems).length)
  throw new Error(`generated entries have problems:\n${JSON.stringify(problems.slice(0, 3))}`);
t = performance.now();
const source = compileRegistry(entries);
const compileMs = performance.now() - t;

// The bundle with all of them (the five shipped partners too).
t = performance.now();
execFileSync('node_modules/.bin/rollup', ['-c', '--silent'], {
  env: { ...process.env, UTT_PARTNER_DIRS: dir },
  stdio: 'inherit',
});
const buildMs = performance.now() - t;
const bundle = readFileSync('dist/utt.js');
const size = brotliCompressSync(bundle).length;
execFileSync('node_modules/.bin/rollup', ['-c', '--silent'], { stdio: 'inherit' });
const base = brotliCompressSync(readFileSync('dist/utt.js')).length;

console.log(`registry benchmark: ${COUNT} generated entries (${cpus().length} cores, ${cpus()[0].model}, Node ${process.version})
  utt check (load + validate):  ${checkMs.toFixed(0)} ms
  registry compile:             ${compileMs.toFixed(0)} ms (${(source.length / 1024).toFixed(0)} KB of module source)
  together:                     ${(checkMs + compileMs).toFixed(0)} ms (target: under 5000 ms)
  full build with all of them:  ${(buildMs / 1000).toFixed(1)} s
  dist/utt.js with all of them: ${(bundle.length / 1024).toFixed(0)} KB raw, ${(size / 1024).toFixed(1)} KB brotli (${((size - base) / COUNT).toFixed(0)} B brotli per entry; ${(base / 1024).toFixed(2)} KB with the five shipped)`);
