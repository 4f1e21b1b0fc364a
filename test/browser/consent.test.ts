// Consent in Chromium: no partner script runs before the consent its
// registry entry needs, whatever the signal (TCF, GPP, GPC, the merchant).
import { describe, expect, it } from 'vitest';
import { useBrowser } from './chromium';
import { embed, manifestWith, open, ran, report, timeline, until } from './site';

const browser = useBrowser();
const manifest = manifestWith({
  id: 'or',
  partner: 'orbit-reviews',
  status: 'enabled',
  identifiers: { storeId: 'acme-outdoor', region: 'eu' },
});
const statuses = (outcomes: any[]) =>
  Object.fromEntries(outcomes.map((o) => [o.id, `${o.status}${o.reason ? ` ${o.reason}` : ''}`]));

/**
 * A TCF v2.2 CMP stub: shows its UI at once, and answers addEventListener with
 * these consents when the test calls window.__decide() (or at once, `now`).
 */
const tcfCmp = (now: boolean, purposes: number[], vendors: number[], status = 'useractioncomplete') => `<script>
  window.__tcfapi = function (command, version, cb) {
    if (command !== 'addEventListener') return cb(null, false);
    cb({ eventStatus: 'cmpuishown', gdprApplies: true }, true);
    var decide = window.__decide = function () {
      var pc = {}, vc = {};
      ${JSON.stringify(purposes)}.forEach(function (p) { pc[p] = true; });
      ${JSON.stringify(vendors)}.forEach(function (v) { vc[v] = true; });
      cb({ eventStatus: '${status}', gdprApplies: true, tcString: 'CO-test', purpose: { consents: pc, legitimateInterests: {} },
           vendor: { consents: vc, legitimateInterests: {} }, publisher: { restrictions: {} } }, true);
    };
    if (${now}) decide();
  };
</script>`;
const html = (head: string, tag = embed()) =>
  `<!doctype html><html><head>${head}${tag}</head><body><p id="x">shop</p></body></html>`;

describe('consent in Chromium', () => {
  it('a TCF CMP that answers later: nothing before, the allowed partners after', async () => {
    const { page, errors } = await open(browser(), { html: html(tcfCmp(false, [1, 8, 9, 10], [9001])), manifest });
    await until(page, 'or', 'loaded');
    // Held from the start. (On a slow machine utt's 3 s consent timeout may then deny them: the answer still lets them in.)
    for (const id of ['nw', 'bj'])
      expect((await timeline(page, id))[0].slice(0, 2)).toEqual(['awaiting-consent', 'tcf']);
    // Before the answer: only the partner that needs no TCF consent has run.
    expect(await ran(page)).toEqual(['static.orbit.example']);
    expect(
      await page.evaluate(() => document.querySelectorAll('script[src*="northwind"],script[src*="bluejay"]').length),
    ).toBe(0);
    await page.evaluate(() => (window as any).__decide());
    await until(page, 'nw', 'loaded');
    const { outcomes } = await report(page);
    expect(statuses(outcomes)).toEqual({ nw: 'loaded', bj: 'denied-consent tcf: purpose 2', or: 'loaded' });
    expect(await ran(page)).toEqual(['cdn.northwind.example', 'static.orbit.example']);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a TCF refusal: denied-consent with the purpose, nothing of theirs runs', async () => {
    const { page } = await open(browser(), { html: html(tcfCmp(true, [], [])), manifest });
    await until(page, 'nw', 'denied-consent tcf: purpose 1');
    await until(page, 'bj', 'denied-consent tcf: purpose 1');
    const { outcomes } = await report(page);
    expect(statuses(outcomes)).toEqual({
      nw: 'denied-consent tcf: purpose 1',
      bj: 'denied-consent tcf: purpose 1',
      or: 'loaded',
    });
    expect(await ran(page)).toEqual(['static.orbit.example']);
    await page.context().close();
  });

  it('a TCF CMP in a parent frame, reached through __tcfapiLocator', async () => {
    const parent = `<!doctype html><html><head><script>
      var locator = document.createElement('iframe'); locator.name = '__tcfapiLocator'; locator.style.display = 'none';
      document.documentElement.appendChild(locator);
      addEventListener('message', function (e) {
        var call = e.data && e.data.__tcfapiCall;
        if (!call || call.command !== 'addEventListener') return;
        var answer = { eventStatus: 'tcloaded', gdprApplies: true, purpose: { consents: { 1: true, 8: true, 9: true, 10: true }, legitimateInterests: {} },
                       vendor: { consents: { 9001: true }, legitimateInterests: {} }, publisher: { restrictions: {} } };
        e.source.postMessage({ __tcfapiReturn: { returnValue: answer, success: true, callId: call.callId } }, '*');
      });
    </script></head><body><iframe id="child" src="/child"></iframe></body></html>`;
    const { page, errors } = await open(browser(), {
      html: parent,
      pages: { '/child': html('') },
      manifest,
    });
    const child = await (await page.waitForSelector('#child')).contentFrame();
    await until(child!, 'nw', 'loaded');
    await until(child!, 'bj', 'denied-consent tcf: purpose 2');
    const outcomes = await child!.evaluate(
      () => new Promise<any[]>((resolve) => (window as any).utt('report', (o: any[]) => resolve(o))),
    );
    expect(statuses(outcomes)).toEqual({ nw: 'loaded', bj: 'denied-consent tcf: purpose 2', or: 'loaded' });
    expect(errors).toEqual([]);
    await page.context().close();
  });

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

  it('a GPP opt-out of sale refuses the partner that sells data, once the signal is ready', async () => {
    const gpp = `<script>
      window.__gpp = function (command, cb) {
        if (command !== 'addEventListener') return;
        cb({ eventName: 'listenerRegistered', pingData: { signalStatus: 'not ready' } }, true);
        window.__ready = function () {
          cb({ eventName: 'signalStatus', pingData: { signalStatus: 'ready', applicableSections: [7],
               parsedSections: { usnat: { SaleOptOut: 1, SharingOptOut: 2, TargetedAdvertisingOptOut: 2 } } } }, true);
        };
      };
    </script>`;
    const { page } = await open(browser(), { html: html(gpp), manifest });
    await until(page, 'nw', 'loaded');
    expect((await timeline(page, 'bj'))[0].slice(0, 2)).toEqual(['awaiting-consent', 'gpp']);
    await page.evaluate(() => (window as any).__ready());
    await until(page, 'bj', 'denied-consent gpp: usnat SaleOptOut');
    const { outcomes } = await report(page);
    expect(statuses(outcomes)).toEqual({ nw: 'loaded', bj: 'denied-consent gpp: usnat SaleOptOut', or: 'loaded' });
    expect(await ran(page)).not.toContain('tags.bluejay.example');
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
