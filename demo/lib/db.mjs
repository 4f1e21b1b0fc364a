// The hub's database: Postgres, the same SQL and migrations either way.
// With DATABASE_URL, a real server through `pg`; without, PGlite (Postgres
// compiled to WASM, in-process) in a folder, so `npm run demo` needs no set-up.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), '..', 'migrations');

/**
 * @typedef {{ query: (sql: string, params?: unknown[]) => Promise<{ rows: any[] }> }} Queryable
 * @typedef {Queryable & {
 *   kind: 'pglite' | 'postgres',
 *   transaction: <T>(fn: (tx: Queryable) => Promise<T>) => Promise<T>,
 *   close: () => Promise<void>,
 * }} Database
 */

/** A real Postgres server: a pool of connections, a transaction on one of them. */
async function postgres(url) {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  // A connection the server drops (a restart) is replaced on the next query; the error must not crash the demo.
  pool.on('error', () => {});
  /** @type {Database} */
  const db = {
    kind: 'postgres',
    query: (sql, params) => pool.query(sql, params),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await fn({ query: (sql, params) => client.query(sql, params) });
        await client.query('commit');
        return result;
      } catch (err) {
        await client.query('rollback').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
  return db;
}

/** PGlite in `dir`: one connection, whose transactions run one at a time. */
async function pglite(dir) {
  const { PGlite } = await import('@electric-sql/pglite');
  mkdirSync(dir, { recursive: true });
  const pg = await PGlite.create(dir);
  /** @type {Database} */
  const db = {
    kind: 'pglite',
    query: (sql, params) => pg.query(sql, params),
    transaction: (fn) => pg.transaction((tx) => fn({ query: (sql, params) => tx.query(sql, params) })),
    close: () => pg.close(),
  };
  return db;
}

/** Applies demo/migrations/*.sql not yet applied, in name order, each in its own transaction. */
async function migrate(db) {
  await db.query(
    'create table if not exists migrations (name text primary key, applied_at timestamptz not null default now())',
  );
  for (const name of readdirSync(MIGRATIONS)
    .filter((f) => f.endsWith('.sql'))
    .sort())
    await db.transaction(async (tx) => {
      // Two servers starting on one database: the second waits, then finds the migration applied.
      await tx.query('select pg_advisory_xact_lock(7283)');
      if ((await tx.query('select 1 from migrations where name = $1', [name])).rows.length) return;
      for (const statement of readFileSync(join(MIGRATIONS, name), 'utf8').split(/;\s*$/m))
        if (statement.replace(/--.*$/gm, '').trim()) await tx.query(statement);
      await tx.query('insert into migrations (name) values ($1)', [name]);
    });
}

/** The database at `url` (postgres://…), or else PGlite in `dir`, migrated. */
export async function openDatabase({ url, dir }) {
  const db = url ? await postgres(url) : await pglite(dir);
  try {
    await migrate(db);
  } catch (err) {
    await db.close().catch(() => {});
    throw err;
  }
  return db;
}
