// `npm test`: every check the project has, in one run. Lint, types, knip, the
// registry, the build, the package (publint, attw), the vitest projects (unit,
// Chromium, store, three engines, package) and the size budgets. Each check that is not a vitest test counts as one test. Goes on
// after a failure so one run shows everything, then ends with the line
// `N passed, N failed` and a non-zero exit on any failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const REPORT = 'test/artifacts/vitest.json';
let passed = 0;
let failed = 0;

function step(name, cmd, args) {
  const started = Date.now();
  console.log(`\n── ${name}: ${cmd} ${args.join(' ')}`);
  const { status } = spawnSync(cmd, args, { stdio: 'inherit', shell: false });
  const ok = status === 0;
  console.log(`── ${name}: ${ok ? 'ok' : 'FAILED'} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return ok;
}

function check(name, cmd, args) {
  if (step(name, cmd, args)) passed++;
  else failed++;
}

const bin = (name) => `node_modules/.bin/${name}`;
mkdirSync('test/artifacts', { recursive: true });

check('lint', bin('biome'), ['check', '--error-on-warnings', '.']);
check('types (src)', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']);
check('types (tests, public API)', bin('tsc'), ['--noEmit', '-p', 'tsconfig.test.json']);
// build/, demo/ and the suites' scripts are JavaScript, checked through their JSDoc (checkJs, strict).
check('types (build, demo: checkJs)', bin('tsc'), ['--noEmit', '-p', 'tsconfig.js.json']);
check('types (demo service worker)', bin('tsc'), ['--noEmit', '-p', 'tsconfig.sw.json']);
// Unused files, exports and dependencies (knip.jsonc says what it cannot see).
check('unused code (knip)', bin('knip'), []);
check('partner registry', 'node', ['build/cli.mjs', 'check']);
check('build', bin('rollup'), ['-c', '--silent']);
// The package as published: its fields and files (publint), and its types as each resolver sees them (attw).
// The script-tag files are assets, not modules: attw checks the module entry. utt-runtime is ESM only.
check('package (publint)', bin('publint'), []);
check('package types (attw)', bin('attw'), [
  '--pack',
  '.',
  '--profile',
  'esm-only',
  '--entrypoints',
  '.',
  './package.json',
]);

rmSync(REPORT, { force: true });
const suitesOk = step('vitest projects (unit, chromium, store, engines, package)', bin('vitest'), ['run']);
if (existsSync(REPORT)) {
  const r = JSON.parse(readFileSync(REPORT, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  // A suite that failed to load counts, even if it reported no test.
  const broken = r.testResults.filter(
    (f) => f.status === 'failed' && !f.assertionResults.some((a) => a.status === 'failed'),
  );
  failed += broken.length;
  if (!suitesOk && !r.numFailedTests && !broken.length) failed++;
} else failed++;

check('size budgets', bin('size-limit'), []);

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
