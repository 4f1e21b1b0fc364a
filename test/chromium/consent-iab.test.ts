// Consent against the IAB Tech Lab's own libraries, in Chromium: TC strings
// encoded by @iabtechlabtcf/core, the official stub placed before utt, the
// official CmpApi arriving after it, the official GPP CmpApi, and CMPs in a
// cross-origin parent frame reached through their locator frames.
import { describe, expect, it } from 'vitest';
import { useBrowser } from './chromium';
import { IAB_BUNDLE, TCF_CMP, TCF_STUB } from './iab';
import { consentManifest, embed, open, report, statuses, until } from './site';

const browser = useBrowser();
const manifest = consentManifest;
const script = (body: string) => `<script>${body.replace(/<\/script/gi, '<\\/script')}</script>`;
/** The CMP's scripts, in the order CMPs ship them: the stub first, the library, then our decision helper. */
const CMP = script(TCF_STUB) + script(IAB_BUNDLE) + script(TCF_CMP);
const html = (head: string) =>
  `<!doctype html><html><head>${head}${embed()}</head><body><p id="x">shop</p></body></html>`;

/** utt in a frame of shop.example, inside a page of https://cmp.example whose <head> holds `parentHead`. */
async function framed(parentHead: string) {
  const parent = `<!doctype html><html><head>${parentHead}</head><body><iframe id="child" src="https://shop.example/child"></iframe></body></html>`;
  const opened = await open(browser(), {
    html: '',
    pages: { '/child': html('') },
    origins: { 'https://cmp.example/': parent },
    start: 'https://cmp.example/',
    manifest,
  });
  const child = (await (await opened.page.waitForSelector('#child')).contentFrame())!;
  return { ...opened, child };
}

describe('TCF with the official stub, CmpApi and TC strings', () => {
  it('a late CmpApi after the stub: UI shown, then a grant; each partner by its purposes', async () => {
    const { page, errors } = await open(browser(), { html: html(CMP), manifest });
    await until(page, 'or', 'loaded');
    await page.evaluate(() => (window as any).cmp('ui'));
    expect(await page.evaluate(() => document.querySelectorAll('script[src*="northwind"]').length)).toBe(0);
    await page.evaluate(() => (window as any).cmp({ purposes: [1, 8, 9, 10], vendors: [9001] }));
    await until(page, 'nw', 'loaded');
    await until(page, 'bj', 'denied-consent tcf: purpose 2');
    expect(statuses((await report(page)).outcomes)).toEqual({
      nw: 'loaded',
      bj: 'denied-consent tcf: purpose 2',
      or: 'loaded',
    });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('gdprApplies false: every partner loads', async () => {
    const { page } = await open(browser(), { html: html(CMP), manifest });
    await page.evaluate(() => (window as any).cmp({ gdprApplies: false }));
    await until(page, 'nw', 'loaded');
    await until(page, 'bj', 'loaded');
    await page.context().close();
  });

  it('a missing vendor consent and a publisher restriction are named in the reason', async () => {
    const { page } = await open(browser(), { html: html(CMP), manifest });
    await page.evaluate(() =>
      (window as any).cmp({
        purposes: [1, 2, 3, 4, 7, 8, 9, 10],
        vendors: [9002],
        // Vendor 9002, purpose 3: not allowed at all.
        restrictions: [[9002, 3, 0]],
      }),
    );
    await until(page, 'nw', 'denied-consent tcf: vendor 9001');
    await until(page, 'bj', 'denied-consent tcf: publisher restriction, purpose 3');
    await page.context().close();
  });

  it('the CMP in a cross-origin parent frame, through the official stub’s locator frame', async () => {
    // The parent has decided before utt asks: the stub (1.5.16 and later) answers a framed caller only at once.
    const { page, child, errors } = await framed(CMP + script('cmp({ purposes: [1, 8, 9, 10], vendors: [9001] });'));
    await until(child, 'nw', 'loaded');
    await until(child, 'bj', 'denied-consent tcf: purpose 2');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

/** The official GPP CmpApi with a US national section; `gpp(optOut)` makes the signal ready. */
const GPP = `${script(IAB_BUNDLE)}${script(`
  var gppApi = new IAB.GppCmpApi(300, 1);
  window.gpp = function (saleOptOut) {
    gppApi.setApplicableSections([7]);
    gppApi.setFieldValue('usnat', 'SaleOptOut', saleOptOut);
    gppApi.setFieldValue('usnat', 'SaleOptOutNotice', 1);
    gppApi.setSignalStatus('ready');
  };
`)}`;

/**
 * The parent's half of the GPP locator protocol, as the GPP stub provides it:
 * a `__gppLocator` frame, and `__gppCall` messages answered by the official
 * CmpApi's __gpp, with `__gppReturn`.
 */
const GPP_BRIDGE = script(`
  var locator = document.createElement('iframe'); locator.name = '__gppLocator'; locator.style.display = 'none';
  document.documentElement.appendChild(locator);
  addEventListener('message', function (e) {
    var call = e.data && e.data.__gppCall;
    if (!call) return;
    window.__gpp(call.command, function (value, success) {
      e.source.postMessage({ __gppReturn: { returnValue: value, success: success, callId: call.callId } }, '*');
    }, call.parameter, call.version);
  });
`);

describe('GPP with the official CmpApi', () => {
  it('a usnat sale opt-out refuses the partner that sells data, once the signal is ready', async () => {
    const { page } = await open(browser(), { html: html(GPP), manifest });
    await until(page, 'nw', 'loaded');
    await page.evaluate(() => (window as any).gpp(1));
    await until(page, 'bj', 'denied-consent gpp: usnat SaleOptOut');
    await page.context().close();
  });

  it('no opt-out: the sale partner loads', async () => {
    const { page } = await open(browser(), { html: html(GPP), manifest });
    await page.evaluate(() => (window as any).gpp(2));
    await until(page, 'bj', 'loaded');
    await page.context().close();
  });

  it('the CMP in a cross-origin parent frame, through __gppLocator', async () => {
    const { page, child, errors } = await framed(GPP + GPP_BRIDGE + script('gpp(1);'));
    await until(child, 'nw', 'loaded');
    await until(child, 'bj', 'denied-consent gpp: usnat SaleOptOut');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('utt.iab.js, the TCF and GPP code, on demand', () => {
  it('a page without a CMP never requests it', async () => {
    const { page, requested } = await open(browser(), { html: html(''), manifest });
    await until(page, 'nw', 'loaded');
    await report(page);
    expect(requested.filter((u) => /utt\.(iab|csp)\.js/.test(u))).toEqual([]);
    await page.context().close();
  });

  it('a page with a CMP requests it while the manifest is still on its way', async () => {
    // The manifest never arrives: the chunk is requested all the same, so it cannot add a round trip after it.
    const { page, requested } = await open(browser(), { html: html(CMP), manifest, hangManifest: true });
    await expect.poll(() => requested.filter((u) => u.endsWith('/utt.iab.js')).length).toBe(1);
    expect(requested.filter((u) => u.includes('/manifests/'))).toHaveLength(1);
    expect(await page.evaluate(() => Object.keys((window as any).__outcomes || {}).length)).toBe(0);
    await page.context().close();
  });
});
