// The per-account tag in Chromium: `utt build-account`'s output, served
// beside utt.js, under the strictest policy. No manifest request; the checks
// that need the page (CSP, consent, duplicates) still run.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { accountScript, compileAccount, templatePath } from '../../build/account.mjs';
import { loadRegistry } from '../../build/registry.mjs';
import { useBrowser } from './chromium';
import { CDN, consentManifest, open, report, statuses, until } from './site';

const browser = useBrowser();
const { entries } = loadRegistry({ only: '' });

/** <account>.js for this manifest, as `utt build-account` writes it. */
const tagFor = (manifest: unknown) => {
  const { compiled, problems } = compileAccount(JSON.stringify(manifest), entries);
  expect(problems).toEqual([]);
  return {
    js: accountScript(readFileSync(templatePath(compiled!, 'dist'), 'utf8'), compiled),
    version: compiled![1] as string,
  };
};
const page = (head: string) => `<!doctype html><html><head>${head}</head><body><p>shop</p></body></html>`;

describe('the per-account tag', () => {
  it("loads its partners with no manifest request, under nonce + 'strict-dynamic', and reports its publish", async () => {
    const { js, version } = tagFor(consentManifest);
    const {
      page: p,
      requested,
      errors,
    } = await open(browser(), {
      html: page(`<script async nonce="r4nd0m" src="${CDN}/A12345.js"></script>`),
      headers: { 'content-security-policy': "script-src 'nonce-r4nd0m' 'strict-dynamic'; object-src 'none'" },
      accounts: { '/A12345.js': js },
    });
    const { outcomes, manifest } = await report(p);
    expect(statuses(outcomes)).toEqual({ nw: 'loaded', bj: 'loaded', or: 'loaded' });
    expect(manifest).toMatchObject({ account: 'A12345', status: 'ok', version });
    expect(requested.filter((u) => u.includes('/manifests/'))).toEqual([]);
    expect(errors).toEqual([]);
    await p.context().close();
  });

  it('a meta policy still holds back the partner it blocks, with the fix, through utt.csp.js', async () => {
    const { js } = tagFor(consentManifest);
    const policy = `script-src ${CDN} https://cdn.northwind.example https://static.orbit.example`;
    const { page: p, requested } = await open(browser(), {
      html: page(
        `<meta http-equiv="Content-Security-Policy" content="${policy}"><script async src="${CDN}/A12345.js"></script>`,
      ),
      accounts: { '/A12345.js': js },
    });
    const { outcomes } = await report(p);
    expect(statuses(outcomes)).toEqual({
      nw: 'loaded',
      bj: 'blocked-csp script-src: add https://tags.bluejay.example',
      or: 'loaded',
    });
    expect(requested.filter((u) => u.includes('bluejay'))).toEqual([]);
    await p.context().close();
  });

  it('an account with a waiting partner and a setup block gets the template that keeps both stages (and events: Meta maps some), and they run', async () => {
    const manifest = {
      version: 1,
      account: 'A12345',
      integrations: [
        { id: 'chat', partner: 'lumen-chat', status: 'enabled', identifiers: { widgetKey: 'lc_9fK2mQ7xL4pR8tV1' } },
        { id: 'fb', partner: 'meta-pixel', status: 'enabled', identifiers: { pixelId: '123456789012345' } },
      ],
    };
    const { compiled } = compileAccount(JSON.stringify(manifest), entries);
    expect(templatePath(compiled!, 'dist')).toBe('dist/utt.account.events.js');
    const { js } = tagFor(manifest);
    const { page: p, requested } = await open(browser(), {
      html: page(`<script async src="${CDN}/A12345.js"></script>`),
      accounts: { '/A12345.js': js },
    });
    await until(p, 'fb', 'loaded');
    // The setup block ran: the emulated fbevents.js drained Meta's queue: the consent Meta is told, then the init.
    expect(await p.evaluate(() => (window as any).__vendors['meta-pixel'].slice(0, 2))).toEqual([
      ['consent', 'grant'],
      ['init', '123456789012345'],
    ]);
    await until(p, 'chat', 'deferred interaction');
    expect(requested.filter((u) => u.includes('lumen'))).toEqual([]);
    await p.mouse.click(5, 5);
    await until(p, 'chat', 'loaded');
    await p.context().close();
  });

  it("verify mode reads the tag's own integrations", async () => {
    const { js } = tagFor(consentManifest);
    const { page: p } = await open(browser(), {
      html: page(`<script async src="${CDN}/A12345.js"></script>`),
      accounts: { '/A12345.js': js },
    });
    const result = await p.evaluate(() => new Promise((resolve) => (window as any).utt('verify', resolve)));
    expect((result as any[]).map((v) => [v.id, v.status])).toEqual([
      ['nw', 'enabled'],
      ['bj', 'enabled'],
      ['or', 'enabled'],
    ]);
    await p.context().close();
  });
});

describe('the per-account tag and utt("track")', () => {
  it('loads utt.events.js beside it on the first track: an event queued before it and one after reach each vendor once, with one id', async () => {
    const manifest = {
      version: 1,
      account: 'A12345',
      integrations: [
        { id: 'fb', partner: 'meta-pixel', status: 'enabled', identifiers: { pixelId: '123456789012345' } },
        {
          id: 'li',
          partner: 'linkedin-insight',
          status: 'enabled',
          identifiers: { partnerId: '123456', purchaseConversionId: '5550001' },
        },
      ],
    };
    const { js } = tagFor(manifest);
    // The tag carries the two partners' mappings, not the events stage: that is utt.events.js.
    expect(js).not.toContain('no-mapping');
    const order = `{ transaction_id: 'T-9', value: 10, currency: 'EUR', items: [{ item_id: 'S', price: 5, quantity: 2 }] }`;
    const {
      page: p,
      requested,
      errors,
    } = await open(browser(), {
      html: page(`<script nonce="r4nd0m">
        (window.utt = function () { (window.utt.q = window.utt.q || []).push(arguments); }).q = [];
        utt('track', 'purchase', ${order});
      </script><script async nonce="r4nd0m" src="${CDN}/A12345.js"></script>`),
      headers: { 'content-security-policy': "script-src 'nonce-r4nd0m' 'strict-dynamic'; object-src 'none'" },
      accounts: { '/A12345.js': js },
    });
    await until(p, 'fb', 'loaded');
    await until(p, 'li', 'loaded');
    await p.evaluate(() => (window as any).utt('track', 'sign_up', { method: 'email' }));
    const vendors = () => p.evaluate(() => (window as any).__vendors ?? {}) as Promise<Record<string, any[]>>;
    await expect
      .poll(async () => (await vendors())['meta-pixel']?.filter((c) => c[0] === 'trackSingle').length)
      .toBe(2);
    const v = await vendors();
    const id = v['meta-pixel'].find((c) => c[0] === 'trackSingle')[4].eventID;
    expect(v['linkedin-insight'].filter((c) => c[0] === 'track')).toEqual([
      ['track', { conversion_id: 5550001, conversion_value: 10, currency: 'EUR', event_id: id }],
    ]);
    const { outcomes } = await report(p);
    expect(outcomes.find((o: any) => o.id === 'li').events.map((e: any) => `${e.event} ${e.status}`)).toEqual([
      'purchase sent',
      'sign_up no-mapping',
    ]);
    expect(requested.filter((u) => u.endsWith('/utt.events.js'))).toEqual([`${CDN}/utt.events.js`]);
    expect(errors).toEqual([]);
    await p.context().close();
  });
});
