// The `utt` command as an installed package runs it: dist/cli.mjs, one ES
// module bundled by esbuild from build/cli.mjs and the runtime sources it
// loads (src/*.ts, compiled here once, not at run time through jiti), with
// ajv, ajv-formats, jsonc-parser and globals inside. Only recheck, which
// ships its own engine, stays a dependency. Called by rollup.config.mjs after
// the browser builds.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** `await loadSrc('src/x.ts')` becomes `await import('<root>/src/x.ts')`, which esbuild bundles. */
const staticSources = {
  name: 'utt-static-sources',
  setup(b) {
    b.onResolve({ filter: /load-src\.mjs$/ }, () => ({ path: 'load-src', namespace: 'utt' }));
    b.onLoad({ filter: /.*/, namespace: 'utt' }, () => ({ contents: 'export const loadSrc = null;', loader: 'js' }));
    b.onLoad({ filter: /[\\/](build|demo)[\\/].+\.mjs$/ }, ({ path }) => ({
      contents: readFileSync(path, 'utf8').replace(
        /\bloadSrc\('(src\/[^']+)'\)/g,
        (_, src) => `import(${JSON.stringify(join(root, src))})`,
      ),
      loader: 'js',
      resolveDir: dirname(path),
    }));
  },
};

export async function bundleCli(version) {
  await build({
    entryPoints: [join(root, 'build/cli.mjs')],
    outfile: join(root, 'dist/cli.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['recheck'],
    // ES module builds first: jsonc-parser's UMD build requires its parts at run time.
    mainFields: ['module', 'main'],
    plugins: [staticSources],
    // The runtime's build-time constants, as load-src.mjs sets them for the sources.
    define: {
      __DEBUG__: 'true',
      __VERBOSE__: 'false',
      __FULL_CSP__: 'true',
      __IAB_CHUNK__: 'false',
      __ACCOUNT__: 'false',
      __GENERIC__: 'true',
      __TIMING__: 'true',
      __SETUP__: 'true',
      __SETUP_MORE__: 'true',
      __VERSION__: JSON.stringify(version),
    },
    // Bundled CommonJS (ajv) may call require(): give the module one.
    banner: {
      js: "import { createRequire as __utt_cr } from 'node:module'; const require = __utt_cr(import.meta.url);",
    },
    logLevel: 'warning',
  });
}
