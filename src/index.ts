// The ESM entry (dist/index.mjs): the same runtime for bundler users.
export { boot } from './boot';
export type { Listener, ReportCallback } from './report';
export type { Utt } from './runtime';
export type { Cost, InitOptions, ManifestOutcome, Outcome, Status } from './types';
