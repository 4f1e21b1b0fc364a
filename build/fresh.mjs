// Builds dist/ when it is missing or older than what it is built from:
// src/, partners/, build/ and the rollup config. Shared by the test suites'
// set-up, `npm run demo` and `npm pack` (package.json's prepack runs this
// file), so none of them runs on or ships a stale bundle, or rebuilds a fresh one.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ACCOUNT_TEMPLATES } from './account-templates.mjs';

const SOURCES = ['src', 'partners', 'build', 'rollup.config.mjs', 'package.json', 'tsconfig.json'];
const OUTPUTS = [
  'dist/utt.js',
  'dist/utt.debug.js',
  'dist/utt.csp.js',
  'dist/utt.iab.js',
  'dist/utt.cost.js',
  'dist/utt.events.js',
  'dist/utt.events.debug.js',
  'dist/utt.health.js',
  'dist/utt.preview.js',
  ...ACCOUNT_TEMPLATES.map(({ file }) => `dist/${file}`),
  'dist/index.mjs',
  'dist/index.d.ts',
  'dist/cli.mjs',
];

/** @param {string} path @returns {number} the newest modification time below `path` */
const newest = (path) => {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
};

/** @returns {string} why dist/ must be built, or '' when it is current */
function staleness(root = '.') {
  const missing = OUTPUTS.find((f) => !existsSync(join(root, f)));
  if (missing) return `${missing} is missing`;
  const built = Math.min(...OUTPUTS.map((f) => statSync(join(root, f)).mtimeMs));
  const changed = SOURCES.find((f) => existsSync(join(root, f)) && newest(join(root, f)) > built);
  return changed ? `${changed} changed since the last build` : '';
}

/**
 * Builds when needed, saying so on `log`. Throws when the build fails.
 * @param {{ root?: string, log?: (line: string) => void }} [options]
 */
export function ensureBuilt({ root = '.', log = (line) => console.log(line) } = {}) {
  const why = staleness(root);
  if (!why) return false;
  log(
    `building dist/ (${why}) with rollup -c: utt.js and its debug build, the on-demand utt.csp.js, utt.iab.js and utt.cost.js, the per-account templates, the ESM entry with its types, and the CLI. It takes 40 to 80 s on two cores, and prints nothing until it is done.`,
  );
  const started = Date.now();
  const { status } = spawnSync(join(root, 'node_modules/.bin/rollup'), ['-c', '--silent'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (status !== 0) throw new Error('the build failed: run `npm run build` to see why');
  log(`built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

// `node build/fresh.mjs` (prepack): the package ships dist/, so a fresh clone builds it first.
// Its lines go to stderr: `npm pack` prints the tarball's name on stdout.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  ensureBuilt({ log: (line) => console.error(line) });
