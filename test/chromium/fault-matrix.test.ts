// The fault matrix (issue 7), in Chromium: one row per fault. Each asserts
// that the page stays usable, that no uncaught exception comes from utt, that
// the other integrations are unaffected, and that the right status is reported.

import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowser } from './chromium';
import { embed, manifestWith, open, report, type Site, until } from './site';

const browser = useBrowser();
const body = '<p id="x">shop</p><button id="b" onclick="this.textContent=\'clicked\'">buy</button>';
const page = (head = embed()) => `<!doctype html><html><head>${head}</head><body>${body}</body></html>`;
/** The async snippet, then `commands` (JavaScript) and `utt('init', options)`. */
const snippet = (options: string, commands = '') => `<script>
  (function (w, d, src) {
    w.utt = w.utt || function () { (w.utt.q = w.utt.q || []).push(arguments); };
    var s = d.createElement('script'); s.async = true; s.src = src; d.head.appendChild(s);
  })(window, document, 'https://cdn.utt.example/utt.js');
  ${commands}utt('init', ${options});
</script>`;

interface Row {
  name: string;
  site: Partial<Site>;
  /** The account-level status expected, and the integrations' statuses. */
  manifest?: string;
  statuses?: Record<string, string>;
  /** Statuses to wait for before asking for the report (consent decided late, say). */
  until?: Record<string, string>;
}

const ROWS: Row[] = [
  { name: 'manifest 404', site: { manifest: undefined, html: page() }, manifest: 'failed' },
  {
    name: 'manifest 500 (retried once)',
    site: { manifest: manifestWith(), manifestStatus: 500, html: page() },
    manifest: 'failed',
  },
  { name: 'manifest invalid JSON', site: { manifest: '{"version":1,', html: page() }, manifest: 'invalid' },
  {
    name: 'manifest with wrong types everywhere',
    site: {
      manifest: {
        version: 1,
        account: 'A12345',
        integrations: [{ id: 7, partner: [], status: {}, identifiers: 'x' }, null, 'a'],
      },
      html: page(),
    },
    manifest: 'ok',
    statuses: { '#0': 'invalid', '#1': 'invalid', '#2': 'invalid' },
  },
  {
    name: 'manifest with __proto__, constructor and prototype keys',
    site: {
      manifest:
        '{"version":1,"account":"A12345","__proto__":{"polluted":1},"integrations":[{"id":"p","partner":"__proto__","status":"enabled","identifiers":{}},{"id":"c","partner":"constructor","status":"enabled","identifiers":{"constructor":{"prototype":{"x":1}}}},{"id":"nw","partner":"northwind-analytics","status":"enabled","identifiers":{"domain":"shop.example","__proto__":{"domain":"evil"}}}]}',
      html: page(),
    },
    manifest: 'ok',
    statuses: { p: 'unknown-partner', c: 'unknown-partner', nw: 'loaded' },
  },
  {
    name: 'manifest with unknown fields',
    site: {
      manifest: {
        ...manifestWith(),
        extra: { deep: [1, 2] },
        integrations: manifestWith().integrations.map((i) => ({ ...i, note: 'x' })),
      },
      html: page(),
    },
    manifest: 'ok',
    statuses: { nw: 'loaded', bj: 'loaded' },
  },
  {
    name: 'manifest of 5 MB',
    site: { manifest: JSON.stringify({ ...manifestWith(), pad: 'x'.repeat(5_000_000) }), html: page() },
    manifest: 'too-large',
  },
  {
    name: 'manifest with 10,000 integrations',
    site: {
      manifest: {
        version: 1,
        account: 'A12345',
        integrations: Array.from({ length: 10_000 }, (_, i) => ({ id: `i${i}`, partner: 'x', status: 'disabled' })),
      },
      html: page(),
    },
    // About 500 KB: the size cap answers before the integration cap (which the unit suite covers alone).
    manifest: 'too-large',
  },
  {
    name: 'manifest that hangs past the timeout',
    site: {
      manifest: manifestWith(),
      html: page(snippet("{ account: 'A12345', timeout: 500 }")),
      hangManifest: true,
    } as any,
    manifest: 'failed',
  },
  {
    name: 'Object.prototype polluted before utt runs',
    site: {
      manifest: manifestWith(),
      html: page(
        `<script>Object.prototype.status = 'disabled'; Object.prototype.partner = 'evil'; Object.prototype.version = 2;</script>${embed()}`,
      ),
    },
    manifest: 'ok',
    statuses: { nw: 'loaded', bj: 'loaded' },
  },
  {
    name: 'a page without fetch',
    site: {
      manifest: manifestWith(),
      html: page(`<script>delete window.fetch; window.fetch = undefined;</script>${embed()}`),
    },
    manifest: 'failed',
  },
  {
    name: 'a page without CustomEvent',
    site: { manifest: manifestWith(), html: page(`<script>window.CustomEvent = undefined;</script>${embed()}`) },
    manifest: 'ok',
    statuses: { nw: 'loaded', bj: 'loaded' },
  },
  {
    name: 'a consent API that throws',
    site: {
      manifest: manifestWith(),
      html: page(`<script>window.__tcfapi = function () { throw new Error('cmp'); };</script>${embed()}`),
    },
    manifest: 'ok',
    statuses: { nw: 'denied-consent', bj: 'denied-consent' },
  },
  {
    name: 'a consent API that never answers',
    site: {
      manifest: manifestWith(),
      html: page(
        `<script>window.__tcfapi = function () {};</script>${snippet("{ account: 'A12345', consentTimeout: 300 }")}`,
      ),
    },
    manifest: 'ok',
    statuses: { nw: 'denied-consent', bj: 'denied-consent' },
    until: { nw: 'denied-consent', bj: 'denied-consent' },
  },
  {
    name: 'utt placed in <body>',
    site: { manifest: manifestWith(), html: `<!doctype html><html><head></head><body>${body}${embed()}</body></html>` },
    manifest: 'ok',
    statuses: { nw: 'loaded', bj: 'loaded' },
  },
];

describe('fault matrix in Chromium', () => {
  it.each(ROWS.map((r) => [r.name, r]))('%s', async (_, row: any) => {
    const { page: p, errors } = await open(browser(), { html: '', ...row.site });
    for (const [id, status] of Object.entries(row.until ?? {})) await until(p, id, status as string);
    const { outcomes, manifest } = await report(p);
    expect(manifest.status).toBe(row.manifest);
    if (row.statuses) expect(Object.fromEntries(outcomes.map((o: any) => [o.id, o.status]))).toEqual(row.statuses);
    await p.click('#b');
    expect(await p.textContent('#b')).toBe('clicked');
    expect(errors).toEqual([]);
    await p.context().close();
  });
});

// A partner that overwrites globals: window.utt, Array.prototype.push and
// JSON.parse. utt keeps working for the merchant: its report, its listeners,
// and a partner held by consent, injected after the damage.
describe('fault matrix in Chromium: a partner overwrites globals', () => {
  it('utt, Array.prototype.push and JSON.parse replaced by Bluejay', async () => {
    const hostile = `window.__ranBluejay = 1;
      window.utt = function () { throw new Error('not utt'); };
      Array.prototype.push = function () { throw new Error('hostile push'); };
      JSON.parse = function () { throw new Error('hostile parse'); };`;
    // Playwright's own in-page serializer uses push: results cross as JSON strings.
    const reportJSON = async (pg: Page) =>
      JSON.parse(
        await pg.evaluate(
          () =>
            new Promise<string>((resolve) =>
              (window as any).utt('report', (outcomes: any[], manifest: any) =>
                resolve(JSON.stringify({ outcomes, manifest })),
              ),
            ),
        ),
      );
    // Partner bodies that do not use push themselves, so only utt is on trial.
    const marks = (url: URL) =>
      url.hostname === 'tags.bluejay.example'
        ? { body: hostile }
        : url.pathname.endsWith('.js')
          ? { body: `window['__ran_' + ${JSON.stringify(url.hostname)}] = 1;` }
          : undefined;
    const { page: p, errors } = await open(browser(), {
      manifest: manifestWith({
        id: 'tp',
        partner: 'tidepool-personalize',
        status: 'enabled',
        identifiers: { workspace: '3f2c8a1e-9b7d-4c5e-8f10-2a6b4d9e7c31' },
      }),
      partner: marks,
      html: page(
        snippet(
          "{ account: 'A12345', consent: 'required', consentTimeout: 60000 }",
          "utt('consent', 'default', { analytics: 'granted', advertising: 'granted' });",
        ),
      ),
    });
    // Before Bluejay runs, utt may not have arrived: the shared helper waits for it.
    await report(p);
    const first = await reportJSON(p);
    expect(await p.evaluate(() => (window as any).__ranBluejay)).toBe(1);
    expect(Object.fromEntries(first.outcomes.map((o: any) => [o.id, o.status]))).toEqual({
      nw: 'loaded',
      bj: 'loaded',
      tp: 'awaiting-consent',
    });
    // After the damage: the merchant still reaches utt, registers a listener, and grants consent.
    const heard = await p.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const w = window as any;
          const seen: string[] = [];
          w.utt('on', 'integration', (o: any) => {
            seen[seen.length] = `${o.id} ${o.status}`;
            if (o.status === 'loaded') resolve(JSON.stringify(seen));
          });
          w.utt('consent', 'update', { personalization: 'granted' });
        }),
    );
    expect(JSON.parse(heard)).toEqual(['tp injected', 'tp loaded']);
    const second = await reportJSON(p);
    expect(second.manifest.status).toBe('ok');
    expect(second.outcomes.map((o: any) => o.status)).toEqual(['loaded', 'loaded', 'loaded']);
    expect(await p.evaluate(() => (window as any)['__ran_js.tidepool.example'])).toBe(1);
    await p.click('#b');
    expect(await p.textContent('#b')).toBe('clicked');
    expect(errors).toEqual([]);
    await p.context().close();
  });
});
