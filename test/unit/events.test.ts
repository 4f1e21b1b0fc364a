// Events: utt('track', name, params) through the snippet's queue, held while
// an integration may not run, dropped when refused, sent once per
// integration with one shared event id; the events block's check and compile.
import { describe, expect, it, vi } from 'vitest';
import { errorsOf } from '../../build/registry.mjs';
import { compileEvents } from '../../build/setup.mjs';
import { EVENTS, ITEM_PARAMS, PARAMS } from '../../build/vocabulary.mjs';
import { type Events, SLICE } from '../../src/events';
import { eventsLater } from '../../src/events-later';
import { advance, fakeClock, integration as int, manifestOf, page } from './page';
import { good, load } from './registry-fixture';

fakeClock();

const META = int('meta', 'meta-pixel', { pixelId: '123456789012345' });
const META2 = int('meta2', 'meta-pixel', { pixelId: '999999999999999' });
const GTAG = int('ga', 'google-tag', { measurementId: 'G-ABC123DEF4' });
const TIKTOK = int('tt', 'tiktok-pixel', { pixelId: 'CABCDEFGHIJ123456789' });
const PINTEREST = int('pin', 'pinterest-tag', { tagId: '2612345678901' });
const LINKEDIN = int('li', 'linkedin-insight', { partnerId: '123456' });

const ORDER = {
  transaction_id: 'T-1',
  value: '42.50',
  currency: 'EUR',
  items: [{ item_id: 123, item_name: 'Mug', price: 21.25, quantity: 2 }],
};

/** The snippet's stub, as README writes it: its queue an own array of `arguments` objects. */
const snippet = (w: any) => {
  const q: unknown[] = [];
  const stub: any = function () {
    // biome-ignore lint/complexity/noArguments: the snippet queues the arguments object itself
    q.push(arguments);
  };
  stub.q = q;
  w.utt = stub;
};

/** What each vendor was told of purchases: Meta's per pixel, Google's, TikTok's, Pinterest's. */
const told = (w: any) => ({
  meta: (w.fbq?.queue ?? []).map((a: any) => Array.from(a)).filter((a: any[]) => a[0] === 'trackSingle'),
  google: (w.dataLayer ?? []).map((a: any) => Array.from(a)).filter((a: any[]) => a[0] === 'event'),
  tiktok: (w.ttq ?? []).filter((a: any[]) => a[0] === 'track'),
  pinterest: (w.pintrk?.queue ?? []).filter((a: any[]) => a[0] === 'track'),
});

describe('utt("track")', () => {
  it('a purchase queued before utt reaches every enabled vendor once, with its params and one shared event id', async () => {
    const p = page({
      manifest: manifestOf(META, META2, GTAG, TIKTOK, PINTEREST, LINKEDIN),
      before: (w) => {
        snippet(w);
        (w as any).utt('track', 'purchase', ORDER);
      },
    });
    await p.settled();
    const { meta, google, tiktok, pinterest } = told(p.w);
    // Two Meta integrations: one trackSingle per pixel, not fbq('track') twice to both.
    expect(meta.map((a: any[]) => a.slice(0, 3))).toEqual([
      ['trackSingle', '123456789012345', 'Purchase'],
      ['trackSingle', '999999999999999', 'Purchase'],
    ]);
    const id = meta[0][4].eventID;
    expect(id).toMatch(/\w/);
    expect(meta[0][3]).toEqual({
      value: 42.5,
      currency: 'EUR',
      contents: [{ id: '123', quantity: 2, item_price: 21.25 }],
      content_type: 'product',
    });
    expect(meta[1][4]).toEqual({ eventID: id });
    expect(google).toEqual([
      [
        'event',
        'purchase',
        {
          send_to: 'G-ABC123DEF4',
          transaction_id: 'T-1',
          value: 42.5,
          currency: 'EUR',
          items: [{ item_id: '123', item_name: 'Mug', price: 21.25, quantity: 2 }],
        },
      ],
    ]);
    expect(tiktok).toHaveLength(1);
    expect(tiktok[0][1]).toBe('CompletePayment');
    expect(tiktok[0][3]).toEqual({ event_id: id });
    expect(pinterest).toHaveLength(1);
    expect(pinterest[0][2]).toMatchObject({ order_id: 'T-1', value: 42.5, event_id: id });
    const [outcomes] = await p.report();
    const rows = Object.fromEntries(outcomes.map((o) => [o.id, o.events]));
    expect(rows.meta).toEqual([{ event: 'purchase', id, status: 'sent', reason: '' }]);
    // LinkedIn maps purchase to a conversion id this integration has not set.
    expect(rows.li).toEqual([{ event: 'purchase', id, status: 'no-mapping', reason: 'no purchaseConversionId' }]);
  });

  it('an optional identifier: set, the mapping that names it is sent; absent or breaking its schema, skipped and said so', async () => {
    const LI = int('li', 'linkedin-insight', {
      partnerId: '123456',
      purchaseConversionId: '5550001',
      leadConversionId: 'x1',
    });
    const IMPACT = int('ir', 'impact-utt', { uttId: 'A1234567-1a2b-3c4d-5e6f-7a8b9c0d1e2f1', saleEventTypeId: 777 });
    const p = page({ manifest: manifestOf(LI, IMPACT) });
    await p.settled();
    // An identifier the integration may leave out does not make it invalid: both load their scripts.
    const [before] = await p.report();
    expect(before.map((o) => o.status)).not.toContain('invalid');
    (p.utt as any)('track', 'purchase', { ...ORDER, coupon: 'TEN' });
    (p.utt as any)('track', 'generate_lead', { value: 5, currency: 'EUR' });
    (p.utt as any)('track', 'sign_up', { method: 'email' });
    const w = p.w as any;
    const lintrk = w.lintrk.q.filter((a: any[]) => a[0] === 'track');
    expect(lintrk).toHaveLength(1);
    const [purchase] = lintrk;
    expect(purchase[1]).toEqual({
      conversion_id: 5550001,
      conversion_value: 42.5,
      currency: 'EUR',
      event_id: expect.stringMatching(/\w/),
    });
    const ire = w.ire.a.map((a: any) => Array.from(a)).filter((a: any[]) => a[0] === 'trackConversion');
    expect(ire).toEqual([
      [
        'trackConversion',
        777,
        {
          orderId: 'T-1',
          currencyCode: 'EUR',
          orderPromoCode: 'TEN',
          // The line's total: price times quantity.
          items: [{ subTotal: 42.5, sku: '123', quantity: 2, name: 'Mug' }],
        },
        { verifySiteDefinitionMatch: true },
      ],
    ]);
    const [outcomes] = await p.report();
    const rows = Object.fromEntries(
      outcomes.map((o) => [o.id, o.events!.map((e) => `${e.event} ${e.status} ${e.reason}`)]),
    );
    expect(rows.li).toEqual([
      'purchase sent ',
      'generate_lead no-mapping leadConversionId: type',
      'sign_up no-mapping no signUpConversionId',
    ]);
    expect(rows.ir).toEqual(['purchase sent ', 'generate_lead no-mapping no leadEventTypeId', 'sign_up no-mapping ']);
    // The shared id: LinkedIn's event_id is the one of the purchase everywhere.
    expect(outcomes.find((o) => o.id === 'li')!.events![0].id).toBe(purchase[1].event_id);
  });

  it('a track after load is sent at once; the merchant’s event_id is the shared id', async () => {
    const p = page({ manifest: manifestOf(META, TIKTOK) });
    await p.settled();
    (p.utt as any)('track', 'add_to_cart', { value: 3, currency: 'EUR', event_id: 'ev-7', items: [] });
    const { meta, tiktok } = told(p.w);
    expect(meta).toEqual([
      ['trackSingle', '123456789012345', 'AddToCart', expect.objectContaining({ value: 3 }), { eventID: 'ev-7' }],
    ]);
    expect(tiktok.map((a: any[]) => [a[1], a[3]])).toEqual([['AddToCart', { event_id: 'ev-7' }]]);
  });

  it('two events the merchant gives one event_id are two rows of the report, each with that id', async () => {
    const p = page({ manifest: manifestOf(META) });
    await p.settled();
    (p.utt as any)('track', 'add_to_cart', { value: 3, currency: 'EUR', event_id: 'ev-7' });
    (p.utt as any)('track', 'purchase', { value: 5, currency: 'EUR', event_id: 'ev-7' });
    expect(told(p.w).meta).toHaveLength(2);
    const [outcomes] = await p.report();
    expect(outcomes[0].events!.map((r) => [r.event, r.id, r.status])).toEqual([
      ['add_to_cart', 'ev-7', 'sent'],
      ['purchase', 'ev-7', 'sent'],
    ]);
  });

  it('two integrations of a vendor that fans out (TikTok) make the call once, the second reported as sent by the first', async () => {
    const TT2 = int('tt2', 'tiktok-pixel', { pixelId: 'ZABCDEFGHIJ123456789' });
    const p = page({ manifest: manifestOf(TIKTOK, TT2) });
    await p.settled();
    (p.utt as any)('track', 'purchase', ORDER);
    expect(told(p.w).tiktok).toHaveLength(1);
    const [outcomes] = await p.report();
    expect(outcomes.map((o) => o.events?.[0].reason)).toEqual(['', 'by tt']);
  });

  it('is held while consent is pending, then sent in order; refused consent sends nothing and leaves no global', async () => {
    const p = page({
      manifest: manifestOf(META, GTAG),
      attrs: { 'data-account': 'A12345', 'data-consent': 'required' },
    });
    await advance(50);
    (p.utt as any)('track', 'view_item', ORDER);
    (p.utt as any)('track', 'purchase', ORDER);
    await advance(50);
    expect((p.w as any).fbq).toBeUndefined();
    const held = p.events.length;
    expect(held).toBeGreaterThan(0);
    (p.utt as any)('consent', 'update', { analytics: 'granted', advertising: 'granted' });
    const { meta, google } = told(p.w);
    expect(meta.map((a: any[]) => a[2])).toEqual(['ViewContent', 'Purchase']);
    expect(google.map((a: any[]) => a[1])).toEqual(['view_item', 'purchase']);
    // The two events have two ids, each shared by both vendors.
    expect(meta[0][4].eventID).not.toBe(meta[1][4].eventID);

    const refused = page({
      manifest: manifestOf(META, GTAG),
      attrs: { 'data-account': 'A12345', 'data-consent': 'required' },
    });
    await advance(50);
    (refused.utt as any)('track', 'purchase', ORDER);
    (refused.utt as any)('consent', 'update', { analytics: 'denied', advertising: 'denied' });
    (refused.utt as any)('track', 'purchase', ORDER);
    await advance(50);
    expect([(refused.w as any).fbq, (refused.w as any).dataLayer, (refused.w as any).gtag]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    const [outcomes] = await refused.report();
    expect(outcomes.flatMap((o) => o.events!.map((e) => `${o.id} ${e.status} ${e.reason}`))).toEqual([
      'meta dropped denied-consent',
      'meta dropped denied-consent',
      'ga dropped denied-consent',
      'ga dropped denied-consent',
    ]);
  });

  it(`makes at most ${SLICE} vendor calls a task when held events are replayed, the rest in later tasks, each integration in order`, async () => {
    const p = page({
      manifest: manifestOf(META, GTAG),
      attrs: { 'data-account': 'A12345', 'data-consent': 'required' },
    });
    await advance(50);
    // 99: with the track below, the 100 held events (MAX_HELD) lose none to the cap.
    for (let i = 0; i < 99; i++) (p.utt as any)('track', 'purchase', { ...ORDER, transaction_id: `T-${i}` });
    (p.utt as any)('consent', 'update', { analytics: 'granted', advertising: 'granted' });
    const calls = () => told(p.w).meta.length + told(p.w).google.length;
    // 198 calls are due: this task makes SLICE of them, and a track in it waits behind them.
    expect(calls()).toBe(SLICE);
    (p.utt as any)('track', 'sign_up', { method: 'email' });
    expect(calls()).toBe(SLICE);
    await advance(10);
    const { meta, google } = told(p.w);
    const order = [...Array.from({ length: 99 }, (_, i) => `T-${i}`), 'sign_up'];
    expect(google.map((a: any[]) => a[2].transaction_id ?? a[1])).toEqual(order);
    expect(meta.map((a: any[]) => a[2])).toEqual([...Array(99).fill('Purchase'), 'CompleteRegistration']);
  });

  it('holds at most 100 events: the oldest is dropped (cap) for an integration still waiting', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const p = page({
      manifest: manifestOf(META),
      attrs: { 'data-account': 'A12345', 'data-consent': 'required', 'data-debug': '' },
    });
    await advance(50);
    for (let i = 0; i < 101; i++) (p.utt as any)('track', 'search', { search_term: String(i) });
    const dropped = warn.mock.calls.filter((c) => String(c[0]).startsWith('utt 213') && / dropped$/.test(String(c[2])));
    expect(dropped.map((c) => c[3])).toEqual(['cap']);
    (p.utt as any)('consent', 'update', { advertising: 'granted' });
    const searched = told(p.w).meta.map((a: any[]) => a[3].search_string);
    expect(searched).toEqual(Array.from({ length: 100 }, (_, i) => String(i + 1)));
    warn.mockRestore();
  });

  it('hostile params end in a coded warning, never an exception, and reach the vendor only as data', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const p = page({ manifest: manifestOf(META), attrs: { 'data-account': 'A12345', 'data-debug': '' } });
    await p.settled();
    const cyclic: any = { value: 1, currency: 'EUR' };
    cyclic.self = cyclic;
    cyclic.items = [cyclic];
    const getter = Object.defineProperty({ currency: 'EUR' }, 'value', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    const proxy = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('keys');
        },
      },
    );
    const many = { value: 1, items: Array.from({ length: 10_000 }, (_, i) => ({ item_id: i })) };
    const calls = [
      JSON.parse('{"__proto__": {"polluted": 1}, "value": 5, "currency": "</script><script>alert(1)</script>"}'),
      getter,
      proxy,
      many,
      cyclic,
      null,
      'purchase',
    ];
    for (const params of calls) expect(() => (p.utt as any)('track', 'purchase', params)).not.toThrow();
    expect(() => (p.utt as any)('track', { toString: () => 'purchase' })).not.toThrow();
    const meta = told(p.w).meta;
    expect(meta).toHaveLength(calls.length);
    expect(meta[0][3]).toMatchObject({ value: 5, currency: '</script><script>alert(1)</script>' });
    expect(({} as any).polluted).toBeUndefined();
    expect(meta[1][3]).toEqual({ currency: 'EUR', contents: [], content_type: 'product' });
    expect(meta[3][3].contents).toHaveLength(200);
    expect(meta[4][3].contents).toEqual([{}]);
    expect(p.d.scripts.length).toBe(2);
    const codes = warn.mock.calls.map((c) => String(c[0]).slice(0, 8)).filter((c) => c === 'utt 212:');
    // The unreadable proxy, the 10,000 items, and the name that is not a string.
    expect(codes).toHaveLength(3);
    warn.mockRestore();
  });
});

describe('utt("listen", "dataLayer"): the site’s GA4 ecommerce pushes, opt-in', () => {
  it('tracks each {event, ecommerce} push, those before the call included; nothing else pushed counts', async () => {
    const p = page({
      manifest: manifestOf(META),
      before: (w) => {
        (w as any).dataLayer = [{ event: 'gtm.js' }, { event: 'purchase', ecommerce: ORDER }];
        snippet(w);
        (w as any).utt('listen', 'dataLayer');
      },
    });
    await p.settled();
    const w = p.w as any;
    w.dataLayer.push({ event: 'add_to_cart', ecommerce: { value: 3, currency: 'EUR' } });
    w.dataLayer.push({ event: 'view_item' }, ['event', 'sign_up']);
    w.dataLayer.push(JSON.parse('{"event": "sign_up", "__proto__": {"ecommerce": {"value": 1}}}'));
    expect(told(w).meta.map((c: any[]) => c[2])).toEqual(['Purchase', 'AddToCart']);
    // The data layer is still an array whose push adds, and returns the new length.
    expect(w.dataLayer.push({ a: 1 })).toBe(w.dataLayer.length);
  });

  it('without the call, pushes track nothing; an element named dataLayer is not wrapped', async () => {
    const p = page({
      manifest: manifestOf(META),
      before: (w) => {
        w.document.body.innerHTML = '<div id="dataLayer"></div>';
        snippet(w);
      },
    });
    await p.settled();
    const w = p.w as any;
    expect(w.dataLayer).toBeInstanceOf(w.HTMLElement);
    (p.utt as any)('listen', 'dataLayer');
    expect(Array.isArray(w.dataLayer)).toBe(true);
    w.dataLayer.push({ event: 'purchase', ecommerce: ORDER });
    expect(told(w).meta.map((c: any[]) => c[2])).toEqual(['Purchase']);
  });
});

describe('utt.js’s stand-in until utt.events.js has come (src/events-later.ts)', () => {
  /** A stand-in whose chunk arrives when `arrive` is called (or fails, with no argument). */
  const standIn = () => {
    const seen: unknown[][] = [];
    const needs: ((chunk?: any) => void)[] = [];
    const real = {
      track: (...a: unknown[]) => seen.push(['track', ...a]),
      wait: (...a: unknown[]) => seen.push(['wait', ...a]),
      drop: (...a: unknown[]) => seen.push(['drop', ...a]),
      open: (...a: unknown[]) => seen.push(['open', ...a]),
      listen: (...a: unknown[]) => seen.push(['listen', ...a]),
    } as unknown as Events;
    const events = eventsLater(
      (cb) => needs.push(cb),
      (make) => make(null as never, () => false, undefined),
    );
    return { events, seen, needs, chunk: () => real };
  };

  it('asks for the chunk on the first track only, and replays every call in order into the real stage', () => {
    const { events, seen, needs, chunk } = standIn();
    events.wait('a', 'k', 'awaiting-consent');
    expect(needs).toHaveLength(0);
    events.track('purchase', {}, 1);
    events.open('a', 'k', null, () => {}, {});
    events.track('sign_up', {}, 2);
    expect(needs).toHaveLength(1);
    expect(seen).toEqual([]);
    needs[0](chunk);
    expect(seen.map((c) => c.slice(0, 2))).toEqual([
      ['wait', 'a'],
      ['track', 'purchase'],
      ['open', 'a'],
      ['track', 'sign_up'],
    ]);
    events.drop('a', 'k', 'denied-consent');
    expect(seen.at(-1)?.slice(0, 2)).toEqual(['drop', 'a']);
  });

  it('a chunk that fails to load leaves the events going nowhere, without an exception', () => {
    const { events, seen, needs } = standIn();
    events.track('purchase', {}, 1);
    needs[0]();
    expect(() => events.track('purchase', {}, 2)).not.toThrow();
    expect(seen).toEqual([]);
    expect(needs).toHaveLength(1);
  });
});

describe('the events block: utt check and compile', () => {
  const base = {
    ...good(),
    setup: { stubs: { aq: { queue: 'q', store: 'arguments' } }, calls: [['aq', 'init', '{site}']] },
  };
  const problems = (events: unknown, entry: object = base): string[] =>
    errorsOf(load({ 'acme.json': { ...entry, events } }).problems).map(
      (p: any) => `${p.path} (${p.line}:${p.column}): ${p.message}`,
    );

  it('accepts calls into the stubs the setup block defines, with params, items, constants and the event id', () => {
    expect(
      problems({
        purchase: [
          ['aq', 'track', '{site}', { v: { $param: 'value', as: 'cents' }, items: { $items: { $param: 'item_id' } } }],
          ['aq', 'dedupe', { $eventId: true }],
        ],
      }),
    ).toEqual([]);
  });

  it.each([
    [{ buy: [['aq', 'track']] }, '/events/buy', '"buy" is not an event of the vocabulary'],
    [{ purchase: [['nope', 'track']] }, '/events/purchase/0/0', '"nope" is not a global or stub defined'],
    [
      { purchase: [['aq', { $param: 'item_name' }]] },
      '/events/purchase/0/1/$param',
      '"item_name" is an item\'s parameter: put it inside "$items"',
    ],
    [
      { purchase: [['aq', { $items: { list: { $items: { $param: 'item_id' } } } }]] },
      '/events/purchase/0/1/$items/list/$items',
      '"$items" is allowed only at the top',
    ],
    [
      { purchase: [['aq', { $items: { $param: 'value' } }]] },
      '/events/purchase/0/1/$items/$param',
      "an item's parameter",
    ],
    [{ purchase: [['aq', { $param: 'value', as: 'euros' }]] }, '/events/purchase/0/1/as', '"as" is one of'],
    [{ purchase: [['aq', { $eventId: 'yes' }]] }, '/events/purchase/0/1/$eventId', 'the only form'],
    [{ purchase: [['aq', { $param: 'items' }]] }, '/events/purchase/0/1/$param', "not an event's parameter"],
  ])('refuses %j at its path, line and column', (events, path, message) => {
    const found = problems(events);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(new RegExp(`^${path.replace(/\$/g, '\\$')} \\(\\d+:\\d+\\): `));
    expect(found[0]).toContain(message);
  });

  it('inside "$items", names the values allowed there, "$items" not among them', () => {
    const [message] = problems({ purchase: [['aq', { $items: { $items: { $param: 'item_id' } } }]] });
    expect(message).toContain('{"$param": name');
    expect(message).not.toContain('{"$items": value}');
  });

  it('refuses events in an entry without a setup block, and $param in a setup block', () => {
    expect(problems({ purchase: [['aq', 'track']] }, good())[0]).toContain('/events (');
    expect(
      errorsOf(
        load({ 'acme.json': { ...base, setup: { ...base.setup, calls: [['aq', 'init', { $param: 'value' }]] } } })
          .problems,
      ).map((p: any) => p.message),
    ).toEqual([expect.stringContaining('"$param" is not a value here')]);
  });

  it('compiles params with their vocabulary type, cents, items, the event id, and marks calls without identifiers once', () => {
    expect(
      compileEvents(
        {
          purchase: [['aq', 'track', '{site}', { v: { $param: 'value' }, c: { $param: 'value', as: 'cents' } }]],
          add_to_cart: [
            ['aq.add', { $items: { id: { $param: 'item_id' }, q: { $param: 'quantity' } } }, { $eventId: true }],
          ],
        },
        good().identifiers,
      ),
    ).toEqual([
      ['purchase', [['aq', '', ['track', '{site}', [1, 'v', [6, 'value', 1], 'c', [6, 'value', 2]]]]], 0, null],
      ['add_to_cart', [['aq', 'add', [[7, [1, 'id', [6, 'item_id', 0], 'q', [6, 'quantity', 1]]], [8]]]], 1, null],
    ]);
  });

  describe('optional identifiers', () => {
    const withOptional = {
      ...base,
      identifiers: {
        ...base.identifiers,
        goal: { type: 'integer', optional: true, label: 'Goal', example: 7 },
      },
    };
    const found = (entry: object) =>
      errorsOf(load({ 'acme.json': entry }).problems).map(
        (p: any) => `${p.path} (${p.line}:${p.column}): ${p.message}`,
      );

    it('may be named alone by an events mapping, and compiles to [10, name] with its schema beside the mapping', () => {
      const entry = { ...withOptional, events: { purchase: [['aq', 'track', '{goal}']] } };
      expect(found(entry)).toEqual([]);
      expect(compileEvents(entry.events, entry.identifiers, (name: string) => [name, 1])).toEqual([
        ['purchase', [['aq', '', ['track', [10, 'goal']]]], 0, [['goal', 1]]],
      ]);
    });

    it.each([
      [{ setup: { ...base.setup, calls: [['aq', 'init', '{goal}']] } }, '/setup/calls/0/2', 'only an events mapping'],
      [{ script: 'https://cdn.acme.example/t/{site}.js?g={goal}' }, '/script', 'only an events mapping'],
      [{ events: { purchase: [['aq', 'track', 'g-{goal}']] } }, '/events/purchase/0/2', 'stands alone'],
      [{ events: { purchase: [['aq', 'track', '{site}']] } }, '/identifiers/goal', 'named by no events mapping'],
    ])('is refused outside an events mapping, or named by none: %j', (more, path, message) => {
      const problems = found({ ...withOptional, events: { purchase: [['aq', 'track', '{goal}']] }, ...more });
      expect(problems).toEqual([
        expect.stringMatching(new RegExp(`^${path.replace(/\$/g, '\\$')} \\(\\d+:\\d+\\): .*${message}`)),
      ]);
    });

    it('"lineTotal" is an item\'s conversion only', () => {
      expect(problems({ purchase: [['aq', { $param: 'value', as: 'lineTotal' }]] })).toEqual([
        expect.stringContaining('/events/purchase/0/1/as'),
      ]);
      expect(problems({ purchase: [['aq', { $items: { $param: 'price', as: 'lineTotal' } }]] })).toEqual([]);
    });
  });

  it('the vocabulary is GA4’s: the events and params the issue names are in it', () => {
    for (const e of ['purchase', 'add_to_cart', 'begin_checkout', 'view_item', 'generate_lead', 'sign_up', 'page_view'])
      expect(EVENTS).toContain(e);
    expect(Object.keys(PARAMS)).toEqual(expect.arrayContaining(['transaction_id', 'value', 'currency', 'items']));
    expect(Object.keys(ITEM_PARAMS)).toEqual(expect.arrayContaining(['item_id', 'item_name', 'price', 'quantity']));
  });
});
