// dist/utt.csp.js: the full CSP engine and verify mode, which utt.js loads
// beside itself when a page has a meta policy, reports a violation, or calls
// utt('verify').

import { checkMeta } from '../csp/page';
import { attribute } from '../csp/violations';
import type { CspChunk } from '../on-demand';
import { verify } from '../verify';

const w = window as unknown as { utt?: (command: string, chunk: CspChunk, version: string) => void };
if (w.utt)
  w.utt(
    'csp-ready',
    {
      checkMeta,
      attribute,
      verify: (state, cb) => {
        // Once: a callback that throws must not hear again of its own error.
        let called = 0;
        const once = (result: Parameters<typeof cb>[0]) => called++ || cb(result);
        verify(window, document, state, once).catch((err) => once({ error: String(err) }));
      },
    },
    __VERSION__,
  );
