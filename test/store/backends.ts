// Where a store test keeps its data: a new PGlite folder, or a new database on
// the suite's Postgres server (setup.ts). The same tests run on both.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';

export const BACKENDS = ['pglite', 'postgres'] as const;

let made = 0;

/** A state folder, and for Postgres the URL of a database of its own. */
export async function fresh(kind: (typeof BACKENDS)[number]): Promise<{ dir: string; url?: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'utt-store-'));
  if (kind === 'pglite') return { dir };
  const admin = new pg.Client({ connectionString: inject('postgres') });
  await admin.connect();
  const name = `utt_${process.pid}_${++made}`;
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(inject('postgres'));
  url.pathname = `/${name}`;
  return { dir, url: url.href };
}
