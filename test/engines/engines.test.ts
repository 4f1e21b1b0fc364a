// utt's promises in three engines: Chromium, Firefox and WebKit (Safari's
// engine). Each scenario is written once and runs in each engine, against
// real loopback HTTPS origins (site.ts), with the suite's own registry
// (test/engines/partners). A failure names its engine in the test's name.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountScript, compileAccount, inlineTag } from '../../build/account.mjs';
import { loadRegistry } from '../../build/registry.mjs';
import { type Engine, type EngineName, type EnginePage, launchEngine } from './drivers';
import { integrations as I, manifestOf, type Scene, type Site, startSite } from './site';

const ENGINES: EngineName[] = ['chromium', 'firefox', 'webkit'];
const tag = (attrs = 'data-account="A12345"') => `<script async src="{{CDN}}/utt.js" ${attrs}></script>`;
const html = (head: string, body = '<p>shop</p>') =>
  `<!doctype html><html><head><meta charset="utf-8">${head}</head><body>${body}</body></html>`;
const statuses = (outcomes: { id: string; status: string; reason: string }[]) =>
  Object.fromEntries(outcomes.map((o) => [o.id, `${o.status}${o.reason ? ` ${o.reason}` : ''}`]));

/**
 * The documented snippet's queue: if utt has not arrived yet, calls wait in it and utt replays
 * them when it does. So a scenario waits for utt itself, never polls for it.
 */
const QUEUE = `window.utt = window.utt || function () { (window.utt.q = window.utt.q || []).push(arguments); };`;
/** utt's report, in the page: every outcome once all have settled. */
const REPORT = `${QUEUE}
  return await new Promise((r) => utt('report', (outcomes, manifest) => r({ outcomes, manifest })));`;
/**
 * The per-account tag of `manifest` written into the page (`utt build-account --inline`), built
 * from the suite's own template and registry, for this run's port: the hash is of what is served.
 */
const accountTag = (manifest: object) => {
  const { entries } = loadRegistry({ dirs: ['test/engines/partners'], only: '' });
  const { compiled, problems } = compileAccount(JSON.stringify(manifest), entries);
  if (!compiled) throw new Error(JSON.stringify(problems));
  return accountScript(readFileSync('test/artifacts/engines/utt.account.js', 'utf8'), compiled);
};
const inlineAccount = (manifest: object, site: Site, attrs?: Record<string, string>) =>
  inlineTag(accountTag(manifest).replaceAll('47443', String(site.port)), `${site.cdn}/`, attrs);
type Report = {
  outcomes: { id: string; status: string; reason: string }[];
  manifest: { status: string; reason: string; url: string };
};

describe.each(ENGINES)('%s', (name) => {
  let engine: Engine;
  let site: Site;
  const open: EnginePage[] = [];
  beforeAll(async () => {
    [engine, site] = await Promise.all([launchEngine(name), startSite()]);
  }, 120_000);
  afterAll(async () => {
    for (const p of open) await p.close().catch(() => {});
    await engine?.close();
    await site?.close();
  });

  /** A fresh page (context or session) on the scene. */
  const load = async (scene: Scene) => {
    site.scene(scene);
    // WebKitWebDriver holds one session: close the previous page first.
    for (const p of open.splice(0)) await p.close();
    const page = await engine.page();
    open.push(page);
    await page.goto(site.shop);
    return page;
  };
  const report = (page: EnginePage) => page.run<Report>(REPORT);
  const ran = (page: EnginePage) => page.run<string[]>('return (window.__ran || []).slice().sort();');
  const P = () => `https://%s.localhost:${site.port}`;
  const host = (h: string) => P().replace('%s', h);

  it('loads every partner, and gives every status its reason', async () => {
    const page = await load({
      html: html(tag()),
      manifest: manifestOf(
        I.na,
        I.bj,
        I.or,
        { ...I.na, id: 'off', status: 'disabled' },
        { id: 'unk', partner: 'nope', status: 'enabled', identifiers: {} },
        { ...I.bj, id: 'bad', identifiers: { accountId: 5 } },
        { id: 'a b', partner: 'engine-ads', status: 'enabled', identifiers: {} },
      ),
    });
    const { outcomes, manifest } = await report(page);
    expect(manifest.status).toBe('ok');
    expect(statuses(outcomes)).toEqual({
      na: 'loaded',
      bj: 'loaded',
      or: 'loaded',
      off: 'disabled',
      unk: 'unknown-partner nope',
      bad: 'invalid accountId: minimum',
      '#6': 'invalid id',
    });
    expect(await ran(page)).toEqual(['bj', 'na', 'or']);
    // The widget's setup block queued its init before its script ran, in every engine.
    expect(await page.run('return window.__ow;')).toEqual([['init', 'acme-outdoor']]);
  });

  it('a malformed manifest: one account-level status, nothing injected', async () => {
    const page = await load({ html: html(tag()), manifest: '{"version": 1, "integrations": [' });
    const { outcomes, manifest } = await report(page);
    expect([manifest.status, manifest.reason, outcomes]).toEqual(['invalid', 'json', []]);
    expect(await ran(page)).toEqual([]);
  });

  it("nonce + 'strict-dynamic' header: the nonce reaches every partner", async () => {
    const page = await load({
      html: html(tag('data-account="A12345" nonce="r4nd0m"')),
      headers: { 'content-security-policy': "script-src 'nonce-r4nd0m' 'strict-dynamic'; object-src 'none'" },
      manifest: manifestOf(I.na, I.bj, I.or),
    });
    expect(statuses((await report(page)).outcomes)).toEqual({ na: 'loaded', bj: 'loaded', or: 'loaded' });
  });

  it('a meta allowlist lacking a partner: blocked-csp with the fix, and no request for it', async () => {
    const policy = `script-src {{CDN}} ${host('na')} ${host('or')}; connect-src {{CDN}} ${host('collect')}`;
    const page = await load({
      html: html(`<meta http-equiv="Content-Security-Policy" content="${policy}">${tag()}`),
      manifest: manifestOf(I.na, I.bj, I.or),
    });
    expect(statuses((await report(page)).outcomes)).toEqual({
      na: 'loaded',
      bj: `blocked-csp script-src: add ${host('bj')}`,
      or: 'loaded',
    });
    expect(site.requests.filter((r) => r.startsWith('bj.localhost'))).toEqual([]);
  });

  it("a header allowlist lacking a partner: blocked-csp with the fix, from the engine's violation", async () => {
    const page = await load({
      html: html(tag()),
      headers: {
        'content-security-policy': `script-src ${site.cdn} ${host('na')} ${host('or')}; connect-src ${site.cdn} ${host('collect')}`,
      },
      manifest: manifestOf(I.na, I.bj, I.or),
    });
    expect(statuses((await report(page)).outcomes)).toEqual({
      na: 'loaded',
      bj: `blocked-csp script-src: add ${host('bj')}`,
      or: 'loaded',
    });
  });

  it("the per-account tag written into the page: its nonce or its hash allows it, utt's files come from data-base", async () => {
    const manifest = manifestOf(I.na, I.bj, I.or);
    const nonced = inlineAccount(manifest, site, { nonce: 'r4nd0m' });
    const first = await load({
      html: html(nonced.html),
      headers: { 'content-security-policy': "script-src 'nonce-r4nd0m' 'strict-dynamic'; object-src 'none'" },
    });
    expect(statuses((await report(first)).outcomes)).toEqual({ na: 'loaded', bj: 'loaded', or: 'loaded' });
    // No tag and no manifest to fetch.
    expect(site.requests.filter((r) => r.startsWith('cdn.localhost'))).toEqual([]);

    // Allowed by its hash; the violation for the missing partner is attributed by utt.csp.js, from data-base.
    const hashed = inlineAccount(manifest, site);
    const second = await load({
      html: html(hashed.html),
      headers: {
        'content-security-policy': `script-src ${hashed.hash} ${site.cdn} ${host('na')} ${host('or')}; connect-src ${host('collect')}`,
      },
    });
    expect(statuses((await report(second)).outcomes)).toEqual({
      na: 'loaded',
      bj: `blocked-csp script-src: add ${host('bj')}`,
      or: 'loaded',
    });
    expect(site.requests.filter((r) => r.startsWith('cdn.localhost'))).toEqual(['cdn.localhost /utt.csp.js']);
  });

  it("a <base> in the markup moves neither utt's files nor its manifest, and a locator frame is no CMP", async () => {
    const manifest = manifestOf(I.na, I.bj, I.or);
    const evil = `<base href="${host('evil')}/x/">`;
    // Markup a review can hold: a <base>, and frames named like a CMP's locators, on a page with no CMP.
    const review = `<p>review: ${evil}<iframe name="__tcfapiLocator"></iframe><iframe name="__gppLocator"></iframe></p>`;
    // A meta policy, so that utt.csp.js comes too, with the page's nonce: it must come from utt's own folder.
    const meta = `<meta http-equiv="Content-Security-Policy" content="script-src 'nonce-n0nce' 'strict-dynamic'">`;
    const generic = (src: string) => `<script async nonce="n0nce" src="${src}" data-account="A12345"></script>`;
    const inline = inlineAccount(manifest, site, { nonce: 'n0nce' }).html.replace(/ data-base="[^"]*"/, '');
    const cases: [string, string, string, Record<string, string>?][] = [
      ['utt.js by a relative src, <base> after it in <head>', `${meta}${generic('/utt.js')}${evil}`, review],
      ['utt.js by a relative src, <base> in <body>', `${meta}${generic('/utt.js')}`, review],
      [
        "utt.js by a relative src after the shop's own <base>: resolved as the browser fetched it",
        `<base href="${site.shop}app/">${meta}${generic('utt.js')}`,
        review,
      ],
      ['utt.js by its absolute URL, <base> before it', `${evil}${meta}${generic(`${site.cdn}/utt.js`)}`, review],
      [
        'a per-account tag by a relative src, <base> in <body>',
        `${meta}<script async nonce="n0nce" src="/A12345.js"></script>`,
        review,
        { '/A12345.js': accountTag(manifest) },
      ],
      ['a per-account tag written into the page without data-base, <base> in <body>', `${meta}${inline}`, review],
    ];
    for (const [what, head, body, files] of cases) {
      const page = await load({ html: html(head, body), manifest, files });
      const { outcomes, manifest: m } = await report(page);
      expect(statuses(outcomes), what).toEqual({ na: 'loaded', bj: 'loaded', or: 'loaded' });
      expect(m.status, what).toBe('ok');
      // The browser's own favicon request follows the <base> (WebKit's does): only what utt asks counts.
      expect(
        site.requests.filter((r) => r.startsWith('evil.') && !r.endsWith('/favicon.ico')),
        what,
      ).toEqual([]);
      expect(await page.run('return window.__evil || null;'), what).toBe(null);
      // The chunk the meta policy needs came, from utt's own folder.
      expect(site.requests.filter((r) => r.endsWith('/utt.csp.js')).length, what).toBe(1);
    }

    // The ESM build's boot(window, document): the manifest beside the page, whatever <base> says.
    const page = await load({
      html: html(
        `<script type="module">import { boot } from '${site.cdn}/index.mjs'; boot(window, document)('init', { account: 'A12345' });</script>`,
        review,
      ),
      manifest,
      files: { '/index.mjs': readFileSync('dist/index.mjs', 'utf8') },
    });
    const { manifest: m } = await report(page);
    expect(m.url).toBe(`${site.shop}manifests/A12345.json`);
    expect(site.requests.filter((r) => r.startsWith('evil.') && !r.endsWith('/favicon.ico'))).toEqual([]);
  });

  it("Trusted Types enforced, with 'trusted-types utt': partners load (through utt's policy where the engine has them)", async () => {
    const page = await load({
      html: html(tag()),
      headers: { 'content-security-policy': "require-trusted-types-for 'script'; trusted-types utt" },
      manifest: manifestOf(I.na, I.bj, I.or),
    });
    expect(statuses((await report(page)).outcomes)).toEqual({ na: 'loaded', bj: 'loaded', or: 'loaded' });
  });

  it("consent: a TCF CMP (via utt.iab.js, on demand) and the merchant's utt('consent') decide", async () => {
    const cmp = `<script>
      window.__tcfapi = function (command, version, cb) {
        if (command !== 'addEventListener') return;
        // Answers after the call returns, as a CMP does, in the next microtask rather than after a time.
        Promise.resolve().then(function () {
          cb({ eventStatus: 'tcloaded', gdprApplies: true,
               purpose: { consents: { 1: true }, legitimateInterests: { 2: true } },
               vendor: { consents: { 9002: true }, legitimateInterests: {} } }, true);
        });
      };
    </script>`;
    // The merchant's init, with a consent timeout no loaded machine reaches: a CMP silent for 3 s (the
    // default) counts as a no, and this test is about its answer, not its silence.
    const init = `<script>${QUEUE} utt('init', { account: 'A12345', consent: 'required', consentTimeout: 6e5 });</script>`;
    const page = await load({
      html: html(cmp + init + tag('')),
      manifest: manifestOf(I.na, I.bj, I.or),
    });
    // The CMP answers asynchronously: wait for its decision, not for a time.
    const first = statuses(
      (
        await page.run<Report>(`${QUEUE}
          return await new Promise((resolve) => {
            const report = () => utt('report', (outcomes, manifest) => resolve({ outcomes, manifest }));
            // Listen first, then look: a decision made in between is seen by one or the other.
            utt('on', 'integration', (o) => { if (o.id === 'bj' && o.status !== 'awaiting-consent') report(); });
            utt('report', (outcomes) => {
              if (outcomes.some((o) => o.id === 'bj' && o.status !== 'awaiting-consent')) report();
            });
          });`)
      ).outcomes,
    );
    expect(first.bj).toBe('loaded');
    expect([first.na, first.or]).toEqual([
      'awaiting-consent consent: analytics',
      'awaiting-consent consent: functional',
    ]);
    const after = await page.run<Report>(`
      utt('consent', 'update', { functional: 'granted', analytics: 'denied' });
      ${REPORT}`);
    expect(statuses(after.outcomes)).toEqual({
      na: 'denied-consent consent: analytics',
      bj: 'loaded',
      or: 'loaded',
    });
    expect(site.requests.filter((r) => r === 'cdn.localhost /utt.iab.js')).toHaveLength(1);
  });

  it('the snippet queue: commands queued before utt arrives run in order', async () => {
    const snippet = `<script>
      (function (w, d, src) {
        w.utt = w.utt || function () { (w.utt.q = w.utt.q || []).push(arguments); };
        var s = d.createElement('script'); s.async = true; s.src = src; d.head.appendChild(s);
      })(window, document, '{{CDN}}/utt.js');
      window.__heard = [];
      utt('on', 'integration', function (o) { if (o.status === 'loaded') __heard.push(o.id); });
      utt('init', { account: 'A12345' });
    </script>`;
    const page = await load({ html: html(snippet), manifest: manifestOf(I.na, I.or) });
    expect(statuses((await report(page)).outcomes)).toEqual({ na: 'loaded', or: 'loaded' });
    expect((await page.run<string[]>('return __heard.slice().sort();')).join()).toBe('na,or');
  });

  it("verify mode: the hub's checklist for each integration, with the page's policy", async () => {
    const page = await load({
      html: html(tag()),
      // connect-src 'self': verify mode reads the page's header policies by fetching the page again.
      headers: {
        'content-security-policy': `script-src ${site.cdn} ${host('na')}; connect-src 'self' ${site.cdn} ${host('collect')}`,
      },
      manifest: manifestOf(I.na, I.bj),
    });
    const result = await page.run<{ id: string; items: { item: string; result: string }[] }[]>(`
${QUEUE}
      return await new Promise((r) => utt('verify', r));`);
    const csp = Object.fromEntries(result.map((v) => [v.id, v.items.find((i) => i.item === 'csp')?.result]));
    expect(csp).toEqual({ na: 'pass', bj: 'fail' });
  });

  it('verify mode under Trusted Types: the CSP item says whether the engine has them, and that utt is allowed', async () => {
    const page = await load({
      html: html(tag()),
      headers: { 'content-security-policy': "require-trusted-types-for 'script'; trusted-types utt" },
      manifest: manifestOf(I.na),
    });
    const { has, result } = await page.run<{
      has: boolean;
      result: { items: { item: string; evidence: string }[] }[];
    }>(`
${QUEUE}
      return { has: 'trustedTypes' in window, result: await new Promise((r) => utt('verify', r)) };`);
    const evidence = result[0].items.find((i) => i.item === 'csp')?.evidence;
    expect(evidence).toContain(
      has ? 'Trusted Types: required, policy "utt" allowed' : 'Trusted Types: none in this browser; required',
    );
  });
});
