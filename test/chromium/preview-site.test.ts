// A preview on the merchant's real site, in Chromium on the demo server: the
// draft sticks to the tab where QA opened the link, page after page, until
// they end it (and no other tab, no other visitor, runs it); a token planted
// in the tab's storage runs nothing but the live version unless the hub signed
// it for this account and it has not expired; the panel sends what utt saw to
// the hub, whose checklist judges placement and CSP from it. And the generic
// tag names the publish it runs, in its report and its health beacons.
import { createHmac } from 'node:crypto';
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
/** The hub's clock of preview expiries: real time, moved on by a test. */
let clock = Date.now();
const KEY = 'the hub key of this test';

beforeAll(async () => {
  ({ browser, context, demo, base } = await startDemo({ preview: { now: () => clock, secret: KEY } }));
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

const call = hubCall(() => base);

const statusOf = (outcomes: any[], id: string) => outcomes.find((o) => o.id === id)?.status;
/** A new tab with the report asked. */
const tab = async () => {
  const page = await context.newPage();
  await page.addInitScript(ASK_REPORT);
  return page;
};
/** What the tab keeps: the token in its storage, and the window's name (utt.js reads storage only in a named window). */
const kept = (page: Page) => page.evaluate(() => [sessionStorage.getItem('utt-preview'), window.name]);
/** The publish the merchant's pages run now. */
const live = async () => (await call('GET', '/api/versions')).body[0].tag;

it('the preview sticks to the tab it was opened in, page after page, until QA ends it; no other tab runs it', {
  timeout: 180_000,
}, async () => {
  await call('POST', '/api/reset');
  const liveTag = await live();
  // Tidepool is off on the live site; the draft turns it on.
  const { link } = (await call('POST', '/api/preview', { ids: ['int_4'] })).body;
  const qa = await tab();
  await qa.goto(`${link}&tag=account`);
  let [outcomes, manifest] = await reported(qa);
  expect(manifest).toMatchObject({ reason: 'preview', version: 'preview' });
  expect(statusOf(outcomes, 'int_4')).not.toBe('disabled');

  // The next page of the site, without the link, in the same tab: still the draft, checked by the hub again.
  const asked: number[] = [];
  qa.on('response', (r) => r.url().includes('/preview/A12345.json') && asked.push(r.status()));
  await qa.goto(`${base}/shop?tag=generic`);
  [outcomes, manifest] = await reported(qa);
  expect(manifest).toMatchObject({ reason: 'preview', version: 'preview' });
  expect(statusOf(outcomes, 'int_4')).not.toBe('disabled');
  expect(asked).toEqual([200]);
  expect((await kept(qa))[1]).toBe('utt-preview');
  expect(await qa.locator('#utt-preview').isVisible()).toBe(true);
  mkdirSync('test/artifacts', { recursive: true });
  await qa.screenshot({ path: 'test/artifacts/preview-kept-1280.png' });
  expect(await axeViolations(qa)).toEqual([]);

  // Another tab of the same browser runs the live version.
  const other = await tab();
  await other.goto(`${base}/shop?tag=generic`);
  [outcomes, manifest] = await reported(other);
  expect(manifest).toMatchObject({ status: 'ok', version: liveTag });
  expect(statusOf(outcomes, 'int_4')).toBe('disabled');
  await other.close();

  // End preview: the tab forgets it, and the page loads again, live.
  await qa.getByRole('button', { name: 'End preview' }).click();
  await qa.waitForURL((u) => !u.searchParams.has('utt-preview') && u.pathname === '/shop', { timeout: 60_000 });
  await qa.waitForFunction(() => !document.getElementById('utt-preview') && (window as any).__report, null, {
    timeout: 60_000,
  });
  [outcomes, manifest] = await reported(qa);
  expect(manifest).toMatchObject({ status: 'ok', version: liveTag });
  expect(statusOf(outcomes, 'int_4')).toBe('disabled');
  expect(await kept(qa)).toEqual([null, '']);
  await qa.close();
});

it('End preview in a frame of the previewed tab ends the tab’s preview, and the tab’s window loses its name', {
  timeout: 120_000,
}, async () => {
  await call('POST', '/api/reset');
  const { link } = (await call('POST', '/api/preview', { ids: ['int_4'] })).body;
  const qa = await tab();
  await qa.goto(`${link}&tag=account`);
  await reported(qa);
  expect((await kept(qa))[1]).toBe('utt-preview');
  // A named frame of the site in that tab reads the tab's token, and shows its own panel.
  await qa.evaluate((src) => {
    const f = document.createElement('iframe');
    f.name = 'f';
    f.src = src;
    document.body.append(f);
  }, `${base}/shop?tag=generic`);
  const frame = await (await qa.waitForSelector('iframe[name="f"]')).contentFrame();
  // Its panel sits at the bottom of a 300 × 150 frame, under the tab's own panel: pressed from inside.
  await frame!.waitForSelector('#utt-preview button');
  await frame!.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLButtonElement>('#utt-preview button'))
      .find((b) => b.textContent === 'End preview')!
      .click(),
  );
  await expect.poll(() => kept(qa), { timeout: 60_000 }).toEqual([null, '']);
  await qa.close();
});

it('a token planted in the tab (forged, signed for another account, or expired) runs nothing but the live version', {
  timeout: 180_000,
}, async () => {
  await call('POST', '/api/reset');
  const liveTag = await live();
  const { token } = (await call('POST', '/api/preview', { ids: ['int_4'] })).body;
  const [id, expires, signature] = token.split('.');
  // A real signature of the hub's key, for another account's draft: valid there, and only there.
  const forB = createHmac('sha256', KEY).update(`B99999.${id}.${expires}`).digest('base64url');
  expect((await call('GET', `/preview/B99999.json?token=${id}.${expires}.${forB}`)).status).toBe(404);
  const cases: [string, string, number, () => void][] = [
    ['forged', `${id}.${expires}.${signature.replace(/^./, (c: string) => (c === 'A' ? 'B' : 'A'))}`, 403, () => {}],
    ['signed for another account', `${id}.${expires}.${forB}`, 403, () => {}],
    // The hub's clock passes the expiry; the browser's has not, so it asks, and the hub says no.
    ['expired', token, 410, () => (clock += 61 * 60_000)],
  ];
  for (const [what, planted, status, before] of cases) {
    before();
    const page = await tab();
    const asked: number[] = [];
    page.on('response', (r) => r.url().includes('/preview/A12345.json') && asked.push(r.status()));
    // The tab's storage and name on the merchant's origin, as a hostile page or extension could set them.
    await page.goto(`${base}/api/site`);
    await page.evaluate((t) => {
      sessionStorage.setItem('utt-preview', `utt-preview=${t}`);
      window.name = 'utt-preview';
    }, planted);
    await page.goto(`${base}/shop?tag=account`);
    const [outcomes, manifest] = await reported(page);
    expect([what, asked]).toEqual([what, [status]]);
    expect([what, manifest.status, manifest.version]).toEqual([what, 'ok', liveTag]);
    expect([what, statusOf(outcomes, 'int_4')]).toEqual([what, 'disabled']);
    expect([what, await page.locator('#utt-preview').count(), await kept(page)]).toEqual([what, 0, [null, '']]);
    await page.close();
  }
  clock = Date.now();
});

it('the panel sends what utt saw on the site to the hub; the checklist judges placement and CSP from it', {
  timeout: 240_000,
}, async () => {
  const problems: string[] = [];
  await call('POST', '/api/reset');
  // The site's CSP lacks Bluejay Ads; Bluejay is off, in the draft QA checks.
  await call('POST', '/api/site', { preset: 'allowlist' });
  expect((await call('POST', '/api/integrations/int_2/unpublish', {})).status).toBe(200);
  const { link } = (await call('POST', '/api/preview', { ids: ['int_2'] })).body;

  // On the site: Bluejay blocked by its real header policy; QA sends the evidence.
  const qa = await tab();
  await qa.goto(`${link}&tag=account&csp=allowlist`);
  await qa.waitForSelector('#utt-preview li[data-status="blocked-csp"]', { timeout: 60_000 });
  await reported(qa);
  await qa.getByRole('button', { name: 'Send to the hub' }).click();
  await expect.poll(() => qa.textContent('#utt-preview [role="status"]')).toBe('Sent to the hub’s checklist.');
  const sent = (await call('GET', '/api/integrations/int_2/evidence')).body.evidence;
  expect(sent).toMatchObject({
    url: `${base}/shop?tag=account&csp=allowlist`,
    engine: 'blink',
    status: 'blocked-csp',
    ok: false,
  });
  // The page's policy as the server sent it, the partner it lacks named with its fix.
  expect(sent.csp.header).toHaveLength(1);
  expect(sent.csp.header[0]).toMatch(/^script-src 'self' .*connect-src 'self'/);
  expect(sent.csp.header[0]).not.toContain('tags.bluejay.example');
  expect(sent.evidence).toContain('int_2 script-src: add https://tags.bluejay.example');

  // The hub's checklist for Bluejay shows it, and judges from it: placement cannot be confirmed.
  const hub = await context.newPage();
  await hub.goto(`${base}/`);
  await hub.waitForSelector('body[data-ready="true"]');
  await hub.click('#row-int_2 button.more');
  await hub.click('#menu-int_2 button.publish');
  await expect.poll(() => hub.textContent('#site-evidence-text')).toContain('Seen on');
  const seen = await hub.textContent('#site-evidence-text');
  expect(seen).toContain(`Seen on ${base}/shop?tag=account&csp=allowlist in Chromium at `);
  expect(seen).toContain('fail (int_2 blocked by CSP)');
  expect(seen).toContain('script-src: add https://tags.bluejay.example');
  await hub.click('#site-evidence-use');
  await expect.poll(() => hub.isHidden('#anyway')).toBe(false);
  expect(await hub.isDisabled('#check-placement')).toBe(true);
  expect(await hub.textContent('#evidence-placement')).toContain('judged from the merchant');
  await hub.locator('#checklist').scrollIntoViewIfNeeded();
  for (const width of [1280, 390]) {
    await hub.setViewportSize({ width, height: 900 });
    await hub.screenshot({ path: `test/artifacts/preview-evidence-fail-${width}.png`, fullPage: true });
    for (const v of await axeViolations(hub)) problems.push(`hub ${width}: ${v}`);
  }
  await hub.setViewportSize({ width: 1280, height: 900 });

  // The site's policy fixed (no CSP here): QA, on the same tab, sends again; the checklist passes from it.
  await qa.goto(`${base}/shop?tag=account&csp=none`);
  await qa.waitForSelector('#utt-preview li[data-status="loaded"]', { timeout: 60_000 });
  await reported(qa);
  await qa.getByRole('button', { name: 'Send to the hub' }).click();
  await expect.poll(() => qa.textContent('#utt-preview [role="status"]')).toBe('Sent to the hub’s checklist.');
  await hub.click('#site-evidence-refresh');
  await expect.poll(() => hub.textContent('#site-evidence-text')).toContain('csp=none in Chromium');
  expect(await hub.textContent('#site-evidence-text')).toContain('pass (int_2 loaded)');
  await hub.click('#site-evidence-use');
  await expect.poll(() => hub.isDisabled('#check-placement')).toBe(false);
  for (const box of ['#check-placement', '#check-identifier', '#check-privacy', '#check-approval'])
    await hub.check(box);
  await hub.click('#publish');
  await expect.poll(() => hub.textContent('#notice')).toContain('int_2');
  const published = (await call('GET', '/api/versions')).body[0];
  expect(published.note).toBe('published int_2');
  expect(published.evidence.int_2.csp).toMatchObject({
    ok: true,
    source: 'preview',
    url: `${base}/shop?tag=account&csp=none`,
    engine: 'blink',
  });
  await qa.close();
  await hub.close();
  await call('POST', '/api/site', { preset: 'none' });
  expect(problems).toEqual([]);
});

it('the generic tag names the publish it runs: in its report, and in its health beacons, counted per version', {
  timeout: 120_000,
}, async () => {
  await call('POST', '/api/reset');
  const version = (await call('GET', '/api/versions')).body[0];
  const page = await tab();
  await page.goto(`${base}/shop?tag=generic&health=1`);
  const [, manifest] = await reported(page);
  expect(manifest).toMatchObject({ status: 'ok', version: version.tag });
  await expect
    .poll(async () =>
      (await call('GET', '/api/health')).body.rows
        .filter((r: any) => r.version === version.tag)
        .map((r: any) => r.number),
    )
    .toContain(version.number);
  await page.close();
});
