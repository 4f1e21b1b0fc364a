// The consent stage: no partner is injected before the consent its registry
// entry requires is established. Signals: the merchant's utt('consent', ...),
// IAB TCF v2.2, IAB GPP, and Global Privacy Control. A CMP that throws,
// answers garbage or stays silent never counts as a yes.
import { findCmp } from './consent/cmp';
import { gppOptOut } from './consent/gpp';
import { tcfAllows } from './consent/tcf';
import { own } from './own';
import type { ConsentNeeds } from './types';

/** [required mode, merchant's categories, TCF state, gdprApplies, GPP state, GPP opt-out, GPC]. States: 0 none, 1 waiting, 2 answered, 3 no answer. */
export type Signals = [boolean, Record<string, string>, number, unknown, number, string, boolean];

/** '' to go on, or why not: ['wait' | 'deny', reason]. */
export type Decision = ['' | 'wait' | 'deny', string];

/** The consent categories, in the order of their bits in the registry (build/registry.mjs has the same list). */
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
  /** Starts listening to the CMPs. `changed` runs whenever a signal changes. */
  _start(required: boolean, timeout: number, changed: () => void): void;
  /** The signals found, raw, for verify mode: see `Signals`. */
  _signals(): Signals;
}

export function createConsent(w: Window): Consent {
  const merchant: Record<string, string> = {};
  let required = false;
  let tcf = NONE;
  let tcData: unknown;
  let gpp = NONE;
  let gppOut = '';
  let changed = () => {};

  const silent = (state: number) => (state == WAITING ? SILENT : state);

  return {
    _decide(needs) {
      if (!needs) return ['', ''];
      if (needs._sale) {
        if ((w.navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl === true) return ['deny', 'gpc'];
        if (gpp == WAITING) return ['wait', 'gpp'];
        if (gpp == SILENT) return ['deny', 'gpp: no answer'];
        if (gppOut) return ['deny', gppOut];
      }
      let granted = false;
      if (needs._tcf && tcf) {
        if (tcf == WAITING) return ['wait', 'tcf'];
        if (tcf == SILENT) return ['deny', 'tcf: no answer'];
        // Every read of the answer goes through own(), which turns a throwing getter or Proxy into a no.
        const refused = tcfAllows(tcData, needs._tcf);
        if (refused) return ['deny', refused];
        granted = true;
      }
      for (const category of CATEGORIES.filter((_, i) => ((needs._cats || 0) >> i) & 1)) {
        const given = merchant[category];
        if (given == 'denied') return ['deny', 'consent: ' + category];
        if (given != 'granted' && required && !granted)
          // Held until a signal grants it; a CMP that stayed silent means no.
          return [tcf == SILENT || gpp == SILENT ? 'deny' : 'wait', 'consent: ' + category];
      }
      return ['', ''];
    },

    _command(kind, map) {
      if ((kind != 'default' && kind != 'update') || !map || typeof map != 'object') return;
      for (const category of CATEGORIES) {
        const value = own(map, category);
        // A default never overrides what an update already said.
        if ((value == 'granted' || value == 'denied') && (kind == 'update' || !merchant[category]))
          merchant[category] = value as string;
      }
      changed();
    },

    _start(isRequired, timeout, onChange) {
      required = isRequired;
      changed = onChange;
      const api = findCmp(w, '__tcfapi', '__tcfapiLocator', 2);
      if (api) {
        tcf = WAITING;
        try {
          api('addEventListener', (data, success) => {
            const status = own(data, 'eventStatus');
            if (!success || (status != 'tcloaded' && status != 'useractioncomplete')) return;
            tcData = data;
            tcf = ANSWERED;
            changed();
          });
        } catch {
          tcf = SILENT;
        }
      }
      const gppApi = findCmp(w, '__gpp', '__gppLocator', '1.1');
      if (gppApi) {
        gpp = WAITING;
        try {
          gppApi('addEventListener', (event) => {
            let out: string | undefined;
            try {
              out = gppOptOut(event);
            } catch {
              // An answer that throws when read is an opt-out, for GPP only.
              out = 'gpp: unreadable';
            }
            if (out == null) return;
            gppOut = out;
            gpp = ANSWERED;
            changed();
          });
        } catch {
          gpp = SILENT;
        }
      }
      setTimeout(() => {
        tcf = silent(tcf);
        gpp = silent(gpp);
        changed();
      }, timeout);
    },

    // Raw, for verify mode (in utt.csp.js) to describe: see describeSignals there.
    _signals: () => [
      required,
      { ...merchant },
      tcf,
      own(tcData, 'gdprApplies'),
      gpp,
      gppOut,
      !!(w.navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl,
    ],
  };
}
