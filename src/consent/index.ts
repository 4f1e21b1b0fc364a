// The consent stage: no partner is injected before the consent its registry
// entry requires is established. Signals: the merchant's utt('consent', ...),
// IAB TCF v2.2, IAB GPP, and Global Privacy Control. A CMP that throws,
// answers garbage or stays silent never counts as a yes. The code that talks
// to CMPs is in utt.iab.js, loaded only when a CMP is found.

import type { ConsentNeeds } from '../compiled';
import { get } from '../dom';
import { bare, own } from '../own';
import type { IabChunk } from './iab';
import { locate } from './locate';

/** [required mode, merchant's categories, TCF state, gdprApplies, GPP state, GPP opt-out, GPC]. States: 0 none, 1 waiting, 2 answered, 3 no answer. */
export type Signals = [boolean, Record<string, string>, number, unknown, number, string, boolean];

/** '' to go on, or why not: ['wait' | 'deny', reason]. */
type Decision = ['' | 'wait' | 'deny', string];

/** The consent categories, in the order of their bits in the compiled registry. */
export const CATEGORIES = ['analytics', 'advertising', 'personalization', 'functional'];

// CMP states: none found, asked and waiting, answered, silent or broken (never a yes).
const NONE = 0;
const WAITING = 1;
const ANSWERED = 2;
const SILENT = 3;

export interface Consent {
  _decide(needs: ConsentNeeds | undefined): Decision;
  /** utt('consent', 'default' | 'update', { category: 'granted' | 'denied' }). */
  _command(kind: unknown, map: unknown): void;
  /**
   * Starts listening to the CMPs, if there are any: `load` gets utt.iab.js
   * (nothing if it failed). `changed` runs whenever a signal changes.
   */
  _start(required: boolean, timeout: number, changed: () => void, load: (cb: (iab?: IabChunk) => void) => void): void;
  /** The signals found, raw, for verify mode: see `Signals`. */
  _signals(): Signals;
}

export function createConsent(w: Window): Consent {
  // No prototype: Object.prototype.advertising = 'granted' must not read as the merchant's grant.
  const merchant: Record<string, string> = bare({});
  let required = false;
  let tcf = NONE;
  let tcData: unknown;
  let gpp = NONE;
  let gppOut = '';
  let changed = () => {};
  let iab: IabChunk;

  const silent = (state: number) => (state == WAITING ? SILENT : state);
  // Navigator.prototype's getter, where the engine has one: never an inherited Object.prototype.globalPrivacyControl.
  const gpc = () => get(w.navigator, 'globalPrivacyControl') === true;

  return {
    _decide(needs) {
      if (!needs) return ['', ''];
      if (needs._sale) {
        if (gpc()) return ['deny', 'gpc'];
        if (gpp == WAITING) return ['wait', 'gpp'];
        if (gpp == SILENT) return ['deny', 'gpp: no answer'];
        if (gppOut) return ['deny', gppOut];
      }
      let granted = false;
      if (needs._tcf && tcf) {
        if (tcf == WAITING) return ['wait', 'tcf'];
        if (tcf == SILENT) return ['deny', 'tcf: no answer'];
        // Every read of the answer goes through own(), which turns a throwing getter or Proxy into a no.
        const refused = iab.allows(tcData, needs._tcf);
        if (refused) return ['deny', refused];
        granted = true;
      }
      for (const category of CATEGORIES.filter((_, i) => ((needs._cats || 0) >> i) & 1)) {
        const given = merchant[category];
        if (given === 'denied') return ['deny', 'consent: ' + category];
        if (given !== 'granted' && required && !granted)
          // Held until a signal grants it; a CMP that stayed silent means no.
          return [tcf == SILENT || gpp == SILENT ? 'deny' : 'wait', 'consent: ' + category];
      }
      return ['', ''];
    },

    _command(kind, map) {
      if ((kind !== 'default' && kind !== 'update') || !map || typeof map != 'object') return;
      for (const category of CATEGORIES) {
        const value = own(map, category);
        // Strictly: an object whose toString says 'granted' is no grant. A default never overrides an update.
        if ((value === 'granted' || value === 'denied') && (kind == 'update' || !merchant[category]))
          merchant[category] = value;
      }
      changed();
    },

    _start(isRequired, timeout, onChange, load) {
      required = isRequired;
      changed = onChange;
      const tcfAt = locate(w, '__tcfapi', '__tcfapiLocator');
      const gppAt = locate(w, '__gpp', '__gppLocator');
      // ANSWERED only ever follows the chunk's arrival, so _decide has `iab` when it reads TC data.
      if (tcfAt) tcf = WAITING;
      if (gppAt) gpp = WAITING;
      // Without a CMP there is nothing to wait for: no chunk, no timer.
      if (!tcfAt && !gppAt) return;
      load((chunk) => {
        if (!chunk) return ((tcf = silent(tcf)), (gpp = silent(gpp)), changed());
        (iab = chunk).watch(
          w,
          tcfAt,
          gppAt,
          (data) => {
            tcData = data;
            tcf = ANSWERED;
            changed();
          },
          (out) => {
            gppOut = out;
            gpp = ANSWERED;
            changed();
          },
          (kind) => {
            if (kind == 'tcf') tcf = SILENT;
            else gpp = SILENT;
            changed();
          },
        );
      });
      setTimeout(() => {
        tcf = silent(tcf);
        gpp = silent(gpp);
        changed();
      }, timeout);
    },

    // Raw, for verify mode (in utt.csp.js) to describe: see describeSignals there.
    _signals: () => [required, bare({ ...merchant }), tcf, own(tcData, 'gdprApplies'), gpp, gppOut, gpc()],
  };
}
