// Preview (src/preview.ts): a page opened with `?utt-preview=<token>` loads
// utt.preview.js and runs the draft from beside utt's files, uncached, with a
// panel of outcomes; without the parameter, or when the chunk fails, the live
// integrations run. The signature is the server's to check (test/store/preview.test.ts).
import { describe, expect, it } from 'vitest';
import { compileAccount } from '../../build/account.mjs';
import { loadRegistry } from '../../build/registry.mjs';
import { fakeClock, integration as int, manifestOf, page } from './page';

fakeClock();

const NW = int('int_nw', 'northwind-analytics', { domain: 'shop.merchant.example' });
const BJ = int('int_bj', 'bluejay-ads', { accountId: 482913 });
const TOKEN = 'AbC_d-1.1764547200000.sIg-_x';
const AT = `https://shop.example/product/1?utt-preview=${TOKEN}`;
const chunks = (p: ReturnType<typeof page>) =>
  Array.from(p.d.querySelectorAll('script[src$="/utt.preview.js"]'), (s) => (s as HTMLScriptElement).src);

describe('a preview link', () => {
  it('runs the draft from preview/<account>.json beside utt, names it in the report, and shows the panel', async () => {
    const p = page({ url: AT, manifest: manifestOf(NW, BJ), attrs: { 'data-account': 'A12345', 'data-health': '/h' } });
    const [outcomes, manifest] = await p.report();
    expect(chunks(p)).toEqual(['https://cdn.utt.example/v1/utt.preview.js']);
    expect(p.requests.map((r) => r.url)).toEqual([`https://cdn.utt.example/v1/preview/A12345.json?token=${TOKEN}`]);
    expect(manifest).toMatchObject({ status: 'ok', reason: 'preview', version: 'preview' });
    expect(outcomes.map((o) => o.id)).toEqual(['int_nw', 'int_bj']);
    const items = Array.from(p.d.querySelectorAll('#utt-preview li'), (li) => li.textContent);
    expect(items).toEqual(outcomes.map((o) => expect.stringContaining(`${o.id} (${o.partner}): ${o.status}`)));
    // No beacon from a preview: its outcomes are not the live version's.
    expect(p.beacons).toEqual([]);
    expect(p.d.querySelectorAll('script[src$="/utt.health.js"]')).toHaveLength(0);
    // Nothing kept: an expired or refused link must not fall back on a copy.
    expect(p.w.localStorage.length).toBe(0);
  });

  it('a per-account tag asks for its own account’s draft, and runs partners it does not inline', async () => {
    const { entries } = loadRegistry({ only: '' });
    const { compiled } = compileAccount(JSON.stringify(manifestOf(NW)), entries);
    const p = page({ url: AT, manifest: manifestOf(NW, BJ), compiled: compiled as any, attrs: {} });
    await p.settled();
    expect(p.requests.map((r) => r.url)).toEqual([`https://cdn.utt.example/v1/preview/A12345.json?token=${TOKEN}`]);
    // Bluejay is not inlined in this tag: the draft's registry (in the chunk) loads it.
    expect(p.injected().map((s) => s.src)).toEqual([
      'https://cdn.northwind.example/na.js?d=shop.merchant.example',
      'https://tags.bluejay.example/v2/482913/tag.js',
    ]);
  });

  it('a draft the server refuses runs nothing: the report says why, and the tab keeps nothing', async () => {
    const p = page({ url: AT, status: 403 });
    const [outcomes, manifest] = await p.report();
    expect(outcomes).toEqual([]);
    expect(manifest).toMatchObject({ status: 'failed', reason: 'http 403' });
    expect(p.w.sessionStorage.length).toBe(0);
  });

  it.each([
    ['no parameter', 'https://shop.example/p'],
    ['a token with other characters', 'https://shop.example/p?utt-preview=a/b'],
    ['a token in another parameter', 'https://shop.example/p?x-utt-preview=abc'],
  ])('%s: the live integrations, no chunk', async (_, url) => {
    const p = page({ url, manifest: manifestOf(NW) });
    await p.report();
    expect(chunks(p)).toEqual([]);
    expect(p.requests.map((r) => r.url)).toEqual(['https://cdn.utt.example/v1/manifests/A12345.json']);
  });

  it('a chunk that fails to load: the live integrations run', async () => {
    const p = page({ url: AT, manifest: manifestOf(NW), noPreview: true });
    const [, manifest] = await p.report();
    expect(p.requests.map((r) => r.url)).toEqual(['https://cdn.utt.example/v1/manifests/A12345.json']);
    expect(manifest.status).toBe('ok');
  });
});

// A token the hub signed until 2100, and one whose own expiry has passed (the hub's clock decides; utt saves the request).
const LATER = 'AbC_d-1.4102444800000.sIg-_x';
const PAST = 'AbC_d-1.1764547200000.sIg-_x';
const PLAIN = 'https://shop.example/cart';
const DRAFT_URL = `https://cdn.utt.example/v1/preview/A12345.json?token=${LATER}`;
const LIVE_URL = 'https://cdn.utt.example/v1/manifests/A12345.json';
/** The tab as a page opened from the link left it: the token in its storage, the window named. */
const kept =
  (token: string, name = 'utt-preview') =>
  (w: Window) => {
    w.sessionStorage.setItem('utt-preview', `utt-preview=${token}`);
    w.name = name;
  };

describe('the preview sticks to the tab', () => {
  it('a link the hub answers is kept for the tab; the next page, without the link, runs the draft again', async () => {
    const first = page({ url: `https://shop.example/product/1?utt-preview=${LATER}`, manifest: manifestOf(NW, BJ) });
    await first.report();
    expect(first.w.sessionStorage.getItem('utt-preview')).toBe(`utt-preview=${LATER}`);
    expect(first.w.name).toBe('utt-preview');
    const next = page({ url: PLAIN, manifest: manifestOf(NW, BJ), before: kept(LATER) });
    const [outcomes, manifest] = await next.report();
    // Asked of the hub again, on this page too: a kept token is no more trusted than a link's.
    expect(next.requests.map((r) => r.url)).toEqual([DRAFT_URL]);
    expect(manifest).toMatchObject({ status: 'ok', reason: 'preview', version: 'preview' });
    expect(outcomes.map((o) => o.id)).toEqual(['int_nw', 'int_bj']);
    expect(next.d.querySelectorAll('#utt-preview li')).toHaveLength(2);
    expect(next.beacons).toEqual([]);
  });

  it('a kept token the hub refuses is forgotten, and the live version runs, without a panel', async () => {
    const p = page({
      url: PLAIN,
      sequence: [{ status: 403 }],
      manifest: manifestOf(NW),
      before: kept(LATER),
    });
    const [outcomes, manifest] = await p.report();
    expect(p.requests.map((r) => r.url)).toEqual([DRAFT_URL, LIVE_URL]);
    expect(manifest).toMatchObject({ status: 'ok', reason: '', version: '', url: LIVE_URL });
    expect(outcomes.map((o) => o.id)).toEqual(['int_nw']);
    expect(p.injected().map((x) => x.src)).toEqual(['https://cdn.northwind.example/na.js?d=shop.merchant.example']);
    expect(p.w.sessionStorage.getItem('utt-preview')).toBeNull();
    expect(p.w.name).toBe('');
    expect(p.d.getElementById('utt-preview')).toBeNull();
  });

  it('a kept token past its own expiry: forgotten without asking the hub, and the live version runs', async () => {
    const p = page({ url: PLAIN, manifest: manifestOf(NW), before: kept(PAST) });
    const [, manifest] = await p.report();
    expect(p.requests.map((r) => r.url)).toEqual([LIVE_URL]);
    expect(manifest).toMatchObject({ status: 'ok', version: '' });
    expect(p.w.sessionStorage.getItem('utt-preview')).toBeNull();
  });

  it.each([
    [
      'another site (a payment page’s way back, where Firefox and Safari clear the name)',
      'https://pay.example/return',
      1,
    ],
    ['this site', 'https://shop.example/cart', 0],
    ['nowhere (a direct visit)', '', 0],
  ])(
    'an unnamed window arriving from %s (%s): storage is read only when it is another site',
    async (_, referrer, n) => {
      let reads = 0;
      const p = page({
        url: PLAIN,
        referrer: referrer || undefined,
        manifest: manifestOf(NW),
        before: (w) => {
          w.sessionStorage.setItem('utt-preview', `utt-preview=${LATER}`);
          const get = w.Storage.prototype.getItem;
          w.Storage.prototype.getItem = function (this: Storage, key: string) {
            reads++;
            return get.call(this, key);
          };
        },
      });
      const [, manifest] = await p.report();
      expect(reads).toBe(n);
      expect(manifest).toMatchObject(n ? { version: 'preview' } : { status: 'ok', version: '' });
      if (!n) expect(chunks(p)).toEqual([]);
      // Kept again, and named: the next page of the site finds it without the referrer.
      expect(p.w.name).toBe(n ? 'utt-preview' : '');
    },
  );

  it('a page that clears the name while the hub answers pauses the preview: utt does not name it again', async () => {
    const p = page({
      url: PLAIN,
      manifest: manifestOf(NW),
      before: (w) => {
        kept(LATER)(w);
        const answer = w.fetch;
        w.fetch = ((...args: Parameters<typeof fetch>) => {
          w.name = '';
          return answer(...args);
        }) as typeof fetch;
      },
    });
    const [, manifest] = await p.report();
    expect(manifest).toMatchObject({ reason: 'preview', version: 'preview' });
    expect(p.w.name).toBe('');
    expect(p.w.sessionStorage.getItem('utt-preview')).toBe(`utt-preview=${LATER}`);
  });

  it('a window the page named itself keeps the preview, and keeps its name when the preview ends', async () => {
    const next = page({ url: PLAIN, manifest: manifestOf(NW), before: kept(LATER, 'checkout') });
    const [, manifest] = await next.report();
    expect(manifest).toMatchObject({ reason: 'preview', version: 'preview' });
    expect(next.w.name).toBe('checkout');
    const refused = page({
      url: PLAIN,
      sequence: [{ status: 403 }],
      manifest: manifestOf(NW),
      before: kept(LATER, 'checkout'),
    });
    await refused.report();
    expect(refused.w.sessionStorage.getItem('utt-preview')).toBeNull();
    expect(refused.w.name).toBe('checkout');
  });

  it.each([
    ['not the link’s form', 'AbC_d-1.4102444800000.sIg-_x'],
    ['characters outside the hub’s alphabet', 'utt-preview=a/b'],
  ])('a kept value %s: no chunk, the live version', async (_, value) => {
    const p = page({
      url: PLAIN,
      manifest: manifestOf(NW),
      before: (w) => w.sessionStorage.setItem('utt-preview', value),
    });
    await p.report();
    expect(chunks(p)).toEqual([]);
    expect(p.requests.map((r) => r.url)).toEqual([LIVE_URL]);
  });
});
