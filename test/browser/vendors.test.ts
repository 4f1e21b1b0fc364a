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
        ['init', '123456789012345'],
        ['track', 'PageView'],
      ],
      'google-tag': [
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
      ['init', '123456789012345'],
      ['track', 'PageView'],
      ['init', '999999999999999'],
      ['track', 'PageView'],
    ]);
    expect(two.requested.filter((u) => u.includes('fbevents.js')).length).toBe(1);
    await two.page.context().close();
  });
});
