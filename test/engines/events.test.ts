// Issue 30's first promise, in Chromium, Firefox and WebKit: under
// `script-src 'nonce-…' 'strict-dynamic'`, with no inline script but the
// snippet, a utt('track') queued before utt arrives, one made while consent is
// pending, one after load and one during a deferred load each reach every
// enabled vendor emulation (site.ts: engine-pixel modelled on Meta's per-pixel
// form, engine-beacon on TikTok's fan-out) exactly once, with the right
// parameters and one shared event id; refused consent sends nothing and leaves
// no vendor global; two pixels count one purchase once each. Every wait is on a
// status or a vendor's call, never on the clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Engine, type EngineName, type EnginePage, launchEngine } from './drivers';
import { manifestOf, type Site, startSite } from './site';

const ENGINES: EngineName[] = ['chromium', 'firefox', 'webkit'];
const STRICT = "script-src 'nonce-r4nd0m' 'strict-dynamic'; object-src 'none'; base-uri 'none'";
const PX1 = { id: 'px1', partner: 'engine-pixel', status: 'enabled', identifiers: { pixelId: '100001' } };
const PX2 = { id: 'px2', partner: 'engine-pixel', status: 'enabled', identifiers: { pixelId: '200002' } };
// Deferred until the visitor's first interaction.
const TK = {
  id: 'tk',
  partner: 'engine-beacon',
  status: 'enabled',
  identifiers: { siteId: 'acme' },
  load: 'interaction',
};
const ORDER = `{ transaction_id: 'T-1', value: 42.5, currency: 'EUR', items: [{ item_id: 'SKU-1', item_name: 'Mug', price: 21.25, quantity: 2 }] }`;

/**
 * README's async snippet and the page's own calls, the one inline script: init with consent required, a
 * purchase tracked before utt has arrived, and a listener that notes each integration's status.
 */
const page = (calls: string) => `<!doctype html><html><head><meta charset="utf-8"><script nonce="r4nd0m">
  (function (w, d, src) {
    if (typeof w.utt != 'function') { var q = []; (w.utt = function () { q.push(arguments); }).q = q; }
    var s = d.createElement('script'), n = d.currentScript && d.currentScript.nonce;
    s.async = true; s.src = src; if (n) s.nonce = n;
    d.head.appendChild(s);
  })(window, document, '{{CDN}}/utt.js');
  utt('on', 'integration', function (o) {
    (window.__status = window.__status || {})[o.id] = o.status;
    document.dispatchEvent(new Event('utt-status'));
  });
  utt('init', { account: 'A12345', consent: 'required' });
  ${calls}
</script></head><body><p>shop</p></body></html>`;

describe.each(ENGINES)('%s', (name) => {
  let engine: Engine;
  let site: Site;
  let current: EnginePage | undefined;
  beforeAll(async () => {
    [engine, site] = await Promise.all([launchEngine(name), startSite()]);
  }, 120_000);
  afterAll(async () => {
    await current?.close().catch(() => {});
    await engine?.close();
    await site?.close();
  });
  const load = async (html: string, manifest: object) => {
    site.scene({ html, headers: { 'content-security-policy': STRICT }, manifest });
    // WebKitWebDriver holds one session: close the previous page first.
    await current?.close();
    current = await engine.page();
    await current.goto(site.shop);
    return current;
  };
  /** Resolves once integration `id` has reached `status` (utt('on') in the snippet notes each change). */
  const until = (p: EnginePage, id: string, status: string) =>
    p.run(`const ok = () => (window.__status || {})[${JSON.stringify(id)}] === ${JSON.stringify(status)};
      return await new Promise((r) => { if (ok()) return r(1); document.addEventListener('utt-status', () => ok() && r(1)); });`);
  /** Resolves once `vendor` has recorded `n` calls whose first argument is `method`, and gives them all. */
  const calls = (p: EnginePage, vendor: string, method: string, n: number) =>
    p.run<
      unknown[][]
    >(`const mine = () => ((window.__calls || {})[${JSON.stringify(vendor)}] || []).filter((c) => c[0] === ${JSON.stringify(method)});
      return await new Promise((r) => { if (mine().length >= ${n}) return r(mine()); document.addEventListener('vendor-call', () => mine().length >= ${n} && r(mine())); });`);
  const track = (p: EnginePage, event: string, params: string) => p.run(`utt('track', '${event}', ${params});`);

  it('before utt, while consent is pending, after load, during a deferred load: every vendor once, one id per event', async () => {
    const p = await load(page(`utt('track', 'purchase', ${ORDER});`), manifestOf(PX1, PX2, TK));
    await until(p, 'px1', 'awaiting-consent');
    // While consent is pending: nothing of the vendors' exists yet.
    await track(p, 'add_to_cart', `{ value: 3, currency: 'EUR', items: [{ item_id: 'SKU-2', quantity: 1 }] }`);
    expect(await p.run('return [typeof window.fbq, typeof window.tq];')).toEqual(['undefined', 'undefined']);
    await p.run(`utt('consent', 'update', { analytics: 'granted', advertising: 'granted' });`);
    await until(p, 'px1', 'loaded');
    await until(p, 'px2', 'loaded');
    // During the deferred load: the beacon waits for an interaction, which comes next.
    await track(p, 'view_item', `{ value: 9, currency: 'EUR' }`);
    await p.run(`window.dispatchEvent(new KeyboardEvent('keydown'));`);
    await until(p, 'tk', 'loaded');
    // After load.
    await track(p, 'sign_up', `{ method: 'email' }`);

    const fb = await calls(p, 'fb', 'trackSingle', 8);
    const tk = await calls(p, 'tk', 'track', 4);
    // Exactly once each: one trackSingle per pixel per event (never a fan-out fbq('track')), one beacon call per event.
    expect(fb).toHaveLength(8);
    expect(tk).toHaveLength(4);
    const names = ['Purchase', 'AddToCart', 'ViewContent', 'CompleteRegistration'];
    for (const pixel of ['100001', '200002']) expect(fb.filter((c) => c[1] === pixel).map((c) => c[2])).toEqual(names);
    expect(tk.map((c) => c[1])).toEqual(['CompletePayment', 'AddToCart', 'ViewContent', 'CompleteRegistration']);
    // The right parameters, converted to each vendor's shape.
    expect(fb[0].slice(2, 4)).toEqual([
      'Purchase',
      { value: 42.5, currency: 'EUR', contents: [{ id: 'SKU-1', quantity: 2 }] },
    ]);
    expect(tk[0][2]).toEqual({
      value: 42.5,
      currency: 'EUR',
      order: 'T-1',
      contents: [{ content_id: 'SKU-1', price: 21.25, quantity: 2 }],
    });
    expect(fb.find((c) => c[2] === 'CompleteRegistration')![3]).toEqual({ content_name: 'email' });
    // One id per track call, shared by every vendor; four calls, four ids.
    const ids = names.map((event, i) => {
      const shared = new Set([
        ...fb.filter((c) => c[2] === event).map((c) => (c[4] as { eventID: string }).eventID),
        (tk[i][3] as { event_id: string }).event_id,
      ]);
      expect(shared.size).toBe(1);
      return [...shared][0];
    });
    expect(new Set(ids).size).toBe(4);
    // Each pixel's init came before its events, once each.
    expect((await calls(p, 'fb', 'init', 2)).map((c) => c[1]).sort()).toEqual(['100001', '200002']);
  });

  it('refused consent sends nothing and leaves no vendor global', async () => {
    const p = await load(page(`utt('track', 'purchase', ${ORDER});`), manifestOf(PX1, PX2, TK));
    await until(p, 'px1', 'awaiting-consent');
    await p.run(`utt('consent', 'update', { analytics: 'denied', advertising: 'denied' });`);
    await until(p, 'px1', 'denied-consent');
    await until(p, 'px2', 'denied-consent');
    await track(p, 'sign_up', `{ method: 'email' }`);
    // The beacon is still deferred; its moment comes, and consent refuses it too.
    await p.run(`window.dispatchEvent(new KeyboardEvent('keydown'));`);
    await until(p, 'tk', 'denied-consent');
    const events = await p.run<Record<string, string[]>>(
      `return await new Promise((r) => utt('report', (outcomes) => r(Object.fromEntries(outcomes.map((o) => [o.id, (o.events || []).map((e) => e.event + ' ' + e.status + ' ' + e.reason)])))));`,
    );
    const dropped = ['purchase dropped denied-consent', 'sign_up dropped denied-consent'];
    expect(events).toEqual({ px1: dropped, px2: dropped, tk: dropped });
    expect(
      await p.run(
        'return [typeof window.fbq, typeof window.tq, window.__calls === undefined, window.__ran === undefined];',
      ),
    ).toEqual(['undefined', 'undefined', true, true]);
  });
});
