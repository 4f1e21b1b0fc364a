// Real partners' tags as data (the registry's `setup` block): what the
// runtime leaves on the page before each vendor's script arrives, checked
// against the shapes the vendors' own snippets document; and what
// `utt check` refuses in a setup block.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { errorsOf, loadRegistry } from '../../build/registry.mjs';
import { compileSetup } from '../../build/setup.mjs';
import { setup } from '../../src/setup';
import { integration as int, manifestOf, page } from './page';
import { good, load } from './registry-fixture';

const META = int('meta', 'meta-pixel', { pixelId: '123456789012345' });
const GTAG = int('ga', 'google-tag', { measurementId: 'G-ABC123DEF4' });
const TIKTOK = int('tt', 'tiktok-pixel', { pixelId: 'CABCDEFGHIJ123456789' });
const PINTEREST = int('pin', 'pinterest-tag', { tagId: '2612345678901' });
const LINKEDIN = int('li', 'linkedin-insight', { partnerId: '123456' });
const IMPACT = int('ire', 'impact-utt', { uttId: 'A1234567-1a2b-3c4d-5e6f-7a8b9c0d1e2f1' });
const isArguments = (x: unknown) => Object.prototype.toString.call(x) === '[object Arguments]';

describe('setup: each vendor’s globals, stubs and first calls, before its script', () => {
  it('leaves each vendor’s documented shape on the page, in the same task as the script goes in', async () => {
    const p = page({ manifest: manifestOf(META, GTAG, TIKTOK, PINTEREST, LINKEDIN, IMPACT) });
    await p.settled();
    const w = p.w as any;
    expect(p.injected().map((s) => new URL(s.src).host)).toEqual([
      'connect.facebook.net',
      'www.googletagmanager.com',
      'analytics.tiktok.com',
      's.pinimg.com',
      'snap.licdn.com',
      'utt.impactcdn.com',
    ]);
    // Meta: queue of arguments objects, push is itself, loaded and version, _fbq the same function.
    expect(typeof w.fbq).toBe('function');
    expect(w.fbq.push).toBe(w.fbq);
    expect([w.fbq.loaded, w.fbq.version, w._fbq]).toEqual([true, '2.0', w.fbq]);
    expect(w.fbq.queue.map((a: any) => [isArguments(a), ...Array.from(a)])).toEqual([
      [true, 'init', '123456789012345'],
      [true, 'track', 'PageView'],
    ]);
    // gtag: arguments objects in dataLayer, a Date for 'js'.
    expect(w.dataLayer.every(isArguments)).toBe(true);
    expect(w.dataLayer[0][0]).toBe('js');
    expect(w.dataLayer[0][1]).toBeInstanceOf(w.Date === Date ? Date : Object);
    expect(Object.prototype.toString.call(w.dataLayer[0][1])).toBe('[object Date]');
    expect(Array.from(w.dataLayer[1])).toEqual(['config', 'G-ABC123DEF4']);
    // TikTok: ttq is an array of [method, ...args], with method stubs.
    expect(w.TiktokAnalyticsObject).toBe('ttq');
    expect(Array.isArray(w.ttq)).toBe(true);
    expect(w.ttq.slice()).toEqual([['load', 'CABCDEFGHIJ123456789'], ['page']]);
    expect(typeof w.ttq.track).toBe('function');
    // Pinterest: arrays in .queue, version 3.0.
    expect(w.pintrk.queue).toEqual([['load', '2612345678901'], ['page']]);
    expect(w.pintrk.version).toBe('3.0');
    // LinkedIn: the id, and the id pushed into the list.
    expect([w._linkedin_partner_id, w._linkedin_data_partner_ids]).toEqual(['123456', ['123456']]);
    // impact.com: ire_o names the function, whose .a holds arguments objects.
    expect(w.ire_o).toBe('ire');
    expect(w.ire.a.map((a: any) => [isArguments(a), ...Array.from(a)])).toEqual([
      [true, 'identify', { customerId: '', customerEmail: '' }],
    ]);
  });

  it('a call made after the vendor installs its forward (Meta’s callMethod) goes there, not to the queue', async () => {
    const p = page({ manifest: manifestOf(META) });
    await p.settled();
    const w = p.w as any;
    const seen: unknown[] = [];
    w.fbq.callMethod = (...a: unknown[]) => seen.push(a);
    w.fbq('track', 'Purchase');
    expect(seen).toEqual([['track', 'Purchase']]);
    expect(w.fbq.queue.length).toBe(2);
  });

  it('two integrations of one vendor share the stub and its script, and each queues its own init', async () => {
    const p = page({ manifest: manifestOf(META, int('meta2', 'meta-pixel', { pixelId: '999999999999999' })) });
    await p.settled();
    const w = p.w as any;
    expect(w.fbq.queue.map((a: any) => Array.from(a))).toEqual([
      ['init', '123456789012345'],
      ['track', 'PageView'],
      ['init', '999999999999999'],
      ['track', 'PageView'],
    ]);
    expect(p.injected().length).toBe(1);
    p.fire('https://connect.facebook.net/en_US/fbevents.js', 'load');
    const [outcomes] = await p.report();
    expect(outcomes.map((o) => [o.id, o.status])).toEqual([
      ['meta', 'loaded'],
      ['meta2', 'loaded'],
    ]);
  });

  it('a vendor refused by consent leaves no global behind; one allowed later gets its setup then', async () => {
    const p = page({
      attrs: { 'data-account': 'A12345', 'data-consent': 'required' },
      manifest: manifestOf(META, GTAG),
    });
    await p.settled();
    const w = p.w as any;
    for (const name of ['fbq', '_fbq', 'gtag', 'dataLayer']) expect(name in w, name).toBe(false);
    (p.utt as any)('consent', 'update', { analytics: 'granted', advertising: 'denied' });
    await p.settled();
    expect(['fbq' in w, typeof w.gtag, w.dataLayer.length]).toEqual([false, 'function', 2]);
    expect(p.injected().map((s) => new URL(s.src).host)).toEqual(['www.googletagmanager.com']);
  });

  it('keeps what the page already has: a merchant’s own dataLayer and fbq stand', async () => {
    const own = () => {};
    const p = page({
      manifest: manifestOf(META, GTAG),
      before: (w: any) => {
        w.dataLayer = [{ event: 'gtm.js' }];
        w.fbq = own;
      },
    });
    await p.settled();
    const w = p.w as any;
    expect(w.fbq).toBe(own);
    expect(w.dataLayer[0]).toEqual({ event: 'gtm.js' });
    expect(w.dataLayer.length).toBe(3);
  });

  it('a page whose global throws when called fails that integration only', async () => {
    const p = page({
      manifest: manifestOf(META, GTAG),
      before: (w: any) => {
        w.fbq = () => {
          throw new Error('hostile');
        };
      },
    });
    await p.settled();
    const [outcomes] = await (async () => {
      p.fire('https://www.googletagmanager.com/gtag/js?id=G-ABC123DEF4', 'load');
      return p.report();
    })();
    expect(outcomes.map((o) => [o.id, o.status, o.reason])).toEqual([
      ['meta', 'failed', 'exception'],
      ['ga', 'loaded', ''],
    ]);
  });
});

describe('setup values are data: a hostile identifier arrives as an inert string', () => {
  it.each([
    ['quotes', `'"); alert(1); ("`],
    ['a script end tag', '</script><script>alert(1)</script>'],
    ['__proto__', '__proto__'],
    ['a placeholder', '{id}'],
  ])('%s', (_, value) => {
    const w = new JSDOM('').window as any;
    const compiled = compileSetup({
      globals: { vendor_id: '{id}', vendor_cfg: { id: '{id}', list: ['{id}'] } },
      stubs: { vq: { queue: 'q', store: 'arguments' } },
      calls: [['vq', 'init', '{id}', { user: '{id}' }]],
    });
    setup(w, JSON.parse(JSON.stringify(compiled)), { id: value });
    expect(w.vendor_id).toBe(value);
    expect(w.vendor_cfg).toEqual({ id: value, list: [value] });
    expect(Object.getPrototypeOf(w.vendor_cfg)).toBe(Object.prototype);
    expect(Array.from(w.vq.q[0])).toEqual(['init', value, { user: value }]);
    expect(({} as any).polluted).toBeUndefined();
    expect(w.document.scripts.length).toBe(0);
    expect(w.alert).toBeTypeOf('function');
  });
});

describe('utt check on a setup block', () => {
  const base = { ...good(), script: 'https://cdn.acme.example/t.js' };
  const problems = (setupBlock: unknown): string[] =>
    errorsOf(load({ 'acme.json': { ...base, setup: setupBlock } }).problems).map(
      (p: any) => `${p.path} (${p.line}:${p.column}): ${p.message}`,
    );

  it('accepts the shapes of the shipped vendors', () => {
    expect(
      problems({
        globals: { acme_id: '{site}', acme_list: [] },
        stubs: { acmeq: { queue: 'q', store: 'array', props: { push: '$self', v: 2 }, aliases: ['_acmeq'] } },
        calls: [
          ['acmeq', 'init', '{site}', { at: { $date: 'now' } }],
          ['acme_list.push', '{site}'],
        ],
      }),
    ).toEqual([]);
  });

  it.each([
    [{ globals: { document: 'x' } }, '/setup/globals/document', 'belongs to the browser'],
    [{ globals: { location: 'x' } }, '/setup/globals/location', 'belongs to the browser'],
    [{ globals: { top: 'x' } }, '/setup/globals/top', 'belongs to the browser'],
    [{ globals: { utt: 'x' } }, '/setup/globals/utt', 'belongs to the browser (or to utt)'],
    [{ stubs: { fetch: { queue: 'q' } } }, '/setup/stubs/fetch', 'belongs to the browser'],
    [{ stubs: { q: { into: 'localStorage' } } }, '/setup/stubs/q/into', 'belongs to the browser'],
    [{ globals: { 'a-b': 'x' } }, '/setup/globals/a-b', 'invalid name'],
    [{ globals: { acme_id: '{nope}' } }, '/setup/globals/acme_id', 'placeholder {nope} is not a declared identifier'],
    [{ calls: [['missing', 'init']] }, '/setup/calls/0/0', '"missing" is not a global or stub defined'],
    [{ stubs: { aq: { queue: 'q' } }, calls: [['aq.page']] }, '/setup/calls/0/0', 'not among the stub\'s "methods"'],
    [{ globals: { ids: [] }, calls: [['ids.splice', 0]] }, '/setup/calls/0/0', 'only "push"'],
    [{ globals: { d: { $date: 'yesterday' } } }, '/setup/globals/d', '{"$date": "now"} is the only form'],
    [{ globals: { s: '$code' } }, '/setup/globals/s', 'reserved'],
    [{ stubs: { aq: { methods: ['constructor'] } } }, '/setup/stubs/aq/methods/0', 'cannot be a method stub'],
  ])('refuses %j at %s', (block, path, message) => {
    const found = problems(block);
    expect(found.join('\n')).toContain(path);
    expect(found.join('\n')).toContain(message);
    expect(found.every((p: string) => /\(\d+:\d+\)/.test(p))).toBe(true);
  });

  it('refuses a __proto__ key written in the file, at its line and column', () => {
    const dir = mkdtempSync(join(tmpdir(), 'utt-setup-'));
    const text = JSON.stringify({ ...base, setup: { globals: { acme: { x: 1 } } } }, null, 2).replace(
      '"x": 1',
      '"__proto__": 1',
    );
    writeFileSync(join(dir, 'acme.json'), text);
    const found = errorsOf(loadRegistry({ dirs: [dir], only: '' }).problems);
    expect(found.map((p: any) => p.path)).toContain('/setup/globals/acme/__proto__');
  });
});
