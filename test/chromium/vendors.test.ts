// Real partners' tags as data, in Chromium: six vendors modelled on Meta Pixel,
// the Google tag, TikTok Pixel, Pinterest, LinkedIn Insight and impact.com's
// UTT, each set up from its registry entry's `setup` block, under the strictest
// policy, with emulated vendor scripts (demo/lib/emulate.mjs) that drain their
// queues as each vendor documents and record every call they saw.
import { describe, expect, it } from 'vitest';
import { useBrowser } from './chromium';
import { embed, open, report } from './site';

const browser = useBrowser();

const int = (id: string, partner: string, identifiers: Record<string, string>) => ({
  id,
  partner,
  status: 'enabled',
  identifiers,
});
const VENDORS = [
  int('meta', 'meta-pixel', { pixelId: '123456789012345' }),
  int('ga', 'google-tag', { measurementId: 'G-ABC123DEF4' }),
  int('tt', 'tiktok-pixel', { pixelId: 'CABCDEFGHIJ123456789' }),
  int('pin', 'pinterest-tag', { tagId: '2612345678901' }),
  int('li', 'linkedin-insight', { partnerId: '123456' }),
  int('ire', 'impact-utt', { uttId: 'A1234567-1a2b-3c4d-5e6f-7a8b9c0d1e2f1' }),
];
const manifestOf = (...integrations: object[]) => ({ version: 1, account: 'A12345', integrations });
const html = (tag: string) => `<!doctype html><html><head>${tag}</head><body><p>shop</p></body></html>`;
/** Records violations from before any page script runs: an init script needs no nonce. */
const WATCH = `window.__violations = []; document.addEventListener('securitypolicyviolation', function (e) { __violations.push(e.effectiveDirective + ' ' + e.blockedURI); });`;
const STRICT = "script-src 'nonce-r4nd0m' 'strict-dynamic'; object-src 'none'; base-uri 'none'";
/** Consent Mode's three advertising states, all `state`. */
const ADS = (state: string) => ({ ad_storage: state, ad_user_data: state, ad_personalization: state });
const vendors = (page: any) => page.evaluate(() => (window as any).__vendors ?? {}) as Promise<Record<string, any[]>>;

describe('vendors set up from data, under the strictest CSP', () => {
  it("each vendor receives exactly its init with the merchant's identifier, in order, and nothing is refused", async () => {
    const { page, errors, consoleMessages } = await open(browser(), {
      html: html(embed('data-account="A12345" nonce="r4nd0m"')),
      headers: { 'content-security-policy': STRICT },
      init: WATCH,
      manifest: manifestOf(...VENDORS),
    });
    const { outcomes } = await report(page);
    expect(outcomes.map((o: any) => [o.id, o.status])).toEqual(VENDORS.map((v) => [v.id, 'loaded']));
    expect(await vendors(page)).toEqual({
      'meta-pixel': [
        ['consent', 'grant'],
        ['init', '123456789012345'],
        ['track', 'PageView'],
      ],
      'google-tag': [
        ['consent', 'default', { ...ADS('granted'), analytics_storage: 'granted' }],
        ['js', '$date'],
        ['config', 'G-ABC123DEF4'],
      ],
      'tiktok-pixel': [['load', 'CABCDEFGHIJ123456789'], ['page']],
      'pinterest-tag': [['load', '2612345678901'], ['page']],
      'linkedin-insight': [
        ['partner', '123456'],
        ['id', '123456'],
      ],
      'impact-utt': [['identify', { customerId: '', customerEmail: '' }]],
    });
    // The merchant's own later calls reach the vendors the same way.
    await page.evaluate(() => {
      const w = window as any;
      w.fbq('track', 'Purchase', { value: 12 });
      w.gtag('event', 'purchase');
      w.ttq.track('CompletePayment');
    });
    const after = await vendors(page);
    expect(after['meta-pixel'].at(-1)).toEqual(['track', 'Purchase', { value: 12 }]);
    expect(after['google-tag'].at(-1)).toEqual(['event', 'purchase']);
    expect(after['tiktok-pixel'].at(-1)).toEqual(['track', 'CompletePayment']);
    expect(await page.evaluate(() => (window as any).__violations)).toEqual([]);
    expect(consoleMessages.filter((m) => /Content Security Policy|Refused/i.test(m))).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a vendor denied consent is never requested and leaves no global; two integrations of one vendor queue two inits', async () => {
    const { page, requested } = await open(browser(), {
      html: html(embed('data-account="A12345" data-consent="required"')),
      manifest: manifestOf(
        VENDORS[0],
        int('meta2', 'meta-pixel', { pixelId: '999999999999999' }),
        VENDORS[4],
        VENDORS[1],
      ),
    });
    await page.evaluate(() =>
      (window as any).utt('consent', 'update', { advertising: 'denied', analytics: 'granted' }),
    );
    const { outcomes } = await report(page);
    expect(outcomes.map((o: any) => [o.id, o.status])).toEqual([
      ['meta', 'denied-consent'],
      ['meta2', 'denied-consent'],
      ['li', 'denied-consent'],
      ['ga', 'loaded'],
    ]);
    const left = await page.evaluate(() =>
      ['fbq', '_fbq', '_linkedin_partner_id', '_linkedin_data_partner_ids', 'gtag', 'dataLayer'].filter(
        (n) => n in window,
      ),
    );
    expect(left).toEqual(['gtag', 'dataLayer']);
    expect(requested.filter((u) => /facebook|licdn/.test(u))).toEqual([]);
    await page.context().close();

    const two = await open(browser(), {
      html: html(embed()),
      manifest: manifestOf(VENDORS[0], int('meta2', 'meta-pixel', { pixelId: '999999999999999' })),
    });
    const second = await report(two.page);
    expect(second.outcomes.map((o: any) => [o.id, o.status])).toEqual([
      ['meta', 'loaded'],
      ['meta2', 'loaded'],
    ]);
    expect((await vendors(two.page))['meta-pixel']).toEqual([
      ['consent', 'grant'],
      ['init', '123456789012345'],
      ['track', 'PageView'],
      ['consent', 'grant'],
      ['init', '999999999999999'],
      ['track', 'PageView'],
    ]);
    expect(two.requested.filter((u) => u.includes('fbevents.js')).length).toBe(1);
    await two.page.context().close();
  });

  it("markup named like the vendors' globals is shadowed: each stub works and the page's own calls do not throw", async () => {
    // Each kind of named access (issue 29): an element's id or name, a frame, a form whose input is named like
    // the queue, an embed, an object, and two elements with one id (an HTMLCollection).
    const markup = [
      '<a id="fbq">x</a>',
      '<iframe name="ttq"></iframe>',
      '<a id="dataLayer">x</a>',
      '<a id="_linkedin_partner_id" href="https://evil.example/">x</a>',
      '<form name="pintrk"><input name="queue"></form>',
      '<embed name="ire">',
      '<object id="ire_o"></object>',
      '<img id="_fbq"><img id="_fbq">',
    ].join('');
    const { page, errors } = await open(browser(), {
      html: `<!doctype html><html><head>${embed('data-account="A12345" nonce="r4nd0m"')}</head><body>${markup}</body></html>`,
      headers: { 'content-security-policy': STRICT },
      manifest: manifestOf(...VENDORS),
    });
    const { outcomes } = await report(page);
    expect(outcomes.map((o: any) => [o.id, o.status])).toEqual(VENDORS.map((v) => [v.id, 'loaded']));
    const seen = await vendors(page);
    expect(seen['meta-pixel'].slice(0, 2)).toEqual([
      ['consent', 'grant'],
      ['init', '123456789012345'],
    ]);
    expect(seen['google-tag'][2]).toEqual(['config', 'G-ABC123DEF4']);
    expect(seen['tiktok-pixel'][0]).toEqual(['load', 'CABCDEFGHIJ123456789']);
    expect(seen['pinterest-tag'][0]).toEqual(['load', '2612345678901']);
    expect(seen['linkedin-insight']).toEqual([
      ['partner', '123456'],
      ['id', '123456'],
    ]);
    expect(seen['impact-utt']).toEqual([['identify', { customerId: '', customerEmail: '' }]]);
    expect(await page.evaluate(() => (window as any)._fbq === (window as any).fbq)).toBe(true);
    await page.evaluate(() => (window as any).gtag('event', 'purchase'));
    expect((await vendors(page))['google-tag'].at(-1)).toEqual(['event', 'purchase']);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  describe("telling the vendor what the visitor consented to: each vendor's own snippet, then utt", () => {
    const GA_URL = 'https://www.googletagmanager.com/gtag/js?id=G-ABC123DEF4';
    /** Waits until the emulated vendor `key` has recorded `count` calls: never a fixed sleep. */
    const calls = (page: any, key: string, count: number) =>
      page
        .waitForFunction(
          ([k, n]: [string, number]) => ((window as any).__vendors?.[k] || []).length >= n,
          [key, count],
          {
            timeout: 30_000,
          },
        )
        .then(() => vendors(page))
        .then((all: any) => all[key]);

    it('Google Consent Mode v2: the default before config, an update on grant and on revoke after grant', async () => {
      // The snippet Google documents, with the states a CMP would give: analytics granted, advertising not yet.
      const snippet = await open(browser(), {
        html: html(`<script>
          window.dataLayer = window.dataLayer || [];
          function gtag() { dataLayer.push(arguments); }
          gtag('consent', 'default', { ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied', analytics_storage: 'granted' });
          gtag('js', new Date());
          gtag('config', 'G-ABC123DEF4');
        </script><script async src="${GA_URL}"></script>`),
      });
      await calls(snippet.page, 'google-tag', 3);
      await snippet.page.evaluate(() => {
        const g = (window as any).gtag;
        g('consent', 'update', {
          ad_storage: 'granted',
          ad_user_data: 'granted',
          ad_personalization: 'granted',
          analytics_storage: 'granted',
        });
        g('consent', 'update', {
          ad_storage: 'denied',
          ad_user_data: 'denied',
          ad_personalization: 'denied',
          analytics_storage: 'granted',
        });
      });
      const expected = [
        ['consent', 'default', { ...ADS('denied'), analytics_storage: 'granted' }],
        ['js', '$date'],
        ['config', 'G-ABC123DEF4'],
        ['consent', 'update', { ...ADS('granted'), analytics_storage: 'granted' }],
        ['consent', 'update', { ...ADS('denied'), analytics_storage: 'granted' }],
      ];
      expect(await calls(snippet.page, 'google-tag', 5)).toEqual(expected);
      await snippet.page.context().close();

      const { page, errors } = await open(browser(), {
        html: html(embed('data-account="A12345" data-consent="required" nonce="r4nd0m"')),
        headers: { 'content-security-policy': STRICT },
        init: WATCH,
        manifest: manifestOf(VENDORS[1]),
      });
      const utt = (map: object) => page.evaluate((m) => (window as any).utt('consent', 'update', m), map);
      await utt({ analytics: 'granted' });
      expect(await calls(page, 'google-tag', 3)).toEqual(expected.slice(0, 3));
      await utt({ advertising: 'granted' });
      // A signal that changes nothing the tag is told of (personalization) makes no call.
      await utt({ personalization: 'denied' });
      await utt({ advertising: 'denied' });
      expect(await calls(page, 'google-tag', 5)).toEqual(expected);
      expect(await page.evaluate(() => (window as any).__violations)).toEqual([]);
      expect(errors).toEqual([]);
      await page.context().close();
    });

    it("Meta: fbq('consent', 'grant') before init, and 'revoke' when the visitor revokes after granting", async () => {
      const snippet = await open(browser(), {
        html: html(`<script>
          !function (w) {
            if (w.fbq) return;
            var n = (w.fbq = function () { n.callMethod ? n.callMethod.apply(n, arguments) : n.queue.push(arguments); });
            if (!w._fbq) w._fbq = n;
            n.push = n; n.loaded = true; n.version = '2.0'; n.queue = [];
          }(window);
          fbq('consent', 'grant');
          fbq('init', '123456789012345');
          fbq('track', 'PageView');
        </script><script async src="https://connect.facebook.net/en_US/fbevents.js"></script>`),
      });
      await calls(snippet.page, 'meta-pixel', 3);
      await snippet.page.evaluate(() => (window as any).fbq('consent', 'revoke'));
      const expected = [
        ['consent', 'grant'],
        ['init', '123456789012345'],
        ['track', 'PageView'],
        ['consent', 'revoke'],
      ];
      expect(await calls(snippet.page, 'meta-pixel', 4)).toEqual(expected);
      await snippet.page.context().close();

      const { page, errors } = await open(browser(), {
        html: html(embed('data-account="A12345" data-consent="required" nonce="r4nd0m"')),
        headers: { 'content-security-policy': STRICT },
        init: WATCH,
        manifest: manifestOf(VENDORS[0]),
      });
      const utt = (map: object) => page.evaluate((m) => (window as any).utt('consent', 'update', m), map);
      await utt({ advertising: 'granted' });
      expect(await calls(page, 'meta-pixel', 3)).toEqual(expected.slice(0, 3));
      await utt({ advertising: 'denied' });
      expect(await calls(page, 'meta-pixel', 4)).toEqual(expected);
      // The merchant's own later call still reaches Meta.
      await page.evaluate(() => (window as any).fbq('track', 'Purchase'));
      expect((await calls(page, 'meta-pixel', 5)).at(-1)).toEqual(['track', 'Purchase']);
      expect(errors).toEqual([]);
      await page.context().close();
    });

    it('Global Privacy Control: Meta is refused; the Google tag loads with advertising denied, and a later grant changes nothing', async () => {
      const { page } = await open(browser(), {
        html: html(embed('data-account="A12345" nonce="r4nd0m"')),
        headers: { 'content-security-policy': STRICT },
        init: `Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true });`,
        manifest: manifestOf(VENDORS[0], VENDORS[1]),
      });
      const { outcomes } = await report(page);
      expect(outcomes.map((o: any) => [o.id, o.status, o.reason])).toEqual([
        ['meta', 'denied-consent', 'gpc'],
        ['ga', 'loaded', ''],
      ]);
      const first = [
        ['consent', 'default', { ...ADS('denied'), analytics_storage: 'granted' }],
        ['js', '$date'],
        ['config', 'G-ABC123DEF4'],
      ];
      expect(await calls(page, 'google-tag', 3)).toEqual(first);
      await page.evaluate(() => (window as any).utt('consent', 'update', { advertising: 'granted' }));
      await page.evaluate(() => (window as any).gtag('event', 'purchase'));
      // The next call the tag sees is the merchant's event: no consent update came before it.
      expect(await calls(page, 'google-tag', 4)).toEqual([...first, ['event', 'purchase']]);
      expect(await page.evaluate(() => 'fbq' in window)).toBe(false);
      await page.context().close();
    });
  });
});
