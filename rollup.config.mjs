// Three builds of one runtime, and the chunk it loads on demand:
//   dist/utt.js         IIFE for the script tag, minified, no warning texts
//   dist/utt.debug.js   IIFE with readable warnings, for debugging a merchant page
//   dist/utt.csp.js     the full CSP engine and verify mode, loaded by utt.js on demand
//   dist/utt.iab.js     TCF and GPP, loaded by utt.js only on a page with a CMP
//   dist/utt.cost.js    what each partner costs the page, loaded only when asked (utt('costs'))
//   dist/utt.events.js  the registry's events blocks, loaded by utt.js on the first utt('track')
//   dist/utt.events.debug.js  the same with warnings' texts, loaded by utt.debug.js
//   dist/utt.health.js  the health beacon, loaded only on a tag with data-health (sampled)
//   dist/utt.preview.js a draft run in this browser only, loaded only with a hub's ?utt-preview= link
//   dist/utt.account.js the template of per-account tags (utt build-account fills it in), and its
//                       lean variants for accounts that use no load timing or no setup block:
//                       utt.account.setup.js, utt.account.timing.js, utt.account.lean.js,
//                       utt.account.basic.js, utt.account.setup.basic.js, and with events
//                       (utt('track')): utt.account.events.js, utt.account.setup.events.js
//   dist/index.mjs      ESM for bundler users (+ dist/index.d.ts)
//   dist/cli.mjs        the `utt` command, bundled (build/bundle-cli.mjs)
import { readFileSync } from 'node:fs';
import replace from '@rollup/plugin-replace';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { dts } from 'rollup-plugin-dts';
import { ACCOUNT_TEMPLATES } from './build/account-templates.mjs';
import { bundleCli } from './build/bundle-cli.mjs';
import { COMPILE_HINT } from './build/compile-hint.mjs';
import { buildFlags } from './build/flags.mjs';
import registry from './build/rollup-plugin-registry.mjs';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

/** The plugins of one build: the registry, its flags (build/flags.mjs, named as there), TypeScript. */
const plugins = (/** @type {import('./build/flags.mjs').Flags} */ flags) => [
  // utt.js loads its registry's events blocks from utt.events.js.
  registry({ events: !flags.eventsChunk }),
  replace({ preventAssignment: true, values: buildFlags(flags, version) }),
  typescript({
    tsconfig: './tsconfig.json',
    noEmitOnError: true,
    compilerOptions: { noEmit: false, declaration: false },
  }),
];

// Every internal property `_name` is mangled to the name build/mangle.json pins for it, in every
// minified file: what crosses at a chunk's hand-off (the registry's compiled partners, given to
// utt.csp.js) reads the same on both sides whatever the build order. A `_name` the file lacks
// fails the build (terser would pick a letter that depends on which file it met first).
const pinned = JSON.parse(readFileSync(new URL('./build/mangle.json', import.meta.url), 'utf8')).props;
if (new Set(Object.values(pinned)).size !== Object.keys(pinned).length)
  throw new Error('build/mangle.json gives two properties the same name');
const nameCache = () => ({
  props: { props: Object.fromEntries(Object.entries(pinned).map(([name, to]) => [`$${name}`, to])) },
});
/** Fails the build when terser mangled a `_name` that build/mangle.json does not pin. */
const pinnedOnly = (cache) => ({
  name: 'utt-mangle-pinned',
  generateBundle() {
    const added = Object.keys(cache.props.props).filter((k) => !Object.hasOwn(pinned, k.slice(1)));
    if (added.length) this.error(`add ${added.map((k) => k.slice(1)).join(', ')} to build/mangle.json (props)`);
  },
});

// `hint`: the files that run whole at page load (utt.js, the per-account templates) open with COMPILE_HINT.
const minify = (debug, hint = false) => {
  const cache = nameCache();
  return [
    terser({
      nameCache: cache,
      ecma: 2019,
      toplevel: true,
      compress: {
        passes: 3,
        unsafe_arrows: true,
        pure_getters: true,
        // Production warn() is empty: drop its calls, and the debug() calls made for them.
        pure_funcs: debug ? [] : ['warn', 'debug'],
      },
      // Internal properties are named `_x` (see src/types.ts); mangled to the names build/mangle.json pins.
      // `__tcfapi`, `__gpp` and friends are other people's names: only `_x` (one underscore) is ours.
      mangle: { properties: { regex: /^_[^_]/ } },
      format: debug
        ? { beautify: true, comments: false }
        : { comments: false, preamble: hint ? COMPILE_HINT.trimEnd() : undefined },
    }),
    pinnedOnly(cache),
  ];
};

export default [
  // The per-account templates first: build/account.mjs picks the one with just the stages the account uses.
  // Built first, they fix the shared mangled names (nameCache) from their own code, so that a change to
  // utt.js alone (a stage only it carries) moves no byte of a template that lacks that stage.
  ...ACCOUNT_TEMPLATES.map(({ file, timing, setup, setupMore, events }) => ({
    input: 'src/entries/account.ts',
    output: { file: `dist/${file}`, format: 'iife', sourcemap: true, plugins: minify(false, true) },
    // Its events stage is utt.events.js, loaded on the first track; its mappings are in its wire form.
    plugins: plugins({ debug: false, timing, setup, setupMore, events, eventsChunk: events }),
  })),
  {
    input: 'src/entries/utt.ts',
    output: { file: 'dist/utt.js', format: 'iife', sourcemap: true, plugins: minify(false, true) },
    plugins: plugins({ debug: false, eventsChunk: true }),
  },
  {
    input: 'src/entries/utt.ts',
    output: { file: 'dist/utt.debug.js', format: 'iife', sourcemap: true, plugins: minify(true) },
    plugins: plugins({ debug: true, eventsChunk: true }),
  },
  {
    input: 'src/entries/events.ts',
    output: { file: 'dist/utt.events.js', format: 'iife', sourcemap: true, plugins: minify(false) },
    plugins: plugins({ debug: false }),
  },
  {
    input: 'src/entries/events.ts',
    output: { file: 'dist/utt.events.debug.js', format: 'iife', sourcemap: true, plugins: minify(true) },
    plugins: plugins({ debug: true }),
  },
  {
    input: 'src/entries/csp.ts',
    output: { file: 'dist/utt.csp.js', format: 'iife', sourcemap: true, plugins: minify(false) },
    plugins: plugins({ debug: false, fullCsp: true }),
  },
  {
    input: 'src/entries/cost.ts',
    output: { file: 'dist/utt.cost.js', format: 'iife', sourcemap: true, plugins: minify(false) },
    plugins: plugins({ debug: false }),
  },
  {
    input: 'src/entries/health.ts',
    output: { file: 'dist/utt.health.js', format: 'iife', sourcemap: true, plugins: minify(false) },
    plugins: plugins({ debug: false }),
  },
  {
    input: 'src/entries/preview.ts',
    output: { file: 'dist/utt.preview.js', format: 'iife', sourcemap: true, plugins: minify(false) },
    plugins: plugins({ debug: false }),
  },
  {
    input: 'src/entries/iab.ts',
    output: { file: 'dist/utt.iab.js', format: 'iife', sourcemap: true, plugins: minify(false) },
    plugins: plugins({ debug: false }),
  },
  {
    input: 'src/index.ts',
    output: { file: 'dist/index.mjs', format: 'es', sourcemap: true },
    plugins: plugins({ debug: true, verbose: false, fullCsp: true, iabChunk: false }),
  },
  {
    input: 'src/index.ts',
    output: { file: 'dist/index.d.ts', format: 'es' },
    // The last build: then the `utt` command, bundled by esbuild (build/bundle-cli.mjs).
    plugins: [dts({ tsconfig: './tsconfig.json' }), { name: 'utt-cli', writeBundle: () => bundleCli(version) }],
  },
];
