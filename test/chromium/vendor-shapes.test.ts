// The setup shapes beyond globals, stubs and calls, in Chromium, each with a
// vendor that needs it (test/vendors): Microsoft UET (a step after the script
// loads: construction, a reference to a global), Hotjar and Criteo (integers
// stay numbers), Intercom (keys added to the merchant's own object). Each
// vendor runs twice against the same emulation of its library: first with the
// vendor's own snippet (so the emulation is known to accept it), then with utt
// under `script-src 'nonce-…' 'strict-dynamic'`; the library must see the same.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { accountScript, compileAccount, templatePath } from '../../build/account.mjs';
import { loadRegistry, PARTNERS_DIR } from '../../build/registry.mjs';
import { VENDORS, type Vendor } from '../vendors/emulations';
import { useBrowser } from './chromium';
import { CDN, open, report, statuses } from './site';

const browser = useBrowser();
const { entries, problems } = loadRegistry({ dirs: [PARTNERS_DIR, 'test/vendors/partners'], only: '' });
const STRICT = "script-src 'nonce-r4nd0m' 'strict-dynamic'; object-src 'none'; base-uri 'none'";
const WATCH = `window.__violations = []; document.addEventListener('securitypolicyviolation', function (e) { __violations.push(e.effectiveDirective + ' ' + e.blockedURI); });`;
const page = (head: string) => `<!doctype html><html><head>${head}</head><body><p>shop</p></body></html>`;
const seen = (p: any) => p.evaluate(() => (window as any).__seen ?? []);
/** Waits for the library to have recorded `count` observations: never a fixed sleep. */
const settle = (p: any, count: number) =>
  p.waitForFunction((n: number) => ((window as any).__seen || []).length >= n, count, { timeout: 30_000 });

/** A per-account tag, as `utt build-account` writes it, for these integrations. */
const tagFor = (integrations: object[]) => {
  const { compiled, problems } = compileAccount(
    JSON.stringify({ version: 1, account: 'A12345', integrations }),
    entries,
  );
  expect(problems).toEqual([]);
  return accountScript(readFileSync(templatePath(compiled!, 'dist'), 'utf8'), compiled);
};

/** Runs the vendor's snippet, then utt, against the same library; returns what the library saw each time. */
async function both(vendor: Vendor, count: number) {
  const serve = (url: URL) => (url.href === vendor.script ? { body: vendor.library } : undefined);
  const snippet = await open(browser(), { html: page(`<script>${vendor.snippet}</script>`), partner: serve });
  await settle(snippet.page, count);
  const fromSnippet = await seen(snippet.page);
  expect(snippet.errors).toEqual([]);
  await snippet.page.context().close();

  const js = tagFor([{ id: 'v', partner: vendor.key, status: 'enabled', identifiers: vendor.identifiers }]);
  const merchant = vendor.merchant ? `<script nonce="r4nd0m">${vendor.merchant}</script>` : '';
  const tagged = await open(browser(), {
    html: page(`${merchant}<script async nonce="r4nd0m" src="${CDN}/A12345.js"></script>`),
    headers: { 'content-security-policy': STRICT },
    init: WATCH,
    accounts: { '/A12345.js': js },
    partner: serve,
  });
  const { outcomes } = await report(tagged.page);
  expect(statuses(outcomes)).toEqual({ v: 'loaded' });
  await settle(tagged.page, count);
  const fromUtt = await seen(tagged.page);
  expect(await tagged.page.evaluate(() => (window as any).__violations)).toEqual([]);
  expect(tagged.errors).toEqual([]);
  return { fromSnippet, fromUtt, page: tagged.page };
}

describe('setup shapes against each vendor’s own snippet, then utt under the strict policy', () => {
  it('the test entries pass utt check', () => {
    expect(problems.filter((p: any) => p.severity !== 'warning')).toEqual([]);
  });

  it('Microsoft UET: once bat.js has loaded, window.uetq = new UET({ti, q: the page queue}), then pageLoad', async () => {
    const { fromSnippet, fromUtt, page: p } = await both(VENDORS.uet, 3);
    expect(fromSnippet).toEqual([
      ['new', 'string', '343012345', true, true],
      ['queued', 'consent'],
      ['queued', 'default'],
      ['queued', { ad_storage: 'granted' }],
      ['push', 'pageLoad'],
    ]);
    expect(fromUtt).toEqual(fromSnippet);
    // A revocation reaches the running library as UET's consent update.
    await p.evaluate(() => (window as any).utt('consent', 'update', { advertising: 'denied' }));
    expect((await seen(p)).at(-1)).toEqual(['push', 'consent', 'update', { ad_storage: 'denied' }]);
    await p.context().close();
  });

  it('Hotjar: _hjSettings.hjid is the number the merchant entered, not a string', async () => {
    const { fromSnippet, fromUtt, page: p } = await both(VENDORS.hotjar, 1);
    expect(fromSnippet).toEqual([['settings', 'number', 3618442, 'number', 6]]);
    expect(fromUtt).toEqual(fromSnippet);
    await p.context().close();
  });

  it('Criteo: setAccount gets a number; utt sends no setSiteType (docs/setup.md says why: what the format leaves to the vendor)', async () => {
    const { fromSnippet, fromUtt, page: p } = await both(VENDORS.criteo, 2);
    expect(fromSnippet).toEqual([
      ['event', { event: 'setAccount', account: 12345 }, 'number'],
      ['event', { event: 'setSiteType', type: 'd' }, 'undefined'],
      ['event', { event: 'viewHome' }, 'undefined'],
    ]);
    expect(fromUtt).toEqual(fromSnippet.filter((x: any) => x[1].event !== 'setSiteType'));
    await p.context().close();
  });

  it('Intercom: app_id and api_base join the merchant’s own intercomSettings, whose fields stay', async () => {
    const { fromSnippet, fromUtt, page: p } = await both(VENDORS.intercom, 1);
    expect(fromSnippet).toEqual([
      [
        'settings',
        [
          ['api_base', 'https://api-iam.intercom.io'],
          ['app_id', 'abc12345'],
          ['email', 'ada@shop.example'],
          ['name', 'Ada'],
        ],
      ],
    ]);
    expect(fromUtt).toEqual(fromSnippet);
    await p.context().close();
  });
});
