import { describe, expect, it } from 'vitest';
import { gppOptOut } from '../../src/consent/gpp';
import { tcfAllows } from '../../src/consent/tcf';
import { advance, fakeClock, integration as int, manifestOf, page } from './page';

fakeClock();

/** TC data as a TCF v2.2 CMP gives it to addEventListener callbacks. */
const tcData = (o: {
  applies?: boolean;
  status?: string;
  purposes?: number[];
  li?: number[];
  vendors?: number[];
  vendorLi?: number[];
  restrictions?: Record<number, Record<number, number>>;
}) => ({
  tcString: 'CO-fake',
  tcfPolicyVersion: 4,
  cmpStatus: 'loaded',
  eventStatus: o.status ?? 'tcloaded',
  gdprApplies: o.applies ?? true,
  listenerId: 1,
  purpose: {
    consents: Object.fromEntries((o.purposes ?? []).map((p) => [p, true])),
    legitimateInterests: Object.fromEntries((o.li ?? []).map((p) => [p, true])),
  },
  vendor: {
    consents: Object.fromEntries((o.vendors ?? []).map((v) => [v, true])),
    legitimateInterests: Object.fromEntries((o.vendorLi ?? []).map((v) => [v, true])),
  },
  publisher: { restrictions: o.restrictions ?? {} },
});

/** The registry's bit-set form of a purpose list. */
const bits = (list: number[]) => list.reduce((sum, p) => sum | (1 << p), 0);
const tcf = (vendor: number, purposes: number[], li: number[]): [number, number, number] => [
  vendor,
  bits(purposes),
  bits(li),
];
const BLUEJAY = tcf(9002, [1, 2, 3, 4, 7], [2, 7]);

describe('TCF v2.2 rules', () => {
  it('needs consent for every purpose, and the vendor', () => {
    expect(tcfAllows(tcData({ purposes: [1, 2, 3, 4, 7], vendors: [9002] }), BLUEJAY)).toBe('');
    expect(tcfAllows(tcData({ purposes: [1, 2, 4, 7], vendors: [9002] }), BLUEJAY)).toBe('tcf: purpose 3');
    expect(tcfAllows(tcData({ purposes: [1, 2, 3, 4, 7], vendors: [1] }), BLUEJAY)).toBe('tcf: vendor 9002');
  });
  it('takes legitimate interest where the partner may use it', () => {
    expect(tcfAllows(tcData({ purposes: [1, 3, 4], li: [2, 7], vendors: [9002] }), BLUEJAY)).toBe('');
    // Purpose 1 cannot rest on legitimate interest for this partner.
    expect(tcfAllows(tcData({ purposes: [3, 4], li: [1, 2, 7], vendors: [9002] }), BLUEJAY)).toBe('tcf: purpose 1');
    // All purposes by legitimate interest: the vendor's legitimate interest is enough.
    expect(
      tcfAllows(tcData({ li: [8, 9, 10], purposes: [1], vendorLi: [9001] }), tcf(9001, [8, 9, 10], [8, 9, 10])),
    ).toBe('');
    expect(tcfAllows(tcData({ li: [8], purposes: [9], vendorLi: [9001] }), tcf(9001, [8, 9], [8]))).toBe(
      'tcf: vendor 9001',
    );
  });
  it('honours publisher restrictions', () => {
    const all = { purposes: [1, 2, 3, 4, 7], li: [2, 7], vendors: [9002] };
    expect(tcfAllows(tcData({ ...all, restrictions: { 4: { 9002: 0 } } }), BLUEJAY)).toBe(
      'tcf: publisher restriction, purpose 4',
    );
    // Consent required: legitimate interest no longer counts for purpose 7.
    expect(tcfAllows(tcData({ ...all, purposes: [1, 2, 3, 4], restrictions: { 7: { 9002: 1 } } }), BLUEJAY)).toBe(
      'tcf: purpose 7',
    );
    // Legitimate interest required: consent no longer counts for purpose 2.
    expect(tcfAllows(tcData({ ...all, li: [7], restrictions: { 2: { 9002: 2 } } }), BLUEJAY)).toBe('tcf: purpose 2');
  });
  it('does not restrict when GDPR does not apply, and never takes garbage for a yes', () => {
    expect(tcfAllows(tcData({ applies: false }), BLUEJAY)).toBe('');
    for (const garbage of [null, 'yes', 42, [], { gdprApplies: 'false' }, { purpose: { consents: { 1: 'true' } } }])
      expect(tcfAllows(garbage, BLUEJAY)).toMatch(/^tcf: /);
  });
});

describe('GPP opt-outs', () => {
  const ping = (signalStatus: string, parsedSections: object) => ({
    eventName: 'signalStatus',
    pingData: { signalStatus, parsedSections },
  });
  it('waits for a ready signal', () => {
    expect(gppOptOut(ping('not ready', { usnat: { SaleOptOut: 1 } }))).toBeUndefined();
    expect(gppOptOut('garbage')).toBeUndefined();
  });
  it('finds sale, sharing and targeted-advertising opt-outs in US sections', () => {
    expect(gppOptOut(ping('ready', { usnat: { SaleOptOut: 2, SharingOptOut: 2, TargetedAdvertisingOptOut: 2 } }))).toBe(
      '',
    );
    expect(gppOptOut(ping('ready', { usnat: { SaleOptOut: 1 } }))).toBe('gpp: usnat SaleOptOut');
    expect(gppOptOut(ping('ready', { usca: { SaleOptOut: 2, SharingOptOut: 1 } }))).toBe('gpp: usca SharingOptOut');
    expect(gppOptOut(ping('ready', { usva: [{ TargetedAdvertisingOptOut: 1 }, { Gpc: true }] }))).toBe(
      'gpp: usva TargetedAdvertisingOptOut',
    );
    expect(gppOptOut(ping('ready', { tcfeuv2: { SaleOptOut: 1 } }))).toBe('');
  });
});

// The runtime with fake CMPs that follow the IAB contracts.
const NW = int('nw', 'northwind-analytics', { domain: 'shop.example' });
const BJ = int('bj', 'bluejay-ads', { accountId: 482913 });
const OR = int('or', 'orbit-reviews', { storeId: 'acme-outdoor', region: 'eu' });

/** A __tcfapi that answers addEventListener with `events`, one after another, `delay` ms apart. */
const tcfCmp =
  (events: object[], delay = 20) =>
  (w: any) => {
    w.__tcfapi = (command: string, version: number, cb: (d: unknown, ok: boolean) => void) => {
      if (command === 'ping') return cb({ gdprApplies: true, cmpLoaded: true }, true);
      if (command !== 'addEventListener' || version !== 2) return cb(null, false);
      events.forEach((e, i) => {
        setTimeout(() => cb(e, true), delay * (i + 1));
      });
    };
  };
const statuses = (outcomes: any[]) =>
  Object.fromEntries(outcomes.map((o) => [o.id, `${o.status}${o.reason ? ` ${o.reason}` : ''}`]));
/** Plays the browser: every injected partner script loads. */
const loadAll = (p: ReturnType<typeof page>) => {
  for (const s of p.injected())
    if (!s.dataset.fired) {
      s.dataset.fired = '1';
      p.fire(s.src, 'load');
    }
};

describe('the consent stage in the runtime', () => {
  it('holds TCF partners until the CMP answers, then injects the allowed ones once', async () => {
    const p = page({
      manifest: manifestOf(NW, BJ, OR),
      before: tcfCmp(
        [
          tcData({ status: 'cmpuishown' }),
          tcData({ status: 'useractioncomplete', purposes: [1, 8, 9, 10], vendors: [9001] }),
        ],
        150,
      ),
    });
    await p.settled();
    expect(statuses(p.events.slice(0, 3))).toEqual({
      nw: 'awaiting-consent tcf',
      bj: 'awaiting-consent tcf',
      or: 'injected',
    });
    expect(p.injected().map((s) => s.src)).toEqual(['https://static.orbit.example/eu/widget.js?store=acme-outdoor']);
    await advance(350);
    expect(p.injected().length).toBe(2);
    loadAll(p);
    const [outcomes] = await p.report();
    expect(statuses(outcomes)).toEqual({ nw: 'loaded', bj: 'denied-consent tcf: purpose 2', or: 'loaded' });
  });

  it("follows the merchant's utt('consent') default and update, queued before utt or called after", async () => {
    const p = page({
      manifest: manifestOf(NW, BJ),
      before(w: any) {
        w.utt = Object.assign(
          function () {
            // biome-ignore lint/complexity/noArguments: the snippet queues the arguments object itself
            w.utt.q.push(arguments);
          },
          { q: [] as unknown[] },
        );
        w.utt('consent', 'default', { analytics: 'denied', advertising: 'denied' });
      },
    });
    await p.settled();
    expect(p.injected()).toEqual([]);
    expect(statuses((await p.report())[0])).toEqual({
      nw: 'denied-consent consent: analytics',
      bj: 'denied-consent consent: advertising',
    });
    (p.utt as any)('consent', 'update', { analytics: 'granted' });
    (p.utt as any)('consent', 'update', { analytics: 'granted' });
    await p.settled();
    expect(p.injected().map((s) => s.src)).toEqual(['https://cdn.northwind.example/na.js?d=shop.example']);
    expect(p.events.filter((e) => e.id === 'nw' && e.status === 'injected').length).toBe(1);
  });

  it('data-consent="required": holds every partner that needs a category until a signal grants it', async () => {
    const p = page({
      attrs: { 'data-account': 'A12345', 'data-consent': 'required' },
      manifest: manifestOf(NW, BJ, OR),
    });
    await p.settled();
    expect(statuses((await p.report())[0])).toEqual({
      nw: 'awaiting-consent consent: analytics',
      bj: 'awaiting-consent consent: advertising',
      or: 'awaiting-consent consent: functional',
    });
    (p.utt as any)('consent', 'update', { functional: 'granted', analytics: 'granted' });
    await p.settled();
    expect(p.injected().length).toBe(2);
  });

  it('required, with a CMP that is present but silent: no, after the bounded wait', async () => {
    const p = page({
      attrs: {},
      manifest: manifestOf(NW, OR),
      before: (w: any) => {
        w.__tcfapi = () => {};
      },
    });
    (p.utt as any)('init', { account: 'A12345', consent: 'required', consentTimeout: 40 });
    await p.settled();
    expect(statuses(p.events)).toEqual({ nw: 'awaiting-consent tcf', or: 'awaiting-consent consent: functional' });
    await advance(60);
    expect(statuses((await p.report())[0])).toEqual({
      nw: 'denied-consent tcf: no answer',
      or: 'denied-consent consent: functional',
    });
    expect(p.injected()).toEqual([]);
  });

  it('a CMP that throws is no answer, never a yes, and the page goes on', async () => {
    const p = page({
      manifest: manifestOf(NW, OR),
      before: (w: any) => {
        w.__tcfapi = () => {
          throw new Error('cmp bug');
        };
        w.__gpp = () => {
          throw new Error('gpp bug');
        };
      },
    });
    await p.settled();
    expect(statuses(p.events)).toEqual({ nw: 'denied-consent tcf: no answer', or: 'injected' });
  });

  it('Global Privacy Control refuses partners that sell or share data', async () => {
    const p = page({
      manifest: manifestOf(NW, BJ),
      // Where browsers define it: a getter of Navigator.prototype.
      before: (w: any) =>
        Object.defineProperty(Object.getPrototypeOf(w.navigator), 'globalPrivacyControl', {
          get: () => true,
          configurable: true,
        }),
    });
    await p.settled();
    expect(statuses(p.events)).toEqual({ nw: 'injected', bj: 'denied-consent gpc' });
  });

  it('GPP: waits for ready, then honours a US opt-out for sale partners only', async () => {
    const p = page({
      manifest: manifestOf(NW, BJ),
      before: (w: any) => {
        w.__gpp = (command: string, cb: (d: unknown, ok: boolean) => void) => {
          if (command !== 'addEventListener') return;
          setTimeout(() => cb({ eventName: 'listenerRegistered', pingData: { signalStatus: 'not ready' } }, true), 5);
          setTimeout(
            () =>
              cb(
                {
                  eventName: 'signalStatus',
                  pingData: { signalStatus: 'ready', parsedSections: { usnat: { SaleOptOut: 1 } } },
                },
                true,
              ),
            30,
          );
        };
      },
    });
    await p.settled();
    expect(statuses(p.events)).toEqual({ nw: 'injected', bj: 'awaiting-consent gpp' });
    await advance(50);
    loadAll(p);
    expect(statuses((await p.report())[0])).toEqual({ nw: 'loaded', bj: 'denied-consent gpp: usnat SaleOptOut' });
  });

  it('a withdrawal stops every partner not yet loaded; loaded ones stay', async () => {
    const p = page({ attrs: { 'data-account': 'A12345', 'data-consent': 'required' }, manifest: manifestOf(NW, BJ) });
    (p.utt as any)('consent', 'update', { analytics: 'granted' });
    await p.settled();
    expect(statuses(p.events)).toEqual({ nw: 'injected', bj: 'awaiting-consent consent: advertising' });
    (p.utt as any)('consent', 'update', { analytics: 'denied', advertising: 'denied' });
    await p.settled();
    loadAll(p);
    // A script that has run cannot be unloaded: nw stays loaded.
    expect(statuses((await p.report())[0])).toEqual({ nw: 'loaded', bj: 'denied-consent consent: advertising' });
  });

  it('ignores malformed consent commands', async () => {
    const p = page({ manifest: manifestOf(OR) });
    const utt = p.utt as any;
    expect(() => {
      utt('consent');
      utt('consent', 'update', null);
      utt('consent', 'update', 'granted');
      utt('consent', 'bogus', { functional: 'granted' });
      utt('consent', 'update', { functional: 'yes', __proto__: { functional: 'denied' } });
    }).not.toThrow();
    await p.settled();
    expect(statuses(p.events)).toEqual({ or: 'injected' });
  });
});

describe('utt.iab.js: TCF and GPP code, loaded only where a CMP is', () => {
  const chunks = (p: ReturnType<typeof page>) =>
    Array.from(p.d.querySelectorAll('script'))
      .map((s) => s.src)
      .filter((src) => /\/utt\.(csp|iab)\.js$/.test(src));

  it('a page without a CMP never asks for it', async () => {
    const p = page({ manifest: manifestOf(NW, BJ) });
    await p.settled();
    loadAll(p);
    expect(statuses((await p.report())[0])).toEqual({ nw: 'loaded', bj: 'loaded' });
    expect(chunks(p)).toEqual([]);
  });

  it('a page with __tcfapi asks for it beside utt.js, before the manifest has arrived', async () => {
    const p = page({
      manifest: manifestOf(NW),
      before: tcfCmp([tcData({ purposes: [1, 8, 9, 10], vendors: [9001] })]),
    });
    // Nothing has run yet: the manifest request is out, and the chunk is already asked for.
    expect(p.requests.map((r) => r.url)).toEqual(['https://cdn.utt.example/v1/manifests/A12345.json']);
    expect(chunks(p)).toEqual(['https://cdn.utt.example/v1/utt.iab.js']);
    await advance(50);
    loadAll(p);
    expect(statuses((await p.report())[0])).toEqual({ nw: 'loaded' });
  });

  it('a chunk that fails to load is no answer: TCF partners are refused, the others load', async () => {
    const p = page({
      manifest: manifestOf(NW, OR),
      noIab: true,
      before: tcfCmp([tcData({ purposes: [1, 8, 9, 10], vendors: [9001] })]),
    });
    await p.settled();
    loadAll(p);
    expect(statuses((await p.report())[0])).toEqual({ nw: 'denied-consent tcf: no answer', or: 'loaded' });
  });

  it('a chunk of another version (an old copy cached by a CDN) is refused as if it had failed', async () => {
    const p = page({
      manifest: manifestOf(NW, OR),
      iabVersion: '0.0.1',
      before: tcfCmp([tcData({ purposes: [1, 8, 9, 10], vendors: [9001] })]),
    });
    await p.settled();
    await advance(50);
    loadAll(p);
    expect(statuses((await p.report())[0])).toEqual({ nw: 'denied-consent tcf: no answer', or: 'loaded' });
  });

  it('a hand-off nobody asked for is ignored', async () => {
    const p = page({ manifest: manifestOf(NW) });
    const fake = { watch: () => {}, allows: () => '' };
    (p.utt as any)('iab-ready', fake, __VERSION__);
    (p.utt as any)('csp-ready', {}, __VERSION__);
    await p.settled();
    loadAll(p);
    expect(statuses((await p.report())[0])).toEqual({ nw: 'loaded' });
    expect(chunks(p)).toEqual([]);
  });
});
