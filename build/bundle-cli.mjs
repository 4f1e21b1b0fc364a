// The `utt` command as an installed package runs it: dist/cli.mjs, one ES
// module bundled by esbuild from build/cli.mjs and the runtime sources it
// loads (src/*.ts as build/sources.mjs imports them, compiled here once, not
// at run time through jiti), with ajv, jsonc-parser and globals inside. Only recheck, which
// ships its own engine, stays a dependency. Called by rollup.config.mjs after
// the browser builds.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { buildFlags, NODE_FLAGS } from './flags.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * In the bundle, loadSrc() (jiti, in Node) is the import sources.mjs lists for that path,
 * which esbuild compiles and bundles: no TypeScript at run time.
 */
const staticSources = {
  name: 'utt-static-sources',
  setup(b) {
    b.onResolve({ filter: /load-src\.mjs$/ }, () => ({ path: 'load-src', namespace: 'utt' }));
    b.onLoad({ filter: /.*/, namespace: 'utt' }, () => ({
      contents: `import { SOURCES } from ${JSON.stringify(join(root, 'build/sources.mjs'))};
export const loadSrc = (path) => SOURCES[path]();`,
      loader: 'js',
      resolveDir: root,
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
    define: buildFlags(NODE_FLAGS, version),
    // Bundled CommonJS (ajv) may call require(): give the module one.
    banner: {
      js: "import { createRequire as __utt_cr } from 'node:module'; const require = __utt_cr(import.meta.url);",
    },
    logLevel: 'warning',
  });
}
