// The constants rollup.config.mjs replaces in each build (and vitest.config.mts
// in the tests): dead branches fall away, so each bundle carries only its code.

/** True in the debug build and the ESM build: warnings exist and keep their texts. */
declare const __DEBUG__: boolean;
/** True in the debug build only: warnings are on without data-debug. */
declare const __VERBOSE__: boolean;
/** The package version, replaced at build time. */
declare const __VERSION__: string;
/** False in dist/utt.js: the CSP matcher keeps only what decides whether some engine allows. */
declare const __FULL_CSP__: boolean;
/** True in the script-tag builds: TCF and GPP are in utt.iab.js, loaded on demand. False in the ESM build, which carries them. */
declare const __IAB_CHUNK__: boolean;
/**
 * False in the per-account templates for accounts none of whose integrations waits (load `idle` or
 * `interaction`): src/timing.ts is left out. True everywhere else.
 */
declare const __TIMING__: boolean;
/** False in the per-account templates for accounts none of whose partners has a setup block: src/setup.ts is left out. */
declare const __SETUP__: boolean;
/**
 * False in the per-account templates for accounts none of whose setup blocks uses `merge`, `onload`,
 * `onConsent` or a `$global`, `$consent` or integer value: that part of src/setup.ts is left out.
 */
declare const __SETUP_MORE__: boolean;
/**
 * False in the per-account templates for accounts none of whose partners has an `events` block:
 * utt('track') and src/events.ts are left out.
 */
declare const __EVENTS__: boolean;
/** True in dist/utt.js and utt.debug.js: the registry's events blocks are in utt.events.js, loaded on the first track. */
declare const __EVENTS_CHUNK__: boolean;
