// A registry entry that builds, and a registry loaded from a fresh folder:
// the starting point of the tests that break one thing at a time.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRegistry } from '../../build/registry.mjs';

export const good = () => ({
  $schema: './schema.json',
  key: 'acme',
  name: 'Acme',
  contact: 'dev@acme.example',
  identifiers: { site: { type: 'string', pattern: '^[a-z]+$', label: 'Site', example: 'shop' } },
  script: 'https://cdn.acme.example/t/{site}.js',
  csp: { 'script-src': ['https://cdn.acme.example'] },
});

/** Loads a registry made of these entries (file name → entry) from a fresh folder. */
export function load(files: Record<string, unknown>, more: Record<string, unknown> = {}) {
  const dirs = [mkdtempSync(join(tmpdir(), 'utt-reg-'))];
  for (const [name, entry] of Object.entries(files)) writeFileSync(join(dirs[0], name), JSON.stringify(entry));
  if (Object.keys(more).length) {
    dirs.push(join(dirs[0], 'more'));
    mkdirSync(dirs[1]);
    for (const [name, entry] of Object.entries(more)) writeFileSync(join(dirs[1], name), JSON.stringify(entry));
  }
  return loadRegistry({ dirs, only: '' });
}
