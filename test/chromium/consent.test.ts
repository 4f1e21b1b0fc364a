// Consent in Chromium: no partner script runs before the consent its
// registry entry needs. GPC and the merchant's own signal here; TCF and GPP
// through the IAB's official libraries in consent-iab.test.ts.
import { describe, expect, it } from 'vitest';
import { useBrowser } from './chromium';
import { consentManifest, embed, open, ran, report, statuses, until } from './site';

const browser = useBrowser();
const manifest = consentManifest;

const html = (head: string, tag = embed()) =>
  `<!doctype html><html><head>${head}${tag}</head><body><p id="x">shop</p></body></html>`;

describe('consent in Chromium', () => {
  it('Global Privacy Control, set by an init script, refuses the partner that sells data', async () => {
    const { page } = await open(browser(), {
      html: html(''),
      manifest,
      init: "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: function () { return true; } });",
    });
    const { outcomes } = await report(page);
    expect(statuses(outcomes)).toEqual({ nw: 'loaded', bj: 'denied-consent gpc', or: 'loaded' });
    expect(await ran(page)).toEqual(['cdn.northwind.example', 'static.orbit.example']);
    await page.context().close();
  });

  it("the merchant's own utt('consent'), queued before utt arrives and called after", async () => {
    const snippet = `<script>
      (function (w, d, src) {
        w.utt = w.utt || function () { (w.utt.q = w.utt.q || []).push(arguments); };
        var s = d.createElement('script'); s.async = true; s.src = src; d.head.appendChild(s);
      })(window, document, 'https://cdn.utt.example/utt.js');
      utt('consent', 'default', { analytics: 'denied', advertising: 'denied', functional: 'granted' });
      utt('init', { account: 'A12345', consent: 'required' });
    </script>`;
    const { page } = await open(browser(), { html: html(snippet, ''), manifest });
    let { outcomes } = await report(page);
    expect(statuses(outcomes)).toEqual({
      nw: 'denied-consent consent: analytics',
      bj: 'denied-consent consent: advertising',
      or: 'loaded',
    });
    await page.evaluate(() => (window as any).utt('consent', 'update', { analytics: 'granted' }));
    await until(page, 'nw', 'loaded');
    ({ outcomes } = await report(page));
    expect(statuses(outcomes)).toEqual({ nw: 'loaded', bj: 'denied-consent consent: advertising', or: 'loaded' });
    expect(await ran(page)).toEqual(['cdn.northwind.example', 'static.orbit.example']);
    await page.context().close();
  });
});
