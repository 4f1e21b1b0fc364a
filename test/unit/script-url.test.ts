import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadRegistry } from '../../build/registry.mjs';
import { scriptURL } from '../../src/script-url';

const { entries } = loadRegistry();
const templates = entries.map(({ entry }) => entry.script as string);

// What a template allows: its origin, and its text up to the first placeholder.
const inside = (url: string, template: string) => {
  const t = new URL(template.replace(/\{\w+\}/g, 'x'));
  const u = new URL(url);
  return u.origin === t.origin && url.startsWith(template.split('{')[0]) && !u.hash && u.href === url;
};

const hostile = fc.oneof(
  fc.constantFrom(
    '..',
    '.',
    '../../evil.js',
    '%2e%2e',
    '%2E%2E%2Fevil',
    '..%2F..%2Fevil',
    '?x=1',
    '#frag',
    '//evil.example/x.js',
    '@evil.example',
    'a/b',
    'a\\b',
    '%2F',
    ' ',
    '\u0000',
    '\u202e',
    'ａ/ｂ',
    '\ud800',
    'x'.repeat(5000),
  ),
  fc.string({ unit: fc.constantFrom(...'./\\?#@%:2eEfF;=&+ \t\n'.split('')), maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
);

describe('scriptURL', () => {
  it('substitutes encoded values into the template', () => {
    expect(scriptURL('https://cdn.p.example/t/{a}.js?k={b}', { a: 'x y', b: "a&b=c!'()*" })).toBe(
      'https://cdn.p.example/t/x%20y.js?k=a%26b%3Dc%21%27%28%29%2A',
    );
  });

  it('refuses values that would leave the template path', () => {
    expect(scriptURL('https://cdn.p.example/t/{a}/x.js', { a: '..' })).toBeUndefined();
    expect(scriptURL('https://cdn.p.example/t/{a}/x.js', { a: '.' })).toBeUndefined();
    expect(scriptURL('https://cdn.p.example/t/{a}/x.js', { a: '%2e%2e' })).toBe(
      'https://cdn.p.example/t/%252e%252e/x.js',
    );
    expect(scriptURL('https://cdn.p.example/t/{a}', { a: '\ud800' })).toBeUndefined();
  });

  it('never yields a URL outside the origin and template path, whatever the values (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...templates),
        fc.array(hostile, { minLength: 2, maxLength: 2 }),
        (template, [a, b]) => {
          const names = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
          const values = Object.fromEntries(names.map((n, i) => [n, i % 2 ? b : a]));
          const url = scriptURL(template, values);
          if (url !== undefined) expect(inside(url, template)).toBe(true);
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it('also holds for templates with a placeholder as a whole path segment', () => {
    const template = 'https://cdn.p.example/v1/{a}/{b}.js';
    fc.assert(
      fc.property(hostile, hostile, (a, b) => {
        const url = scriptURL(template, { a, b });
        if (url !== undefined) {
          expect(inside(url, template)).toBe(true);
          expect(new URL(url).pathname.split('/').length).toBe(4);
        }
      }),
      { numRuns: 20_000 },
    );
  });
});
