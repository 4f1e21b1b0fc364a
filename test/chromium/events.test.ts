// Events in Chromium, under script-src 'nonce-…' 'strict-dynamic' with no
// inline script but README's snippet: utt('track') queued before utt arrives,
// made while consent is pending, after load and during a deferred load, each
// reaching every enabled vendor emulation (demo/lib/emulate.mjs) once, with
// one shared event id; refused consent sends nothing and leaves no global.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useBrowser } from './chromium';
import { CDN, open, report, until } from './site';

const browser = useBrowser();

const int = (id: string, partner: string, identifiers: Record<string, string>, more: object = {}) => ({
  id,
  partner,
  status: 'enabled',
  identifiers,
  ...more,
});
const META = int('meta', 'meta-pixel', { pixelId: '123456789012345' });
const META2 = int('meta2', 'meta-pixel', { pixelId: '999999999999999' });
const GTAG = int('ga', 'google-tag', { measurementId: 'G-ABC123DEF4' });
const TIKTOK = int('tt', 'tiktok-pixel', { pixelId: 'CABCDEFGHIJ123456789' });
const PINTEREST = int('pin', 'pinterest-tag', { tagId: '2612345678901' });
const manifestOf = (...integrations: object[]) => ({ version: 1, account: 'A12345', integrations });
const STRICT = "script-src 'nonce-r4nd0m' 'strict-dynamic'; object-src 'none'; base-uri 'none'";

/** README's async snippet, then the page's own calls: the only inline script. */
const snippet = (calls: string) => `<!doctype html><html><head><script nonce="r4nd0m">
  (function (w, d, src) {
    if (typeof w.utt != 'function') { var q = []; (w.utt = function () { q.push(arguments); }).q = q; }
    var s = d.createElement('script'), n = d.currentScript && d.currentScript.nonce;
    s.async = true; s.src = src; if (n) s.nonce = n;
    d.head.appendChild(s);
  })(window, document, '${CDN}/utt.js');
  ${calls}
</script></head><body><p>shop</p></body></html>`;

const ORDER = `{ transaction_id: 'T-1', value: 42.5, currency: 'EUR', items: [{ item_id: 'SKU-1', item_name: 'Mug', price: 21.25, quantity: 2 }] }`;
const vendors = (page: any) => page.evaluate(() => (window as any).__vendors ?? {}) as Promise<Record<string, any[]>>;
/** Each vendor's event calls (its init and page view left out), as its emulation recorded them. */
const eventsOf = async (page: any) => {
  const v = await vendors(page);
  return {
    meta: (v['meta-pixel'] ?? []).filter((c) => c[0] === 'trackSingle'),
    google: (v['google-tag'] ?? []).filter((c) => c[0] === 'event'),
    tiktok: (v['tiktok-pixel'] ?? []).filter((c) => c[0] === 'track'),
    pinterest: (v['pinterest-tag'] ?? []).filter((c) => c[0] === 'track'),
  };
};

describe('utt("track") under the strictest policy, with the snippet only', () => {
  it('before utt, while consent is pending, after load and during a deferred load: each reaches every vendor once, with one id', async () => {
    const deferred = int('tt', 'tiktok-pixel', { pixelId: 'CABCDEFGHIJ123456789' }, { load: 'interaction' });
    const { page, errors } = await open(browser(), {
      html: snippet(`utt('init', { account: 'A12345', consent: 'required' });
        utt('track', 'purchase', ${ORDER});`),
      headers: { 'content-security-policy': STRICT },
      manifest: manifestOf(META, META2, GTAG, deferred, PINTEREST),
    });
    await until(page, 'meta', 'awaiting-consent');
    // While consent is pending.
    await page.evaluate(() => (window as any).utt('track', 'add_to_cart', { value: 3, currency: 'EUR' }));
    expect(await page.evaluate(() => typeof (window as any).fbq)).toBe('undefined');
    await page.evaluate(() =>
      (window as any).utt('consent', 'update', { analytics: 'granted', advertising: 'granted' }),
    );
    await until(page, 'meta', 'loaded');
    await until(page, 'pin', 'loaded');
    // During the deferred load (TikTok waits for an interaction), then after load.
    await page.evaluate(() => (window as any).utt('track', 'view_item', { value: 9, currency: 'EUR' }));
    await page.keyboard.press('Tab');
    await until(page, 'tt', 'loaded');
    await page.evaluate(() => (window as any).utt('track', 'sign_up', { method: 'email' }));
    await expect.poll(async () => (await eventsOf(page)).tiktok.length).toBe(4);

    const { meta, google, tiktok, pinterest } = await eventsOf(page);
    // Meta: one trackSingle per pixel per event, in order for each pixel, never fbq('track') to both.
    const byPixel = (pixel: string) => meta.filter((c) => c[1] === pixel);
    for (const pixel of ['123456789012345', '999999999999999'])
      expect(byPixel(pixel).map((c) => c[2])).toEqual(['Purchase', 'AddToCart', 'ViewContent', 'CompleteRegistration']);
    expect(meta).toHaveLength(8);
    expect(meta[0][3]).toEqual({
      value: 42.5,
      currency: 'EUR',
      contents: [{ id: 'SKU-1', quantity: 2, item_price: 21.25 }],
      content_type: 'product',
    });
    const ids = byPixel('123456789012345').map((c) => c[4].eventID);
    expect(byPixel('999999999999999').map((c) => c[4].eventID)).toEqual(ids);
    expect(new Set(ids).size).toBe(4);
    expect(google.map((c) => [c[1], c[2].send_to])).toEqual([
      ['purchase', 'G-ABC123DEF4'],
      ['add_to_cart', 'G-ABC123DEF4'],
      ['view_item', 'G-ABC123DEF4'],
      ['sign_up', 'G-ABC123DEF4'],
    ]);
    expect(google[0][2]).toMatchObject({
      transaction_id: 'T-1',
      value: 42.5,
      items: [{ item_id: 'SKU-1', quantity: 2 }],
    });
    expect(tiktok.map((c) => [c[1], c[3].event_id])).toEqual([
      ['CompletePayment', ids[0]],
      ['AddToCart', ids[1]],
      ['ViewContent', ids[2]],
      ['CompleteRegistration', ids[3]],
    ]);
    expect(pinterest.map((c) => [c[1], c[2].event_id])).toEqual([
      ['checkout', ids[0]],
      ['addtocart', ids[1]],
      ['pagevisit', ids[2]],
      ['signup', ids[3]],
    ]);
    const { outcomes } = await report(page);
    expect(outcomes.find((o: any) => o.id === 'tt').events.map((e: any) => e.status)).toEqual([
      'sent',
      'sent',
      'sent',
      'sent',
    ]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('LinkedIn and impact.com: the conversion ids the merchant set (optional identifiers) get their calls, the others none', async () => {
    const LI = int('li', 'linkedin-insight', { partnerId: '123456', purchaseConversionId: '5550001' });
    const IR = int('ir', 'impact-utt', { uttId: 'A1234567-1a2b-3c4d-5e6f-7a8b9c0d1e2f1', saleEventTypeId: '777' });
    const { page, errors } = await open(browser(), {
      html: snippet(`utt('init', { account: 'A12345' });
        utt('track', 'purchase', ${ORDER});`),
      headers: { 'content-security-policy': STRICT },
      manifest: manifestOf(LI, IR, META),
    });
    await until(page, 'li', 'loaded');
    await until(page, 'ir', 'loaded');
    await page.evaluate(() => (window as any).utt('track', 'sign_up', { method: 'email' }));
    await expect
      .poll(async () => (await vendors(page))['meta-pixel']?.filter((c) => c[0] === 'trackSingle').length)
      .toBe(2);
    const v = await vendors(page);
    const lintrk = v['linkedin-insight'].filter((c) => c[0] === 'track');
    const ire = v['impact-utt'].filter((c) => c[0] === 'trackConversion');
    const id = v['meta-pixel'].find((c) => c[0] === 'trackSingle')[4].eventID;
    // Only the purchase: no sign-up conversion id was set.
    expect(lintrk).toEqual([
      ['track', { conversion_id: 5550001, conversion_value: 42.5, currency: 'EUR', event_id: id }],
    ]);
    expect(ire).toEqual([
      [
        'trackConversion',
        777,
        {
          orderId: 'T-1',
          currencyCode: 'EUR',
          items: [{ subTotal: 42.5, sku: 'SKU-1', quantity: 2, name: 'Mug' }],
        },
        { verifySiteDefinitionMatch: true },
      ],
    ]);
    const { outcomes } = await report(page);
    expect(
      outcomes.find((o: any) => o.id === 'li').events.map((e: any) => `${e.event} ${e.status} ${e.reason}`),
    ).toEqual(['purchase sent ', 'sign_up no-mapping no signUpConversionId']);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('refused consent sends nothing and leaves no global', async () => {
    const { page, errors } = await open(browser(), {
      html: snippet(`utt('init', { account: 'A12345', consent: 'required' });
        utt('track', 'purchase', ${ORDER});
        utt('consent', 'update', { analytics: 'denied', advertising: 'denied' });`),
      headers: { 'content-security-policy': STRICT },
      manifest: manifestOf(META, GTAG, TIKTOK),
    });
    await until(page, 'meta', 'denied-consent');
    await page.evaluate(() => (window as any).utt('track', 'purchase', { value: 1 }));
    const { outcomes } = await report(page);
    expect(outcomes.flatMap((o: any) => o.events.map((e: any) => `${o.id} ${e.status} ${e.reason}`))).toEqual([
      'meta dropped denied-consent',
      'meta dropped denied-consent',
      'ga dropped denied-consent',
      'ga dropped denied-consent',
      'tt dropped denied-consent',
      'tt dropped denied-consent',
    ]);
    expect(await page.evaluate(() => ['fbq', '_fbq', 'gtag', 'dataLayer', 'ttq'].filter((g) => g in window))).toEqual(
      [],
    );
    expect(await vendors(page)).toEqual({});
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("README's one-line queue before the plain tag: a track made before utt arrives reaches the vendors", async () => {
    const [, oneLine] = /```html\n(<script nonce="r4nd0m">if \(typeof utt[^\n]*)\n<script async src/.exec(
      readFileSync('README.md', 'utf8'),
    )!;
    const { page, errors } = await open(browser(), {
      html: `<!doctype html><html><head>${oneLine}
        <script nonce="r4nd0m">utt('track', 'purchase', ${ORDER});</script>
        <script async src="${CDN}/utt.js" data-account="A12345" nonce="r4nd0m"></script></head><body></body></html>`,
      headers: { 'content-security-policy': STRICT },
      manifest: manifestOf(META, GTAG),
    });
    await until(page, 'ga', 'loaded');
    await expect.poll(async () => (await eventsOf(page)).google.length).toBe(1);
    const { meta, google } = await eventsOf(page);
    expect(meta.map((c) => [c[1], c[2], typeof c[4].eventID])).toEqual([['123456789012345', 'Purchase', 'string']]);
    expect(google[0][1]).toBe('purchase');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('utt.debug.js prints what happens to each event at each integration (warning 213), from its own events chunk', async () => {
    const { page, errors, consoleMessages, requested } = await open(browser(), {
      bundle: 'utt.debug.js',
      html: snippet(`utt('init', { account: 'A12345' }); utt('track', 'purchase', ${ORDER});`),
      headers: { 'content-security-policy': STRICT },
      manifest: manifestOf(META),
    });
    await until(page, 'meta', 'loaded');
    await expect.poll(async () => (await eventsOf(page)).meta.length).toBe(1);
    await expect
      .poll(() => consoleMessages.filter((m) => /utt 213: .* meta purchase \S+: sent/.test(m)))
      .toHaveLength(1);
    expect(requested.filter((u) => u.includes('/utt.events'))).toEqual([`${CDN}/utt.events.debug.js`]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('hostile params end in a coded warning, never an exception on the page, and reach the vendor only as data', async () => {
    const { page, errors, consoleMessages } = await open(browser(), {
      bundle: 'utt.debug.js',
      html: snippet(`utt('init', { account: 'A12345' });`),
      headers: { 'content-security-policy': STRICT },
      manifest: manifestOf(META),
    });
    await until(page, 'meta', 'loaded');
    const thrown = await page.evaluate(() => {
      const w = window as any;
      const cyclic: any = { value: 1, currency: 'EUR' };
      cyclic.self = cyclic;
      cyclic.items = [cyclic];
      const getter = Object.defineProperty({ currency: 'EUR' }, 'value', {
        enumerable: true,
        get() {
          throw new Error('boom');
        },
      });
      const proxy = new Proxy(
        {},
        {
          ownKeys() {
            throw new Error('keys');
          },
        },
      );
      const many = { value: 1, items: Array.from({ length: 10_000 }, (_, i) => ({ item_id: i })) };
      const proto = JSON.parse(
        '{"__proto__": {"polluted": 1}, "value": 5, "currency": "</script><script>alert(1)</script>"}',
      );
      const out: string[] = [];
      for (const params of [proto, getter, proxy, many, cyclic])
        try {
          w.utt('track', 'purchase', params);
        } catch (e) {
          out.push(String(e));
        }
      return out.concat(({} as any).polluted === undefined ? [] : ['polluted']);
    });
    expect(thrown).toEqual([]);
    await expect.poll(async () => (await eventsOf(page)).meta.length).toBe(5);
    const { meta } = await eventsOf(page);
    expect(meta[0][3].currency).toBe('</script><script>alert(1)</script>');
    expect(meta[3][3].contents).toHaveLength(200);
    expect(consoleMessages.filter((m) => m.includes('utt 212'))).toHaveLength(2);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
