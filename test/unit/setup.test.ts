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
import { fakeClock, integration as int, manifestOf, page } from './page';
import { good, load } from './registry-fixture';

fakeClock();

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
      [true, 'consent', 'grant'],
      [true, 'init', '123456789012345'],
      [true, 'track', 'PageView'],
    ]);
    // gtag: arguments objects in dataLayer, Consent Mode's default first, a Date for 'js'.
    expect(w.dataLayer.every(isArguments)).toBe(true);
    const state = { ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted' };
    expect(Array.from(w.dataLayer[0])).toEqual(['consent', 'default', { ...state, analytics_storage: 'granted' }]);
    expect(w.dataLayer[1][0]).toBe('js');
    expect(Object.prototype.toString.call(w.dataLayer[1][1])).toBe('[object Date]');
    expect(Array.from(w.dataLayer[2])).toEqual(['config', 'G-ABC123DEF4']);
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
    expect(w.fbq.queue.length).toBe(3);
  });

  it('two integrations of one vendor share the stub and its script, and each queues its own init', async () => {
    const p = page({ manifest: manifestOf(META, int('meta2', 'meta-pixel', { pixelId: '999999999999999' })) });
    await p.settled();
    const w = p.w as any;
    expect(w.fbq.queue.map((a: any) => Array.from(a))).toEqual([
      ['consent', 'grant'],
      ['init', '123456789012345'],
      ['track', 'PageView'],
      ['consent', 'grant'],
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
    expect(['fbq' in w, typeof w.gtag, w.dataLayer.length]).toEqual([false, 'function', 3]);
    // Consent Mode's default says what utt decided: analytics granted, advertising denied.
    expect(Array.from(w.dataLayer[0])).toEqual([
      'consent',
      'default',
      { ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied', analytics_storage: 'granted' },
    ]);
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
    expect(w.dataLayer.length).toBe(4);
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
    setup(w, JSON.parse(JSON.stringify(compiled)), { id: value }, () => '');
    expect(w.vendor_id).toBe(value);
    expect(w.vendor_cfg).toEqual({ id: value, list: [value] });
    expect(Object.getPrototypeOf(w.vendor_cfg)).toBe(Object.prototype);
    expect(Array.from(w.vq.q[0])).toEqual(['init', value, { user: value }]);
    expect(({} as any).polluted).toBeUndefined();
    expect(w.document.scripts.length).toBe(0);
    expect(w.alert).toBeTypeOf('function');
  });
});

/** Compiles a setup block as the build does, through JSON as the bundle carries it, and runs it on a fresh window. */
const runBlock = (block: object, values: Record<string, string>, identifiers = {}, decide = () => '') => {
  const w = new JSDOM('').window as any;
  const made = setup(w, JSON.parse(JSON.stringify(compileSetup(block, identifiers))), values, decide);
  // A build with events returns [step, run] (src/setup.ts).
  const steps = Array.isArray(made) ? made[0] : made;
  return { w, steps };
};

describe('setup: the shapes beyond globals, stubs and calls', () => {
  it('a lone integer identifier is filled as a number, anywhere else as text (Hotjar, Criteo)', () => {
    const { w } = runBlock(
      { globals: { _hjSettings: { hjid: '{site}', hjsv: 6, tag: 'hj-{site}' }, ids: ['{site}', '{name}'] } },
      { site: '3618442', name: '42' },
      { site: { type: 'integer' }, name: { type: 'string' } },
    );
    expect(w._hjSettings).toEqual({ hjid: 3618442, hjsv: 6, tag: 'hj-3618442' });
    expect(w.ids).toEqual([3618442, '42']);
  });

  it('merge adds only the keys the merchant’s object lacks, and creates it when absent (Intercom)', () => {
    const block = { merge: { intercomSettings: { app_id: '{app}', api_base: 'https://api-iam.intercom.io' } } };
    const mine = { email: 'a@shop.example', app_id: 'merchant1' };
    const w = new JSDOM('').window as any;
    w.intercomSettings = mine;
    setup(w, JSON.parse(JSON.stringify(compileSetup(block))), { app: 'abc12345' }, () => '');
    expect(w.intercomSettings).toBe(mine);
    expect(mine).toEqual({ email: 'a@shop.example', app_id: 'merchant1', api_base: 'https://api-iam.intercom.io' });
    expect(runBlock(block, { app: 'abc12345' }).w.intercomSettings).toEqual({
      app_id: 'abc12345',
      api_base: 'https://api-iam.intercom.io',
    });
  });

  it('onload constructs the vendor’s object from a global the block set, then calls it (Microsoft UET)', () => {
    const block = {
      globals: { uetq: [] },
      calls: [['uetq.push', 'consent', 'default', { ad_storage: { $consent: 'advertising' } }]],
      onload: {
        new: { uetq: ['UET', { ti: '{tag}', q: { $global: 'uetq' } }] },
        calls: [['uetq.push', 'pageLoad']],
      },
    };
    const { w, steps } = runBlock(block, { tag: '343012345' });
    const queue = w.uetq;
    expect(queue).toEqual(['consent', 'default', { ad_storage: 'granted' }]);
    // The vendor's script defines UET; utt constructs it only once the script has loaded.
    const seen: unknown[] = [];
    w.UET = function (this: any, o: any) {
      this.o = o;
      this.push = (...a: unknown[]) => seen.push(a);
    };
    steps!(1);
    expect(w.uetq).toBeInstanceOf(w.UET);
    expect(w.uetq.o).toEqual({ ti: '343012345', q: queue });
    expect(w.uetq.o.q).toBe(queue);
    expect(seen).toEqual([['pageLoad']]);
  });

  it('onConsent calls run only when a consent value in them changes: grant, revoke after grant, again', () => {
    let advertising = 'wait';
    const block = {
      stubs: { fbq: { queue: 'queue', store: 'arguments' } },
      calls: [['fbq', 'consent', { $consent: ['advertising', 'sale'], granted: 'grant', denied: 'revoke' }]],
      onConsent: [['fbq', 'consent', { $consent: ['advertising', 'sale'], granted: 'grant', denied: 'revoke' }]],
    };
    const asked: unknown[] = [];
    const { w, steps } = runBlock(block, {}, {}, ((...a: unknown[]) => {
      asked.push(a);
      return advertising;
    }) as never);
    const calls = () => w.fbq.queue.map((a: any) => Array.from(a));
    expect(calls()).toEqual([['consent', 'revoke']]);
    // Advertising is bit 2 of CATEGORIES; "sale" asks for GPC and GPP too.
    expect(asked[0]).toEqual([2 | 16]);
    steps!();
    expect(calls()).toEqual([['consent', 'revoke']]);
    advertising = '';
    steps!();
    advertising = 'deny';
    steps!();
    steps!();
    expect(calls()).toEqual([
      ['consent', 'revoke'],
      ['consent', 'grant'],
      ['consent', 'revoke'],
    ]);
  });

  it('no inherited property reaches a value, a placeholder or a forward', () => {
    const names = ['d', 'o', 'site', 'callMethod', '0', '1'];
    const proto = Object.prototype as any;
    const fn = Function.prototype as any;
    for (const n of names) proto[n] = fn[n] = 'polluted';
    try {
      const { w } = runBlock(
        {
          globals: { ire_o: 'ire', cfg: { customerId: '', list: [] }, s: 'x{site}' },
          stubs: { fbq: { queue: 'queue', store: 'arguments', forward: 'callMethod' } },
          calls: [['fbq', 'identify', { customerId: '' }]],
        },
        {},
        { site: { type: 'string' } },
      );
      expect(w.cfg).toEqual({ customerId: '', list: [] });
      expect(Object.prototype.toString.call(w.cfg)).toBe('[object Object]');
      expect(w.s).toBe('xundefined');
      expect(Array.from(w.fbq.queue[0])).toEqual(['identify', { customerId: '' }]);
    } finally {
      for (const n of names) {
        delete proto[n];
        delete fn[n];
      }
    }
  });
});

describe('utt check on a setup block', () => {
  const base = {
    ...good(),
    identifiers: { ...good().identifiers, n: { type: 'integer', label: 'N', example: 1 } },
    script: 'https://cdn.acme.example/t.js?n={n}',
  };
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
    [{ globals: { v: { $global: 'document' } } }, '/setup/globals/v/$global', 'not a global or stub defined'],
    [{ globals: { v: { $global: 'x', more: 1 } } }, '/setup/globals/v', 'with nothing else beside it'],
    [{ globals: { v: { $eval: '1+1' } } }, '/setup/globals/v/$eval', 'is not a value'],
    [{ globals: { v: { $consent: 'marketing' } } }, '/setup/globals/v/$consent', 'names one or more of analytics'],
    [{ globals: { v: { $consent: 'analytics', granted: '{site}' } } }, '/setup/globals/v/granted', 'plain word'],
    [{ globals: { v: { $device: ['d', 'm', 't'] } } }, '/setup/globals/v/$device', 'is not a value'],
    [
      { stubs: { q: { queue: 'q' } }, onConsent: [['q', { $consent: 'analytics' }, { $date: 'now' }]] },
      '/setup/onConsent/0/2',
      'only plain values and {"$consent": …}',
    ],
    [
      { globals: { q: [] }, onload: { new: { q: ['Function', 'alert(1)'] } } },
      '/setup/onload/new/q/0',
      'belongs to the browser',
    ],
    [{ globals: { q: [] }, onload: { new: { q: ['eval'] } } }, '/setup/onload/new/q/0', 'belongs to the browser'],
    [{ onload: { new: { other: ['UET'] } } }, '/setup/onload/new/other', 'only those are replaced'],
    [{ globals: { q: [] }, onload: { new: { q: [] } } }, '/setup/onload/new/q/0', 'names the constructor'],
    [
      { globals: { q: [] }, onload: { new: { q: ['UET'] }, calls: [['q.constructor']] } },
      '/setup/onload/calls/0/0',
      'inherits',
    ],
    [{ globals: { q: [] }, onload: { calls: [['q.splice']] } }, '/setup/onload/calls/0/0', 'only "push"'],
    [{ globals: { q: [] }, onConsent: [['q.push', 'x']] }, '/setup/onConsent', 'they never run'],
    [{ onConsent: [['nope', { $consent: 'analytics' }]] }, '/setup/onConsent/0/0', 'not a global or stub defined'],
    [{ merge: { document: { a: 1 } } }, '/setup/merge/document', 'belongs to the browser'],
    [{ merge: { cfg: { $date: 'now' } } }, '/setup/merge/cfg', 'keys to add'],
    [{ globals: { v: '{n}-x' } }, '/setup/globals/v', 'stands alone'],
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
