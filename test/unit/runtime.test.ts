import { afterEach, describe, expect, it, vi } from 'vitest';
import { boot } from '../../src/index';
import { fakeClock, integration as int, manifestOf, page } from './page';

fakeClock();

const NW = (id = 'int_nw', domain: unknown = 'shop.merchant.example') => int(id, 'northwind-analytics', { domain });
const BJ = (id = 'int_bj', accountId: unknown = 482913) => int(id, 'bluejay-ads', { accountId });
const NW_URL = 'https://cdn.northwind.example/na.js?d=shop.merchant.example';
const BJ_URL = 'https://tags.bluejay.example/v2/482913/tag.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('boot and manifest', () => {
  it('fetches manifests/<account>.json beside utt.js, in the same-origin credentials mode a preload matches', async () => {
    const p = page();
    await p.settled();
    expect(p.requests.map((r) => r.url)).toEqual(['https://cdn.utt.example/v1/manifests/A12345.json']);
    // fetch's default: no cookie for another origin. `omit` would not match <link rel=preload crossorigin>.
    expect(p.requests[0].init?.credentials ?? 'same-origin').toBe('same-origin');
  });

  it('takes data-manifest over the default location', async () => {
    const p = page({ attrs: { 'data-manifest': '/hub/m.json' }, manifest: { ...manifestOf(), account: undefined } });
    await p.settled();
    expect(p.requests[0].url).toBe('https://cdn.utt.example/hub/m.json');
    expect((await p.report())[1]).toMatchObject({ status: 'ok' });
  });

  it('replays calls queued by the async snippet in order, before the tag init', async () => {
    const calls: string[] = [];
    const p = page({
      attrs: {},
      manifest: manifestOf(NW()),
      before(w) {
        // The snippet's stub: it queues each call's `arguments` object.
        const stub = function () {
          stub.q = stub.q || [];
          // biome-ignore lint/complexity/noArguments: the snippet queues the arguments object itself
          stub.q.push(arguments);
        } as any;
        (w as any).utt = stub;
        stub('on', 'integration', (o: any) => calls.push(`a:${o.status}`));
        stub('init', { account: 'A12345', manifest: 'https://hub.example/m/A12345.json' });
        stub('on', 'integration', (o: any) => calls.push(`b:${o.status}`));
      },
    });
    await p.settled();
    expect(p.requests.map((r) => r.url)).toEqual(['https://hub.example/m/A12345.json']);
    expect(calls).toEqual(['a:injected', 'b:injected']);
    expect((p.w as any).utt.v).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('waits for a later utt("init") when the tag names no account', async () => {
    const p = page({ attrs: {}, manifest: manifestOf(NW()) });
    await p.settled();
    expect(p.requests).toEqual([]);
    (p.utt as any)('init', { account: 'A12345' });
    await p.settled();
    expect(p.injected().map((s) => s.src)).toEqual([NW_URL]);
  });

  it.each([
    ['http 404', { status: 404 }, 'failed'],
    ['http 500', { status: 500 }, 'failed'],
    ['json', { manifest: '{"version":1,' }, 'invalid'],
    ['version', { manifest: { version: 2, account: 'A12345', integrations: [] } }, 'invalid'],
    ['version', { manifest: [1, 2] }, 'invalid'],
    ['version', { manifest: 'null' }, 'invalid'],
    ['account', { manifest: { ...manifestOf(NW()), account: 'B999' } }, 'invalid'],
    ['integrations', { manifest: { version: 1, account: 'A12345', integrations: { a: 1 } } }, 'invalid'],
  ])('a manifest failing with %s gives one account-level status and touches nothing', async (reason, opts, status) => {
    const p = page(opts as any);
    const [outcomes, manifest] = await p.report();
    expect(manifest).toEqual({
      account: 'A12345',
      url: 'https://cdn.utt.example/v1/manifests/A12345.json',
      status,
      reason,
      version: '',
    });
    expect(outcomes).toEqual([]);
    expect(p.injected()).toEqual([]);
    expect(p.d.body.innerHTML).toBe('<p>shop</p>');
  });

  it('times out a manifest that never answers', async () => {
    const p = page({ hang: true, attrs: {} });
    (p.utt as any)('init', { account: 'A12345', timeout: 30 });
    const [, manifest] = await p.report();
    expect(manifest).toMatchObject({ status: 'failed', reason: 'timeout' });
  });

  it('refuses a malformed account id without any request', async () => {
    const p = page({ attrs: { 'data-account': '../../admin' } });
    const [, manifest] = await p.report();
    expect(manifest).toMatchObject({ status: 'invalid', reason: 'account' });
    expect(p.requests).toEqual([]);
  });

  it('reports a page without fetch as a failed manifest, not an exception', async () => {
    const p = page({ before: (w) => ((w as any).fetch = undefined) });
    expect((await p.report())[1]).toMatchObject({ status: 'failed', reason: 'fetch' });
  });
});

describe('the pipeline, integration by integration', () => {
  it('injects each enabled integration once with async, nonce, referrer policy', async () => {
    const p = page({ attrs: { 'data-account': 'A12345', nonce: 'n0nce' }, manifest: manifestOf(NW(), BJ()) });
    await p.settled();
    const [nw, bj] = p.injected();
    expect([nw.src, bj.src]).toEqual([NW_URL, BJ_URL]);
    expect(nw.async).toBe(true);
    expect(nw.getAttribute('nonce') ?? (nw as any).nonce).toBe('n0nce');
    expect(nw.referrerPolicy).toBe('strict-origin');
    expect(nw.parentNode).toBe(p.d.head);
    expect(p.events.map((e) => `${e.id} ${e.status}`)).toEqual(['int_nw injected', 'int_bj injected']);
  });

  it('reports loaded and failed from the script events, then calls report once', async () => {
    const p = page({ manifest: manifestOf(NW(), BJ()) });
    const report = p.report();
    await p.settled();
    p.fire(NW_URL, 'load');
    p.fire(BJ_URL, 'error');
    const [outcomes] = await report;
    expect(outcomes).toEqual([
      { id: 'int_nw', partner: 'northwind-analytics', status: 'loaded', reason: '' },
      { id: 'int_bj', partner: 'bluejay-ads', status: 'failed', reason: 'error' },
    ]);
  });

  it('fails a partner script that never loads after the timeout', async () => {
    const p = page({ attrs: {}, manifest: manifestOf(NW()) });
    (p.utt as any)('init', { account: 'A12345', timeout: 20 });
    const [outcomes] = await p.report();
    expect(outcomes[0]).toMatchObject({ status: 'failed', reason: 'timeout' });
  });

  it('gives each bad integration its own status and lets the others go on', async () => {
    const p = page({
      manifest: manifestOf(
        int('off', 'northwind-analytics', { domain: 'a.example' }, 'disabled'),
        int('ghost', 'no-such-partner', {}),
        int('proto', '__proto__', {}),
        int('ctor', 'constructor', {}),
        BJ('low', 7),
        BJ('str', 'abc'),
        int('miss', 'orbit-reviews', { storeId: 'acme-outdoor' }),
        int('enum', 'orbit-reviews', { storeId: 'acme-outdoor', region: 'mars' }),
        NW('host', 'evil.example/../x'),
        'not an object',
        { id: 'bad status', partner: 'bluejay-ads', status: 'on' },
        { id: 'st', partner: 'bluejay-ads', status: 'on', identifiers: {} },
        { id: 'ids', partner: 'bluejay-ads', status: 'enabled', identifiers: [] },
        { id: 'pk', partner: 42, status: 'enabled' },
        BJ(),
      ),
    });
    await p.settled();
    p.fire(BJ_URL, 'load');
    const [outcomes] = await p.report();
    expect(outcomes.map((o) => [o.id, o.partner, o.status, o.reason])).toEqual([
      ['off', 'northwind-analytics', 'disabled', ''],
      ['ghost', 'no-such-partner', 'unknown-partner', 'no-such-partner'],
      ['proto', '__proto__', 'unknown-partner', '__proto__'],
      ['ctor', 'constructor', 'unknown-partner', 'constructor'],
      ['low', 'bluejay-ads', 'invalid', 'accountId: minimum'],
      ['str', 'bluejay-ads', 'invalid', 'accountId: type'],
      ['miss', 'orbit-reviews', 'invalid', 'region: missing'],
      ['enum', 'orbit-reviews', 'invalid', 'region: enum'],
      ['host', 'northwind-analytics', 'invalid', 'domain: format'],
      ['#9', '', 'invalid', 'id'],
      ['#10', '', 'invalid', 'id'],
      ['st', 'bluejay-ads', 'invalid', 'status'],
      ['ids', 'bluejay-ads', 'invalid', 'identifiers'],
      ['pk', '', 'invalid', 'partner'],
      ['int_bj', 'bluejay-ads', 'loaded', ''],
    ]);
    expect(p.injected().map((s) => s.src)).toEqual([BJ_URL]);
  });

  it('reads own properties only, with Object.prototype polluted', async () => {
    const p = page({
      manifest:
        '{"version":1,"account":"A12345","integrations":[{"id":"x","partner":"bluejay-ads","status":"enabled","identifiers":{"__proto__":{"accountId":482913}}}]}',
      before() {
        (Object.prototype as any).accountId = 5555;
        (Object.prototype as any).status = 'enabled';
      },
    });
    try {
      const [outcomes] = await p.report();
      expect(outcomes).toEqual([{ id: 'x', partner: 'bluejay-ads', status: 'invalid', reason: 'accountId: missing' }]);
    } finally {
      delete (Object.prototype as any).accountId;
      delete (Object.prototype as any).status;
    }
  });

  it('never injects the same integration id or the same URL twice', async () => {
    // A partner with no setup block: two integrations of one with a setup block share its script (docs/setup.md).
    const OR = (id: string, storeId = 'acme-outdoor') => int(id, 'orbit-reviews', { storeId, region: 'eu' });
    const p = page({ manifest: manifestOf(OR('a'), OR('a', 'other-store'), OR('b')) });
    await p.settled();
    p.fire('https://static.orbit.example/eu/widget.js?store=acme-outdoor', 'load');
    const [outcomes] = await p.report();
    expect(outcomes.map((o) => `${o.id} ${o.status}`)).toEqual(['a loaded', 'b duplicate']);
    expect(p.injected().length).toBe(1);
  });

  it('does not inject a URL the page already has', async () => {
    const p = page({
      manifest: manifestOf(BJ()),
      before(w) {
        const s = w.document.createElement('script');
        s.src = BJ_URL;
        w.document.body.append(s);
      },
    });
    const [outcomes] = await p.report();
    expect(outcomes[0]).toMatchObject({ status: 'duplicate', reason: BJ_URL });
  });

  it('a second copy of utt.js hands over to the first and injects nothing more', async () => {
    const p = page({ manifest: manifestOf(BJ()) });
    await p.settled();
    const tag2 = p.d.createElement('script');
    tag2.src = 'https://cdn.utt.example/v1/utt.js';
    tag2.setAttribute('data-account', 'A12345');
    const second = boot(p.w, p.d, tag2);
    expect(second).toBe((p.w as any).utt);
    (second as any)('init', { account: 'A12345' });
    await p.settled();
    expect(p.requests.length).toBe(1);
    expect(p.injected().filter((s) => s.src === BJ_URL).length).toBe(1);
  });

  it('keeps window.utt when another script assigns it, and warns 305 under data-debug', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const p = page({ attrs: { 'data-account': 'A12345', 'data-debug': '' }, manifest: manifestOf(NW()) });
    const w = p.w as any;
    const runtime = w.utt;
    w.utt = () => 'a partner of the same name';
    expect(w.utt).toBe(runtime);
    // The snippet run again assigns utt to itself: no warning for that.
    w.utt = w.utt || (() => {});
    expect(warn.mock.calls.map((c) => String(c[0]).slice(0, 8))).toEqual(['utt 305:']);
    await p.settled();
    p.fire(NW_URL, 'load');
    const [outcomes] = await p.report();
    expect(outcomes[0].status).toBe('loaded');
  });

  it('installs window.utt on a page that declared it with var (not configurable)', async () => {
    const p = page({
      manifest: manifestOf(NW()),
      before(w) {
        const q: unknown[] = [];
        Object.defineProperty(w, 'utt', {
          value: Object.assign(
            function () {
              // biome-ignore lint/complexity/noArguments: the snippet queues the arguments object itself
              q.push(arguments);
            },
            { q },
          ),
          writable: true,
          configurable: false,
        });
      },
    });
    expect((p.w as any).utt.v).toBeTypeOf('string');
    await p.settled();
    expect(p.injected().length).toBe(1);
  });

  it('sets integrity and crossorigin when the registry declares them', async () => {
    const { default: registry } = await import('utt:registry');
    const { FIELDS } = await import('../../src/partner');
    // The entry's wire form (src/partner.ts): its integrity and crossorigin slots.
    const wire = registry['bluejay-ads'][2];
    const [integrity, crossorigin] = [FIELDS.indexOf('integrity'), FIELDS.indexOf('crossorigin')];
    const saved = [wire[integrity], wire[crossorigin]];
    Object.assign(wire, { [integrity]: 'sha384-abc', [crossorigin]: null });
    try {
      const p = page({ manifest: manifestOf(BJ()) });
      await p.settled();
      expect(p.injected()[0].integrity).toBe('sha384-abc');
      expect(p.injected()[0].crossOrigin).toBe('anonymous');
    } finally {
      Object.assign(wire, { [integrity]: saved[0], [crossorigin]: saved[1] });
    }
  });
});

describe('data-costs when utt.cost.js does not come', () => {
  /** The report, and when it came on the fake clock. */
  const timedReport = async (costChunk: 'error' | 'hang') => {
    const p = page({ attrs: { 'data-account': 'A12345', 'data-costs': '' }, manifest: manifestOf(NW()), costChunk });
    const start = Date.now();
    await p.settled();
    p.fire(NW_URL, 'load');
    const [outcomes] = await p.report();
    return { outcomes, after: Date.now() - start };
  };

  it('one that fails to load: the report comes at once, without costs', async () => {
    const { outcomes, after } = await timedReport('error');
    expect(outcomes.map((o) => [o.id, o.status, 'cost' in o])).toEqual([['int_nw', 'loaded', false]]);
    expect(after).toBeLessThan(100);
  });

  it("one that never answers: the report waits for the chunk's timeout (10 s), then comes without costs", async () => {
    const { outcomes, after } = await timedReport('hang');
    expect(outcomes.map((o) => [o.id, o.status, 'cost' in o])).toEqual([['int_nw', 'loaded', false]]);
    expect(after).toBeGreaterThanOrEqual(10_000);
    expect(after).toBeLessThan(10_100);
  });
});

describe('public API', () => {
  it('dispatches utt:integration and utt:manifest events with copies', async () => {
    const manifests: any[] = [];
    const p = page({
      manifest: manifestOf(NW()),
      before: (w) => w.addEventListener('utt:manifest', (e) => manifests.push((e as CustomEvent).detail)),
    });
    await p.settled();
    expect(manifests.map((m) => m.status)).toEqual(['pending', 'ok']);
    expect(p.events).toEqual([{ id: 'int_nw', partner: 'northwind-analytics', status: 'injected', reason: '' }]);
    // A listener that scribbles on its copy changes nothing inside.
    p.events[0].status = 'loaded';
    manifests[1].status = 'failed';
    p.fire(NW_URL, 'error');
    const [outcomes, manifest] = await p.report();
    expect(outcomes[0].status).toBe('failed');
    expect(manifest.status).toBe('ok');
  });

  it('a throwing callback does not stop the others or the runtime', async () => {
    const seen: string[] = [];
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const p = page({
      manifest: manifestOf(NW(), BJ()),
      before(w) {
        const q: unknown[] = [];
        (w as any).utt = Object.assign(
          function () {
            // biome-ignore lint/complexity/noArguments: the snippet queues the arguments object itself
            q.push(arguments);
          },
          { q },
        );
        (w as any).utt('on', 'integration', () => {
          throw new Error('merchant bug');
        });
        (w as any).utt('on', 'integration', (o: any) => seen.push(o.id));
      },
    });
    await p.settled();
    expect(seen).toEqual(['int_nw', 'int_bj']);
    expect(p.injected().length).toBe(2);
    expect(warn).not.toHaveBeenCalled(); // silent without data-debug
  });

  it('warns with codes under data-debug and prints one table once settled', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const table = vi.spyOn(console, 'table').mockImplementation(() => {});
    const p = page({ attrs: { 'data-account': 'A12345', 'data-debug': '' }, manifest: manifestOf(BJ('x', 1), NW()) });
    (p.utt as any)('nonsense');
    await p.settled();
    p.fire(NW_URL, 'load');
    await p.report();
    expect(warn.mock.calls.map((c) => String(c[0]).slice(0, 8))).toEqual(['utt 301:', 'utt 203:']);
    expect(warn.mock.calls[1].slice(1)).toEqual(['x', 'accountId', 'minimum']);
    expect(table).toHaveBeenCalledTimes(1);
  });

  it('a later init is ignored whole: it changes neither the account nor the options', async () => {
    const p = page({ manifest: manifestOf(NW()) });
    (p.utt as any)('init', { account: 'B999', timeout: 1, manifest: 'https://evil.example/m.json' });
    await p.settled();
    p.fire(NW_URL, 'load');
    const [outcomes, manifest] = await p.report();
    expect(manifest).toMatchObject({ account: 'A12345', status: 'ok' });
    expect(outcomes[0].status).toBe('loaded');
    expect(p.requests.map((r) => r.url)).toEqual(['https://cdn.utt.example/v1/manifests/A12345.json']);
  });

  it('ignores unknown commands and bad arguments without throwing', () => {
    const p = page();
    const utt = p.utt as any;
    expect(() => {
      utt();
      utt('on', '__proto__', () => {});
      utt('on', 'integration', 'not a function');
      utt('report', null);
      utt('init', null);
      utt('init', 'A12345');
    }).not.toThrow();
  });
});
