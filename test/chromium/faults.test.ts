// What the real web does to a loader, in Chromium: single-page navigation,
// utt included twice, and partners that 404, never answer or throw. Each
// time the page stays usable and the other integrations are unaffected.
import { describe, expect, it } from 'vitest';
import { useBrowser } from './chromium';
import { embed, manifestWith, open, ran, report, timeline } from './site';

const manifest = manifestWith({
  id: 'or',
  partner: 'orbit-reviews',
  status: 'enabled',
  identifiers: { storeId: 'acme-outdoor', region: 'eu' },
});
const page_ = (head: string, body = '<p id="x">shop</p><button id="b">buy</button>') =>
  `<!doctype html><html><head>${head}</head><body>${body}</body></html>`;
const snippet = (timeout: number) => `<script>
  (function (w, d, src) {
    w.utt = w.utt || function () { (w.utt.q = w.utt.q || []).push(arguments); };
    var s = d.createElement('script'); s.async = true; s.src = src; d.head.appendChild(s);
  })(window, document, 'https://cdn.utt.example/utt.js');
  utt('init', { account: 'A12345', timeout: ${timeout} });
</script>`;
const usable = async (page: any) => {
  await page.click('#b');
  return page.textContent('#x');
};

const browser = useBrowser();

describe('faults in Chromium', () => {
  it('a single-page app navigating with the History API: nothing is injected twice', async () => {
    const { page, errors } = await open(browser(), { html: page_(embed()), manifest });
    await report(page);
    await page.evaluate(() => {
      history.pushState({}, '', '/product/2');
      history.pushState({}, '', '/cart');
      history.back();
      dispatchEvent(new PopStateEvent('popstate'));
    });
    // A report is answered in a later task: anything the navigation started has run by then.
    await report(page);
    expect(await page.evaluate(() => document.querySelectorAll('script[src*=".example/"]').length)).toBe(4); // utt + 3
    expect(await ran(page)).toEqual(['cdn.northwind.example', 'static.orbit.example', 'tags.bluejay.example']);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('utt included twice: one runtime, one manifest request, each partner once', async () => {
    const { page, errors, requested } = await open(browser(), { html: page_(embed() + embed()), manifest });
    await report(page);
    // Asked again, in a later task: the second copy has had its turn.
    const { outcomes } = await report(page);
    expect(outcomes.map((o) => o.status)).toEqual(['loaded', 'loaded', 'loaded']);
    expect(requested.filter((u) => u.endsWith('/manifests/A12345.json')).length).toBe(1);
    expect(await ran(page)).toEqual(['cdn.northwind.example', 'static.orbit.example', 'tags.bluejay.example']);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a partner script that returns 404: failed, the others load', async () => {
    const { page, errors } = await open(browser(), {
      html: page_(embed()),
      manifest,
      partner: (url) => (url.hostname === 'tags.bluejay.example' ? { status: 404, body: 'not found' } : undefined),
    });
    const { outcomes } = await report(page);
    expect(outcomes.map((o) => [o.id, o.status, o.reason])).toEqual([
      ['nw', 'loaded', ''],
      ['bj', 'failed', 'error'],
      ['or', 'loaded', ''],
    ]);
    expect(await usable(page)).toBe('shop');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a partner script that never answers: failed after the timeout, the others load', async () => {
    const { page, errors } = await open(browser(), {
      html: page_(snippet(800)),
      manifest,
      partner: (url) => (url.hostname === 'static.orbit.example' ? { hang: true } : undefined),
    });
    const { outcomes } = await report(page);
    // The page's own clock: no earlier than the snippet's 800 ms timeout after injection.
    const [[injected, , at], [failed, , end]] = await timeline(page, 'or');
    expect([injected, failed]).toEqual(['injected', 'failed']);
    expect(end - at).toBeGreaterThanOrEqual(799);
    expect(outcomes.map((o) => [o.id, o.status, o.reason])).toEqual([
      ['nw', 'loaded', ''],
      ['bj', 'loaded', ''],
      ['or', 'failed', 'timeout'],
    ]);
    expect(await usable(page)).toBe('shop');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a partner script that throws at top level: its error is its own, the others and the page go on', async () => {
    const { page, errors } = await open(browser(), {
      html: page_(embed()),
      manifest,
      partner: (url) =>
        url.hostname === 'cdn.northwind.example' ? { body: "throw new Error('northwind bug')" } : undefined,
    });
    const { outcomes } = await report(page);
    // The script did load (its load event fires): what it does after is the partner's.
    expect(outcomes.map((o) => o.status)).toEqual(['loaded', 'loaded', 'loaded']);
    expect(await ran(page)).toEqual(['static.orbit.example', 'tags.bluejay.example']);
    expect(errors).toEqual([expect.stringContaining('Error: northwind bug')]);
    expect(await usable(page)).toBe('shop');
    await page.context().close();
  });
});
