// What changed between two manifests, as the hub shows two versions side by
// side: integrations added, removed, and per integration its identifiers,
// status, partner or load timing.
import { isDeepStrictEqual } from 'node:util';

/**
 * @param {{ integrations: any[] }} from
 * @param {{ integrations: any[] }} to
 */
export function diffManifests(from, to) {
  const before = new Map(from.integrations.map((i) => [i.id, i]));
  const after = new Map(to.integrations.map((i) => [i.id, i]));
  const changed = [];
  for (const [id, b] of after) {
    const a = before.get(id);
    if (!a) continue;
    const fields = ['partner', 'status', 'identifiers', 'load'].filter(
      // By value: Postgres' jsonb keeps an object's keys in an order of its own.
      (f) => !isDeepStrictEqual(a[f] ?? null, b[f] ?? null),
    );
    if (fields.length) changed.push({ id, ...Object.fromEntries(fields.map((f) => [f, { from: a[f], to: b[f] }])) });
  }
  return {
    added: to.integrations.filter((i) => !before.has(i.id)),
    removed: from.integrations.filter((i) => !after.has(i.id)),
    changed,
  };
}
