// A merchant site, its CDN and its partners, all answered by page.route():
// any https:// host works offline, response headers included, so Chromium
// enforces a real CSP on them.
import { readFileSync } from 'node:fs';
import type { Browser, Frame, Page, Route } from 'playwright-core';
import { loadRegistry } from '../../build/registry.mjs';
import { emulatedScript, entryForHost } from '../../demo/lib/emulate.mjs';

export const SHOP = 'https://shop.example';
export const CDN = 'https://cdn.utt.example';

export interface Site {
  /** HTML of https://shop.example/ */
  html: string;
  /** Response headers of the page (a CSP, say). */
  headers?: Record<string, string>;
  /** Manifest of account A12345, or a raw body. */
  manifest?: unknown;
  /** Which runtime build to serve as /utt.js. */
  bundle?: 'utt.js' | 'utt.debug.js';
  /** Per-account tags served at `/<account>.js` beside utt.js, by path (`/A12345.js`). */
  accounts?: Record<string, string>;
  /** Bodies served in place of dist's chunks, by path (`/utt.iab.js`): a stale or broken one. */
  chunks?: Record<string, string>;
  /** Never answer the manifest request. */
  hangManifest?: boolean;
  /** Answer the manifest request with this HTTP status. */
  manifestStatus?: number;
  /** Runs in every frame before any of the page's scripts (page.addInitScript). */
  init?: string;
  /** More pages of https://shop.example, by path (frames, say). */
  pages?: Record<string, string>;
  /** Pages of other origins, by full URL (a parent frame on another site, say). */
  origins?: Record<string, string>;
  /** Where the browser goes first (default https://shop.example/). */
  start?: string;
  /** Overrides a script's answer, by URL: a status, a body, or no answer at all (undefined: the default). */
  partner?: (url: URL) => { status?: number; body?: string; hang?: boolean } | undefined;
}

export const embed = (attrs = 'data-account="A12345"') => `<script async src="${CDN}/utt.js" ${attrs}></script>`;

const { entries } = loadRegistry({ only: '' });
const registry = entries.map(({ entry }) => entry);

/**
 * The emulated script of the partner at `url` (demo/lib/emulate.mjs, shared
 * with the demo): it records that it ran, makes one request of each kind its
 * registry entry declares, and drains a vendor's command queue as that vendor does.
 */
const partnerScript = (url: string) => {
  const entry = entryForHost(registry, new URL(url).host);
  return entry
    ? emulatedScript(entry, url)
    : `(window.__ran = window.__ran || []).push(${JSON.stringify(new URL(url).host)});`;
};

export async function open(browser: Browser, site: Site) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  const consoleMessages: string[] = [];
  const requested: string[] = [];
  /** Every request with its resource type (script, fetch, image, document...). */
  const requests: { url: string; type: string }[] = [];
  // Every outcome utt announces, with its time, so a test waits for a status
  // rather than for the clock. No `push`: a partner may replace it.
  await context.addInitScript(() => {
    const seen: Record<string, [string, string, number, number][]> = Object.create(null);
    (window as any).__outcomes = seen;
    addEventListener('utt:integration', (e) => {
      const { id, status, reason, warnings } = (e as CustomEvent).detail;
      seen[id] = seen[id] || [];
      const list = seen[id];
      list[list.length] = [status, reason, performance.now(), warnings ? warnings.length : 0];
    });
  });
  if (site.init) await context.addInitScript(site.init);
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => consoleMessages.push(`${m.type()}: ${m.text()}`));
  page.on('request', (r) => {
    requested.push(r.url());
    requests.push({ url: r.url(), type: r.resourceType() });
  });
  await page.route('**/*', (route: Route) => {
    const url = new URL(route.request().url());
    if (site.origins?.[url.href]) return route.fulfill({ contentType: 'text/html', body: site.origins[url.href] });
    // The page; verify mode fetches it again to read its header policies.
    if (url.origin === SHOP && site.pages?.[url.pathname])
      return route.fulfill({ contentType: 'text/html', body: site.pages[url.pathname] });
    if (url.origin === SHOP && url.pathname === '/')
      return route.fulfill({ contentType: 'text/html', headers: site.headers, body: site.html });
    if (url.origin === CDN && url.pathname === '/utt.js')
      return route.fulfill({ contentType: 'text/javascript', body: readFileSync(`dist/${site.bundle ?? 'utt.js'}`) });
    if (url.origin === CDN && site.accounts?.[url.pathname])
      return route.fulfill({ contentType: 'text/javascript', body: site.accounts[url.pathname] });
    if (url.origin === CDN && /^\/utt\.(csp|iab|cost|events|events\.debug)\.js$/.test(url.pathname))
      return route.fulfill({
        contentType: 'text/javascript',
        body: site.chunks?.[url.pathname] ?? readFileSync(`dist${url.pathname}`),
      });
    if (url.origin === CDN && url.pathname === '/manifests/A12345.json' && site.hangManifest) return;
    if (
      url.origin === CDN &&
      url.pathname === '/manifests/A12345.json' &&
      (site.manifest === undefined || site.manifestStatus)
    )
      return route.fulfill({
        status: site.manifestStatus ?? 404,
        headers: { 'access-control-allow-origin': '*' },
        body: 'not found',
      });
    if (url.origin === CDN && url.pathname === '/manifests/A12345.json')
      return route.fulfill({
        contentType: 'application/json',
        headers: { 'access-control-allow-origin': '*' },
        body: typeof site.manifest === 'string' ? site.manifest : JSON.stringify(site.manifest),
      });
    const partnerHost = url.hostname.endsWith('.example') || !!entryForHost(registry, url.host);
    // Any host a test answers itself: vendors the registry does not ship (test/vendors) too.
    const special = site.partner?.(url);
    if (special) {
      if (special.hang) return; // never answered
      return route.fulfill({ status: special.status ?? 200, contentType: 'text/javascript', body: special.body ?? '' });
    }
    if (partnerHost && route.request().resourceType() === 'script')
      return route.fulfill({
        contentType: 'text/javascript',
        headers: { 'access-control-allow-origin': '*' },
        body: partnerScript(url.href),
      });
    if (url.pathname === '/p.gif')
      return route.fulfill({
        contentType: 'image/gif',
        body: Buffer.from('R0lGODlhAQABAIAAAAAAAP///ywAAAAAAQABAAACAUwAOw==', 'base64'),
      });
    // Every other request gets an answer here: nothing leaves the machine.
    if (url.protocol === 'https:' && url.origin !== CDN)
      return route.fulfill({ contentType: 'text/plain', headers: { 'access-control-allow-origin': '*' }, body: 'ok' });
    return route.fulfill({ status: 404, body: 'not found' });
  });
  await page.goto(site.start ?? `${SHOP}/`);
  return { page, context, errors, consoleMessages, requested, requests };
}

/** utt('report') from inside the page: every outcome once all have settled. */
export const report = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<{ outcomes: any[]; manifest: any }>((resolve) => {
        const w = window as any;
        // Only utt's own property counts: markup may name a frame \`utt\` (the clobbering
        // test does), and reading a property of that frame throws once it turns cross-origin.
        const own = Object.getOwnPropertyDescriptor(window, 'utt')?.value;
        // The snippet-less tag: utt may not have arrived yet, so queue as the snippet does.
        if (typeof own !== 'function')
          w.utt = Object.assign(
            function () {
              // biome-ignore lint/complexity/noArguments: utt replays the snippet's arguments objects only
              w.utt.q.push(arguments);
            },
            { q: [] },
          );
        w.utt('report', (outcomes: any[], manifest: any) => resolve({ outcomes, manifest }));
      }),
  );

/**
 * Waits until integration `id` has announced `status` (a string, or a pattern
 * over `status reason`), in the page or one of its frames. Never a fixed sleep.
 */
export const until = (where: Page | Frame, id: string, status: string | RegExp) =>
  where.waitForFunction(
    ([id, source, flags]) => {
      const list = (window as any).__outcomes?.[id] || [];
      const last = list[list.length - 1];
      return !!last && new RegExp(source, flags).test(`${last[0]} ${last[1]}`.trim());
    },
    typeof status === 'string' ? ([id, `^${status}( |$)`, ''] as const) : ([id, status.source, status.flags] as const),
    { timeout: 30_000 },
  );

/** Every status integration `id` announced, in order: [status, reason, the page's clock in ms, warnings]. */
export const timeline = (where: Page | Frame, id: string) =>
  where.evaluate((id) => ((window as any).__outcomes?.[id] || []) as [string, string, number, number][], id);

/** Waits until integration `id` has at least `count` CSP warnings. */
export const untilWarnings = (page: Page, id: string, count = 1) =>
  page.waitForFunction(
    ([id, count]) => {
      const list = (window as any).__outcomes?.[id] || [];
      return list.length > 0 && list[list.length - 1][3] >= count;
    },
    [id, count] as const,
    { timeout: 30_000 },
  );

export const ran = (page: Page) => page.evaluate(() => ((window as any).__ran || []).slice().sort());

/** The manifest of account A12345, with Northwind, Bluejay and, unless left out, a third integration. */
export const manifestWith = (...extra: object[]) => ({
  version: 1,
  account: 'A12345',
  integrations: [
    { id: 'nw', partner: 'northwind-analytics', status: 'enabled', identifiers: { domain: 'shop.example' } },
    { id: 'bj', partner: 'bluejay-ads', status: 'enabled', identifiers: { accountId: 482913 } },
    ...extra,
  ],
});

/**
 * Account A12345 with every partner of the registry enabled, each from its entry's examples, as
 * `i<index>`; `load(index)` gives an integration its own load timing.
 */
export const everyPartner = (load: (index: number) => string | undefined = () => undefined) => ({
  version: 1,
  account: 'A12345',
  integrations: registry.map((entry: any, i: number) => ({
    id: `i${i}`,
    partner: entry.key,
    status: 'enabled',
    ...(load(i) ? { load: load(i) } : {}),
    identifiers: Object.fromEntries(
      Object.entries(entry.identifiers).map(([name, id]: [string, any]) => [name, id.example]),
    ),
  })),
});

/** The consent suites' manifest: Northwind (TCF, analytics), Bluejay (TCF, sale) and Orbit (functional only). */
export const consentManifest = manifestWith({
  id: 'or',
  partner: 'orbit-reviews',
  status: 'enabled',
  identifiers: { storeId: 'acme-outdoor', region: 'eu' },
});

/** Outcomes as `{ id: 'status reason' }`. */
export const statuses = (outcomes: any[]) =>
  Object.fromEntries(outcomes.map((o) => [o.id, `${o.status}${o.reason ? ` ${o.reason}` : ''}`]));
