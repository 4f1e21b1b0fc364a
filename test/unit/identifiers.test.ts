import Ajv from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formats } from '../../build/formats.mjs';
import { compileIdentifier, loadRegistry } from '../../build/registry.mjs';
import { validate } from '../../build/validate.mjs';
import { checkIdentifier, MAX_VALUE } from '../../src/identifiers';

const rule = (schema: object, value: unknown) => checkIdentifier(compileIdentifier('x', schema), value)[1];

describe('checkIdentifier', () => {
  it('reports a missing value', () => {
    for (const v of [undefined, null, '']) expect(rule({ type: 'string' }, v)).toBe('missing');
  });

  it('an optional identifier may be absent or empty, and must match when given', () => {
    const spec = compileIdentifier('n', { type: 'integer', minimum: 1, optional: true });
    for (const v of [undefined, null, '']) expect(checkIdentifier(spec, v)).toEqual([]);
    expect(checkIdentifier(spec, '12')).toEqual(['12']);
    expect(checkIdentifier(spec, 0)[1]).toBe('minimum');
    expect(checkIdentifier(spec, 'x')[1]).toBe('type');
  });

  it('the hub, the CLI and /api/validate (build/validate.mjs) take an optional identifier as the runtime does', () => {
    const { entries } = loadRegistry({ only: '' });
    const linkedin = entries.find(({ entry }) => entry.key === 'linkedin-insight')!.entry;
    for (const empty of [{}, { purchaseConversionId: '' }])
      expect(validate(linkedin, { partnerId: '123456', ...empty })).toMatchObject({
        ok: true,
        values: { partnerId: '123456' },
      });
    expect(validate(linkedin, { partnerId: '123456', purchaseConversionId: '0042' }).values).toEqual({
      partnerId: '123456',
      purchaseConversionId: 42,
    });
    expect(validate(linkedin, { partnerId: '123456', purchaseConversionId: 'abc' })).toMatchObject({
      ok: false,
      rules: { purchaseConversionId: 'type' },
    });
    // A required one stays required.
    expect(validate(linkedin, { purchaseConversionId: 42 }).rules).toEqual({ partnerId: 'missing' });
  });

  it('checks type', () => {
    expect(rule({ type: 'string' }, 5)).toBe('type');
    expect(rule({ type: 'string' }, {})).toBe('type');
    expect(rule({ type: 'integer' }, 1.5)).toBe('type');
    expect(rule({ type: 'integer' }, '12a')).toBe('type');
    expect(rule({ type: 'integer' }, 2 ** 60)).toBe('type');
    expect(rule({ type: 'integer' }, [1])).toBe('type');
  });

  it('accepts integers as numbers or digit strings, canonicalised', () => {
    const spec = compileIdentifier('n', { type: 'integer' });
    expect(checkIdentifier(spec, 42)).toEqual(['42']);
    expect(checkIdentifier(spec, '0042')).toEqual(['42']);
    expect(checkIdentifier(spec, -7)).toEqual(['-7']);
  });

  it('checks minimum and maximum', () => {
    const s = { type: 'integer', minimum: 10, maximum: 20 };
    expect(rule(s, 9)).toBe('minimum');
    expect(rule(s, 21)).toBe('maximum');
    expect(rule(s, 10)).toBeUndefined();
    expect(rule(s, '20')).toBeUndefined();
  });

  it('counts string length in code points, as JSON Schema does', () => {
    const s = { type: 'string', minLength: 2, maxLength: 2 };
    expect(rule(s, '😀😀')).toBeUndefined();
    expect(rule(s, 'a')).toBe('minLength');
    expect(rule(s, 'abc')).toBe('maxLength');
  });

  it('caps every string at MAX_VALUE units whatever the schema says', () => {
    expect(rule({ type: 'string' }, 'a'.repeat(MAX_VALUE))).toBeUndefined();
    expect(rule({ type: 'string' }, 'a'.repeat(MAX_VALUE + 1))).toBe('maxLength');
  });

  it('checks pattern (unanchored), enum and formats', () => {
    expect(rule({ type: 'string', pattern: 'b' }, 'abc')).toBeUndefined();
    expect(rule({ type: 'string', pattern: '^b' }, 'abc')).toBe('pattern');
    expect(rule({ type: 'string', enum: ['eu', 'us'] }, 'eu')).toBeUndefined();
    expect(rule({ type: 'string', enum: ['eu', 'us'] }, 'eux')).toBe('enum');
    expect(rule({ type: 'string', enum: ['a.b'] }, 'axb')).toBe('enum');
    expect(rule({ type: 'integer', enum: [1, 2] }, '2')).toBeUndefined();
    expect(rule({ type: 'integer', enum: [1, 2] }, 3)).toBe('enum');
    expect(rule({ type: 'string', format: 'hostname' }, 'shop.example.com')).toBeUndefined();
    expect(rule({ type: 'string', format: 'hostname' }, 'shop..example')).toBe('format');
    expect(rule({ type: 'string', format: 'hostname' }, '-shop.example')).toBe('format');
    expect(rule({ type: 'string', format: 'hostname' }, 'a/b')).toBe('format');
    expect(rule({ type: 'string', format: 'uuid' }, '3f2c8a1e-9b7d-4c5e-8f10-2a6b4d9e7c31')).toBeUndefined();
    expect(rule({ type: 'string', format: 'uuid' }, '3f2c8a1e9b7d4c5e8f102a6b4d9e7c31')).toBe('format');
  });

  // The runtime's compiled tables must agree with a real JSON Schema validator
  // on every schema of the subset, for strings below the runtime cap.
  it('agrees with ajv on the schemas of the shipped registry and random values', () => {
    const ajv = new Ajv({ allowUnionTypes: true });
    for (const [name, source] of Object.entries(formats)) ajv.addFormat(name, new RegExp(source, 'u'));
    const { entries } = loadRegistry();
    const schemas = entries.flatMap(({ entry }) => Object.values(entry.identifiers) as Record<string, unknown>[]);
    schemas.push({ type: 'string', minLength: 2, maxLength: 5 }, { type: 'string', pattern: '^[a-c]+$' });
    for (const schema of schemas) {
      const { label, description, example, optional, ...subset } = schema;
      const ajvCheck = ajv.compile(subset);
      const spec = compileIdentifier('x', schema);
      const values = fc.oneof(
        fc.string({ maxLength: 40 }),
        fc.string({ unit: fc.constantFrom(...'abc-.0123456789lcLC_XYZ'.split('')), maxLength: 40 }),
        fc.integer({ min: -10, max: 1e9 }),
        fc.constantFrom(example, String(example), `${example}x`),
      );
      fc.assert(
        fc.property(values, (v) => {
          fc.pre(v !== '');
          // ajv sees integers as numbers; the runtime also takes their digit strings.
          const asAjv = schema.type === 'integer' && typeof v === 'string' && /^-?\d{1,15}$/.test(v) ? Number(v) : v;
          expect(!checkIdentifier(spec, v)[1]).toBe(ajvCheck(asAjv));
        }),
        { numRuns: 2000 },
      );
    }
  });
});
