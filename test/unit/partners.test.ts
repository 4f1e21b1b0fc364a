// Every registry entry is tested here, with no test code from the partner
// engineer: it passes utt check (its examples validate and build a script URL
// inside its template: build/registry/checks.mjs), built-in counter-examples
// fail, the CSP sources a merchant must add allow what it loads, and the
// entry's cost in dist/utt.js is measured.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { marginalBytes } from '../../build/marginal.mjs';
import { BYTES_SLACK, partnersDoc } from '../../build/partners-doc.mjs';
import { compileIdentifier, errorsOf, formatProblems, loadRegistry, PARTNERS_DIR } from '../../build/registry.mjs';
import { check } from '../../src/csp/check';
import { parsePolicy } from '../../src/csp/parse';
import { checkIdentifier, MAX_VALUE } from '../../src/identifiers';
import { scriptURL } from '../../src/script-url';

const { entries, problems } = loadRegistry();
const HOSTILE = [
  '../x',
  '..',
  '%2F..%2F',
  '<script>',
  '"',
  "'",
  ' ',
  'a b',
  'a\nb',
  'a/b',
  'a?b=1',
  'a#b',
  '@evil.example',
  '\u0000',
  '\u202e',
];

describe.each(entries.map(({ entry }) => [entry.key, entry]))('partner %s', (_, entry: any) => {
  const specs = Object.entries(entry.identifiers).map(
    ([name, schema]: [string, any]) => [name, schema, compileIdentifier(name, schema)] as const,
  );
  const examples = Object.fromEntries(
    specs.map(([name, , spec]) => [name, checkIdentifier(spec, entry.identifiers[name].example)[0]!]),
  );

  it.each(specs.map(([name, schema, spec]) => [name, schema, spec]))(
    'identifier %s: built-in counter-examples fail',
    (_n, schema: any, spec) => {
      // Empty and absent (fine for an optional identifier: it has no value then), the wrong shape, too long, hostile.
      const bad: unknown[] = [{}, [], 'x'.repeat(Math.max(schema.maxLength ?? 0, MAX_VALUE) + 1)];
      for (const value of ['', null])
        expect(checkIdentifier(spec, value)).toEqual(schema.optional ? [] : [undefined, 'missing']);
      bad.push(...HOSTILE);
      if (schema.type === 'integer') bad.push('abc', 1.5, '1e3', -0.5);
      else bad.push(12345);
      if (schema.format === 'uuid') bad.push('3f2c8a1e9b7d4c5e8f102a6b4d9e7c31', 'not-a-uuid');
      if (schema.format === 'hostname') bad.push('-bad.example', 'a..b', `${'x'.repeat(64)}.example`);
      for (const value of bad) expect(checkIdentifier(spec, value)[1], JSON.stringify(value).slice(0, 40)).toBeTruthy();
    },
  );

  it('names the CSP sources a merchant adds, and they allow what it loads', () => {
    const sources = Object.entries(entry.csp).map(([d, list]: [string, any]) => `${d} ${list.join(' ')}`);
    expect(sources.length).toBeGreaterThan(0);
    const policy = parsePolicy(`default-src 'none'; ${sources.join('; ')}`);
    const self = new URL('https://shop.example');
    expect(
      check([policy], [], { url: new URL(scriptURL(entry.script, examples)!), type: 'script', self }).verdict,
    ).toBe('allow');
    for (const type of ['connect', 'img', 'frame'] as const)
      for (const source of entry.csp[`${type}-src`] || [])
        expect(check([policy], [], { url: new URL(`${source.replace('*', 'x')}/p`), type, self }).verdict).toBe(
          'allow',
        );
  });
});

describe('the registry as a whole', () => {
  it('every file in partners/ passes utt check: an entry with an error is never silently left out of the tests above', () => {
    // loadRegistry drops an entry with an error (the build refuses it); here that is a failure, not a missing row.
    expect(formatProblems(errorsOf(problems))).toBe('');
    const files = readdirSync(PARTNERS_DIR)
      .filter((f) => f.endsWith('.json') && f !== 'schema.json')
      .map((f) => f.replace(/\.json$/, ''));
    expect(entries.map(({ entry }) => entry.key).sort()).toEqual(files.sort());
  });

  it('a typical entry adds at most 110 B brotli to dist/utt.js, none more than 125 B; one with a setup block (and events) at most 180 B', () => {
    expect(existsSync('dist/utt.js'), 'run npm run build first').toBe(true);
    const marginal = marginalBytes(entries.map(({ entry }) => entry.key));
    const plain = entries.filter(({ entry }) => !entry.setup).map(({ entry }) => marginal[entry.key]);
    const withSetup = entries.filter(({ entry }) => entry.setup).map(({ entry }) => marginal[entry.key]);
    plain.sort((a, b) => a - b);
    // Every field of the wire form is written, null where absent (src/partner.ts): no read is inherited.
    expect(plain[Math.floor(plain.length / 2)]).toBeLessThanOrEqual(110);
    expect(plain[plain.length - 1]).toBeLessThanOrEqual(125);
    expect(withSetup.length).toBeGreaterThanOrEqual(5);
    // The largest: TikTok's events block, and the Google tag's Consent Mode v2 (a default and an update of four states).
    for (const { entry } of entries.filter((e) => e.entry.setup))
      expect(marginal[entry.key], entry.key).toBeLessThanOrEqual(180);
  });

  it('partners/README.md is up to date (npm run registry:docs)', () => {
    const written = readFileSync('partners/README.md', 'utf8');
    const fresh = partnersDoc();
    // The bytes move a little with any change to the runtime: within 10 B they are still true.
    const bytes = (text: string) => [...text.matchAll(/≈(\d+) B/g)].map((m) => Number(m[1]));
    const skeleton = (text: string) => text.replace(/≈\d+ B/g, '≈? B');
    expect(skeleton(written)).toBe(skeleton(fresh));
    const now = bytes(fresh);
    bytes(written).forEach((b, i) => {
      expect(Math.abs(b - now[i])).toBeLessThanOrEqual(BYTES_SLACK);
    });
  });

  it("partners/README.md keeps a partner's written bytes while the measure stays within the slack", () => {
    const bytes = (text: string) => [...text.matchAll(/≈(\d+) B/g)].map((m) => Number(m[1]));
    const keys = entries.map(({ entry }) => entry.key).sort();
    const measured = bytes(partnersDoc());
    const near = Object.fromEntries(keys.map((k, i) => [k, measured[i] + 3]));
    const far = Object.fromEntries(keys.map((k, i) => [k, measured[i] + BYTES_SLACK + 5]));
    expect(bytes(partnersDoc(undefined, near))).toEqual(measured.map((b) => b + 3));
    expect(bytes(partnersDoc(undefined, far))).toEqual(measured);
  });
});
