// Publishing as QA tries it, in Chromium on the real demo server: see a
// change that breaks the site's CSP in preview first (a signed link, this
// browser only), publish it anyway, see the health beacons of real page views
// count it, get the merchant's alert mail, roll back in one step from its link,
// and see the earlier version running on the merchant page. Each step is
// screenshot at 1280 and 390 px and checked with axe-core.
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { createDemo } from '../../demo/server.mjs';
import { hubCall } from '../store/hub-call';
import { ASK_REPORT, axeViolations, reported, startDemo } from './demo-server';

let browser: Browser;
let context: BrowserContext;
let demo: Awaited<ReturnType<typeof createDemo>>;
let base: string;

beforeAll(async () => {
  // An alert after 2 page views, half of them failing: a QA run sends a handful, not thousands.
  ({ browser, context, demo, base } = await startDemo({ health: { alert: { min: 2, rate: 0.5 } } }));
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

const call = hubCall(() => base);

/** Screenshots of the page at 1280 and 390 px, and its axe findings. */
async function evidence(page: Page, step: string) {
  mkdirSync('test/artifacts', { recursive: true });
  const found: string[] = [];
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `test/artifacts/flow-${step}-${width}.png`, fullPage: true });
    for (const v of await axeViolations(page)) found.push(`${step} ${width}: ${v}`);
  }
  return found;
}

/** A page view of the merchant's site, with the per-account tag opted in to health beacons. */
async function view(query = '') {
  const page = await context.newPage();
  await page.addInitScript(ASK_REPORT);
  await page.goto(`${base}/shop?csp=allowlist&tag=account&health=1${query}`);
  await page.waitForFunction(() => navigator.serviceWorker.controller, null, { timeout: 60_000 });
  await reported(page);
  return page;
}

/** Page views the collector has counted for an integration on a tag version. */
const views = async (id: string, version: string) =>
  (await call('GET', '/api/health')).body.rows
    .filter((r: any) => r.integration === id && r.version === version)
    .reduce((n: number, r: any) => n + r.views, 0);

it('preview a CSP-breaking change, publish it anyway, see it fail for real visitors, get the alert, roll back from its link', {
  timeout: 240_000,
}, async () => {
  const problems: string[] = [];
  await call('POST', '/api/reset');
  await call('POST', '/api/site', { preset: 'allowlist' });
  // The site's CSP lacks Bluejay Ads: a clean live version first, without it.
  expect((await call('POST', '/api/integrations/int_2/unpublish', {})).status).toBe(200);
  const clean = (await call('GET', '/api/versions')).body[0];

  // See it in preview first: the hub's signed link runs the draft with Bluejay on, in this browser only.
  const previewLink = (await call('POST', '/api/preview', { ids: ['int_2'] })).body.link;
  const preview = await context.newPage();
  await preview.goto(`${previewLink}&tag=account&health=1`);
  await preview.waitForFunction(() => navigator.serviceWorker.controller, null, { timeout: 60_000 });
  const [previewed, draft] = await preview.evaluate(
    () => new Promise<any[]>((resolve) => (window as any).utt('report', (o: any, m: any) => resolve([o, m]))),
  );
  expect(draft).toMatchObject({ status: 'ok', reason: 'preview', version: 'preview' });
  expect(previewed.find((o: any) => o.id === 'int_2')).toMatchObject({ status: 'blocked-csp' });
  // The panel lists it with its CSP fix.
  expect(await preview.textContent('#utt-preview li[data-status="blocked-csp"]')).toMatch(
    /int_2 \(bluejay-ads\): blocked-csp · .*tags\.bluejay\.example/,
  );
  problems.push(...(await evidence(preview, 'preview')));
  await preview.close();
  // Another visitor, without the link, runs the live version: Bluejay stays off.
  const visitor = await browser.newContext();
  const other = await visitor.newPage();
  await other.addInitScript(ASK_REPORT);
  await other.goto(`${base}/shop?tag=account`);
  const [live] = await reported(other);
  expect(live.find((o: any) => o.id === 'int_2').status).toBe('disabled');
  await visitor.close();

  // Publish Bluejay anyway: the check says the CSP refuses it, QA gives a reason.
  const refused = await call('POST', '/api/integrations/int_2/publish', {});
  expect(refused.status).toBe(409);
  expect((await call('POST', '/api/integrations/int_2/publish', { anyway: 'the CSP change ships today' })).status).toBe(
    200,
  );
  const broken = (await call('GET', '/api/versions')).body[0];
  expect(broken.number).toBe(clean.number + 1);

  // Real page views: utt.health.js sends each one's outcomes; Bluejay is blocked by the CSP.
  for (let i = 0; i < 2; i++) {
    const page = await view();
    expect(await page.textContent('#manifest-status')).toContain(`publish ${broken.tag}`);
    if (i === 0) problems.push(...(await evidence(page, 'merchant-broken')));
    await page.close();
  }
  await expect.poll(() => views('int_2', broken.tag), { timeout: 30_000 }).toBe(2);

  // The hub shows it per version and engine, with the fix; the outbox holds the alert.
  const hub = await context.newPage();
  await hub.goto(`${base}/`);
  await hub.waitForSelector('body[data-ready="true"]');
  const row = hub.locator('#health tbody tr', { hasText: 'int_2' });
  await expect.poll(() => row.count()).toBe(1);
  const cells = await row.locator('td').allTextContents();
  expect(cells.slice(1, 6)).toEqual([`version ${broken.number}`, 'blink', '2', '0', '2']);
  expect(cells[8]).toContain('tags.bluejay.example');
  await hub.locator('#health-section').scrollIntoViewIfNeeded();
  problems.push(...(await evidence(hub, 'hub-health')));
  const alert = (await call('GET', '/api/outbox')).body.find((m: any) => m.subject.includes('health alert'));
  expect(alert.subject).toContain(`version ${broken.number}`);
  const link = /http:\/\/\S+\?restore=\d+#versions-section/.exec(alert.raw)![0];
  expect(link).toContain(`?restore=${clean.number}#`);

  // The mail's link: the hub with the version to roll back to, its Restore button focused. One click.
  await hub.goto(link);
  await hub.waitForSelector('body[data-ready="true"]');
  await expect
    .poll(() => hub.evaluate(() => document.activeElement?.closest('li')?.dataset.number))
    .toBe(String(clean.number));
  problems.push(...(await evidence(hub, 'hub-rollback-link')));
  await hub.keyboard.press('Enter');
  await expect.poll(() => hub.textContent('#notice')).toContain(`Version ${clean.number} restored`);
  const restored = (await call('GET', '/api/versions')).body[0];
  expect(restored).toMatchObject({ number: broken.number + 1, tag: clean.tag });
  await hub.close();

  // The merchant page runs the earlier version again: Bluejay disabled, nothing blocked.
  const page = await view();
  expect(await page.textContent('#manifest-status')).toContain(`publish ${clean.tag}`);
  const outcomes = await page.evaluate(
    () => new Promise<any[]>((resolve) => (window as any).utt('report', (o: any[]) => resolve(o))),
  );
  expect(outcomes.find((o) => o.id === 'int_2').status).toBe('disabled');
  expect(outcomes.filter((o) => o.status === 'blocked-csp')).toEqual([]);
  problems.push(...(await evidence(page, 'merchant-restored')));
  await page.close();
  await call('POST', '/api/site', { preset: 'none' });
  expect(problems).toEqual([]);
});
