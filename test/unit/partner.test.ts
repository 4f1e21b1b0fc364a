// The partner codec (src/partner.ts): what the build encodes, the runtime decodes, field for field.
import { describe, expect, it } from 'vitest';
import { compileEntry, loadRegistry } from '../../build/registry.mjs';
import type { Partner } from '../../src/compiled';
import { decode, decodeId, encode, encodeId, FIELDS, type WireEntry } from '../../src/partner';

/** A registry entry read back as lookup() reads it. */
const read = ([script, ids, wire]: WireEntry) => decode(script, ids.map(decodeId), wire);

const { entries } = loadRegistry({ only: '' });

describe('the partner codec', () => {
  it.each(entries.map(({ entry }: any) => [entry.key, entry]))('%s round-trips', (_, entry) => {
    const partner = compileEntry(entry) as Partner;
    // Optional identifiers travel with the events mappings that name them, not with the partner.
    expect(read(encode(partner))).toEqual({ ...partner, _ids: partner._ids.filter((i) => !i._optional) });
  });

  it("an events mapping's optional identifiers round-trip in their wire form", () => {
    for (const { entry } of entries as any[])
      for (const id of (compileEntry(entry) as Partner)._ids.filter((i) => i._optional)) {
        const { _optional, ...schema } = id;
        expect(decodeId(encodeId(id))).toEqual(schema);
      }
  });

  it('writes every field, null where absent, so no read reaches an inherited index; the last, events, only when present', () => {
    for (const { entry } of entries as any[]) {
      const [, ids, wire] = encode(compileEntry(entry) as Partner);
      // A partner without an events block costs a tag no byte: its wire form ends before that field.
      expect(wire.length).toBe(entry.events ? FIELDS.length : FIELDS.length - 1);
      expect(wire.every((v) => v !== undefined)).toBe(true);
      for (const id of ids) expect(id.length === 5 && id.every((v) => v !== undefined)).toBe(true);
    }
  });

  it('FIELDS names each slot of the wire form', () => {
    // A distinct value in each field: the slot FIELDS names for it must hold it.
    const partner: Partner = {
      _script: 's',
      _ids: [],
      _integrity: 'integrity',
      _crossorigin: 'crossorigin',
      _needs: [['img', 'needs']],
      _consent: { _cats: 3, _sale: 1, _tcf: [9, 9, 9] },
      _setup: [[['setup', 1]]],
      _load: 2,
      ev: [['purchase', [['q', '', []]], 0, null]],
    };
    const expected: Record<(typeof FIELDS)[number], unknown> = {
      integrity: 'integrity',
      crossorigin: 'crossorigin',
      needs: [['img', 'needs']],
      cats: 3,
      sale: 1,
      tcf: [9, 9, 9],
      setup: [[['setup', 1]]],
      load: 2,
      events: [['purchase', [['q', '', []]], 0, null]],
    };
    const [, , wire] = encode(partner);
    for (const name of FIELDS) expect(wire[FIELDS.indexOf(name)], name).toEqual(expected[name]);
  });
});
