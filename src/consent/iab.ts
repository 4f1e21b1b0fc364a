// What utt.iab.js gives the consent stage: listening to the TCF and GPP CMPs
// that utt.js found, and reading their answers. A listener that throws when
// registered, or an answer that throws when read, never counts as a yes.
import { own } from '../own';
import { connect } from './cmp';
import { gppOptOut } from './gpp';
import type { CmpAt } from './locate';
import { tcfAllows } from './tcf';

/** utt.js and utt.iab.js are minified apart: nothing that crosses between them has a mangled `_name`. */
export interface IabChunk {
  /**
   * Starts listening. `tcf(data)` runs with each TC data that is loaded or
   * complete, `gpp(optOut)` with each ready GPP signal ('' or the opt-out),
   * and `silent('tcf' | 'gpp')` when registering the listener threw.
   */
  watch(
    w: Window,
    tcf: CmpAt | undefined,
    gpp: CmpAt | undefined,
    onTcf: (data: unknown) => void,
    onGpp: (optOut: string) => void,
    silent: (kind: 'tcf' | 'gpp') => void,
  ): void;
  allows: typeof tcfAllows;
}

export const iab: IabChunk = {
  watch(w, tcf, gpp, onTcf, onGpp, silent) {
    if (tcf)
      try {
        connect(
          w,
          tcf,
          '__tcfapi',
          2,
        )('addEventListener', (data, success) => {
          const status = own(data, 'eventStatus');
          if (success && (status == 'tcloaded' || status == 'useractioncomplete')) onTcf(data);
        });
      } catch {
        silent('tcf');
      }
    if (gpp)
      try {
        connect(
          w,
          gpp,
          '__gpp',
          '1.1',
        )('addEventListener', (event) => {
          let out: string | undefined;
          try {
            out = gppOptOut(event);
          } catch {
            // An answer that throws when read is an opt-out, for GPP only.
            out = 'gpp: unreadable';
          }
          if (out != null) onGpp(out);
        });
      } catch {
        silent('gpp');
      }
  },
  allows: tcfAllows,
};
