// A preview's evidence (src/evidence.ts): what the panel sends to the hub, and
// the hub's decoder on hostile bodies.
import { describe, expect, it } from 'vitest';
import { decode, encode, MAX_EVIDENCE } from '../../src/evidence';
import type { Outcome } from '../../src/types';

const UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const OUTCOMES: Outcome[] = [
  { id: 'int_1', partner: 'northwind-analytics', status: 'loaded', reason: '' },
  {
    id: 'int_2',
    partner: 'bluejay-ads',
    status: 'blocked-csp',
    reason: 'script-src: add https://tags.bluejay.example',
    warnings: ['img-src: add https://px.bluejay.example'],
  },
];

describe('encode (the preview panel)', () => {
  it('round-trips through decode, the page URL without the token, nonces left out', () => {
    const body = encode(
      'https://shop.example/cart?x=1&utt-preview=AbC.4102444800000.sIg#top',
      UA,
      ["script-src 'nonce-r4nd0m' 'self'", "script-src 'nonce-0th3r' 'self'"],
      ["default-src 'self'"],
      OUTCOMES,
    );
    expect(body).not.toContain('AbC.4102444800000');
    expect(body).not.toContain('r4nd0m');
    expect(decode(body, 10)).toEqual({
      url: 'https://shop.example/cart?x=1',
      engine: 'gecko',
      // The same policy under two responses' nonces is one policy.
      csp: { header: ["script-src 'nonce-…' 'self'"], meta: ["default-src 'self'"] },
      outcomes: [
        ['int_1', 'northwind-analytics', 'loaded', '', []],
        [
          'int_2',
          'bluejay-ads',
          'blocked-csp',
          'script-src: add https://tags.bluejay.example',
          ['img-src: add https://px.bluejay.example'],
        ],
      ],
    });
  });
});

describe('decode (the hub)', () => {
  const good = {
    url: 'https://shop.example/',
    engine: 'blink',
    csp: { header: [], meta: [] },
    outcomes: [['int_1', 'northwind-analytics', 'loaded', '', []]],
  };
  const with_ = (patch: Record<string, unknown>) => JSON.stringify({ ...good, ...patch });

  it('accepts the good one', () => expect(decode(JSON.stringify(good), 5)).toEqual(good));

  it.each([
    ['too large', 'x'.repeat(MAX_EVIDENCE + 1), 'too-large'],
    ['not JSON', '{', 'json'],
    ['an array', '[]', 'json'],
    ['a page that is no http URL', with_({ url: 'javascript:alert(1)' }), 'url'],
    ['an unknown engine', with_({ engine: 'trident' }), 'engine'],
    ['a policy that is no string', with_({ csp: { header: [1], meta: [] } }), 'csp'],
    ['no csp', with_({ csp: undefined }), 'csp'],
    ['too many integrations', with_({ outcomes: Array(6).fill(good.outcomes[0]) }), 'outcomes'],
    ['an id twice', with_({ outcomes: [good.outcomes[0], good.outcomes[0]] }), 'id'],
    ['an unknown status', with_({ outcomes: [['int_1', 'x', 'pwned', '', []]] }), 'status'],
    ['fixes that are no list', with_({ outcomes: [['int_1', 'x', 'loaded', '', 'add *']] }), 'fixes'],
    ['a reason over 200 characters', with_({ outcomes: [['int_1', 'x', 'loaded', 'r'.repeat(201), []]] }), 'reason'],
  ])('refuses %s', (_, body, why) => expect(decode(body, 5)).toBe(why));

  it('reads no field from a polluted prototype', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.url = good.url;
    try {
      expect(decode(JSON.stringify({ ...good, url: undefined }), 5)).toBe('url');
    } finally {
      delete proto.url;
    }
  });
});
