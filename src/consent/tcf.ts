// IAB TCF v2.2: what a CMP's TC data allows (consent/cmp.ts finds the CMP).
// https://github.com/InteractiveAdvertisingBureau/GDPR-Transparency-and-Consent-Framework
import { own } from '../own';

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
