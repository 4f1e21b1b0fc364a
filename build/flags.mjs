// The runtime's build-time constants (src/build-flags.d.ts says what each one
// means), defined once for everything that compiles src/: rollup's bundles
// (rollup.config.mjs), the `utt` command bundled by esbuild (bundle-cli.mjs),
// the sources loaded in Node (load-src.mjs) and the tests (vitest.config.mts).

/**
 * What a build keeps. `debug`: warnings with their texts; `verbose`: warnings on without
 * data-debug; `fullCsp`: the whole CSP matcher; `iabChunk`: TCF and GPP in utt.iab.js;
 * `timing`, `setup`: the load-timing and setup stages; `setupMore`: the setup steps only
 * some vendors need (build/setup.mjs, usesMore); `events`: utt('track') and the events blocks (src/events.ts);
 * `eventsChunk`: the registry's events blocks in utt.events.js, loaded on the first track (utt.js).
 * @typedef {{ debug: boolean, verbose?: boolean, fullCsp?: boolean, iabChunk?: boolean,
 *   timing?: boolean, setup?: boolean, setupMore?: boolean, events?: boolean, eventsChunk?: boolean }} Flags
 */

/**
 * Each constant's value as JavaScript source text, as @rollup/plugin-replace, esbuild's
 * `define` and vite's `define` take it.
 * @param {Flags} flags
 * @param {string} version the package's version (`__VERSION__`)
 * @returns {Record<string, string>}
 */
export function buildFlags(
  {
    debug,
    verbose = debug,
    fullCsp = debug,
    iabChunk = true,
    timing = true,
    setup = true,
    setupMore = setup,
    events = setup,
    eventsChunk = false,
  },
  version,
) {
  return {
    __DEBUG__: String(debug),
    __VERBOSE__: String(verbose),
    __FULL_CSP__: String(fullCsp),
    __IAB_CHUNK__: String(iabChunk),
    __TIMING__: String(timing),
    __SETUP__: String(setup),
    __SETUP_MORE__: String(setupMore),
    __EVENTS__: String(events),
    __EVENTS_CHUNK__: String(eventsChunk),
    __VERSION__: JSON.stringify(version),
  };
}

/** The runtime as build/, the CLI and the demo run it in Node: the generic tag, every stage, warnings with texts. */
export const NODE_FLAGS = { debug: true, verbose: false, fullCsp: true, iabChunk: false };
