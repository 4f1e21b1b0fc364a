// IAB TCF v2.2: the CMP's __tcfapi, on this page or, through the
// __tcfapiLocator frame and postMessage, in a parent frame.
// https://github.com/InteractiveAdvertisingBureau/GDPR-Transparency-and-Consent-Framework
import { on } from '../dom';
import { own } from '../own';

// Kept from utt's start: a partner may replace JSON.parse before the CMP answers.
const parse = JSON.parse;

type Callback = (data: unknown, success: boolean) => void;
export type TcfApi = (command: string, version: number, callback: Callback) => void;

/** The CMP's API, if one answers on this page or in a parent frame. */
export function findTcf(w: Window): TcfApi | undefined {
  const direct = (w as unknown as { __tcfapi?: TcfApi }).__tcfapi;
  if (typeof direct == 'function') return direct;
  let frame: Window = w;
  for (let depth = 0; depth < 10; depth++) {
    try {
      const locator = frame.frames['__tcfapiLocator' as unknown as number];
      // A frame's window is its own `window`; an <img name="__tcfapiLocator"> in the page's markup is not.
      if (locator && locator.window === locator) {
        const target = frame;
        return (command, version, callback) => {
          const callId = 'utt' + Math.random();
          on(w, w, 'message', (e: MessageEvent) => {
            let data = e.data;
            try {
              if (typeof data == 'string') data = parse(data);
            } catch {
              return;
            }
            const answer = own(data, '__tcfapiReturn');
            if (own(answer, 'callId') === callId) callback(own(answer, 'returnValue'), own(answer, 'success') === true);
          });
          target.postMessage({ __tcfapiCall: { command, version, callId, parameter: null } }, '*');
        };
      }
    } catch {
      // A cross-origin frame we cannot look into.
    }
    if (!frame.parent || frame == frame.parent) break;
    frame = frame.parent;
  }
}

/**
 * Whether TC data lets a vendor process its purposes: '' when it may, else
 * the reason (`tcf: purpose 3`, `tcf: vendor 9002`, `tcf: publisher restriction, purpose 4`).
 * Each purpose needs consent, or legitimate interest where the partner may
 * use it and no publisher restriction requires consent.
 */
export function tcfAllows(data: unknown, [vendor, purposes, li]: [number, number, number]): string {
  if (own(data, 'gdprApplies') === false) return '';
  const section = (name: string, kind: string) => own(own(data, name), kind);
  const restrictions = own(own(data, 'publisher'), 'restrictions');
  let needsConsent = false;
  for (let p = 1; p < 12; p++) {
    if (!((purposes >> p) & 1)) continue;
    // Publisher restriction types: 0 not allowed, 1 consent required, 2 legitimate interest required.
    const restriction = own(own(restrictions, '' + p), '' + vendor);
    if (restriction === 0) return 'tcf: publisher restriction, purpose ' + p;
    const byConsent = restriction !== 2 && own(section('purpose', 'consents'), '' + p) === true;
    const byLi = restriction !== 1 && (li >> p) & 1 && own(section('purpose', 'legitimateInterests'), '' + p) === true;
    if (!byConsent && !byLi) return 'tcf: purpose ' + p;
    needsConsent = needsConsent || !byLi;
  }
  const vendorConsent = own(section('vendor', 'consents'), '' + vendor) === true;
  const vendorLi = own(section('vendor', 'legitimateInterests'), '' + vendor) === true;
  return vendorConsent || (!needsConsent && vendorLi) ? '' : 'tcf: vendor ' + vendor;
}
