// The bench's events figures (issue 30's cost targets), on the generic utt.js
// with ten integrations whose partners map `purchase` (three Meta pixels, two
// Google tags, two TikTok pixels, Pinterest, LinkedIn and impact.com with
// their optional conversion ids): what one utt('track') costs the main thread
// once every partner has loaded, and the longest task while 1,000 purchases
// queued in the snippet before utt arrived are replayed as the partners load.
// The partners' scripts are answered empty (subjects.mjs): their stubs take
// the calls, so what is measured is utt's own work.
import { loadRegistry } from '../../build/registry.mjs';
import { templateURL } from '../../build/template.mjs';

/** Ten integrations, each of a partner with an events block. */
export const EVENTS_MANIFEST = JSON.stringify({
  version: 1,
  account: 'A12345',
  integrations: [
    ['meta-pixel', { pixelId: '123456789012345' }],
    ['meta-pixel', { pixelId: '223456789012345' }],
    ['meta-pixel', { pixelId: '323456789012345' }],
    ['google-tag', { measurementId: 'G-ABC123DEF4' }],
    ['google-tag', { measurementId: 'AW-123456789' }],
    ['tiktok-pixel', { pixelId: 'CABCDEFGHIJ123456789' }],
    ['tiktok-pixel', { pixelId: 'DABCDEFGHIJ123456789' }],
    ['pinterest-tag', { tagId: '2612345678901' }],
    ['linkedin-insight', { partnerId: '123456', purchaseConversionId: 5550001 }],
    ['impact-utt', { uttId: 'A1234567-1a2b-3c4d-5e6f-7a8b9c0d1e2f1', saleEventTypeId: 777 }],
  ].map(([partner, identifiers], i) => ({ id: `ev_${i}`, partner, status: 'enabled', identifiers, load: 'now' })),
});

/** The hosts of the scripts of the partners with events blocks, which the bench's server answers (empty) like the `.example` ones. */
export const EVENT_HOSTS = new Set(
  loadRegistry({ only: '' })
    .entries.filter(({ entry }) => entry.events)
    .map(({ entry }) => templateURL(entry.script).host),
);

const ORDER = `{ transaction_id: 'T-1', value: 42.5, currency: 'EUR', coupon: 'TEN',
  items: [{ item_id: 'SKU-1', item_name: 'Mug', item_category: 'Kitchen', price: 21.25, quantity: 2 },
          { item_id: 'SKU-2', item_name: 'Tea', item_category: 'Food', price: 4.5, quantity: 1 }] }`;

/** README's async snippet, with `calls` made before utt.js has arrived. */
export const eventsHead = (cdn, calls = '') => `<script>
  window.__long = [];
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); }).observe({ type: 'longtask' });
  (function (w, d, src) {
    if (typeof w.utt != 'function') { var q = []; (w.utt = function () { q.push(arguments); }).q = q; }
    var s = d.createElement('script'); s.async = true; s.src = src; s.dataset.account = 'A12345';
    d.head.appendChild(s);
  })(window, document, '${cdn}/utt.js');
  ${calls}
</script>`;

/** The 1,000 purchases the page tracks before utt.js has arrived. */
export const QUEUED = `for (var i = 0; i < 1000; i++) utt('track', 'purchase', ${ORDER});`;

/**
 * In the page, once every integration has loaded: a first track (which loads utt.events.js) until each
 * integration reports it; then nine batches of ten tracks, each batch timed in a task of its own (ten
 * tracks to ten partners are 100 calls, one SLICE of src/events.ts: all made in the task). Resolves to
 * one track's main-thread cost (ms), the median batch's mean (performance.now() is coarse: a batch is not).
 */
export const TIME_TRACK = `new Promise((resolve) => utt('report', (outcomes) => {
  if (outcomes.some((o) => o.status !== 'loaded')) return resolve({ error: outcomes.map((o) => o.id + ' ' + o.status + ' ' + o.reason).join(', ') });
  utt('track', 'purchase', ${ORDER});
  const task = () => new Promise((r) => setTimeout(r));
  const ready = () => utt('report', async (all) => {
    if (!all.every((o) => o.events && o.events.length)) return setTimeout(ready, 5);
    const means = [];
    for (let b = 0; b < 9; b++) {
      await task();
      const t = performance.now();
      for (let k = 0; k < 10; k++) utt('track', 'purchase', ${ORDER});
      means.push((performance.now() - t) / 10);
      // Every call made in the timed task, none left for a later one.
      if (all.some((o) => o.events.at(-1).status !== 'sent')) return resolve({ error: 'a track was not sent in its task' });
    }
    means.sort((x, y) => x - y);
    resolve({ track: means[4] });
  });
  ready();
}))`;

/**
 * In the page that tracked QUEUED: once every integration reports the last of the 1,000 (the held events
 * replayed into its stubs), the longest task the page had (0 when none took over 50 ms, the long-task floor).
 */
export const LONGEST_TASK = `new Promise((resolve) => {
  const done = () => utt('report', (all) => {
    if (!all.every((o) => o.events && o.events.length >= 100 && o.events.every((e) => e.status !== 'held')))
      return setTimeout(done, 5);
    resolve({ longest: Math.max(0, ...window.__long), sent: all.map((o) => o.events.filter((e) => e.status === 'sent').length) });
  });
  done();
})`;
