// The QA demo as QA runs it: the real server, the real dist/utt.js, partner
// hosts emulated by the demo's service worker, in Chromium.
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from '../../demo/server.mjs';
import { launch } from './chromium';

let browser: Browser;
let server: Awaited<ReturnType<typeof start>>;
let base: string;

beforeAll(async () => {
  [browser, server] = await Promise.all([launch(), start(0)]);
  base = `http://localhost:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await browser?.close();
  server?.close();
});

describe('npm run demo', () => {
  it('shows every integration of the sample manifest and runs the emulated partners', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${base}/`);
    // First visit installs the service worker and reloads once.
    await page.waitForFunction(
      () => navigator.serviceWorker.controller && document.querySelectorAll('#ran li').length >= 3,
      null,
      {
        timeout: 15_000,
      },
    );
    await page.waitForFunction(() => !document.querySelector('#outcomes tr.injected'));
    const rows = await page.$$eval('#outcomes tbody tr', (trs) =>
      trs.map((tr) => Array.from(tr.children, (td) => td.textContent)),
    );
    expect(rows).toEqual([
      ['int_1', 'northwind-analytics', 'loaded', ''],
      ['int_2', 'bluejay-ads', 'loaded', ''],
      ['int_3', 'orbit-reviews', 'loaded', ''],
      ['int_4', 'tidepool-personalize', 'disabled', ''],
      ['int_5', 'lumen-chat', 'invalid', 'widgetKey: pattern'],
    ]);
    expect(await page.textContent('#manifest-status')).toBe('manifest A12345: ok');
    expect((await page.$$eval('#ran li', (lis) => lis.map((li) => li.textContent?.split(' (')[0]))).sort()).toEqual([
      'Bluejay Ads',
      'Northwind Analytics',
      'Orbit Reviews',
    ]);
    expect(errors).toEqual([]);
    mkdirSync('test/artifacts', { recursive: true });
    await page.screenshot({ path: 'test/artifacts/demo-merchant.png', fullPage: true });
    await context.close();
  });
});
