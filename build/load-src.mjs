// Loads the runtime's TypeScript sources in Node (build, CLI, demo), so they
// share one implementation with dist/. The build-time constants the bundles
// get from rollup are set here to their full, debug values.
import { createJiti } from 'jiti';
import { buildFlags, NODE_FLAGS } from './flags.mjs';

/** @import { SOURCES } from './sources.mjs' */

// Only where not set already: inside vitest, its `define` values (set on globalThis) stand.
for (const [name, value] of Object.entries(buildFlags(NODE_FLAGS, 'src'))) globalThis[name] ??= JSON.parse(value);

const jiti = createJiti(import.meta.url);

/**
 * Imports a module of src/ by its path relative to the repository root, e.g. 'src/csp/check.ts',
 * typed as that module (sources.mjs lists the ones build/ and demo/ use).
 * @template {keyof typeof SOURCES} P
 * @param {P} path
 * @returns {ReturnType<(typeof SOURCES)[P]>}
 */
export const loadSrc = (path) => /** @type {any} */ (jiti.import(`../${path}`));
