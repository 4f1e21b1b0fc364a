// Runs once before the engine suite: every engine must be there (or the suite
// fails, saying how to install it), then the suite's own bundles and a
// loopback certificate for *.localhost, both made here.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { makeCert } from '../cert.mjs';
import { enginePaths } from './drivers';

const OUT = 'test/artifacts/engines';
const newest = (dir: string): number =>
  Math.max(
    0,
    ...readdirSync(dir, { withFileTypes: true }).map((e) =>
      e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs,
    ),
  );

export default function setup() {
  enginePaths();
  mkdirSync(OUT, { recursive: true });
  const built = existsSync(`${OUT}/utt.js`) ? statSync(`${OUT}/utt.js`).mtimeMs : 0;
  const inputs = Math.max(
    newest('src'),
    newest('test/engines/partners'),
    newest('build'),
    statSync('rollup.config.mjs').mtimeMs,
  );
  if (built < inputs) {
    console.log('building the engine suite bundles (test/engines/partners), about 30 s on 2 cores');
    const r = spawnSync(process.execPath, ['test/engines/build.mjs'], {
      stdio: 'inherit',
      env: {
        ...process.env,
        UTT_PARTNER_DIRS: 'test/engines/partners',
        UTT_PARTNERS: 'engine-analytics,engine-ads,engine-widget,engine-pixel,engine-beacon',
      },
    });
    if (r.status !== 0) throw new Error('building the engine suite bundles failed');
  }
  // A certificate for *.localhost, made for this run: the engines are told to accept it.
  makeCert(OUT, ['localhost', '*.localhost']);
}
