// IAB GPP: what a CMP's event says (consent/cmp.ts finds the CMP). For US national and state sections, an opt-out
// of sale, sharing or targeted advertising refuses a `sale` partner.
// https://github.com/InteractiveAdvertisingBureau/Global-Privacy-Platform
import { own } from '../own';

/**
 * From a GPP event: undefined until the signal is ready, then '' or the first
 * opt-out found (`gpp: usnat SaleOptOut`). Opt-out fields: 1 opted out, 2 did not.
 */
export function gppOptOut(event: unknown): string | undefined {
  const ping = own(event, 'pingData');
  if (own(ping, 'signalStatus') !== 'ready') return;
  const sections = own(ping, 'parsedSections');
  for (const name of sections && typeof sections == 'object' ? Object.keys(sections) : [])
    if (/^us/.test(name))
      for (const section of ([] as unknown[]).concat(own(sections, name)))
        for (const field of ['SaleOptOut', 'SharingOptOut', 'TargetedAdvertisingOptOut'])
          if (own(section, field) === 1) return 'gpp: ' + name + ' ' + field;
  return '';
}
