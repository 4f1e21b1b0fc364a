// The QA demo as QA runs it: the real server (on a temporary state folder),
// the real dist/utt.js, partner hosts emulated by the demo's service worker,
// real CSP headers, in Chromium.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDemo } from '../../demo/server.mjs';
import { axeViolations, startDemo } from './demo-server';

let browser: Browser;
let context: BrowserContext;
let demo: Awaited<ReturnType<typeof createDemo>>;
let base: string;
const stateDir = mkdtempSync(join(tmpdir(), 'utt-demo-'));

beforeAll(async () => {
  ({ browser, context, demo, base } = await startDemo({ stateDir }));
}, 60_000);
// Every test starts from a new account's hub (the sample, ids after the sample's, no history, outcomes or CSP),
// so no test's ids or rows depend on which tests ran before it.
beforeEach(() => demo.state.resetAll());
afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

/** The merchant page under a preset, once every integration has settled. */
async function shop(preset = 'none', query = '') {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${base}/shop?csp=${preset}${query}`);
  // Failure bounds, not waits: two suites side by side on 2 cores once took more than 30 s here.
  await page.waitForFunction(() => navigator.serviceWorker.controller, null, { timeout: 60_000 });
  await page.waitForFunction(
    () =>
      document.querySelectorAll('#outcomes tbody tr').length > 0 &&
      !document.querySelector('#outcomes tr.injected') &&
      /ok|failed|invalid/.test(document.getElementById('manifest-status')!.textContent!),
    null,
    { timeout: 60_000 },
  );
  // utt's own report comes once every script and every violation it holds for has settled.
  await page.evaluate(() => new Promise((resolve) => (window as any).utt('report', resolve)));
  const rows = await page.$$eval('#outcomes tbody tr', (trs) =>
    Object.fromEntries(
      trs.map((tr) => [tr.children[0].textContent, Array.from(tr.children, (td) => td.textContent).slice(2)]),
    ),
  );
  const ran = await page.$$eval('#ran li', (lis) => lis.map((li) => li.textContent!));
  const violations = await page.$$eval('#violations li', (lis) => lis.map((li) => li.textContent!));
  return { page, rows, ran, violations, errors };
}

/** Restarts the demo on the same port and state folder, with these options (a registry of its own). */
async function restart(options: Parameters<typeof createDemo>[0]) {
  await demo.close();
  demo = await createDemo({ port: Number(new URL(base).port), stateDir, ...options });
  await demo.listen();
}

const hub = async () => {
  const page = await context.newPage();
  await page.goto(`${base}/`);
  await page.waitForSelector('body[data-ready="true"]');
  return page;
};

/** Whether the element is inside the window as it is scrolled now: where the eye is. */
const inView = (page: Page, selector: string) =>
  page.$eval(selector, (e) => {
    const r = e.getBoundingClientRect();
    return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;
  });

const tickAll = async (page: Page) => {
  for (const id of ['check-placement', 'check-identifier', 'check-privacy', 'check-approval'])
    await page.check(`#${id}`);
};

/** The sample account's outcomes, whichever tag the merchant page runs. */
const SAMPLE = {
  int_1: ['loaded', '', ''],
  int_2: ['loaded', '', ''],
  int_3: ['loaded', '', ''],
  int_4: ['disabled', '', ''],
  int_5: ['invalid', 'widgetKey: pattern', ''],
};

describe('npm run demo: the merchant page under each CSP preset', () => {
  it('none: the enabled partners load, the disabled and invalid ones do not', async () => {
    const { page, rows, ran, errors } = await shop('none');
    expect(rows).toEqual(SAMPLE);
    expect(ran.map((r) => r.split(' (')[0]).sort()).toEqual(['Bluejay Ads', 'Northwind Analytics', 'Orbit Reviews']);
    expect(await page.locator('.partner-mark').count()).toBe(3);
    // The partner cost table names the heavy one: the emulated Tidepool burns 120 ms; int_4 is disabled here, so
    // the heaviest loaded partner is light. Its sizes are readable: the service worker sends Timing-Allow-Origin.
    await page.waitForSelector('#costs tbody tr');
    const costs = await page.$$eval('#costs tbody tr', (trs) =>
      trs.map((tr) => Array.from(tr.children, (td) => td.textContent)),
    );
    expect(costs.map((c) => c[0]).sort()).toEqual(['int_1', 'int_2', 'int_3']);
    // No violation: the section says so rather than showing nothing.
    expect(await page.isVisible('#violations + .empty')).toBe(true);
    for (const c of costs) expect(c[4]).toMatch(/^\d+ \/ \d+$/);
    expect(errors).toEqual([]);
    mkdirSync('test/artifacts', { recursive: true });
    await page.screenshot({ path: 'test/artifacts/demo-merchant-none.png', fullPage: true });
    await page.close();
  });

  it('the vendors modelled on real tags: the merchant page shows what each emulated vendor received', async () => {
    // Published as a version: the merchant's pages run the last one.
    await demo.state.update((m: any, tx: any) => {
      m.integrations.push(
        { id: 'int_90', partner: 'meta-pixel', status: 'enabled', identifiers: { pixelId: '123456789012345' } },
        { id: 'int_91', partner: 'google-tag', status: 'enabled', identifiers: { measurementId: 'G-ABC123DEF4' } },
      );
      tx.version({ by: 'test' });
    });
    const { page, rows, ran, errors } = await shop('strict');
    expect([rows.int_90[0], rows.int_91[0]]).toEqual(['loaded', 'loaded']);
    expect(ran.map((r) => r.split(' (')[0])).toEqual(expect.arrayContaining(['Meta Pixel', 'Google tag']));
    // Each vendor's list: what was called, its parameters, the event id; the page's own view_item last.
    const calls = (key: string) =>
      page.$$eval(`#vendor-${key} tbody tr`, (trs) =>
        trs.map((tr) => Array.from(tr.children, (td) => td.textContent).join(' | ')),
      );
    await expect.poll(() => calls('meta-pixel')).toHaveLength(4);
    expect((await calls('meta-pixel')).slice(0, 3)).toEqual([
      'consent grant |  | ',
      'init 123456789012345 |  | ',
      'track PageView |  | ',
    ]);
    expect((await calls('google-tag')).slice(1, 3)).toEqual(['js $date |  | ', 'config G-ABC123DEF4 |  | ']);
    expect(await page.textContent('#vendor-meta-pixel h3')).toBe('Meta Pixel (emulated)');
    expect(errors).toEqual([]);
    await page.screenshot({ path: 'test/artifacts/demo-merchant-vendors.png', fullPage: true });
    await page.close();
  });

  it('the per-account tag: the same outcomes with no manifest request, and a publish regenerates it', {
    timeout: 240_000,
  }, async () => {
    const { page, rows, errors } = await shop('strict', '&tag=account');
    expect(rows).toEqual(SAMPLE);
    const status = await page.textContent('#manifest-status');
    expect(status).toMatch(/^per-account tag A12345\.js, publish [0-9a-f]{12}: ok$/);
    expect(errors).toEqual([]);
    await page.close();
    // Publishing int_4 changes the tag's version and its outcomes.
    const before = status!.match(/publish (\w+)/)![1];
    // The server builds the tag once per publish: a browser that holds this publish gets a 304.
    const tag = await fetch(`${base}/A12345.js`);
    expect(tag.headers.get('etag')).toBe(`"${before}"`);
    expect((await tag.text()).startsWith('//# allFunctionsCalledOnLoad\n/*! utt A12345 ')).toBe(true);
    const revalidate = () => fetch(`${base}/A12345.js`, { headers: { 'if-none-match': `"${before}"` } });
    expect((await revalidate()).status).toBe(304);
    await demo.state.update((m: any, tx: any) => {
      m.integrations.find((i: any) => i.id === 'int_4').status = 'enabled';
      tx.version({ by: 'test' });
    });
    // A new publish: the old version gets the new tag.
    expect((await revalidate()).status).toBe(200);
    const again = await shop('none', '&tag=account');
    expect(again.rows.int_4[0]).toBe('loaded');
    // Tidepool, now live, burns 120 ms: the partner cost table names it first. Its long frame can be
    // recorded after the page's first read of the costs; the page draws the table again when it is.
    await again.page.waitForFunction(() => {
      const td = document.querySelector('#costs tbody tr[data-id="int_4"] td:nth-child(3)');
      return !!td && Number(td.textContent) > 0;
    });
    const [first] = await again.page.$$eval('#costs tbody tr', (trs) =>
      trs.map((tr) => Array.from(tr.children, (td) => td.textContent)),
    );
    expect(first[0]).toBe('int_4');
    expect(Number(first[2])).toBeGreaterThanOrEqual(80);
    await again.page.screenshot({ path: 'test/artifacts/demo-merchant-costs.png', fullPage: true });
    expect(await again.page.textContent('#manifest-status')).not.toContain(before);
    await again.page.close();
  });

  it('the per-account tag written into the page: no request of its own; a nonce, or the hash the hub gives, allows it', async () => {
    /** What the page requested of this server besides itself, its own files and its report to the hub: utt's. */
    const own = (page: Page) =>
      page.evaluate(() =>
        performance
          .getEntriesByType('resource')
          .map((e) => new URL(e.name))
          .filter(
            (u) =>
              u.origin === location.origin &&
              !/^\/(shop\.js|demo\.css|favicon\.svg|sw\.js|api\/outcomes)$/.test(u.pathname),
          )
          .map((u) => u.pathname)
          .sort(),
      );
    // Under nonce + 'strict-dynamic': the server gave the tag the page's nonce.
    const strict = await shop('strict', '&tag=inline');
    expect(strict.rows).toEqual(SAMPLE);
    expect(await strict.page.textContent('#manifest-status')).toMatch(
      /^per-account tag A12345 in the page, publish [0-9a-f]{12}: ok$/,
    );
    // No tag, no manifest: only utt.cost.js (the page asks for costs) and utt.events.js (the shop tracks
    // view_item as it opens, and Bluejay and Northwind map it), from the folder data-base names.
    expect(await own(strict.page)).toEqual(['/utt.cost.js', '/utt.events.js']);
    expect(strict.errors).toEqual([]);
    await strict.page.close();

    // Under an allowlist: the hash the hub shows for this publish is in script-src, and it is the tag's.
    const embed = await (await fetch(`${base}/api/embed`)).json();
    expect(embed.inline.hash).toMatch(/^'sha256-[\w+/]{43}='$/);
    expect(
      embed.inline.html.startsWith(
        `<script data-base="${base}/">//# allFunctionsCalledOnLoad\n/*! utt A12345 ${embed.version} */`,
      ),
    ).toBe(true);
    const header = (await fetch(`${base}/shop?csp=allowlist&tag=inline&preview`)).headers.get(
      'content-security-policy',
    );
    expect(header).toContain(`script-src 'self' ${embed.inline.hash} `);
    const allow = await shop('allowlist', '&tag=inline');
    expect(allow.rows.int_2.slice(0, 2)).toEqual(['blocked-csp', 'script-src: add https://tags.bluejay.example']);
    expect([allow.rows.int_1[0], allow.rows.int_3[0]]).toEqual(['loaded', 'loaded']);
    await allow.page.close();

    // A meta policy: utt.csp.js, which checks it, comes from the folder data-base names.
    const meta = await shop('meta', '&tag=inline');
    expect(meta.rows.int_2.slice(0, 2)).toEqual(['blocked-csp', 'script-src: add https://tags.bluejay.example']);
    expect(meta.violations).toEqual([]);
    expect(await own(meta.page)).toEqual(['/utt.cost.js', '/utt.csp.js', '/utt.events.js']);
    expect(await meta.page.$eval('script[data-base]', (s) => s.getAttribute('data-base'))).toBe(`${base}/`);
    await meta.page.close();

    // What a merchant's server fetches to write into its pages: the same tag, revalidated like the file.
    const snippet = await fetch(`${base}/A12345.html`);
    expect([snippet.status, snippet.headers.get('content-type'), await snippet.text()]).toEqual([
      200,
      'text/html; charset=utf-8',
      `${embed.inline.html}\n`,
    ]);
    const etag = snippet.headers.get('etag')!;
    expect(etag).toBe(`"${embed.version}.html"`);
    expect((await fetch(`${base}/A12345.html`, { headers: { 'if-none-match': etag } })).status).toBe(304);

    // The hub shows the same three ways to embed.
    const page = await hub();
    expect(await page.textContent('#embed-hash')).toBe(`script-src ${embed.inline.hash}`);
    expect(await page.textContent('#embed-account')).toBe(`<script async src="${base}/A12345.js"></script>`);
    await page.close();
  });

  it("nonce + 'strict-dynamic' header: utt's nonce carries every partner", async () => {
    const { page, rows, violations } = await shop('strict');
    expect([rows.int_1[0], rows.int_2[0], rows.int_3[0]]).toEqual(['loaded', 'loaded', 'loaded']);
    expect(violations).toEqual([]);
    await page.close();
  });

  it('header allowlist lacking Bluejay: blocked-csp with the fix, seen through the violation', async () => {
    const { page, rows, violations } = await shop('allowlist');
    expect(rows.int_2.slice(0, 2)).toEqual(['blocked-csp', 'script-src: add https://tags.bluejay.example']);
    expect([rows.int_1[0], rows.int_3[0]]).toEqual(['loaded', 'loaded']);
    expect(violations).toContain('script-src-elem refused https://tags.bluejay.example/v2/482913/tag.js');
    await page.close();
  });

  it('meta allowlist lacking Bluejay: blocked-csp before injecting, no violation at all', async () => {
    const { page, rows, violations } = await shop('meta');
    expect(rows.int_2.slice(0, 2)).toEqual(['blocked-csp', 'script-src: add https://tags.bluejay.example']);
    expect([rows.int_1[0], rows.int_3[0]]).toEqual(['loaded', 'loaded']);
    expect(violations).toEqual([]);
    expect(await page.locator('script[src*="bluejay"]').count()).toBe(0);
    await page.screenshot({ path: 'test/artifacts/demo-merchant-meta.png', fullPage: true });
    await page.close();
  });

  it("Trusted Types enforced with 'trusted-types utt': partners load through utt's policy", async () => {
    const { page, rows, errors } = await shop('trusted-types');
    expect([rows.int_1[0], rows.int_2[0], rows.int_3[0]]).toEqual(['loaded', 'loaded', 'loaded']);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('npm run demo: the consent control', () => {
  it('data-consent="required" holds the partners until the consent buttons grant them', async () => {
    const page = await context.newPage();
    await page.goto(`${base}/shop?csp=none&consent=required`);
    await page.waitForFunction(() => document.querySelectorAll('#outcomes tr.awaiting-consent').length === 3, null, {
      timeout: 30_000,
    });
    expect(await page.$$eval('#ran li', (lis) => lis.length)).toBe(0);
    await page.click('button[data-grant="analytics"]');
    await page.waitForFunction(() => document.querySelector('#outcomes tr[data-id="int_1"]')?.className === 'loaded');
    expect(await page.$$eval('#ran li', (lis) => lis.map((li) => li.textContent!.split(' (')[0]))).toEqual([
      'Northwind Analytics',
    ]);
    await page.click('button[data-grant="analytics advertising personalization functional"]');
    await page.waitForFunction(() => document.querySelectorAll('#outcomes tr.loaded').length === 3);
    await page.screenshot({ path: 'test/artifacts/demo-merchant-consent.png', fullPage: true });
    await page.close();
  });
});

/** Each vendor's call for a purchase, as its reference documents it (partners/*.json map `purchase` to it). */
const PURCHASE_CALL: Record<string, string> = {
  'meta-pixel': 'trackSingle 123456789012345 Purchase',
  'google-tag': 'event purchase',
  'tiktok-pixel': 'track CompletePayment',
  'pinterest-tag': 'track checkout',
  'bluejay-ads': 'conversion 482913 purchase',
  'northwind-analytics': 'event order_completed',
};

describe('npm run demo: the shop, as QA runs it', () => {
  it('view, add to cart, check out, place order: each enabled vendor lists one purchase, all with one event id; the hub names the events', {
    timeout: 120_000,
  }, async () => {
    await demo.state.update((m: any, tx: any) => {
      m.integrations.push(
        { id: 'int_90', partner: 'meta-pixel', status: 'enabled', identifiers: { pixelId: '123456789012345' } },
        { id: 'int_91', partner: 'google-tag', status: 'enabled', identifiers: { measurementId: 'G-ABC123DEF4' } },
        { id: 'int_92', partner: 'tiktok-pixel', status: 'enabled', identifiers: { pixelId: 'CABCDEFGHIJ123456789' } },
        { id: 'int_93', partner: 'pinterest-tag', status: 'enabled', identifiers: { tagId: '2612345678901' } },
      );
      tx.version({ by: 'test' });
    });
    const { page, errors } = await shop('strict');
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    await page.click('#add-to-cart');
    await page.click('#add-to-cart');
    expect(await page.textContent('#cart-lines')).toBe('Alpine Thermos 0.75 L × 2: €49.80');
    expect(await page.isVisible('#place-order')).toBe(false);
    await page.click('#checkout');
    await page.click('#place-order');
    const order = /^Order (T-\w+) placed: €49\.80\.$/.exec((await page.textContent('#order'))!)!;
    expect(order).not.toBeNull();
    expect(await page.isVisible('#cart-empty')).toBe(true);

    // utt's report: the purchase sent to every integration that maps it, one event id for all; Orbit maps none.
    const reportEvents = () =>
      page.evaluate(
        () =>
          new Promise<Record<string, any[]>>((resolve) =>
            (window as any).utt('report', (outcomes: any[]) =>
              resolve(Object.fromEntries(outcomes.map((o) => [o.id, o.events ?? []]))),
            ),
          ),
      );
    /** The integration each emulated vendor's calls come from. */
    const INTEGRATION: Record<string, string> = {
      'northwind-analytics': 'int_1',
      'bluejay-ads': 'int_2',
      'meta-pixel': 'int_90',
      'google-tag': 'int_91',
      'tiktok-pixel': 'int_92',
      'pinterest-tag': 'int_93',
    };
    const purchased = (events: any[]) => events.filter((e) => e.event === 'purchase');
    await expect
      .poll(async () =>
        Object.entries(await reportEvents())
          .filter(([, events]) => purchased(events).some((e) => e.status === 'sent'))
          .map(([i]) => i)
          .sort(),
      )
      .toEqual(Object.values(INTEGRATION).sort());
    const reported = await reportEvents();
    const id = purchased(reported.int_90)[0].id;
    for (const i of Object.values(INTEGRATION))
      expect(
        purchased(reported[i]).map((e) => [e.status, e.id]),
        i,
      ).toEqual([['sent', id]]);
    expect(purchased(reported.int_3).map((e) => e.status)).toEqual(['no-mapping']);

    // What each emulated vendor received, as the page lists it: one purchase each, with that id.
    const vendors = async () =>
      Object.fromEntries(
        await page.$$eval('#vendor-calls .vendor', (divs) =>
          divs.map((d) => [
            d.getAttribute('data-key')!,
            Array.from(d.querySelectorAll('tbody tr'), (tr) => Array.from(tr.children, (td) => td.textContent!)),
          ]),
        ),
      ) as Record<string, string[][]>;
    await expect
      .poll(async () =>
        Object.entries(await vendors())
          .map(([key, rows]) => [key, rows.some((r) => r[0] === PURCHASE_CALL[key])])
          .sort(),
      )
      .toEqual(
        Object.keys(PURCHASE_CALL)
          .sort()
          .map((key) => [key, true]),
      );
    const listed = await vendors();
    for (const [key, rows] of Object.entries(listed)) {
      const purchase = rows.filter((r) => r[0] === PURCHASE_CALL[key]);
      expect(purchase, key).toHaveLength(1);
      // The Google tag has no event id: GA4 counts an order once by its transaction_id.
      if (key === 'google-tag') expect(purchase[0][1]).toContain(`"transaction_id":"${order[1]}"`);
      else {
        expect(purchase[0][2], key).toBe(id);
        // Every event utt sent this integration reached its vendor once, with its id (a vendor maps only some).
        const sent = reported[INTEGRATION[key]].filter((e) => e.status === 'sent').map((e) => e.id);
        expect(sent.length, key).toBeGreaterThanOrEqual(4);
        expect(rows.map((r) => r[2]).filter(Boolean), key).toEqual(sent);
      }
    }
    // Converted as each vendor wants it: Bluejay counts in cents.
    expect(listed['bluejay-ads'].find((r) => r[0] === PURCHASE_CALL['bluejay-ads'])![1]).toBe(
      `{"order_id":"${order[1]}","value_cents":4980,"currency":"EUR","products":[{"sku":"SKU-THERMOS-075","qty":2,"price_cents":2490}]}`,
    );
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (wide > 0) problems.push(`${width}: ${wide} px of horizontal scroll`);
      for (const v of await axeViolations(page)) problems.push(`${width}: axe ${v}`);
      await page.screenshot({ path: `test/artifacts/demo-merchant-cart-${width}.png`, fullPage: true });
    }
    expect(errors).toEqual([]);
    await page.close();

    // The hub names the events each integration will receive: in the list, and in the add and edit forms.
    const h = await hub();
    const events = (id: string) => h.textContent(`tr[data-id="${id}"] .events`);
    expect(await events('int_2')).toBe('Receives view item, add to cart, begin checkout, purchase');
    expect(await events('int_1')).toBe('Receives view item, add to cart, begin checkout, purchase');
    expect(await events('int_3')).toBe('Receives no event');
    expect(await events('int_92')).toBe(
      'Receives view item, add to cart, add to wishlist, begin checkout, add payment info, purchase, search, generate lead, sign up',
    );
    expect(await h.isVisible('#add-events')).toBe(false);
    await h.selectOption('#partner', 'northwind-analytics');
    expect(await h.textContent('#add-events')).toBe('Receives view item, add to cart, begin checkout, purchase');
    await h.selectOption('#partner', 'lumen-chat');
    expect(await h.textContent('#add-events')).toBe('Receives no event');
    await h.click('tr[data-id="int_91"] button.more');
    await h.click('tr[data-id="int_91"] button.edit');
    expect(await h.textContent('#edit-events')).toBe(
      'Receives view item, add to cart, begin checkout, purchase, refund, generate lead, sign up, login, search',
    );
    for (const width of [1280, 390]) {
      await h.setViewportSize({ width, height: 900 });
      for (const v of await axeViolations(h)) problems.push(`hub ${width}: axe ${v}`);
    }
    await h.close();
    expect(problems).toEqual([]);
  });
});

describe('npm run demo: the hub flow, as QA runs it', () => {
  it('an optional identifier (LinkedIn conversion ids) is labelled optional and may stay empty; a value given must be right', async () => {
    const page = await hub();
    await page.selectOption('#partner', 'linkedin-insight');
    const field = 'label.field:has(input[data-name="purchaseConversionId"])';
    expect(await page.textContent(`${field} span`)).toBe('Purchase conversion ID (optional)');
    expect(await page.$eval('input[data-name="purchaseConversionId"]', (i: HTMLInputElement) => i.required)).toBe(
      false,
    );
    expect(await page.$eval('input[data-name="partnerId"]', (i: HTMLInputElement) => i.required)).toBe(true);
    await page.fill('input[data-name="partnerId"]', '123456');
    await expect.poll(() => page.isDisabled('#add')).toBe(false);
    await page.fill('input[data-name="purchaseConversionId"]', '-4');
    await expect.poll(() => page.textContent('#fields-error-purchaseConversionId')).toBe('must be 1 or more');
    expect(await page.isDisabled('#add')).toBe(true);
    await page.fill('input[data-name="purchaseConversionId"]', '5550001');
    await expect.poll(() => page.isDisabled('#add')).toBe(false);
  });

  it('add (a bad identifier refused, a good one taken), verify, publish later, publish, edit, alert', async () => {
    const page = await hub();
    // The menus name partners without the registry's "(emulated)" note; Loads starts from the partner's own.
    expect(await page.textContent('#partner option[value="tiktok-pixel"]')).toBe('TikTok Pixel');
    // A bad identifier: an inline message, and the Add button refuses.
    await page.selectOption('#partner', 'bluejay-ads');
    await page.fill('input[data-name="accountId"]', '12');
    await expect.poll(() => page.textContent('#fields-error-accountId')).toBe('must be 1,000 or more');
    expect(await page.isDisabled('#add')).toBe(true);
    await page.fill('input[data-name="accountId"]', '12.5');
    await expect.poll(() => page.textContent('#fields-error-accountId')).toBe('must be a whole number');
    // A good one, with the partner alerted.
    await page.fill('input[data-name="accountId"]', '555123');
    await expect.poll(() => page.isDisabled('#add')).toBe(false);
    await page.check('#alert');
    await page.selectOption('#load', 'now');
    await page.click('#add');
    // The form is new again: no partner, no identifiers, and Loads back to the partner's own timing.
    await expect.poll(() => page.inputValue('#partner')).toBe('');
    expect(await page.$eval('#load', (s: HTMLSelectElement) => [s.value, s.options[0].textContent])).toEqual([
      '',
      'as the partner says',
    ]);

    // The checklist, with verify mode's evidence from the merchant page.
    await page.waitForSelector('#checklist[data-id="int_6"]:not([hidden])');
    await expect.poll(() => page.textContent('#evidence-identifier'), { timeout: 30_000 }).toMatch(/identifiers: pass/);
    expect(await page.textContent('#evidence-placement')).toMatch(/placement: pass.*csp: pass/s);
    // Under No CSP the hub says so, rather than "allowed by 0 meta and 0 header policies" (verify mode's own
    // words stay in a closed details).
    expect(
      await page.$eval('#evidence-placement .item.csp', (d) =>
        Array.from(d.childNodes.values(), (n) => n.textContent)
          .slice(0, 2)
          .join(''),
      ),
    ).toBe("csp: pass the page serves no Content-Security-Policy: nothing refuses the partner's 2 request(s).");
    await page.check('#check-placement');
    await page.check('#check-identifier');
    await page.check('#check-privacy');
    expect(await page.isDisabled('#publish')).toBe(true);
    await page.check('#check-approval');
    expect(await page.isDisabled('#publish')).toBe(false);
    // Evidence against a site CSP that lacks Bluejay names the fix.
    await page.selectOption('#site-csp', 'allowlist');
    await expect
      .poll(() => page.textContent('#evidence-placement'), { timeout: 30_000 })
      .toMatch(/csp: fail.*Fix: script-src: add https:\/\/tags\.bluejay\.example/s);
    mkdirSync('test/artifacts', { recursive: true });
    await page.screenshot({ path: 'test/artifacts/demo-hub-checklist.png', fullPage: true });
    await page.click('#publish-later');
    await expect.poll(() => page.textContent('tr[data-id="int_6"] td.status')).toBe('Disabled');
    const savedLater = await page.textContent('#embed-version');

    // Published later: the merchant page runs the last published version, which does not have it.
    let s = await shop('none');
    expect(s.rows.int_6).toBeUndefined();
    expect(s.ran.join()).not.toMatch(/555123/);
    await s.page.close();

    // More → Publish from the list: the same checklist, then it loads.
    await page.click('tr[data-id="int_6"] button.more');
    await page.click('tr[data-id="int_6"] button.publish');
    await page.waitForSelector('#checklist[data-id="int_6"]:not([hidden])');
    await tickAll(page);
    await page.click('#publish');
    await expect.poll(() => page.textContent('tr[data-id="int_6"] td.status')).toBe('Enabled');
    // The confirmation is where the eye is, not at the top of a long page.
    expect(await page.textContent('#notice')).toBe('int_6 published: the merchant page loads it now.');
    expect(await inView(page, '#notice')).toBe(true);
    s = await shop('none');
    expect(s.rows.int_6[0]).toBe('loaded');
    expect(s.ran).toContain('Bluejay Ads (https://tags.bluejay.example/v2/555123/tag.js)');
    await s.page.screenshot({ path: 'test/artifacts/demo-merchant-after-publish.png', fullPage: true });
    await s.page.close();
    // The publish built the per-account tag again: the hub's Embed panel names the new publish, and the
    // tag written into the page loads the new integration.
    await expect.poll(() => page.textContent('#embed-version')).not.toBe(savedLater);
    s = await shop('none', '&tag=inline');
    expect(s.rows.int_6[0]).toBe('loaded');
    expect(await s.page.textContent('#manifest-status')).toContain(
      `publish ${await page.textContent('#embed-version')}`,
    );
    await s.page.close();

    // More → Edit identifier: same validation; a live integration is paused until published again.
    await page.click('tr[data-id="int_6"] button.more');
    await page.click('tr[data-id="int_6"] button.edit');
    await page.fill('#edit-fields input[data-name="accountId"]', '9');
    await expect.poll(() => page.isDisabled('#save')).toBe(true);
    await page.fill('#edit-fields input[data-name="accountId"]', '777888');
    await expect.poll(() => page.isDisabled('#save')).toBe(false);
    await page.click('#save');
    await expect.poll(() => page.textContent('tr[data-id="int_6"] td.ids')).toBe('Advertiser account ID: 777888');
    expect(await page.textContent('tr[data-id="int_6"] td.status')).toBe('Disabled');
    expect(await page.textContent('#notice')).toMatch(/int_6 saved and paused/);
    s = await shop('none');
    expect(s.rows.int_6[0]).toBe('disabled');
    await s.page.close();
    // The same at 390 px: the confirmation is in view.
    await page.setViewportSize({ width: 390, height: 800 });
    await page.click('tr[data-id="int_6"] button.more');
    await page.click('tr[data-id="int_6"] button.publish');
    await tickAll(page);
    await page.click('#publish');
    await expect.poll(() => page.textContent('tr[data-id="int_6"] td.status')).toBe('Enabled');
    expect(await inView(page, '#notice')).toBe(true);
    await page.setViewportSize({ width: 1280, height: 720 });
    s = await shop('none');
    expect(s.ran).toContain('Bluejay Ads (https://tags.bluejay.example/v2/777888/tag.js)');
    await s.page.close();

    // The partner was alerted: an RFC 5322 message in the outbox, listed on the page.
    expect(await page.textContent('#outbox')).toMatch(
      /to Bluejay Ads <partners@bluejay\.example>: New utt integration/,
    );
    const mails: string[] = (await demo.state.mails()).map((m: any) => m.raw);
    // Alerted at creation; told of each publish and of the edit.
    expect(mails.map((m) => /^Subject: (.*?) Bluejay/m.exec(m)?.[1]).sort()).toEqual([
      'New utt integration:',
      'utt integration edited:',
      'utt integration published:',
      'utt integration published:',
    ]);
    const mail = mails.find((m) => m.includes('Subject: New utt integration'))!;
    expect(mail).toMatch(
      /^From: .+\r\nTo: Bluejay Ads <partners@bluejay\.example>\r\nSubject: .+\r\nDate: \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000\r\nMessage-ID: <[\w-]+@utt-demo\.localhost>\r\n/,
    );
    expect(mail).toMatch(/\r\n\r\nHello Bluejay Ads team,\r\n/);
    expect(mail).toMatch(/Advertiser account ID \(accountId\): 555123/);

    // The state survives a restart: a new server on the same database publishes the same manifest.
    await restart({});
    const served = await (await fetch(`${base}/manifests/A12345.json`)).json();
    expect(served.integrations.find((i: any) => i.id === 'int_6')).toMatchObject({
      status: 'enabled',
      identifiers: { accountId: 777888 },
    });

    await page.screenshot({ path: 'test/artifacts/demo-hub.png', fullPage: true });
    // Remove asks first: dismissed, nothing happens; accepted, it goes.
    page.once('dialog', (d) => d.dismiss());
    await page.click('tr[data-id="int_6"] button.more');
    await page.click('tr[data-id="int_6"] button.remove');
    expect(await page.locator('tr[data-id="int_6"]').count()).toBe(1);
    page.once('dialog', (d) => d.accept());
    await page.click('tr[data-id="int_6"] button.more');
    await page.click('tr[data-id="int_6"] button.remove');
    await expect.poll(() => page.locator('tr[data-id="int_6"]').count()).toBe(0);
    await page.close();
  });

  it('catches the mistakes a hub must catch: failed CSP, duplicates, invalid stored values, live edits, reused ids', async () => {
    // The merchant's site now serves the allowlist that lacks Bluejay (the merchant page's Preset menu): the
    // checklist starts from it.
    const s = await shop('none');
    await Promise.all([s.page.waitForURL(/csp=allowlist/), s.page.selectOption('#csp', 'allowlist')]);
    await s.page.waitForSelector('#outcomes tbody tr');
    expect(await s.page.textContent('#policy')).toContain("script-src 'self' ");
    await s.page.close();
    const page = await hub();
    expect(await page.inputValue('#site-csp')).toBe('allowlist');

    // A stored integration that would fail shows it, with what the merchant page last reported.
    expect(await page.textContent('tr[data-id="int_5"] td.status')).toBe(
      'Enabled · loads at interaction invalid (widgetKey: pattern)',
    );
    expect(await page.textContent('tr[data-id="int_5"] td.last')).toBe('invalid (widgetKey: pattern)');
    expect(await page.textContent('tr[data-id="int_1"] td.last')).toBe('loaded');
    // utt's own status code stays at hand for QA, in the title.
    expect(await page.getAttribute('tr[data-id="int_5"] td.last .outcome', 'title')).toBe('invalid');

    // Duplicates: the same partner and host name, in another case, is refused with a link to the existing one.
    await page.selectOption('#partner', 'northwind-analytics');
    await page.fill('input[data-name="domain"]', 'SHOP.Merchant.Example');
    await expect.poll(() => page.isDisabled('#add')).toBe(false);
    await page.click('#add');
    await expect.poll(() => page.textContent('#add-error')).toMatch(/already int_1.*Go to int_1/);
    expect(await page.getAttribute('#add-error a', 'href')).toBe('#row-int_1');

    // An enabled row offers Unpublish.
    await page.click('tr[data-id="int_2"] button.more');
    await page.click('tr[data-id="int_2"] button.unpublish');
    await expect.poll(() => page.textContent('tr[data-id="int_2"] td.status')).toBe('Disabled');
    expect(await page.textContent('#notice')).toMatch(/int_2 unpublished/);

    // A failed CSP check: item 1 cannot be confirmed, and the one way on is "Publish anyway" with a reason (no
    // "Publish the tag" beside it); the history keeps the reason.
    await page.click('tr[data-id="int_2"] button.more');
    await page.click('tr[data-id="int_2"] button.publish');
    await page.waitForSelector('#anyway:not([hidden])', { timeout: 30_000 });
    expect(await page.isDisabled('#check-placement')).toBe(true);
    expect(await page.isHidden('#publish')).toBe(true);
    expect(await page.textContent('#anyway-why')).toMatch(/Code placement cannot be confirmed/);
    for (const id of ['check-identifier', 'check-privacy', 'check-approval']) await page.check(`#${id}`);
    expect(await page.textContent('tr[data-id="int_2"] td.status')).toBe('Disabled');
    expect(await page.isDisabled('#publish-anyway')).toBe(true);
    await page.screenshot({ path: 'test/artifacts/demo-hub-publish-anyway.png', fullPage: true });
    await page.fill('#anyway-reason', 'policy change ships tomorrow, ticket SEC-12');
    await page.click('#publish-anyway');
    await expect.poll(() => page.textContent('tr[data-id="int_2"] td.status')).toBe('Enabled');
    // What is true: published, and the page's policy still blocks it until the fix.
    expect(await page.textContent('#notice')).toMatch(
      /^int_2 published anyway \(reason recorded in its history\), but the merchant page's policy still blocks it: fix the site's CSP \(script-src: add .*bluejay.*\)\.$/,
    );
    const history = await page.$$eval('#history-int_2 li', (lis) => lis.map((li) => li.textContent));
    expect(history.join('\n')).toMatch(
      /unpublished\n.*verified \(site CSP \(allowlist\): fail, script .*bluejay.*\n.*published anyway \(reason: policy change ships tomorrow, ticket SEC-12\)/,
    );
    await page.click('tr[data-id="int_2"] button.more');
    await page.click('tr[data-id="int_2"] button.show-history');
    // The history opens over the page: the row keeps its height, and times are written by Intl, not ISO.
    expect((await page.locator('tr[data-id="int_2"]').boundingBox())!.height).toBeLessThan(120);
    expect(await page.isVisible('#history-int_2')).toBe(true);
    expect(history.join('\n')).not.toMatch(/\d{4}-\d\d-\d\dT/);
    await page.screenshot({ path: 'test/artifacts/demo-hub-history.png', fullPage: true });

    // The API says the same to anyone who skips the page: an invalid one cannot be published at all.
    const post = (path: string, body: unknown) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    await post('/api/integrations/int_2/unpublish', {});
    let r = await post('/api/integrations/int_2/publish', {});
    expect([r.status, (await r.json()).anyway]).toEqual([409, 'required']);
    r = await post('/api/integrations/int_5/publish', { anyway: 'please' });
    expect([r.status, (await r.json()).error]).toEqual([
      409,
      expect.stringMatching(/int_5 cannot be published: widgetKey/),
    ]);

    // Load timing: the partner's own (Lumen Chat waits for an interaction), or the integration's.
    r = await post('/api/integrations', {
      partner: 'orbit-reviews',
      identifiers: { storeId: 'idle-shop', region: 'us' },
      load: 'idle',
    });
    const idle = (await r.json()).integration;
    expect(idle.load).toBe('idle');
    r = await post('/api/integrations', {
      partner: 'orbit-reviews',
      identifiers: { storeId: 'x', region: 'us' },
      load: 'soon',
    });
    expect(r.status).toBe(400);
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.textContent(`tr[data-id="${idle.id}"] td.status`)).toBe('Disabled · loads when idle');
    expect(await page.textContent('tr[data-id="int_5"] td.status')).toMatch(/loads at interaction/);

    // Ids are never reused: remove the newest, add again, get a new id. Added without "Alert the partner", it is
    // never written about: not when published, edited or removed.
    const mailCount = (await demo.state.mails()).length;
    r = await post('/api/integrations', { partner: 'lumen-chat', identifiers: { widgetKey: 'lc_9fK2mQ7xL4pR8tV1' } });
    const first = (await r.json()).integration.id;
    await fetch(`${base}/api/integrations/${first}`, {
      method: 'DELETE',
      headers: { 'content-type': 'application/json' },
    });
    r = await post('/api/integrations', { partner: 'lumen-chat', identifiers: { widgetKey: 'lc_9fK2mQ7xL4pR8tV1' } });
    const second = (await r.json()).integration.id;
    expect(second).not.toBe(first);
    await post(`/api/integrations/${second}/publish`, { anyway: 'not on this page yet' });
    await fetch(`${base}/api/integrations/${second}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identifiers: { widgetKey: 'lc_1fK2mQ7xL4pR8tV9' } }),
    });
    expect((await demo.state.mails()).length).toBe(mailCount);
    await page.close();
    await post('/api/site', { preset: 'none' });
  });

  it('a partner removed from the registry: its row says so and what to do; the hub and the per-account tag work on', async () => {
    // Retiring an entry: the demo restarted on a copy of partners/ without orbit-reviews (int_3 of the sample).
    const registry = mkdtempSync(join(tmpdir(), 'utt-registry-'));
    for (const f of readdirSync('partners'))
      if (f.endsWith('.json') && f !== 'orbit-reviews.json') copyFileSync(join('partners', f), join(registry, f));
    await restart({ partnerDirs: [registry] });
    try {
      const list = await (await fetch(`${base}/api/integrations`)).json();
      expect(list.find((i: any) => i.id === 'int_3')).toMatchObject({
        partner: 'orbit-reviews',
        unknownPartner: true,
        valid: false,
        problems: ['partner: not in the registry'],
      });
      expect((await fetch(`${base}/api/embed`)).status).toBe(200);
      expect((await fetch(`${base}/A12345.js`)).status).toBe(200);
      expect((await fetch(`${base}/A12345.html`)).status).toBe(200);

      // The hub finishes loading; the row names the partner and what to do, and offers only Remove.
      const page = await hub();
      expect(await page.textContent('#embed-version')).toMatch(/^[0-9a-f]{12}$/);
      expect(await page.textContent('tr[data-id="int_3"] td.status')).toBe(
        'Unknown partner"orbit-reviews" is no longer in the partner registry, so no tag loads it. Remove this ' +
          'integration, or restore partners/orbit-reviews.json and restart the demo.',
      );
      expect(await page.$$eval('#menu-int_3 button', (bs) => bs.map((b) => b.className))).toEqual([
        'show-history',
        'remove',
      ]);

      // The per-account tag leaves it out and says so in its report; the others load as before.
      const s = await shop('none', '&tag=account');
      expect(s.rows).toEqual({ ...SAMPLE, int_3: ['unknown-partner', 'orbit-reviews', ''] });
      expect(s.ran.join()).not.toMatch(/Orbit/);
      expect(s.errors).toEqual([]);
      await s.page.close();
      // What the merchant page reported replaces the row's last outcome ("loaded", from before).
      await page.reload();
      await page.waitForSelector('body[data-ready="true"]');
      expect(await page.textContent('tr[data-id="int_3"] td.last')).toBe('unknown partner (orbit-reviews)');
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 900 });
        await page
          .locator('tr[data-id="int_3"]')
          .screenshot({ path: `test/artifacts/demo-hub-unknown-partner-${width}.png` });
      }

      // Removed, as the row says: the hub and the tag carry on.
      page.once('dialog', (d) => d.accept());
      await page.click('tr[data-id="int_3"] button.more');
      await page.click('tr[data-id="int_3"] button.remove');
      await expect.poll(() => page.locator('tr[data-id="int_3"]').count()).toBe(0);
      expect(await page.textContent('#notice')).toBe('int_3 removed.');
      await page.close();
    } finally {
      await restart({});
    }
  });

  it("the hub's 'On the merchant page' follows the page: a partner deferred to the first interaction, then loaded", async () => {
    await demo.state.update((m: any, tx: any) => {
      m.integrations.find((i: any) => i.id === 'int_5').identifiers = { widgetKey: 'lc_9fK2mQ7xL4pR8tV1' };
      tx.version({ by: 'test' });
    });
    const page = await hub();
    const s = await shop('none');
    expect(s.rows.int_5[0]).toBe('deferred');
    await expect.poll(() => page.textContent('tr[data-id="int_5"] td.last')).toBe('deferred (loads at interaction)');
    // The visitor's first interaction: Lumen Chat loads, and the hub's row says so without a reload.
    await s.page.mouse.click(5, 5);
    await s.page.keyboard.press('Tab');
    await s.page.waitForSelector('#outcomes tr[data-id="int_5"].loaded');
    await expect.poll(() => page.textContent('tr[data-id="int_5"] td.last')).toBe('loaded');
    await s.page.close();
    await page.close();
  });

  it('versions: each publish is kept with who and why; two compare; one restores as a new version after the CSP check', async () => {
    const call = async (method: string, path: string, body?: unknown) => {
      const r = await fetch(`${base}${path}`, {
        method,
        headers: method === 'GET' ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: r.status, body: r.status === 204 ? null : await r.json() };
    };
    await call('POST', '/api/reset');
    const start = (await call('GET', '/api/versions')).body.length;
    try {
      // Publish Tidepool (int_4); edit Northwind's domain (int_1) and publish it again.
      expect((await call('POST', '/api/integrations/int_4/publish', { by: 'qa@acme.example' })).status).toBe(200);
      await call('PUT', '/api/integrations/int_1', { identifiers: { domain: 'www.merchant.example' } });
      expect((await call('POST', '/api/integrations/int_1/publish', {})).status).toBe(200);
      // Editing a live integration takes it off the pages until it is published again: a version too.
      const [second, paused, first] = (await call('GET', '/api/versions')).body;
      expect(paused).toMatchObject({ number: first.number + 1, note: 'int_1 paused by an edit' });
      expect(first).toMatchObject({
        by: 'qa@acme.example',
        note: 'published int_4',
        evidence: { int_4: { identifiers: 'pass', csp: { ok: true, preset: 'none' } } },
      });
      expect(second).toMatchObject({ number: first.number + 2, by: 'QA (demo hub)', note: 'published int_1' });
      // A version names the per-account tag it built: the one the merchant's pages get now.
      expect(second.tag).toBe((await call('GET', '/api/embed')).body.version);

      // The hub lists them and shows what changed between two.
      const page = await hub();
      expect(await page.locator('#versions li').count()).toBe(start + 3);
      await page.selectOption('#diff-from', String(first.number));
      await page.selectOption('#diff-to', String(second.number));
      await page.click('#diff');
      await expect
        .poll(() => page.$$eval('#diff-result li', (lis) => lis.map((l) => l.textContent)))
        .toEqual(['int_1 identifiers: {"domain":"shop.merchant.example"} → {"domain":"www.merchant.example"}']);

      // Restore the first: a new version, the same manifest and tag, live on the merchant page.
      await page.click(`#versions li[data-number="${first.number}"] button.restore`);
      await expect.poll(() => page.locator('#versions li').count()).toBe(start + 4);
      expect(await page.textContent('#notice')).toContain(`Version ${first.number} restored`);
      const newest = (await call('GET', '/api/versions')).body[0];
      expect(newest).toMatchObject({
        number: second.number + 1,
        note: `restored version ${first.number}`,
        tag: first.tag,
      });
      const served = await (await fetch(`${base}/manifests/A12345.json`)).json();
      expect(served.integrations).toEqual((await demo.state.version(first.number)).manifest.integrations);
      const s = await shop('none', '&tag=account');
      expect(await s.page.textContent('#manifest-status')).toContain(`publish ${first.tag}`);
      expect(s.ran).toContain('Northwind Analytics (https://cdn.northwind.example/na.js?d=shop.merchant.example)');
      await s.page.close();
      expect(
        (await call('GET', '/api/integrations')).body.find((i: any) => i.id === 'int_1').history.at(-1),
      ).toMatchObject({ event: 'restored', detail: `version ${first.number}` });

      // Under a site CSP that lacks Bluejay, restoring a version with Bluejay live asks why; no reason, no restore.
      await call('POST', '/api/site', { preset: 'allowlist' });
      page.once('dialog', (d) => d.dismiss());
      await page.click(`#versions li[data-number="${second.number}"] button.restore`);
      await expect
        .poll(() => page.textContent('#notice'))
        .toMatch(`Version ${second.number} not restored: the site's CSP check failed (allowlist) for int_2`);
      expect(await page.locator('#versions li').count()).toBe(start + 4);
      page.once('dialog', (d) => d.accept('policy change ships tomorrow'));
      await page.click(`#versions li[data-number="${second.number}"] button.restore`);
      await expect.poll(() => page.locator('#versions li').count()).toBe(start + 5);
      expect((await call('GET', '/api/versions')).body[0].note).toBe(
        `restored version ${second.number} anyway: policy change ships tomorrow`,
      );
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 900 });
        await page.locator('#versions-section').screenshot({ path: `test/artifacts/demo-hub-versions-${width}.png` });
      }
      await page.close();

      // The API refuses what does not exist, and a GET restores nothing.
      expect((await call('POST', '/api/versions/999999/restore', {})).status).toBe(404);
      expect((await call('GET', `/api/versions/${first.number}/restore`)).status).toBe(405);
      expect((await call('GET', '/api/versions/diff?from=x&to=current')).status).toBe(404);
      expect((await call('GET', '/api/versions')).body.length).toBe(start + 5);
    } finally {
      await call('POST', '/api/site', { preset: 'none' });
      await call('POST', '/api/reset');
    }
  });

  it('reads well at 1280 and 390 px: no sideways scroll, no console error, no serious accessibility violation and nothing outside landmarks (axe-core)', async () => {
    const problems: string[] = [];
    for (const [name, width] of [
      ['1280', 1280],
      ['390', 390],
    ] as const) {
      for (const [what, url, ready] of [
        ['hub', '/', 'body[data-ready="true"]'],
        ['merchant', '/shop?csp=none', '#outcomes tbody tr'],
        ['merchant-strict', '/shop?csp=strict', '#outcomes tbody tr'],
      ] as const) {
        const page = await context.newPage();
        await page.setViewportSize({ width, height: 900 });
        page.on('console', (m) => {
          if (m.type() === 'error') problems.push(`${what} ${name}: console: ${m.text()}`);
        });
        page.on('pageerror', (e) => problems.push(`${what} ${name}: ${e}`));
        await page.goto(`${base}${url}`);
        await page.waitForSelector(ready);
        if (what === 'hub') {
          // The outbox as a new account's hub gets it, empty: it says why it is empty.
          await page.route('**/api/outbox', (r) => r.fulfill({ json: [] }));
          await page.reload();
          await page.waitForSelector(ready);
          expect(await page.isVisible('#outbox-empty')).toBe(true);
          await page.unroute('**/api/outbox');
          // The add form with its errors, and the checklist, open.
          await page.selectOption('#partner', 'bluejay-ads');
          await page.fill('input[data-name="accountId"]', '12');
          await expect.poll(() => page.textContent('#fields-error-accountId')).toBe('must be 1,000 or more');
        }
        await page.evaluate(() => new Promise((r) => ((window as any).utt ? (window as any).utt('report', r) : r(0))));
        const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        // An empty reason or warnings cell shows nothing, not even its label.
        const empty = await page.$$eval('td:empty', (tds) => tds.filter((td) => td.checkVisibility()).length);
        if (width === 390 && empty) problems.push(`${what} ${name}: ${empty} empty cells shown`);
        if (wide > 0) problems.push(`${what} ${name}: ${wide} px of horizontal scroll`);
        for (const v of await axeViolations(page)) problems.push(`${what} ${name}: axe ${v}`);
        await page.screenshot({ path: `test/artifacts/demo-${what}-${name}.png`, fullPage: true });
        await page.close();
      }
    }
    expect(problems).toEqual([]);
  });

  it('the API refuses bad requests with a 4xx and a clear message, and changes nothing', async () => {
    const before = JSON.stringify(await demo.state.manifest());
    const call = (method: string, path: string, body?: string, type = 'application/json') =>
      fetch(`${base}${path}`, { method, headers: method === 'GET' ? {} : { 'content-type': type }, body }).then(
        async (r) => [r.status, (await r.json()).error],
      );
    expect(
      await call('POST', '/api/integrations', '{"partner":"bluejay-ads","identifiers":{"accountId":"x"}}'),
    ).toEqual([400, 'invalid identifiers']);
    expect(await call('POST', '/api/integrations', '{"partner":"nope","identifiers":{}}')).toEqual([
      400,
      'unknown partner: "nope"',
    ]);
    expect(await call('POST', '/api/integrations', '{oops')).toEqual([
      400,
      expect.stringMatching(/^the body is not a JSON object/),
    ]);
    expect(await call('POST', '/api/integrations', 'a=1', 'application/x-www-form-urlencoded')).toEqual([
      415,
      'send the request as application/json',
    ]);
    expect(await call('PUT', '/api/integrations/int_99', '{"identifiers":{}}')).toEqual([
      404,
      'no integration "int_99"',
    ]);
    expect(await call('PUT', '/api/integrations/int_2', '{"identifiers":{"accountId":5}}')).toEqual([
      400,
      'invalid identifiers',
    ]);
    expect(await call('POST', '/api/integrations/int_99/publish')).toEqual([404, 'no integration "int_99"']);
    expect(await call('GET', '/api/nothing')).toEqual([404, 'no GET /api/nothing']);
    expect(JSON.stringify(await demo.state.manifest())).toBe(before);
  });
});

describe('npm run demo: the hub in French (Accept-Language: fr-FR), with the help page words', () => {
  it('add, Vérifier et publier with the four items, Publier la balise, More → Modifier, Enregistrer; then back to English, remembered', {
    timeout: 240_000,
  }, async () => {
    const fr = await browser.newContext({ locale: 'fr-FR' });
    const problems: string[] = [];
    const page = await fr.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(String(e)));
    // A beacon and a preview's evidence refused for their type: the hub counts them by why, in its words.
    for (const path of ['/api/health', '/preview/A12345/evidence'])
      expect(
        (await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }))
          .status,
      ).toBe(415);
    // The merchant page, seen: the list says what utt reported there.
    const shop = await fr.newPage();
    await shop.goto(`${base}/shop?csp=none`);
    await shop.waitForSelector('#outcomes tbody tr');
    await shop.close();
    await page.goto(`${base}/`);
    await page.waitForFunction(() => navigator.serviceWorker.ready.then(() => true));
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    expect(await page.textContent('tr[data-id="int_1"] td.last')).toBe('chargée');
    expect(await page.getAttribute('tr[data-id="int_1"] td.last .outcome', 'title')).toBe('loaded');
    expect(await page.textContent('#health-refused')).toMatch(/^Balises refusées : .*pas en text\/plain : \d+/);
    expect(await page.inputValue('#lang')).toBe('fr');
    expect(await page.textContent('h1 span')).toBe("Hub d'intégrations partenaires");
    expect(await page.textContent('#add-title')).toBe('Ajouter une intégration');
    expect(await page.textContent('label.field:has(#partner) span')).toBe("Balise d'intégration");
    expect(await page.textContent('label[for="alert"]')).toBe(
      " Alerter le partenaire par email lors de l'ajout de l'intégration",
    );
    expect(await page.textContent('tr[data-id="int_1"] td.status')).toBe('Activé');
    expect(await page.textContent('tr[data-id="int_4"] td.status')).toBe('Désactivé');

    // Add: the identifier's error in French, the partner's own label and description untouched.
    await page.selectOption('#partner', 'bluejay-ads');
    expect(await page.textContent('#fields label.field span')).toBe('Advertiser account ID');
    await page.fill('input[data-name="accountId"]', '12');
    await expect
      .poll(() => page.textContent('#fields-error-accountId'))
      .toBe(`doit être supérieur ou égal à ${new Intl.NumberFormat('fr').format(1000)}`);
    await page.fill('input[data-name="accountId"]', '424242');
    await expect.poll(() => page.isDisabled('#add')).toBe(false);
    await page.check('#alert');
    await page.click('#add');

    // Vérifier et publier: the four items, in the help page's words.
    await page.waitForSelector('#checklist[data-id="int_6"]:not([hidden])');
    expect(await page.textContent('#checklist h2')).toMatch(/^Vérifier et publier int_6 \(Bluejay Ads\)$/);
    expect(await page.$$eval('#checklist .checklist strong[data-i18n]', (s) => s.map((e) => e.textContent))).toEqual([
      'Placement du code confirmé',
      "ID d'intégration correct",
      'Revue de la confidentialité et de la conformité',
      'Approbation des parties prenantes internes',
    ]);
    await expect
      .poll(() => page.textContent('#evidence-identifier'), { timeout: 30_000 })
      .toMatch(/identifiants : réussi/);
    await expect.poll(() => page.isDisabled('#check-placement')).toBe(false);
    await tickAll(page);
    expect(await page.textContent('#publish')).toBe('Publier la balise');
    expect(await page.textContent('#publish-later')).toBe('Publier plus tard');
    await page.click('#publish');
    await expect.poll(() => page.textContent('tr[data-id="int_6"] td.status')).toBe('Activé');
    expect(await page.textContent('#site-evidence-refused')).toMatch(
      /^Preuves refusées par le hub : .*pas en text\/plain : \d+/,
    );
    expect(await page.textContent('#notice')).toBe('int_6 publiée : la page marchand la charge maintenant.');
    expect(await inView(page, '#notice')).toBe(true);

    // More → Modifier, Enregistrer.
    await page.click('tr[data-id="int_6"] button.more');
    expect(
      await page.$$eval('#menu-int_6 button', (bs) => bs.filter((b) => b.checkVisibility()).map((b) => b.textContent)),
    ).toEqual(['Dépublier', 'Modifier', 'Historique', 'Supprimer']);
    await page.click('tr[data-id="int_6"] button.edit');
    await page.fill('#edit-fields input[data-name="accountId"]', '434343');
    await expect.poll(() => page.isDisabled('#save')).toBe(false);
    expect(await page.textContent('#save')).toBe('Enregistrer');
    await page.click('#save');
    await expect.poll(() => page.textContent('tr[data-id="int_6"] td.ids')).toBe('Advertiser account ID: 434343');
    expect(await page.textContent('#notice')).toMatch(/^int_6 enregistrée et mise en pause/);
    // The history, its times through Intl in French; the mails in French, partner names as the registry has them.
    const time = await page.$eval('#history-int_6 time', (t) => [t.textContent, t.getAttribute('datetime')]);
    expect(time[0]).toBe(
      new Intl.DateTimeFormat('fr', { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(time[1]!)),
    );
    expect(await page.textContent('#history-int_6')).toMatch(/créée.*partenaire alerté.*vérifiée.*publiée.*modifiée/s);
    expect(await page.textContent('#outbox')).toMatch(
      /à Bluejay Ads <partners@bluejay\.example> : Nouvelle intégration utt/,
    );
    expect((await page.textContent('#embed-bytes'))!).toMatch(/^la balise \(\d{1,3}(\u202f\d{3})* octets\)$/);

    // Every string from a catalogue, none missing; no sideways scroll; axe clean, at 1280 and 390 px.
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(wide, `${width} px`).toBeLessThanOrEqual(0);
      expect(await axeViolations(page), `${width} px`).toEqual([]);
      await page.screenshot({ path: `test/artifacts/demo-hub-fr-${width}.png`, fullPage: true });
    }
    expect(await page.textContent('body')).not.toContain('⟦');
    // No English of utt's codes or the server's left in the French hub: statuses, counts, refusals, evidence.
    const codes = await page.$$eval(
      '#integrations td.last, #health-refused, #site-evidence-text, #site-evidence-refused, #notice, .history li',
      (es) => es.map((e) => e.textContent).join('\n'),
    );
    expect(codes).not.toMatch(
      /\b(loaded|disabled|blocked-csp|deferred|invalid|unknown-partner|failed|rate-limited|content-type|too-large|unknown-id|seen on|loads it now)\b/i,
    );
    expect(problems).toEqual([]);

    // The switch: English, remembered for the next page.
    await Promise.all([page.waitForEvent('load'), page.selectOption('#lang', 'en')]);
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.textContent('#add-title')).toBe('Add integration');
    const again = await fr.newPage();
    await again.goto(`${base}/`);
    await again.waitForSelector('body[data-ready="true"]');
    expect([await again.getAttribute('html', 'lang'), await again.textContent('#publish')]).toEqual([
      'en',
      'Publish the tag',
    ]);
    await fr.close();
  });
});

/** A raw HTTP request to the demo, with any headers (Host and Origin included). */
const raw = (method: string, path: string, headers: Record<string, string>, body = '') =>
  new Promise<{ status: number; text: string }>((resolve, reject) => {
    const { port } = new URL(base);
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let text = '';
      res.on('data', (c) => {
        text += c;
      });
      res.on('end', () => resolve({ status: res.statusCode!, text }));
    });
    req.on('error', reject);
    req.end(body);
  });

describe("npm run demo: the server's own origin", () => {
  const host = () => new URL(base).host;

  it.each([
    ['POST', '/api/reset', ''],
    ['POST', '/api/integrations/int_4/publish', ''],
    ['POST', '/api/integrations', '{"partner":"northwind-analytics","identifiers":{"domain":"x.example"}}'],
    ['DELETE', '/api/integrations/int_1', ''],
  ])('a cross-site form (%s %s, text/plain) changes nothing: 415', async (method, path, body) => {
    const before = JSON.stringify(await demo.state.manifest());
    const r = await raw(method, path, { host: host(), 'content-type': 'text/plain' }, body);
    expect(r.status).toBe(415);
    expect(JSON.stringify(await demo.state.manifest())).toBe(before);
  });

  it('a request from another origin is refused, even as JSON: 403', async () => {
    const before = JSON.stringify(await demo.state.manifest());
    const r = await raw('POST', '/api/reset', {
      host: host(),
      origin: 'https://evil.example',
      'content-type': 'application/json',
    });
    expect(r).toMatchObject({ status: 403, text: expect.stringContaining('Origin "https://evil.example"') });
    expect(JSON.stringify(await demo.state.manifest())).toBe(before);
    // The hub itself, same origin, still works.
    const own = await raw('POST', '/api/reset', { host: host(), origin: base, 'content-type': 'application/json' });
    expect(own.status).toBe(200);
  });

  it("the site's CSP preset changes only by a same-origin POST; an unknown name is a 400 and is never stored", async () => {
    const set = (preset: unknown, headers: Record<string, string> = {}) =>
      raw(
        'POST',
        '/api/site',
        { host: host(), 'content-type': 'application/json', ...headers },
        JSON.stringify({ preset }),
      );
    const site = async () => (await (await fetch(`${base}/api/site`)).json()).preset;
    try {
      expect((await set('allowlist')).status).toBe(200);
      expect(await site()).toBe('allowlist');
      // What any site's <img src="…/shop?csp=none"> sends (a GET, no Origin): the page under that preset, for
      // that view only.
      const view = await raw('GET', '/shop?csp=none', { host: host() });
      expect(view.status).toBe(200);
      expect(await site()).toBe('allowlist');
      // With no ?csp=, the page serves the site's preset.
      expect((await fetch(`${base}/shop`)).headers.get('content-security-policy')).toMatch(/^script-src 'self' /);
      // Another origin, or a type a cross-site form can send: refused, unchanged.
      expect((await set('none', { origin: 'https://evil.example' })).status).toBe(403);
      expect(
        (await raw('POST', '/api/site', { host: host(), 'content-type': 'text/plain' }, '{"preset":"none"}')).status,
      ).toBe(415);
      for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'nope', 5, null]) {
        const r = await set(name);
        expect([r.status, JSON.parse(r.text).error], String(name)).toEqual([
          400,
          `unknown csp preset: ${JSON.stringify(name)}`,
        ]);
        expect((await raw('GET', `/shop?csp=${name}`, { host: host() })).status, String(name)).toBe(400);
      }
      expect(await site()).toBe('allowlist');
      // The publish check runs on the stored preset: Bluejay fails it with a 409, and nothing answers 500.
      const json = { host: host(), 'content-type': 'application/json' };
      await raw('POST', '/api/integrations/int_2/unpublish', json);
      const r = await raw('POST', '/api/integrations/int_2/publish', json);
      expect([r.status, JSON.parse(r.text).check.preset]).toEqual([409, 'allowlist']);
    } finally {
      await set('none');
    }
  });

  it('another Host name (DNS rebinding) gets nothing, not even the state: 403', async () => {
    const port = new URL(base).port;
    for (const name of [`evil.example:${port}`, `localhost.evil.example:${port}`, 'localhost:1'])
      expect((await raw('GET', '/api/integrations', { host: name })).status, name).toBe(403);
    for (const name of [`localhost:${port}`, `127.0.0.1:${port}`])
      expect((await raw('GET', '/api/integrations', { host: name })).status, name).toBe(200);
  });

  it('the hub pages carry a strict CSP of their own', async () => {
    const res = await fetch(`${base}/`);
    const policy = res.headers.get('content-security-policy') ?? '';
    for (const directive of ["default-src 'none'", "script-src 'self'", "frame-ancestors 'none'", "form-action 'none'"])
      expect(policy).toContain(directive);
  });

  it("refuses additions beyond the runtime's caps, with a clear message", async () => {
    const add = (domain: string) =>
      raw(
        'POST',
        '/api/integrations',
        { host: host(), 'content-type': 'application/json' },
        JSON.stringify({ partner: 'northwind-analytics', identifiers: { domain } }),
      );
    // 2,000 integrations: the next one is refused.
    await demo.state.update((m: any) => {
      m.integrations = Array.from({ length: 2000 }, (_, i) => ({
        id: `int_${i + 1}`,
        partner: 'northwind-analytics',
        status: 'disabled',
        identifiers: { domain: `s${i}.example` },
      }));
    });
    const many = await add('one-more.example');
    expect(many.status).toBe(409);
    expect(JSON.parse(many.text).error).toContain('2,000 integrations');
    // Fewer, but long: the manifest would pass 256 KB.
    await demo.state.update((m: any) => {
      m.integrations = Array.from({ length: 1000 }, (_, i) => ({
        id: `int_${i + 1}`,
        partner: 'northwind-analytics',
        status: 'disabled',
        identifiers: { domain: `${'a'.repeat(60)}.${'b'.repeat(60)}.s${i}.example` },
      }));
    });
    const big = await add('one-more.example');
    expect(big.status).toBe(409);
    expect(JSON.parse(big.text).error).toMatch(/over the 262,144 utt accepts/);
    expect((await demo.state.manifest()).integrations.length).toBe(1000);
  });
});
