// Compile-time tests of the public API (checked by `tsc -p tsconfig.test.json`
// in npm test): what must compile does, what must not carries @ts-expect-error.
import { boot, type InitOptions, type ManifestOutcome, type Outcome, type Status, type Utt } from '../src/index';

declare const utt: Utt;
export const live: Utt = boot(window, document);

utt('init', { account: 'A12345' });
utt('init', { manifest: '/m.json', timeout: 5000, debug: true, nonce: 'abc' });
utt('on', 'integration', (o: Outcome) => o.status === 'loaded');
utt('report', (outcomes: Outcome[], manifest: ManifestOutcome) => outcomes.length + manifest.reason);
export const version: string = utt.v;
// Every status, and only statuses: adding one to Status without adding it here fails to compile.
export const statuses = {
  disabled: true,
  'unknown-partner': true,
  invalid: true,
  duplicate: true,
  injected: true,
  loaded: true,
  failed: true,
  'blocked-csp': true,
  'awaiting-consent': true,
  'denied-consent': true,
  deferred: true,
} satisfies Record<Status, true>;
utt('costs', (list) => list);

// @ts-expect-error an unknown command
utt('track', {});
// @ts-expect-error only 'integration' can be listened to
utt('on', 'manifest', () => {});
// @ts-expect-error account is a string
utt('init', { account: 12345 });
// @ts-expect-error report needs a callback
utt('report');
// @ts-expect-error no such option
export const bad: InitOptions = { acount: 'A1' };
// @ts-expect-error not a status
export const notStatus: Status = 'ok';
// @ts-expect-error v is read-only
utt.v = '9';
