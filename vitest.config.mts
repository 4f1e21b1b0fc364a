import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import { buildFlags } from './build/flags.mjs';
import registry from './build/rollup-plugin-registry.mjs';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

export default defineConfig({
  plugins: [registry()],
  define: buildFlags({ debug: true, verbose: false, fullCsp: true }, version),
  test: {
    reporters: ['default', ['json', { outputFile: 'test/artifacts/vitest.json' }]],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'jsdom',
          include: ['test/unit/**/*.test.ts'],
          globalSetup: ['test/unit/setup.ts'],
          // Property tests (fast-check, 10,000 runs) are CPU-bound: a loaded 2-core machine runs them 10× slower.
          testTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'chromium',
          environment: 'node',
          include: ['test/chromium/**/*.test.ts'],
          globalSetup: ['test/chromium/setup.ts'],
          // Failure bounds, not waits: every wait in the browser suite is for a status or an event,
          // and a 2-core machine running two suites at once is four times slower than a quiet one.
          testTimeout: 120_000,
          expect: { poll: { timeout: 30_000 } },
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          // The demo hub's store, on PGlite and on a Postgres server that setup.ts starts.
          name: 'store',
          environment: 'node',
          include: ['test/store/**/*.test.ts'],
          globalSetup: ['test/store/setup.ts'],
          // Failure bounds: PGlite's first start runs initdb in WASM, 15 s on a loaded 2-core machine.
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'engines',
          environment: 'node',
          // After the unit and Chromium suites, not beside them: three engines at once on 2 cores is enough.
          sequence: { groupOrder: 1 },
          include: ['test/engines/**/*.test.ts'],
          globalSetup: ['test/engines/setup.ts'],
          // Failure bounds: Firefox alone takes 15 s to start on a loaded 2-core machine.
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'package',
          environment: 'node',
          // Last and alone: it clones the repository, runs npm ci (the npm registry) and builds it again.
          sequence: { groupOrder: 2 },
          include: ['test/package/**/*.test.ts'],
          // Failure bounds: npm ci, a whole build and npm install on a loaded 2-core machine.
          testTimeout: 120_000,
          hookTimeout: 900_000,
        },
      },
    ],
  },
});
