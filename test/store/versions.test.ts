// What the hub shows between two versions (demo/lib/versions.mjs).
import { describe, expect, it } from 'vitest';
import { diffManifests } from '../../demo/lib/versions.mjs';

const a = { id: 'int_1', partner: 'orbit-reviews', status: 'enabled', identifiers: { storeId: 's', region: 'eu' } };
const b = { id: 'int_2', partner: 'bluejay-ads', status: 'disabled', identifiers: { accountId: 482913 } };
const c = { id: 'int_3', partner: 'lumen-chat', status: 'enabled', identifiers: { widgetKey: 'k' } };

describe('diffManifests', () => {
  it('no change: nothing added, removed or changed, whatever the order or key order', () => {
    const reordered = { ...a, identifiers: { region: 'eu', storeId: 's' } };
    expect(diffManifests({ integrations: [a, b] }, { integrations: [b, a] })).toEqual({
      added: [],
      removed: [],
      changed: [],
    });
    // Key order inside identifiers is a change of bytes, not of meaning; JSON from Postgres' jsonb may reorder keys.
    expect(diffManifests({ integrations: [a] }, { integrations: [reordered] }).changed).toEqual([]);
  });

  it('names what was added and removed, and per integration each field that changed, from and to', () => {
    const edited = { ...a, status: 'disabled', identifiers: { storeId: 't', region: 'eu' }, load: 'idle' };
    expect(diffManifests({ integrations: [a, b] }, { integrations: [edited, c] })).toEqual({
      added: [c],
      removed: [b],
      changed: [
        {
          id: 'int_1',
          status: { from: 'enabled', to: 'disabled' },
          identifiers: { from: a.identifiers, to: edited.identifiers },
          load: { from: undefined, to: 'idle' },
        },
      ],
    });
  });
});
