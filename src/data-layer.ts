// The opt-in dataLayer listener (`utt('listen', 'dataLayer')`): a site that
// already pushes GA4 ecommerce events (`dataLayer.push({ event: 'purchase',
// ecommerce: {...} })`, as Google Tag Manager's ecommerce guide writes them)
// has each one tracked as `utt('track', event, ecommerce)`, those pushed before
// the call included, without a second set of calls. Only own `event` and
// `ecommerce` properties of a pushed object count: gtag's `arguments`, GTM's
// own entries and anything else pushed are left alone.
import { own } from './own';

export function listenDataLayer(w: Window, track: (name: unknown, params: unknown) => void): void {
  const g = w as unknown as Record<string, unknown>;
  // Its own property only: an element named dataLayer is not the site's data layer.
  let list = own(w, 'dataLayer') as unknown[] | undefined;
  if (list === undefined) list = g.dataLayer = [];
  // Something else of that name (an object of the page's): not a data layer utt may wrap.
  if (!Array.isArray(list)) return;
  const seen = (entry: unknown) => {
    const name = own(entry, 'event');
    const ecommerce = own(entry, 'ecommerce');
    if (typeof name == 'string' && Object(ecommerce) === ecommerce) track(name, ecommerce);
  };
  for (let i = 0; i < list.length; i++) seen(list[i]);
  // The push the list has now (Array's, or GTM's, which calls the one it found): called first, as it was.
  const push = list.push;
  const layer = list;
  layer.push = function (this: unknown, ...args: unknown[]) {
    const n = push.apply(layer, args);
    for (const a of args) seen(a);
    return n;
  };
}
