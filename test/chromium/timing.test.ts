// Load timing in Chromium: an `idle` partner is requested only after the
// page's load event; an `interaction` partner only after a real input, or
// the page being hidden; a `now` partner as before.
import { describe, expect, it } from 'vitest';
import { useBrowser } from './chromium';
import { embed, manifestWith, open, until } from './site';

const browser = useBrowser();
const html = `<!doctype html><html><head>${embed()}</head><body><p id="x" style="height:3000px">shop</p><img src="https://img.shop.example/p.gif" alt=""></body></html>`;
const withOrbit = (load: string) =>
  manifestWith({
    id: 'or',
    partner: 'orbit-reviews',
    status: 'enabled',
    load,
    identifiers: { storeId: 'acme-outdoor', region: 'eu' },
  });
const orbitRequested = (requested: string[]) => requested.filter((u) => u.includes('static.orbit.example'));

describe('load timing in Chromium', () => {
  it('idle: requested only after the load event; the now partners as before', async () => {
    const { page } = await open(browser(), { html, manifest: withOrbit('idle') });
    await until(page, 'or', 'loaded');
    await until(page, 'nw', 'loaded');
    const t = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const orbit = performance.getEntriesByType('resource').find((e) => e.name.includes('static.orbit.example'))!;
      const nw = performance.getEntriesByType('resource').find((e) => e.name.includes('cdn.northwind.example'))!;
      return { load: nav.loadEventStart, orbit: orbit.startTime, nw: nw.startTime };
    });
    expect(t.load).toBeGreaterThan(0);
    expect(t.orbit).toBeGreaterThanOrEqual(t.load);
    expect(t.nw).toBeLessThan(t.orbit);
    await page.context().close();
  });

  it('interaction: deferred until a real key press', async () => {
    const { page, requested } = await open(browser(), { html, manifest: withOrbit('interaction') });
    await until(page, 'or', 'deferred');
    await until(page, 'nw', 'loaded');
    await until(page, 'bj', 'loaded');
    expect(orbitRequested(requested)).toEqual([]);
    await page.keyboard.press('Tab');
    await until(page, 'or', 'loaded');
    expect(orbitRequested(requested)).toHaveLength(1);
    await page.context().close();
  });

  it('interaction: a real scroll also counts', async () => {
    const { page, requested } = await open(browser(), { html, manifest: withOrbit('interaction') });
    await until(page, 'or', 'deferred');
    await until(page, 'nw', 'loaded');
    expect(orbitRequested(requested)).toEqual([]);
    await page.mouse.wheel(0, 400);
    await until(page, 'or', 'loaded');
    await page.context().close();
  });

  it('interaction: the page hidden before any input (a bounce) loads it', async () => {
    const { page, requested } = await open(browser(), { html, manifest: withOrbit('interaction') });
    await until(page, 'or', 'deferred');
    await until(page, 'nw', 'loaded');
    expect(orbitRequested(requested)).toEqual([]);
    await page.evaluate(() => {
      Object.defineProperty(Document.prototype, 'visibilityState', { get: () => 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await until(page, 'or', 'loaded');
    await page.context().close();
  });
});
