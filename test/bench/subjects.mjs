// The pages `npm run bench` loads in Chromium, and the routes that answer
// them offline: utt, Segment's analytics.js (standalone) and RudderStack v3,
// each fetching its settings from a routed endpoint, an empty page, and the
// hard-coded partner tag that is the lower bound for time to first request.
import { readFileSync } from 'node:fs';
import { minify } from 'terser';

export const SHOP = 'https://shop.example';
const CDN = 'https://cdn.utt.example';
export const MANIFEST = `${CDN}/manifests/A12345.json`;
const SEGMENT = 'node_modules/@segment/analytics-next/dist/umd/';
const RUDDER = 'node_modules/@rudderstack/analytics-js/dist/npm/modern/umd/index.js';

/** The first partner of every utt manifest here, and the lower bound's hard-coded tag. */
export const PARTNER_URL = 'https://tags.bluejay.example/v2/482913/tag.js';

/**
 * The files measured for bytes. RudderStack's npm UMD build is not minified:
 * terser (-c -m) makes it the size of their CDN's rsa.min.js (about 29 KB brotli).
 */
export async function loaders() {
  const rudder = await minify(readFileSync(RUDDER, 'utf8'), { ecma: 2019, compress: true, mangle: true });
  return {
    utt: readFileSync('dist/utt.js'),
    uttCsp: readFileSync('dist/utt.csp.js'),
    segment: readFileSync(`${SEGMENT}standalone.js`),
    rudderstack: Buffer.from(rudder.code),
  };
}

/**
 * A manifest of `n` integrations, all distinct URLs: the five example
 * partners then Bluejay accounts, or Bluejay accounts only.
 */
export function manifest(n, bluejayOnly = false) {
  const five = [
    ['bluejay-ads', { accountId: 482913 }],
    ['northwind-analytics', { domain: 'shop.example' }],
    ['lumen-chat', { widgetKey: 'lc_9fK2mQ7xL4pR8tV1' }],
    ['orbit-reviews', { storeId: 'acme-outdoor', region: 'eu' }],
    ['tidepool-personalize', { workspace: '3f2c8a1e-9b7d-4c5e-8f10-2a6b4d9e7c31' }],
  ];
  const integrations = Array.from({ length: n }, (_, i) => {
    const [partner, identifiers] = i < 5 && !bluejayOnly ? five[i] : ['bluejay-ads', { accountId: 100000 + i }];
    // Every partner now, Lumen Chat included (its registry entry waits for an interaction): the loaders compare like for like.
    return { id: `int_${i}`, partner, status: 'enabled', identifiers, load: 'now' };
  });
  return JSON.stringify({ version: 1, account: 'A12345', integrations });
}

const html = (head) => `<!doctype html><html><head><meta charset="utf-8">${head}</head><body><p>shop</p></body></html>`;

// Each page logs `bench:done` once its loader has settled: Node hears it
// without polling the page, which would add main-thread work of its own.
const uttTag = (n, preload) =>
  (preload ? `<link rel="preload" href="${MANIFEST}" as="fetch" crossorigin="anonymous">` : '') +
  `<script async src="${CDN}/utt.js" data-account="A12345"></script>
<script>
  window.utt = window.utt || function () { (utt.q = utt.q || []).push(arguments); };
  var injected = 0;
  utt('on', 'integration', function (o) { if (o.status === 'injected' && ++injected === ${n}) console.log('bench:done'); });
  addEventListener('utt:manifest', function (e) { if (e.detail.status !== 'pending' && ${n} === 0) console.log('bench:done'); });
</script>`;

// Segment's snippet, cut to what this page calls: a queue, then the standalone bundle.
const segmentTag = `<script>
  window.analytics = [];
  ['page', 'track', 'identify', 'ready'].forEach(function (m) {
    analytics[m] = function () { var a = [].slice.call(arguments); a.unshift(m); analytics.push(a); return analytics; };
  });
  analytics._writeKey = 'WK';
  analytics.ready(function () { console.log('bench:done'); });
  analytics.page();
</script><script async src="https://cdn.segment.com/analytics.js/v1/WK/analytics.min.js"></script>`;

// RudderStack's own plugins are fetched from their CDN and are not in the npm
// package: \`plugins: []\` keeps their number to the one it insists on (XhrQueue), which fails to load here.
const rudderTag = `<script async src="https://cdn.rudderlabs.com/v3/modern/rsa.min.js" onload="
  var ra = new rudderanalytics.RudderAnalytics();
  ra.load('WK', 'https://dataplane.rudder.example', { plugins: [] });
  ra.ready(function () { console.log('bench:done'); });
  ra.page();"></script>`;

/**
 * The subjects, by name: the page's <head>, and the routes beyond the page.
 * `n` is the number of integrations in utt's manifest.
 */
export const SUBJECTS = {
  empty: () => ({ head: `<script>console.log('bench:done')</script>` }),
  utt: (n = 5) => ({ head: uttTag(n, false), manifest: manifest(n) }),
  'utt + preload': (n = 5) => ({ head: uttTag(n, true), manifest: manifest(n) }),
  segment: () => ({ head: segmentTag }),
  rudderstack: () => ({ head: rudderTag }),
  // Scaling: utt, and its control, the least a loader can do with the same
  // manifest (fetch it, then insert one script per entry, checking nothing).
  // What utt costs beyond the control is its own work per integration.
  'utt, Bluejay only': (n) => ({ head: uttTag(n, false), manifest: manifest(n, true) }),
  'minimal loader': (n) => ({
    head: `<script>
      fetch('${MANIFEST}').then(function (r) { return r.json(); }).then(function (m) {
        m.integrations.forEach(function (i) {
          var s = document.createElement('script');
          s.async = true;
          s.src = 'https://tags.bluejay.example/v2/' + i.identifiers.accountId + '/tag.js';
          document.head.appendChild(s);
        });
        console.log('bench:done');
      });
    </script>`,
    manifest: manifest(n, true),
  }),
  'hard-coded tag': () => ({
    head: `<script async src="${PARTNER_URL}" onload="console.log('bench:done')"></script>`,
  }),
};

/**
 * Opens `subject` in a fresh context. Every routed request is answered after
 * `latency` ms. Partner scripts are answered with an empty body, or never when
 * `hangPartners` (so that only utt's own work is on the main thread).
 */
export async function openSubject(browser, files, subject, { latency = 0, hangPartners = false } = {}) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const hits = {};
  const errors = [];
  // Resource Timing, told without polling: when each resource ends, its start and end.
  await context.addInitScript(() => {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) console.log(`bench:resource ${e.name} ${e.startTime} ${e.responseEnd}`);
    }).observe({ type: 'resource' });
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  const heard = [];
  const waiting = [];
  page.on('console', (m) => {
    const text = m.text();
    if (!text.startsWith('bench:')) return;
    heard.push(text);
    for (const w of [...waiting])
      if (w.test(text)) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(text);
      }
  });
  /** The first `bench:` console line that `test` accepts, heard or to come. */
  const hear = (test, timeout = 20_000) =>
    new Promise((resolve, reject) => {
      const seen = heard.find(test);
      if (seen) return resolve(seen);
      waiting.push({ test, resolve });
      setTimeout(() => reject(new Error(`not heard in ${timeout} ms; heard ${heard.join(', ')}`)), timeout);
    });
  hear.all = () => heard.filter((t) => t.startsWith('bench:resource '));
  await page.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    hits[url.origin + url.pathname] = (hits[url.origin + url.pathname] || 0) + 1;
    const js = (body) => ({ contentType: 'text/javascript', body });
    const json = (body) => ({
      contentType: 'application/json',
      headers: { 'access-control-allow-origin': '*' },
      body,
    });
    let answer;
    if (url.origin === SHOP) answer = { contentType: 'text/html', body: html(subject.head) };
    else if (url.href === `${CDN}/utt.js`) answer = js(files.utt);
    else if (url.href === MANIFEST) answer = json(subject.manifest);
    else if (url.hostname === 'cdn.segment.com' && url.pathname.endsWith('/analytics.min.js'))
      answer = js(files.segment);
    else if (url.hostname === 'cdn.segment.com' && url.pathname.startsWith('/analytics-next/bundles/'))
      answer = js(readFileSync(SEGMENT + url.pathname.split('/').pop()));
    else if (url.hostname === 'cdn.segment.com' && url.pathname.endsWith('/settings'))
      answer = json(JSON.stringify({ integrations: { 'Segment.io': { apiKey: 'WK', apiHost: 'api.segment.io/v1' } } }));
    else if (url.href === 'https://cdn.rudderlabs.com/v3/modern/rsa.min.js') answer = js(files.rudderstack);
    else if (url.hostname === 'api.rudderstack.com' && url.pathname.startsWith('/sourceConfig'))
      answer = json(
        JSON.stringify({
          isHosted: true,
          source: {
            id: 's1',
            name: 'shop',
            writeKey: 'WK',
            workspaceId: 'w1',
            enabled: true,
            config: {},
            destinations: [],
          },
        }),
      );
    else if (url.pathname.endsWith('.js') && url.hostname.endsWith('.example') && !url.hostname.includes('rudder')) {
      if (hangPartners) return;
      answer = { ...js(''), headers: { 'access-control-allow-origin': '*' } };
    } else answer = { status: 404, headers: { 'access-control-allow-origin': '*' }, body: '' };
    if (latency) await new Promise((r) => setTimeout(r, latency));
    await route.fulfill(answer).catch(() => {});
  });
  return { context, page, hits, errors, hear };
}
