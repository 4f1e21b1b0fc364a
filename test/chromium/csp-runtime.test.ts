// The runtime under real policies in Chromium: what it checks before
// injecting (meta policies), what it learns from violations (header
// policies), nonce propagation, 'strict-dynamic' and Trusted Types.
import { describe, expect, it } from 'vitest';
import { useBrowser } from './chromium';
import { embed, manifestWith, open, ran, report, untilWarnings } from './site';

const manifest = manifestWith();
const CDN = 'https://cdn.utt.example';

const browser = useBrowser();

const html = (head: string, tag = embed()) =>
  `<!doctype html><html><head>${head}${tag}</head><body><p id="x">shop</p></body></html>`;
const statuses = (outcomes: any[]) => outcomes.map((o) => [o.id, o.status, o.reason, o.warnings ?? []]);
const violations = (page: any) => page.evaluate(() => (window as any).__violations ?? []) as Promise<string[]>;
const watch = `<script nonce="r4nd0m">window.__violations=[];document.addEventListener('securitypolicyviolation',function(e){__violations.push(e.effectiveDirective+' '+e.blockedURI)})</script>`;

describe('the CSP stage in Chromium', () => {
  it('nonce-only header policy: the nonce reaches every partner script', async () => {
    const { page, errors } = await open(browser(), {
      html: html(watch, embed('data-account="A12345" nonce="r4nd0m"')),
      headers: { 'content-security-policy': "script-src 'nonce-r4nd0m'" },
      manifest,
    });
    const { outcomes } = await report(page);
    expect(statuses(outcomes)).toEqual([
      ['nw', 'loaded', '', []],
      ['bj', 'loaded', '', []],
    ]);
    expect(await ran(page)).toEqual(['cdn.northwind.example', 'tags.bluejay.example']);
    expect(await violations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("nonce + 'strict-dynamic': host lists are ignored, and utt's inserted scripts are trusted", async () => {
    const { page, errors } = await open(browser(), {
      html: html(watch, embed('data-account="A12345" nonce="r4nd0m"')),
      headers: {
        'content-security-policy':
          "script-src 'nonce-r4nd0m' 'strict-dynamic' https://nothing.example; object-src 'none'",
      },
      manifest,
    });
    const { outcomes } = await report(page);
    expect(statuses(outcomes).map((s) => s[1])).toEqual(['loaded', 'loaded']);
    expect(await ran(page)).toEqual(['cdn.northwind.example', 'tags.bluejay.example']);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a meta host allowlist that lacks a partner: blocked-csp with the fix, nothing injected, no console error', async () => {
    const policy = `script-src ${CDN} https://cdn.northwind.example; connect-src ${CDN} https://collect.northwind.example; img-src 'self'`;
    const { page, errors, consoleMessages, requested } = await open(browser(), {
      html: html(`<meta http-equiv="Content-Security-Policy" content="${policy}">`),
      manifest,
    });
    const { outcomes } = await report(page);
    expect(statuses(outcomes)).toEqual([
      ['nw', 'loaded', '', []],
      ['bj', 'blocked-csp', 'script-src: add https://tags.bluejay.example', []],
    ]);
    expect(await ran(page)).toEqual(['cdn.northwind.example']);
    expect(requested.filter((u) => u.includes('bluejay'))).toEqual([]);
    expect(await page.evaluate(() => document.querySelectorAll('script[src*="bluejay"]').length)).toBe(0);
    expect(consoleMessages).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("a meta policy that allows the scripts but not a partner's own request: a warning with its fix", async () => {
    const policy = `script-src ${CDN} https://cdn.northwind.example https://tags.bluejay.example; connect-src ${CDN}`;
    const { page } = await open(browser(), {
      html: html(`<meta http-equiv="Content-Security-Policy" content="${policy}">`),
      manifest,
    });
    const { outcomes } = await report(page);
    expect(statuses(outcomes)).toEqual([
      ['nw', 'loaded', '', ['connect-src: add https://collect.northwind.example']],
      ['bj', 'loaded', '', []],
    ]);
    await page.context().close();
  });

  it('a header policy seen only through its violations', async () => {
    const policy = `script-src 'nonce-r4nd0m' ${CDN} https://cdn.northwind.example; connect-src ${CDN}; img-src 'none'`;
    const { page, errors } = await open(browser(), {
      html: html(watch),
      headers: { 'content-security-policy': policy },
      manifest,
    });
    const { outcomes } = await report(page);
    await page.waitForFunction(() => (window as any).__violations.length >= 2);
    // The partner's own fetch fails after report: wait for its warning too.
    await untilWarnings(page, 'nw');
    const final = await report(page);
    expect(statuses(final.outcomes)).toEqual([
      ['nw', 'loaded', '', ['connect-src: add https://collect.northwind.example']],
      ['bj', 'blocked-csp', 'script-src: add https://tags.bluejay.example', []],
    ]);
    expect(outcomes.length).toBe(2);
    expect(await ran(page)).toEqual(['cdn.northwind.example']);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("Trusted Types enforced with 'trusted-types utt': partners load through utt's policy", async () => {
    const { page, errors } = await open(browser(), {
      html: html(''),
      headers: { 'content-security-policy': "require-trusted-types-for 'script'; trusted-types utt" },
      manifest,
    });
    const { outcomes } = await report(page);
    expect(statuses(outcomes).map((s) => s[1])).toEqual(['loaded', 'loaded']);
    expect(await ran(page)).toEqual(['cdn.northwind.example', 'tags.bluejay.example']);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("Trusted Types enforced without utt's policy: blocked-csp with the fix, page unharmed", async () => {
    const { page, errors } = await open(browser(), {
      html: html(''),
      headers: { 'content-security-policy': "require-trusted-types-for 'script'; trusted-types merchant" },
      manifest,
    });
    const { outcomes } = await report(page);
    expect(statuses(outcomes)).toEqual([
      ['nw', 'blocked-csp', 'trusted-types: add utt', []],
      ['bj', 'blocked-csp', 'trusted-types: add utt', []],
    ]);
    expect(await ran(page)).toEqual([]);
    expect(await page.textContent('#x')).toBe('shop');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
