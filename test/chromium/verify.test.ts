// Verify mode in Chromium: utt('verify') loads utt.csp.js beside utt.js
// and fills in the hub's checklist from the page's real policies, header
// ones included, for enabled and disabled integrations alike.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadRegistry } from '../../build/registry.mjs';
import { useBrowser } from './chromium';
import { embed, open } from './site';

const browser = useBrowser();
const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

const manifest = {
  version: 1,
  account: 'A12345',
  integrations: [
    { id: 'nw', partner: 'northwind-analytics', status: 'enabled', identifiers: { domain: 'shop.example' } },
    { id: 'bj', partner: 'bluejay-ads', status: 'disabled', identifiers: { accountId: 482913 } },
    { id: 'lc', partner: 'lumen-chat', status: 'disabled', identifiers: { widgetKey: 'lc_short' } },
  ],
};

const verify = (page: any) =>
  page.evaluate(() => new Promise((resolve) => (window as any).utt('verify', resolve))) as Promise<any>;
const items = (v: any) => Object.fromEntries(v.items.map((i: any) => [i.item, i]));

describe('verify mode', () => {
  it('checks every integration against header and meta policies, with evidence and fixes', async () => {
    const { page, errors } = await open(browser(), {
      html: `<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="img-src 'self'">${embed(
        'data-account="A12345" nonce="n0nce"',
      )}</head><body></body></html>`,
      headers: {
        'content-security-policy':
          "script-src 'nonce-n0nce' https://cdn.utt.example; connect-src 'self' https://cdn.utt.example",
      },
      manifest,
    });
    const result = await verify(page);
    expect(result.map((v: any) => [v.id, v.status])).toEqual([
      ['nw', 'enabled'],
      ['bj', 'disabled'],
      ['lc', 'disabled'],
    ]);
    const nw = items(result[0]);
    expect(nw.placement).toMatchObject({ result: 'pass' });
    expect(nw.identifiers).toMatchObject({ result: 'pass' });
    expect(nw.csp.result).toBe('fail');
    expect(nw.csp.checks).toEqual([
      {
        type: 'script',
        target: 'https://cdn.northwind.example/na.js?d=shop.example',
        verdict: 'allow',
        directive: 'script-src',
        policy: '',
      },
      {
        type: 'connect',
        target: 'https://collect.northwind.example',
        verdict: 'block',
        directive: 'connect-src',
        policy: 'header',
        fix: 'connect-src: add https://collect.northwind.example',
      },
    ]);
    const bj = items(result[1]);
    expect(bj.csp.checks[1]).toMatchObject({
      type: 'img',
      verdict: 'block',
      policy: 'meta',
      fix: 'img-src: add https://px.bluejay.example',
    });
    const lc = items(result[2]);
    expect(lc.identifiers).toMatchObject({ result: 'fail', evidence: 'widgetKey: pattern' });
    expect(lc.csp.result).toBe('unknown');
    expect(lc.consent).toMatchObject({
      result: 'pass',
      evidence: 'signals: mode: default; merchant: none; tcf: none; gpp: none; gpc: off; may load now',
    });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('fails placement when the tag sits in <body>, and marks what report-only policies would report', async () => {
    const { page } = await open(browser(), {
      html: `<!doctype html><html><head></head><body>${embed()}</body></html>`,
      headers: { 'content-security-policy-report-only': "script-src 'none'" },
      manifest,
    });
    const result = await verify(page);
    const placement = items(result[0]).placement;
    expect(placement.result).toBe('fail');
    expect(placement.evidence).toMatch(/its tag is not in <head>/);
    expect(placement.fix).toMatch(/place the utt\.js tag in <head>/);
    // Report-only policies never fail a check but are reported.
    expect(items(result[0]).csp.checks[0]).toMatchObject({ verdict: 'allow', reported: true });
    await page.context().close();
  });

  it('refuses a utt.csp.js of another version (an old copy cached by a CDN), as if it had not loaded', async () => {
    const stale = readFileSync('dist/utt.csp.js', 'utf8').replace(JSON.stringify(version), '"0.0.0-stale"');
    expect(stale).not.toBe(readFileSync('dist/utt.csp.js', 'utf8'));
    const { page, requested } = await open(browser(), {
      html: `<!doctype html><html><head>${embed()}</head><body></body></html>`,
      manifest,
      chunks: { '/utt.csp.js': stale },
    });
    expect(await verify(page)).toEqual({ error: 'utt.csp.js did not load' });
    expect(requested.filter((u) => u.endsWith('/utt.csp.js')).length).toBe(1);
    await page.context().close();
  });

  it('utt.csp.js carries no registry: it checks identifiers with the partners utt.js hands it', async () => {
    const chunk = readFileSync('dist/utt.csp.js', 'utf8');
    const keys = loadRegistry({ only: '' }).entries.map(({ entry }: any) => entry.key);
    expect(keys.length).toBeGreaterThan(5);
    expect(keys.filter((k: string) => chunk.includes(JSON.stringify(k)))).toEqual([]);
    // The same chunk still checks a value against its partner's schema: the hand-off reads right across the two files.
    const { page } = await open(browser(), {
      html: `<!doctype html><html><head>${embed()}</head><body></body></html>`,
      manifest,
    });
    const result = await verify(page);
    expect(result.map((v: any) => [v.id, items(v).identifiers.result, items(v).identifiers.evidence])).toEqual([
      ['nw', 'pass', 'every identifier is valid; script https://cdn.northwind.example/na.js?d=shop.example'],
      ['bj', 'pass', 'every identifier is valid; script https://tags.bluejay.example/v2/482913/tag.js'],
      ['lc', 'fail', 'widgetKey: pattern'],
    ]);
    await page.context().close();
  });

  it("under Trusted Types without 'utt' in trusted-types, says so instead of only 'did not load'", async () => {
    const { page } = await open(browser(), {
      html: `<!doctype html><html><head>${embed()}</head><body></body></html>`,
      headers: { 'content-security-policy': "require-trusted-types-for 'script'; trusted-types merchant" },
      manifest,
    });
    expect(await verify(page)).toEqual({ error: 'utt.csp.js did not load: trusted-types: add utt' });
    await page.context().close();
  });
});
