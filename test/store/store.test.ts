// The hub's store (demo/lib/store.mjs) on both databases it runs on: PGlite in
// a folder, and a real Postgres server (setup.ts). Same SQL, same migrations.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../demo/lib/db.mjs';
import { message } from '../../demo/lib/outbox.mjs';
import { createStore } from '../../demo/lib/store.mjs';
import { BACKENDS, fresh } from './backends';

const SAMPLE = 'demo/sample-manifest.json';
const sample = JSON.parse(readFileSync(SAMPLE, 'utf8'));

describe.each(BACKENDS)('the hub store on %s', (kind) => {
  let db: Awaited<ReturnType<typeof openDatabase>>;
  let where: { dir: string; url?: string };
  let accounts = 0;
  /** A new account in the shared database: each test has its own. */
  const store = (legacy?: string) => createStore(db, { account: `T${++accounts}`, sample: SAMPLE, legacy });

  beforeAll(async () => {
    where = await fresh(kind);
    db = await openDatabase({ url: where.url, dir: join(where.dir, 'pglite') });
    expect(db.kind).toBe(kind);
  });
  afterAll(() => db?.close());

  it("starts from the sample, and serves it as the runtime's manifest", async () => {
    const s = await store();
    const manifest = await s.manifest();
    expect(manifest.integrations).toEqual(sample.integrations);
    expect(manifest).toMatchObject({ version: 1, account: `T${accounts}` });
  });

  it('a change that throws saves nothing: not the manifest, not its records, not the id it took', async () => {
    const s = await store();
    const before = await s.manifest();
    await expect(
      s.update(async (m: any, tx: any) => {
        const id = await tx.nextId();
        m.integrations.push({ id, partner: 'orbit-reviews', status: 'disabled', identifiers: {} });
        m.integrations.shift();
        await tx.record(id, 'created');
        await tx.mail(message({ to: 'x <x@x.example>', subject: 's', body: 'b' }));
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await s.manifest()).toEqual(before);
    expect(await s.histories()).toEqual({});
    expect(await s.mails()).toEqual([]);
    expect(await s.update((_m: any, tx: any) => tx.nextId())).toBe('int_6');
  });

  it('50 concurrent changes: each one kept, each with its own id; a removed id is never handed out again', async () => {
    const s = await store();
    const ids = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        s.update(async (m: any, tx: any) => {
          const id = await tx.nextId();
          m.integrations.push({
            id,
            partner: 'northwind-analytics',
            status: 'disabled',
            identifiers: { domain: `s${i}.example` },
          });
          await tx.record(id, 'created');
          return id;
        }),
      ),
    );
    expect(new Set(ids).size).toBe(50);
    const { integrations } = await s.manifest();
    expect(integrations.length).toBe(5 + 50);
    expect(
      integrations
        .slice(5)
        .map((i: any) => i.id)
        .sort(),
    ).toEqual([...ids].sort());
    expect(Object.keys(await s.histories()).sort()).toEqual([...ids].sort());
    await s.update((m: any) => {
      m.integrations = m.integrations.filter((i: any) => i.id !== 'int_55');
    });
    expect(await s.update((_m: any, tx: any) => tx.nextId())).toBe('int_56');
  });

  it('50 concurrent changes of one integration run one after another: none is lost', async () => {
    const s = await store();
    // Each reads the count and writes it plus one: two that ran side by side would write the same count.
    await Promise.all(
      Array.from({ length: 50 }, () =>
        s.update((m: any) => {
          const ids = m.integrations[0].identifiers;
          ids.count = (ids.count ?? 0) + 1;
        }),
      ),
    );
    expect((await s.manifest()).integrations[0].identifiers.count).toBe(50);
  });

  it('an edit, a move and a removal are written as they are read back', async () => {
    const s = await store();
    await s.update((m: any) => {
      const [first] = m.integrations.splice(0, 1);
      m.integrations.push({ ...first, status: 'disabled', load: 'idle', identifiers: { domain: 'other.example' } });
      m.integrations.splice(1, 1);
    });
    const expected = structuredClone(sample.integrations);
    const [first] = expected.splice(0, 1);
    expected.push({ ...first, status: 'disabled', load: 'idle', identifiers: { domain: 'other.example' } });
    expected.splice(1, 1);
    expect((await s.manifest()).integrations).toEqual(expected);
    await s.reset();
    expect((await s.manifest()).integrations).toEqual(sample.integrations);
  });

  it("keeps the history, the merchant page's outcomes, the site's preset and the outbox", async () => {
    const s = await store();
    await s.record('int_1', 'published');
    await s.record('int_1', 'verified', 'site CSP (none): pass');
    await s.outcomes([
      { id: 'int_1', status: 'loaded' },
      { id: 'int_2', status: 'blocked-csp', reason: 'script-src' },
      null,
      { id: 3 },
    ]);
    await s.outcomes([{ id: 'int_1', status: 'failed', reason: 'network' }]);
    await s.setPreset('allowlist');
    const m = message({ to: 'Bluejay Ads <partners@bluejay.example>', subject: 'New', body: 'Hello\nthere' });
    await s.mail(m);
    const history = await s.histories();
    expect(history.int_1.map((h: any) => [h.event, h.detail])).toEqual([
      ['published', undefined],
      ['verified', 'site CSP (none): pass'],
    ]);
    expect(new Date(history.int_1[0].at).toISOString()).toBe(history.int_1[0].at);
    const last = await s.lastOutcomes();
    expect(Object.keys(last).sort()).toEqual(['int_1', 'int_2']);
    expect(last.int_1).toMatchObject({ status: 'failed', reason: 'network' });
    expect(last.int_2).toMatchObject({ status: 'blocked-csp', reason: 'script-src' });
    expect(await s.preset()).toBe('allowlist');
    expect(await s.mails()).toEqual([{ file: m.file, to: m.to, subject: 'New', date: m.date, raw: m.raw }]);
    // Everything back to a new account's, but the outbox.
    await s.resetAll();
    expect([await s.histories(), await s.lastOutcomes(), await s.preset()]).toEqual([{}, {}, 'none']);
    expect((await s.mails()).length).toBe(1);
    expect(await s.update((_m: any, tx: any) => tx.nextId())).toBe('int_6');
  });

  it("imports an earlier demo's JSON state once, into a new account", async () => {
    const legacy = join(where.dir, 'legacy');
    mkdirSync(join(legacy, 'outbox'), { recursive: true });
    const account = `T${accounts + 1}`;
    const manifest = { version: 1, account, integrations: sample.integrations.slice(0, 2) };
    writeFileSync(join(legacy, `${account}.json`), JSON.stringify(manifest));
    const at = '2026-11-30T10:00:00.000Z';
    writeFileSync(
      join(legacy, 'hub.json'),
      JSON.stringify({
        nextId: 9,
        history: { int_1: [{ at, event: 'published' }] },
        outcomes: { int_2: { status: 'loaded', reason: '', at } },
        preset: 'strict',
      }),
    );
    const m = message({ to: 'A <a@a.example>', subject: 'Old mail', body: 'b' });
    writeFileSync(join(legacy, 'outbox', m.file), m.raw);
    const s = await store(legacy);
    expect(await s.manifest()).toEqual(manifest);
    expect(await s.histories()).toEqual({ int_1: [{ at, event: 'published' }] });
    expect(await s.lastOutcomes()).toEqual({ int_2: { status: 'loaded', reason: '', at } });
    expect(await s.preset()).toBe('strict');
    expect(await s.mails()).toEqual([{ file: m.file, to: m.to, subject: 'Old mail', date: m.date, raw: m.raw }]);
    expect(await s.update((_m: any, tx: any) => tx.nextId())).toBe('int_9');
    // Opened again: the account exists, nothing is imported twice.
    const again = await createStore(db, { account, sample: SAMPLE, legacy });
    expect((await again.mails()).length).toBe(1);
    expect((await again.manifest()).integrations.length).toBe(2);
  });

  it('a change can publish its manifest as a version: numbered in order, with who, why and the evidence; never changed', async () => {
    const s = await store();
    await s.update((m: any, tx: any) => {
      m.integrations[3].status = 'enabled';
      tx.version({ by: 'qa@acme.example', note: 'published int_4', evidence: { int_4: { csp: 'pass' } }, tag: 'abc' });
    });
    await s.update((m: any) => {
      m.integrations.pop();
    });
    await s.update((m: any, tx: any) => {
      m.integrations[0].status = 'disabled';
      tx.version({ by: 'qa@acme.example' });
    });
    const list = await s.versions();
    expect(list.map((v: any) => [v.number, v.by, v.note, v.tag])).toEqual([
      [2, 'qa@acme.example', '', ''],
      [1, 'qa@acme.example', 'published int_4', 'abc'],
    ]);
    expect(list[1].evidence).toEqual({ int_4: { csp: 'pass' } });
    const one = await s.version(1);
    expect(one.manifest.integrations.map((i: any) => i.status)).toEqual([
      'enabled',
      'enabled',
      'enabled',
      'enabled',
      'enabled',
    ]);
    expect((await s.version(2)).manifest).toEqual(await s.manifest());
    expect(await s.version(3)).toBeUndefined();
    await expect(db.query("update versions set note = 'rewritten'")).rejects.toThrow(/versions are immutable/);
    await expect(db.query('delete from versions')).rejects.toThrow(/versions are immutable/);
  });

  it('applies each migration once, however often the database is opened', async () => {
    const files = readdirSync('demo/migrations').filter((f) => f.endsWith('.sql'));
    // PGlite's folder has one user at a time: close it, then open it twice in turn.
    await db.close();
    for (let i = 0; i < 2; i++) {
      db = await openDatabase({ url: where.url, dir: join(where.dir, 'pglite') });
      const { rows } = await db.query('select name from migrations order by name');
      expect(rows.map((r: any) => r.name)).toEqual(files.sort());
      if (i === 0) await db.close();
    }
    // The schema is there, the versions, health and preview tables included.
    const { rows } = await db.query(
      "select table_name from information_schema.tables where table_schema = 'public' order by table_name",
    );
    expect(rows.map((r: any) => r.table_name)).toEqual([
      'accounts',
      'health',
      'health_alerts',
      'health_refused',
      'history',
      'hub_secrets',
      'integrations',
      'migrations',
      'outbox',
      'outcomes',
      'preview_evidence',
      'preview_refused',
      'previews',
      'versions',
    ]);
  });
});
