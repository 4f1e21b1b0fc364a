import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useBrowser } from './chromium';
import { embed, open, ran, report } from './site';

const manifest = {
  version: 1,
  account: 'A12345',
  integrations: [
    { id: 'nw', partner: 'northwind-analytics', status: 'enabled', identifiers: { domain: 'shop.example' } },
    { id: 'bj', partner: 'bluejay-ads', status: 'enabled', identifiers: { accountId: 482913 } },
    {
      id: 'tp',
      partner: 'tidepool-personalize',
      status: 'disabled',
      identifiers: { workspace: '3f2c8a1e-9b7d-4c5e-8f10-2a6b4d9e7c31' },
    },
    { id: 'lc', partner: 'lumen-chat', status: 'enabled', identifiers: { widgetKey: 'not-a-key' } },
  ],
};

const browser = useBrowser();

describe('dist/utt.js in Chromium', () => {
  it('uses the preloaded manifest that README documents: one manifest request, not two', async () => {
    const url = 'https://cdn.utt.example/manifests/A12345.json';
    const { page, errors, requested, consoleMessages } = await open(browser(), {
      html: `<!doctype html><html><head><link rel="preload" href="${url}" as="fetch" crossorigin="anonymous">${embed()}</head><body></body></html>`,
      manifest,
    });
    const { manifest: m } = await report(page);
    expect(m.status).toBe('ok');
    expect(requested.filter((u) => u === url)).toEqual([url]);
    // Chromium warns about a preload left unused; there must be none.
    expect(consoleMessages.filter((c) => /preload/i.test(c))).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('loads the two valid enabled partners, and neither the disabled nor the invalid one', async () => {
    const { page, errors, requested, consoleMessages } = await open(browser(), {
      html: `<!doctype html><html><head>${embed()}</head><body><p id="shop">shop</p></body></html>`,
      manifest,
    });
    const { outcomes, manifest: m } = await report(page);
    expect(m).toMatchObject({ account: 'A12345', status: 'ok' });
    expect(outcomes.map((o) => [o.id, o.status, o.reason])).toEqual([
      ['nw', 'loaded', ''],
      ['bj', 'loaded', ''],
      ['tp', 'disabled', ''],
      ['lc', 'invalid', 'widgetKey: pattern'],
    ]);
    expect(await ran(page)).toEqual(['cdn.northwind.example', 'tags.bluejay.example']);
    expect(requested.filter((u) => /tidepool|lumen/.test(u))).toEqual([]);
    expect(await page.evaluate(() => document.querySelectorAll('script[async]').length)).toBe(3);
    expect(await page.textContent('#shop')).toBe('shop');
    expect(errors).toEqual([]);
    // The production build stays silent.
    expect(consoleMessages).toEqual([]);
    await page.context().close();
  });

  it('propagates its nonce under a nonce-only CSP header, so partners load', async () => {
    const { page, errors } = await open(browser(), {
      html: `<!doctype html><html><head>${embed('data-account="A12345" nonce="r4nd0m"')}</head><body></body></html>`,
      headers: { 'content-security-policy': "script-src 'nonce-r4nd0m'; connect-src https://cdn.utt.example" },
      manifest,
    });
    const { outcomes } = await report(page);
    expect(outcomes.filter((o) => o.status === 'loaded').map((o) => o.id)).toEqual(['nw', 'bj']);
    expect(await ran(page)).toEqual(['cdn.northwind.example', 'tags.bluejay.example']);
    // Browsers hide utt's own nonce attribute under a header policy; utt read the property.
    expect(await page.evaluate(() => document.querySelector('script[src$="utt.js"]')?.getAttribute('nonce'))).toBe('');
    expect(
      await page.evaluate(() => (document.querySelector('script[src*="bluejay"]') as HTMLScriptElement).nonce),
    ).toBe('r4nd0m');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("works from README's async snippet under a nonce policy, and with the debug build", async () => {
    // The snippet exactly as README.md gives it, pointed at the routed CDN.
    const readme = readFileSync('README.md', 'utf8');
    const snippet = /```html\n(<script nonce[\s\S]*?<\/script>)\n```/
      .exec(readme)![1]
      .replace('https://cdn.example.com/utt/utt.js', 'https://cdn.utt.example/utt.js')
      .replace(
        'console.log(o.id, o.status, o.reason);',
        "(window.__seen = window.__seen || []).push(o.id + ' ' + o.status);",
      );
    const { page, errors, consoleMessages } = await open(browser(), {
      html: `<!doctype html><html><head>${snippet}</head><body></body></html>`,
      headers: {
        'content-security-policy':
          "script-src 'nonce-r4nd0m'; connect-src https://cdn.utt.example https://collect.northwind.example",
      },
      manifest,
      bundle: 'utt.debug.js',
    });
    await report(page);
    const seen: string[] = await page.evaluate(() => (window as any).__seen);
    // In manifest order as utt decides; the loads in whatever order the network gives.
    expect(seen.slice(0, 4)).toEqual(['nw injected', 'bj injected', 'tp disabled', 'lc invalid']);
    expect(seen.slice(4).sort()).toEqual(['bj loaded', 'nw loaded']);
    expect(consoleMessages.some((m) => m.startsWith('warning: utt 203: identifier is missing'))).toBe(true);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
