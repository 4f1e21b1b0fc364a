// The ESM entry (dist/index.mjs): the generic runtime for bundler users.
import { boot as start } from './boot';
import { generic } from './generic';
import type { Utt } from './runtime';

/**
 * Installs `window.utt` and replays the snippet's queue; then `utt('init', { account })` starts the account.
 * `tag`, a script element whose data attributes (data-account, data-consent...) give the options, as utt.js's own.
 */
export const boot = (w: Window, d: Document, tag?: HTMLScriptElement | null): Utt => start(w, d, tag, generic());

export type { Listener, ReportCallback } from './report';
export type { Utt } from './runtime';
export type { Cost, InitOptions, ManifestOutcome, Outcome, Status } from './types';
