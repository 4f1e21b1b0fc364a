// The demo as the Chromium suites that drive it start it (demo.test.ts,
// publish-flow.test.ts, preview-site.test.ts): the real server on a loopback
// port and a temporary state folder, Chromium with one context whose service
// worker (installed by the hub page) emulates the partner hosts; and axe-core's
// findings on a page.
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createDemo } from '../../demo/server.mjs';
import { launch } from './chromium';

/** Starts the demo (`options` as createDemo's; a new state folder unless given) and Chromium beside it. */
export async function startDemo(options: Parameters<typeof createDemo>[0] = {}) {
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'utt-demo-'));
  const [browser, demo] = await Promise.all([
    launch(),
    createDemo({ port: 0, ...options, stateDir }).then(async (d) => {
      await d.listen();
      return d;
    }),
  ]);
  const base = `http://localhost:${(demo.server.address() as AddressInfo).port}`;
  const context = await browser.newContext();
  // The hub installs the service worker that emulates the partners.
  const page = await context.newPage();
  await page.goto(`${base}/`);
  await page.waitForFunction(() => navigator.serviceWorker.ready.then(() => true));
  await page.close();
  return { browser, context, demo, base, stateDir };
}

/** axe-core's violations on the page: serious and critical ones, and content outside landmarks ("region"). */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8'));
  return page.evaluate(() =>
    (window as any).axe
      .run(document, { resultTypes: ['violations'] })
      .then((r: any) =>
        r.violations
          .filter((v: any) => v.impact === 'serious' || v.impact === 'critical' || v.id === 'region')
          .map((v: any) => `${v.id} (${v.impact}): ${v.nodes.map((n: any) => n.target.join(' ')).join(', ')}`),
      ),
  );
}

/**
 * Asks utt for its report in every document a page loads, as an init script: [outcomes, manifest] in
 * `window.__report`. Asked once utt announces its manifest (utt is installed by then), so a page that
 * reloads itself (the demo's service worker taking control) has its report asked again.
 */
export const ASK_REPORT = () =>
  addEventListener(
    'utt:manifest',
    () => (window as any).utt('report', (o: unknown, m: unknown) => ((window as any).__report = [o, m])),
    { once: true },
  );

/** The current document's report: a wait for it (a failure bound, not a pause). */
export const reported = async (page: Page): Promise<[any[], any]> =>
  (await page.waitForFunction(() => (window as any).__report, null, { timeout: 60_000 })).jsonValue();
