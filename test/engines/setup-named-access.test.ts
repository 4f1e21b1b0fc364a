// Named access never counts as a global, in Chromium, Firefox and WebKit: an
// element or a frame named like a global that a setup block creates lives on
// window's prototype chain (the WindowProperties object), not on window itself.
// utt's stub then becomes window's own property, shadowing it: the vendor's
// queue works and the page's later calls do not throw. The partner is the
// suite's engine-widget, whose setup block creates the stub `ow`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Engine, type EngineName, type EnginePage, launchEngine } from './drivers';
import { integrations as I, manifestOf, type Site, startSite } from './site';

const ENGINES: EngineName[] = ['chromium', 'firefox', 'webkit'];
/** Each way markup can name `ow` (and, for the form, its queue `q`). */
const MARKUP: Record<string, string> = {
  a: '<a id="ow" href="https://evil.example/">x</a>',
  iframe: '<iframe name="ow"></iframe>',
  form: '<form name="ow"><input name="q"></form>',
  embed: '<embed name="ow">',
  object: '<object id="ow"></object>',
  collection: '<img id="ow"><img id="ow">',
};

describe.each(ENGINES)('%s', (name) => {
  let engine: Engine;
  let site: Site;
  let page: EnginePage | undefined;
  beforeAll(async () => {
    [engine, site] = await Promise.all([launchEngine(name), startSite()]);
  }, 120_000);
  afterAll(async () => {
    await page?.close().catch(() => {});
    await engine?.close();
    await site?.close();
  });

  it('markup named like a setup stub: the stub works and the page can call it', async () => {
    const seen: Record<string, unknown> = {};
    for (const [kind, markup] of Object.entries(MARKUP)) {
      site.scene({
        html: `<!doctype html><html><head><meta charset="utf-8"></head><body>${markup}<script async src="{{CDN}}/utt.js" data-account="A12345"></script></body></html>`,
        manifest: manifestOf(I.or),
      });
      await page?.close();
      page = await engine.page();
      await page.goto(site.shop);
      seen[kind] = await page.run(`
        window.utt = window.utt || function () { (window.utt.q = window.utt.q || []).push(arguments); };
        const [outcome] = await new Promise((r) => utt('report', r));
        // The page's own later call, as the vendor's snippet lets it make one.
        let call = 'ok';
        try { ow('track', 'x'); } catch (e) { call = String(e); }
        return [
          outcome.status,
          Object.prototype.hasOwnProperty.call(window, 'ow'),
          typeof window.ow,
          window.__ow,
          call,
        ];`);
    }
    const ok = ['loaded', true, 'function', [['init', 'acme-outdoor']], 'ok'];
    expect(seen).toEqual(Object.fromEntries(Object.keys(MARKUP).map((k) => [k, ok])));
  });
});
