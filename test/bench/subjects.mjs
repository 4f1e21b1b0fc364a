// The pages `npm run bench` loads in Chromium, and the HTTPS server that
// answers them on loopback: the empty page, the static tag (the partners'
// <script async> tags written into the page: the floor), a 20-line minimal
// loader (fetch a list of URLs, insert them, check nothing), the same loader
// as an external file with its URLs written in (the floor for a per-account
// tag), the generic utt (utt.js and its manifest), the per-account utt
// (A12345.js, built by `utt build-account`), Segment's analytics.js and RudderStack v3. No page
// carries an observer or a console call: the bench reads Resource Timing
// once the load is over.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { minify } from 'terser';
import { inlineTag } from '../../build/account.mjs';
import { makeCert } from '../cert.mjs';
import { EVENT_HOSTS } from './events.mjs';

export const SHOP = 'https://shop.example';
export const CDN = 'https://cdn.utt.example';
export const MANIFEST = `${CDN}/manifests/A12345.json`;
const SEGMENT = 'node_modules/@segment/analytics-next/dist/umd/';
const RUDDER = 'node_modules/@rudderstack/analytics-js/dist/npm/modern/umd/index.js';

/**
 * The files measured for bytes. RudderStack's npm UMD build is not minified:
 * terser (-c -m) makes it the size of their CDN's rsa.min.js (about 29 KB brotli).
 */
export async function loaders() {
  const rudder = await minify(readFileSync(RUDDER, 'utf8'), { ecma: 2019, compress: true, mangle: true });
  return {
    utt: readFileSync('dist/utt.js'),
    uttEvents: readFileSync('dist/utt.events.js'),
    account: perAccount(5),
    uttCsp: readFileSync('dist/utt.csp.js'),
    segment: readFileSync(`${SEGMENT}standalone.js`),
    rudderstack: Buffer.from(String(rudder.code)),
  };
}

/**
 * The per-account tag for `manifest(n)`, as a merchant gets it: `utt build-account` from the built CLI,
 * from the template it picks.
 */
export function perAccount(n, bluejayOnly = false) {
  const dir = mkdtempSync(join(tmpdir(), 'utt-bench-account-'));
  writeFileSync(join(dir, 'A12345.json'), manifest(n, bluejayOnly));
  const args = ['dist/cli.mjs', 'build-account', '--manifest', join(dir, 'A12345.json'), '--out', dir];
  execFileSync(process.execPath, args, { stdio: 'ignore' });
  return readFileSync(join(dir, 'A12345.js'));
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

// The body gives Largest Contentful Paint something to paint.
const html = (head) =>
  `<!doctype html><html><head><meta charset="utf-8">${head}</head><body><h1 style="font-size:64px">Acme Outdoor: tents, packs and boots</h1><p>shop</p></body></html>`;

/** One partner whose script runs 150 ms of busy work (the server makes it heavy), loading `now` or at `interaction`. */
export const heavyManifest = (load) =>
  JSON.stringify({
    version: 1,
    account: 'A12345',
    integrations: [
      {
        id: 'heavy',
        partner: 'tidepool-personalize',
        status: 'enabled',
        identifiers: { workspace: '3f2c8a1e-9b7d-4c5e-8f10-2a6b4d9e7c31' },
        load,
      },
    ],
  });

// Segment's snippet, cut to what this page calls: a queue, then the standalone bundle.
const segmentTag = `<script>
  window.analytics = [];
  ['page', 'track', 'identify', 'ready'].forEach(function (m) {
    analytics[m] = function () { var a = [].slice.call(arguments); a.unshift(m); analytics.push(a); return analytics; };
  });
  analytics._writeKey = 'WK';
  analytics.page();
</script><script async src="https://cdn.segment.com/analytics.js/v1/WK/analytics.min.js"></script>`;

// RudderStack's own plugins are fetched from their CDN and are not in the npm
// package: `plugins: []` keeps their number to the one it insists on (XhrQueue), which fails to load here.
const rudderTag = `<script async src="https://cdn.rudderlabs.com/v3/modern/rsa.min.js" onload="
  var ra = new rudderanalytics.RudderAnalytics();
  ra.load('WK', 'https://dataplane.rudder.example', { plugins: [] });
  ra.page();"></script>`;

// The floor for a loader: fetch a list, insert one async script per entry, check nothing.
const minimalLoader = `<script>
  fetch('${CDN}/minimal.json').then(function (r) { return r.json(); }).then(function (urls) {
    var f = document.createDocumentFragment();
    urls.forEach(function (u) {
      var s = document.createElement('script');
      s.async = true;
      s.src = u;
      f.appendChild(s);
    });
    document.head.appendChild(f);
  });
</script>`;

/**
 * The same loader as an external file with its URLs written in: the floor for
 * a per-account tag, whose data also arrives with its script.
 */
const minimalTag = (urls) => `(function () {
  var f = document.createDocumentFragment();
  ${JSON.stringify(urls)}.forEach(function (u) {
    var s = document.createElement('script');
    s.async = true;
    s.src = u;
    f.appendChild(s);
  });
  document.head.appendChild(f);
})();`;

/**
 * The subjects, by name: each gives the page's <head>. `urls` are the partner
 * script URLs utt builds for the manifest (the static tag and the minimal
 * loader request the same ones).
 */
export const SUBJECTS = {
  empty: () => '',
  'static tag': (urls) => urls.map((u) => `<script async src="${u}"></script>`).join(''),
  'minimal loader': () => minimalLoader,
  'minimal tag (URLs inlined)': () => `<script async src="${CDN}/minimal-tag.js"></script>`,
  'utt (generic)': () => `<script async src="${CDN}/utt.js" data-account="A12345"></script>`,
  'utt (per-account)': () => `<script async src="${CDN}/A12345.js"></script>`,
  // The per-account tag written into the page (utt build-account --inline): no round trip of its own.
  'utt (per-account, in the page)': (_urls, account) => inlineTag(String(account), `${CDN}/`).html,
  segment: () => segmentTag,
  rudderstack: () => rudderTag,
};

/**
 * The bench's web: one HTTPS server on a loopback port, for every host
 * (Chromium maps every name to it). `scene` says what the next load gets;
 * `latency` delays every answer; `hangPartners` leaves partner scripts
 * unanswered (so that only the loader's own work is on the main thread).
 */
export async function startServer(files) {
  const dir = mkdtempSync(join(tmpdir(), 'utt-bench-cert-'));
  makeCert(dir, ['*.example', ...EVENT_HOSTS]);
  const scene = {
    head: '',
    manifest: '[]',
    urls: [],
    account: Buffer.alloc(0),
    /** Put before the minimal tag's code (bench:gap: the per-account tag's bytes, in a function never called). */
    pad: '',
    latency: 0,
    hangPartners: false,
    heavy: false,
    heavyLoad: 'now',
  };
  /** Every request of the current load: [host + path, time]. */
  const seen = [];
  /** What waits on the requests: each runs after every request. */
  const watchers = new Set();
  /** Resolves once `enough(seen)` holds: checked now, then at every request. */
  const until = (enough) =>
    new Promise((resolve) => {
      const check = () => {
        if (!enough(seen)) return;
        watchers.delete(check);
        resolve(undefined);
      };
      watchers.add(check);
      check();
    });
  /** Resolves once `ms` have passed since the last request: each new request moves the moment on. */
  const quiet = (ms) =>
    new Promise((resolve) => {
      /** @type {NodeJS.Timeout | undefined} */
      let timer;
      const restart = () => {
        clearTimeout(timer);
        const last = seen.at(-1)?.[1] ?? 0;
        timer = setTimeout(
          () => {
            watchers.delete(restart);
            resolve(undefined);
          },
          Math.max(0, last + ms - performance.now()),
        );
      };
      watchers.add(restart);
      restart();
    });
  const server = createServer(
    { key: readFileSync(`${dir}/key.pem`), cert: readFileSync(`${dir}/cert.pem`) },
    (req, res) => {
      const url = new URL(req.url || '/', `https://${req.headers.host}`);
      seen.push([url.href, performance.now()]);
      for (const watch of [...watchers]) watch();
      const send = (type, body, status = 200) => {
        const answer = () => {
          res.writeHead(status, {
            'content-type': type,
            'access-control-allow-origin': '*',
            'cache-control': 'no-store',
          });
          res.end(body);
        };
        if (scene.latency) setTimeout(answer, scene.latency);
        else answer();
      };
      if (url.origin === SHOP) return send('text/html', html(scene.head));
      if (url.href === `${CDN}/utt.js`) return send('text/javascript', files.utt);
      if (url.href === `${CDN}/utt.events.js`) return send('text/javascript', files.uttEvents);
      if (url.href === `${CDN}/A12345.js`) return send('text/javascript', scene.account);
      if (url.href === MANIFEST) return send('application/json', scene.manifest);
      if (url.href === `${CDN}/minimal.json`) return send('application/json', JSON.stringify(scene.urls));
      if (url.href === `${CDN}/minimal-tag.js`) return send('text/javascript', scene.pad + minimalTag(scene.urls));
      if (url.hostname === 'cdn.segment.com' && url.pathname.endsWith('/analytics.min.js'))
        return send('text/javascript', files.segment);
      if (url.hostname === 'cdn.segment.com' && url.pathname.startsWith('/analytics-next/bundles/'))
        return send('text/javascript', readFileSync(SEGMENT + url.pathname.split('/').pop()));
      if (url.hostname === 'cdn.segment.com' && url.pathname.endsWith('/settings'))
        return send(
          'application/json',
          JSON.stringify({ integrations: { 'Segment.io': { apiKey: 'WK', apiHost: 'api.segment.io/v1' } } }),
        );
      if (url.href === 'https://cdn.rudderlabs.com/v3/modern/rsa.min.js')
        return send('text/javascript', files.rudderstack);
      if (url.hostname === 'api.rudderstack.com' && url.pathname.startsWith('/sourceConfig'))
        return send(
          'application/json',
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
      // The vendors with events blocks (events.mjs) are answered like the example partners; gtag's script is /gtag/js.
      const vendor = EVENT_HOSTS.has(url.hostname) && /(\.js|\/gtag\/js)$/.test(url.pathname);
      if (
        vendor ||
        (url.pathname.endsWith('.js') && url.hostname.endsWith('.example') && !url.hostname.includes('rudder'))
      ) {
        if (scene.hangPartners) return;
        if (scene.heavy && url.hostname.includes('tidepool'))
          return send('text/javascript', 'for (var t = performance.now(); performance.now() - t < 150; );');
        return send('text/javascript', '');
      }
      return send('text/plain', '', 404);
    },
  );
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  return {
    port: /** @type {import('node:net').AddressInfo} */ (server.address()).port,
    scene,
    seen,
    until,
    quiet,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
