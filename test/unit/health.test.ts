// The health beacon (src/health.ts): the runtime's hook (data-health, data-sample),
// what the chunk sends, and the collector's decoder on hostile bodies.
import { describe, expect, it, vi } from 'vitest';
import { decode, encode, engineOf, MAX_BEACON } from '../../src/health';
import { fakeClock, integration as int, manifestOf, page } from './page';

fakeClock();

const NW = () => int('int_nw', 'northwind-analytics', { domain: 'shop.merchant.example' });
const NW_URL = 'https://cdn.northwind.example/na.js?d=shop.merchant.example';
const health = (p: ReturnType<typeof page>) =>
  p.requests.length + p.d.querySelectorAll('script[src$="/utt.health.js"]').length;

describe('the runtime hook', () => {
  it('without data-health: no chunk, no beacon', async () => {
    const p = page({ manifest: manifestOf(NW()) });
    await p.settled();
    p.fire(NW_URL, 'load');
    await p.report();
    expect(p.d.querySelectorAll('script[src$="/utt.health.js"]')).toHaveLength(0);
    expect(p.beacons).toEqual([]);
    expect(health(p)).toBe(1); // the manifest request only
  });

  it('with data-health: one beacon once the report has settled, to the collector, with the outcomes', async () => {
    const p = page({
      attrs: { 'data-account': 'A12345', 'data-health': '/api/health' },
      manifest: manifestOf(NW(), int('int_off', 'northwind-analytics', { domain: 'b.example' }, 'disabled')),
    });
    await p.settled();
    expect(p.beacons).toEqual([]);
    p.fire(NW_URL, 'load');
    await p.report();
    await vi.advanceTimersByTimeAsync(10);
    expect(p.d.querySelectorAll('script[src="https://cdn.utt.example/v1/utt.health.js"]')).toHaveLength(1);
    expect(p.beacons).toHaveLength(1);
    const [url, body] = p.beacons[0];
    expect(url).toBe('https://shop.example/api/health');
    expect(decode(body, 10)).toEqual({
      account: 'A12345',
      version: '',
      engine: engineOf(p.w.navigator.userAgent),
      outcomes: [
        ['int_nw', 'northwind-analytics', 'loaded', ''],
        ['int_off', 'northwind-analytics', 'disabled', ''],
      ],
    });
    // Nothing about the visitor or the page: no URL, no user agent string.
    expect(body).not.toContain('shop.example');
    expect(body).not.toContain(p.w.navigator.userAgent);
  });

  it.each([
    ['its publish', 'f3f747d90f77', 'f3f747d90f77'],
    ['a publish that is no string', { toString: 'x' }, ''],
    ['no publish', undefined, ''],
  ])(
    'the generic tag, with a manifest naming %s: the report and the beacon name that version',
    async (_, publish, version) => {
      const p = page({
        attrs: { 'data-account': 'A12345', 'data-health': '/api/health' },
        manifest: { ...manifestOf(NW()), publish },
      });
      await p.settled();
      p.fire(NW_URL, 'load');
      const [, manifest] = await p.report();
      await vi.advanceTimersByTimeAsync(10);
      expect(manifest).toMatchObject({ status: 'ok', version });
      expect((decode(p.beacons[0][1], 10) as any).version).toBe(version);
    },
  );

  it('data-sample: a page view outside the sample loads nothing', async () => {
    const random = vi.spyOn(Math, 'random');
    try {
      for (const [roll, sent] of [
        [0.5, 0],
        [0.05, 1],
      ] as const) {
        random.mockReturnValue(roll);
        const p = page({
          attrs: { 'data-account': 'A12345', 'data-health': '/h', 'data-sample': '0.1' },
          manifest: manifestOf(NW()),
        });
        await p.settled();
        p.fire(NW_URL, 'load');
        await p.report();
        await vi.advanceTimersByTimeAsync(10);
        expect(p.d.querySelectorAll('script[src$="/utt.health.js"]')).toHaveLength(sent);
        expect(p.beacons).toHaveLength(sent);
      }
    } finally {
      random.mockRestore();
    }
  });
});

describe('engineOf', () => {
  it.each([
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', 'blink'],
    ['Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0', 'gecko'],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
      'webkit',
    ],
    // Chrome on iOS is WebKit.
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0 Mobile/15E148 Safari/604.1',
      'webkit',
    ],
    ['curl/8.0', 'other'],
  ])('%s', (ua, engine) => expect(engineOf(ua)).toBe(engine));
});

describe('decode (the collector)', () => {
  const good = {
    account: 'A12345',
    version: 'abc123',
    engine: 'gecko',
    outcomes: [['int_1', 'p', 'blocked-csp', 'script-src: add https://x.example']],
  };
  it('round-trips what encode sends', () => {
    const body = encode(
      [{ id: 'int_1', partner: 'p', status: 'failed', reason: 'x'.repeat(500) }],
      { account: 'A1', url: '', status: 'ok', reason: '', version: 'v1' },
      'Firefox/1',
    );
    expect(decode(body, 5)).toEqual({
      account: 'A1',
      version: 'v1',
      engine: 'gecko',
      outcomes: [['int_1', 'p', 'failed', 'x'.repeat(200)]],
    });
  });
  it.each([
    ['not JSON', '{', 'json'],
    ['an array', '[]', 'json'],
    ['huge', ' '.repeat(MAX_BEACON + 1), 'too-large'],
    ['a bad account', JSON.stringify({ ...good, account: 'A 1' }), 'account'],
    ['an unknown engine', JSON.stringify({ ...good, engine: 'trident' }), 'engine'],
    ['no outcomes', JSON.stringify({ ...good, outcomes: [] }), 'outcomes'],
    [
      'too many outcomes',
      JSON.stringify({ ...good, outcomes: Array.from({ length: 6 }, (_, i) => [`i${i}`, 'p', 'loaded', '']) }),
      'outcomes',
    ],
    ['an unknown status', JSON.stringify({ ...good, outcomes: [['int_1', 'p', 'pwned', '']] })],
    ['an id twice', JSON.stringify({ ...good, outcomes: [good.outcomes[0], good.outcomes[0]] }), 'id'],
    ['an id with markup', JSON.stringify({ ...good, outcomes: [['<img>', 'p', 'loaded', '']] }), 'id'],
    ['a long reason', JSON.stringify({ ...good, outcomes: [['int_1', 'p', 'failed', 'x'.repeat(201)]] }), 'reason'],
    ['a short line', JSON.stringify({ ...good, outcomes: [['int_1', 'p', 'loaded']] }), 'outcome'],
    [
      'fields only inherited',
      '{"__proto__":{"account":"A12345","version":"","engine":"blink","outcomes":[["i","p","loaded",""]]}}',
      'account',
    ],
  ])('refuses %s', (_, body, why = 'status') => expect(decode(body, 5)).toBe(why));
  it('accepts the good one', () => expect(decode(JSON.stringify(good), 5)).toEqual(good));
});
