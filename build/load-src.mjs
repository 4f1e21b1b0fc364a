// Loads the runtime's TypeScript sources in Node (build, CLI, demo), so they
// share one implementation with dist/. The build-time constants the bundles
// get from rollup are set here to their full, debug values.
import { createJiti } from 'jiti';

// Only where not set already: inside vitest, its `define` values (set on globalThis) stand.
for (const [name, value] of Object.entries({
  __DEBUG__: true,
  __VERBOSE__: false,
  __FULL_CSP__: true,
  __IAB_CHUNK__: false,
  __ACCOUNT__: false,
  __GENERIC__: true,
  __TIMING__: true,
  __SETUP__: true,
  __SETUP_MORE__: true,
  __VERSION__: 'src',
}))
  globalThis[name] ??= value;

const jiti = createJiti(import.meta.url);

/**
 * Imports a module of src/ by its path relative to the repository root, e.g. 'src/csp/check.ts'.
 * Its exports are typed `any` here: the TypeScript sources type them where they are written.
 * @param {string} path
 * @returns {Promise<any>}
 */
export const loadSrc = (path) => jiti.import(`../${path}`);
