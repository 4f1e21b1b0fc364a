// What each partner costs, in Chromium: utt('costs') loads utt.cost.js and
// attributes Long Animation Frame script time and Resource Timing bytes to
// each integration. A heavy emulated partner (a 100 ms busy loop) must be
// named; a light one must not.
import { describe, expect, it } from 'vitest';
import { useBrowser } from './chromium';
import { embed, manifestWith, open, report, until } from './site';

const browser = useBrowser();
const html = (attrs?: string) => `<!doctype html><html><head>${embed(attrs)}</head><body><p>shop</p></body></html>`;
/** Bluejay's emulated script burns 100 ms of main thread; Northwind's is the usual few lines. */
const heavy = (url: URL) =>
  url.hostname === 'tags.bluejay.example'
    ? {
        body: `(window.__ran = window.__ran || []).push('tags.bluejay.example');
               var t = performance.now(); while (performance.now() - t < 100) {}`,
      }
    : undefined;
const costs = (page: any) => page.evaluate(() => new Promise((r) => (window as any).utt('costs', r))) as Promise<any[]>;

describe('partner costs', () => {
  it('names the heavy partner: at least 80 ms attributed to it, under 20 ms to the light one; sizes hidden without Timing-Allow-Origin', async () => {
    const { page, requested } = await open(browser(), { html: html(), manifest: manifestWith(), partner: heavy });
    await until(page, 'nw', 'loaded');
    await until(page, 'bj', 'loaded');
    // utt.cost.js is requested only now, when asked.
    expect(requested.filter((u) => u.endsWith('/utt.cost.js'))).toEqual([]);
    const list = await costs(page);
    const by = Object.fromEntries(list.map((c) => [c.id, c]));
    expect(by.bj.mainThread).toBeGreaterThanOrEqual(80);
    expect(by.bj.longFrames).toBeGreaterThanOrEqual(1);
    expect(by.nw.mainThread).toBeLessThan(20);
    // The test routes answer with Access-Control-Allow-Origin only: without Timing-Allow-Origin the sizes are hidden.
    for (const c of list) expect(c.bytes).toBe('no timing-allow-origin');
    expect(requested.filter((u) => u.endsWith('/utt.cost.js'))).toHaveLength(1);
    await page.context().close();
  });

  it("with data-costs, utt('report') gives each loaded integration its cost; other outcomes get none", async () => {
    const { page } = await open(browser(), {
      html: html('data-account="A12345" data-costs'),
      manifest: manifestWith({ id: 'bad', partner: 'bluejay-ads', status: 'enabled', identifiers: { accountId: 5 } }),
      partner: heavy,
    });
    const { outcomes } = await report(page);
    const by = Object.fromEntries(outcomes.map((o: any) => [o.id, o]));
    expect(by.bj.status).toBe('loaded');
    expect(by.bj.cost.mainThread).toBeGreaterThanOrEqual(80);
    expect(by.bj.cost.longFrames).toBeGreaterThanOrEqual(1);
    expect(by.nw.cost.mainThread).toBeLessThan(20);
    expect(by.nw.cost.bytes).toBe('no timing-allow-origin');
    expect(by.bad.status).toBe('invalid');
    expect(by.bad).not.toHaveProperty('cost');
    await page.context().close();
  });

  it("without data-costs, the report has no costs until utt('costs') has loaded the chunk", async () => {
    const { page } = await open(browser(), { html: html(), manifest: manifestWith(), partner: heavy });
    const before = await report(page);
    expect(before.outcomes.filter((o: any) => 'cost' in o)).toEqual([]);
    await costs(page);
    const after = await report(page);
    expect(Object.fromEntries(after.outcomes.map((o: any) => [o.id, o.cost.mainThread >= 80]))).toEqual({
      nw: false,
      bj: true,
    });
    await page.context().close();
  });

  it('data-costs loads it at start; a page that never asks never requests it', async () => {
    const asked = await open(browser(), { html: html('data-account="A12345" data-costs'), manifest: manifestWith() });
    await until(asked.page, 'bj', 'loaded');
    await expect.poll(() => asked.requested.filter((u) => u.endsWith('/utt.cost.js')).length).toBe(1);
    await asked.page.context().close();
    const quiet = await open(browser(), { html: html(), manifest: manifestWith() });
    await until(quiet.page, 'bj', 'loaded');
    await until(quiet.page, 'nw', 'loaded');
    expect(quiet.requested.filter((u) => u.endsWith('/utt.cost.js'))).toEqual([]);
    await quiet.page.context().close();
  });
});
