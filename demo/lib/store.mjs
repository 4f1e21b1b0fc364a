// The hub's records of one account, in the database (demo/lib/db.mjs): the
// published manifest (one row per integration), each integration's history,
// the merchant page's last outcomes, the site's CSP preset, the outbox. Every
// change is one transaction: a crash or a kill -9 keeps each change whole or
// not at all, and concurrent changes of the manifest run one after another
// (the account's row is locked for the duration).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The number of an id `int_<n>` (0 for any other id). */
const idNumber = (id) => Number(/^int_(\d+)$/.exec(id)?.[1] ?? 0);

/** An integration as the manifest holds it, from its row. */
const fromRow = (r) => ({
  id: r.id,
  partner: r.partner,
  status: r.status,
  identifiers: r.identifiers,
  ...(r.load != null && { load: r.load }),
});

/** A row's columns, from an integration of the manifest. */
const columns = (i, position) => [i.id, position, i.partner, i.status, i.identifiers ?? {}, i.load ?? null];

/**
 * The hub's store for `account`. `sample`: the manifest a new account starts
 * from. `legacy`: a folder where an earlier demo kept its state as JSON files
 * (<account>.json, hub.json, outbox/*.eml), imported once into a new account.
 */
export async function createStore(db, { account, sample, legacy }) {
  const sampleManifest = () => JSON.parse(readFileSync(sample, 'utf8'));

  /** The manifest's integrations, in order. */
  const integrations = async (q) =>
    (
      await q.query(
        'select id, partner, status, identifiers, load from integrations where account = $1 order by position',
        [account],
      )
    ).rows.map(fromRow);

  /** Writes `after` over `before`: deletes what went, upserts what is new, changed or moved. */
  const write = async (tx, before, after) => {
    const old = new Map(before.map((i, at) => [i.id, JSON.stringify([at, i])]));
    const gone = [...old.keys()].filter((id) => !after.some((i) => i.id === id));
    if (gone.length) await tx.query('delete from integrations where account = $1 and id = any($2)', [account, gone]);
    const changed = after.flatMap((i, at) => (old.get(i.id) === JSON.stringify([at, i]) ? [] : [columns(i, at)]));
    if (changed.length)
      // One statement for any number of rows: the rows as one JSON array.
      await tx.query(
        `insert into integrations (account, id, position, partner, status, identifiers, load)
         select $1, r->>0, (r->>1)::int, r->>2, r->>3, r->4, r->>5 from jsonb_array_elements($2::jsonb) r
         on conflict (account, id) do update set position = excluded.position, partner = excluded.partner,
           status = excluded.status, identifiers = excluded.identifiers, load = excluded.load`,
        [account, JSON.stringify(changed)],
      );
  };

  const record = (q, id, event, detail = '') =>
    q.query('insert into history (account, integration, event, detail) values ($1, $2, $3, $4)', [
      account,
      id,
      event,
      detail,
    ]);
  const mail = (q, m) =>
    q.query('insert into outbox (account, file, recipient, subject, date, raw) values ($1, $2, $3, $4, $5, $6)', [
      account,
      m.file,
      m.to,
      m.subject,
      m.date,
      m.raw,
    ]);

  /** A new account: the legacy JSON state if there is one, or the sample. */
  const create = async (tx) => {
    const file = legacy && join(legacy, `${account}.json`);
    const manifest = file && existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : sampleManifest();
    const hubFile = legacy && join(legacy, 'hub.json');
    const hub = hubFile && existsSync(hubFile) ? JSON.parse(readFileSync(hubFile, 'utf8')) : {};
    const next = Number.isInteger(hub.nextId)
      ? hub.nextId
      : 1 + Math.max(0, ...manifest.integrations.map((i) => idNumber(i.id)));
    await tx.query('insert into accounts (id, next_id, preset) values ($1, $2, $3)', [
      account,
      next,
      typeof hub.preset === 'string' ? hub.preset : 'none',
    ]);
    await write(tx, [], manifest.integrations);
    for (const [id, events] of Object.entries(hub.history ?? {}))
      for (const e of events)
        await tx.query('insert into history (account, integration, at, event, detail) values ($1, $2, $3, $4, $5)', [
          account,
          id,
          e.at,
          e.event,
          e.detail ?? '',
        ]);
    for (const [id, o] of Object.entries(hub.outcomes ?? {}))
      await tx.query('insert into outcomes (account, integration, status, reason, at) values ($1, $2, $3, $4, $5)', [
        account,
        id,
        o.status,
        o.reason ?? '',
        o.at,
      ]);
    const outbox = legacy && join(legacy, 'outbox');
    if (outbox && existsSync(outbox))
      for (const name of readdirSync(outbox)
        .filter((f) => f.endsWith('.eml'))
        .sort()) {
        const raw = readFileSync(join(outbox, name), 'utf8');
        const header = (h) => new RegExp(`^${h}: (.*)$`, 'mi').exec(raw)?.[1]?.trim() ?? '';
        await mail(tx, { file: name, to: header('To'), subject: header('Subject'), date: header('Date'), raw });
      }
  };
  await db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock(7284)');
    if (!(await tx.query('select 1 from accounts where id = $1', [account])).rows.length) await create(tx);
  });

  /** Runs `fn` in a transaction that holds the account's row: changes of the manifest run one at a time. */
  const locked = (fn) =>
    db.transaction(async (tx) => {
      await tx.query('select 1 from accounts where id = $1 for update', [account]);
      return fn(tx);
    });

  return {
    /** The published manifest, as the runtime fetches it. */
    manifest: async () => ({ version: 1, account, integrations: await integrations(db) }),
    /**
     * Applies `change(manifest, tx)` to the manifest and saves the result, in one transaction; a throw
     * saves nothing. `tx` writes the hub's records in the same transaction: `nextId()`,
     * `record(id, event, detail)`, `mail(message)` (demo/lib/outbox.mjs), and `version({ by, note, evidence,
     * tag })`: the manifest this change saves is also published as a new version.
     */
    update: (change) =>
      locked(async (tx) => {
        const before = await integrations(tx);
        const manifest = { version: 1, account, integrations: structuredClone(before) };
        /** @type {{ by: string, note?: string, evidence?: unknown, tag?: string } | undefined} */
        let published;
        const result = await change(manifest, {
          nextId: async () =>
            `int_${(await tx.query('update accounts set next_id = next_id + 1 where id = $1 returning next_id - 1 as n', [account])).rows[0].n}`,
          record: (id, event, detail) => record(tx, id, event, detail),
          mail: (m) => mail(tx, m),
          version: (meta) => {
            published = meta;
          },
        });
        await write(tx, before, manifest.integrations);
        if (published)
          await tx.query(
            `insert into versions (account, number, manifest, tag, created_by, note, evidence)
             select $1, coalesce(max(number), 0) + 1, $2::jsonb, $3, $4, $5, $6::jsonb from versions where account = $1`,
            [
              account,
              JSON.stringify(manifest),
              published.tag ?? '',
              published.by,
              published.note ?? '',
              JSON.stringify(published.evidence ?? {}),
            ],
          );
        return result;
      }),
    /** The manifest back to the sample; the hub's records stay. */
    reset: () =>
      locked(async (tx) => {
        await tx.query('delete from integrations where account = $1', [account]);
        await write(tx, [], sampleManifest().integrations);
      }),
    /** Everything back to a new account's: the sample, ids from the sample's, no history or outcomes, no CSP. */
    resetAll: () =>
      locked(async (tx) => {
        const { integrations: list } = sampleManifest();
        await tx.query('delete from integrations where account = $1', [account]);
        await tx.query('delete from history where account = $1', [account]);
        await tx.query('delete from outcomes where account = $1', [account]);
        await tx.query('update accounts set next_id = $2, preset = $3 where id = $1', [
          account,
          1 + Math.max(0, ...list.map((i) => idNumber(i.id))),
          'none',
        ]);
        await write(tx, [], list);
        return list;
      }),
    /** Adds an event to an integration's history: created, verified, published, edited, unpublished, removed… */
    record: (id, event, detail) => record(db, id, event, detail),
    /** Every integration's history, oldest event first: { id: [{ at, event, detail? }] }. */
    async histories() {
      const { rows } = await db.query(
        'select integration, at, event, detail from history where account = $1 order by seq',
        [account],
      );
      /** @type {Record<string, { at: string, event: string, detail?: string }[]>} */
      const out = {};
      for (const r of rows)
        (out[r.integration] ||= []).push({
          at: new Date(r.at).toISOString(),
          event: r.event,
          ...(r.detail && { detail: r.detail }),
        });
      return out;
    },
    /** The merchant page's outcomes, as utt reported them there. */
    outcomes: (list) =>
      db.query(
        `insert into outcomes (account, integration, status, reason)
         select $1, o->>'id', o->>'status', o->>'reason' from jsonb_array_elements($2::jsonb) o
         on conflict (account, integration) do update set status = excluded.status, reason = excluded.reason, at = now()`,
        [
          account,
          JSON.stringify(
            list
              .filter((o) => o && typeof o.id === 'string' && typeof o.status === 'string')
              .map((o) => ({ id: o.id, status: o.status, reason: String(o.reason ?? '') })),
          ),
        ],
      ),
    /** The last outcome of each integration: { id: { status, reason, at } }. */
    async lastOutcomes() {
      const { rows } = await db.query('select integration, status, reason, at from outcomes where account = $1', [
        account,
      ]);
      return Object.fromEntries(
        rows.map((r) => [r.integration, { status: r.status, reason: r.reason, at: new Date(r.at).toISOString() }]),
      );
    },
    preset: async () => (await db.query('select preset from accounts where id = $1', [account])).rows[0].preset,
    setPreset: (name) => db.query('update accounts set preset = $2 where id = $1', [account, name]),
    /** Keeps a message (demo/lib/outbox.mjs) in the outbox. */
    mail: (m) => mail(db, m),
    /** Every published version, newest first, without its manifest. */
    versions: async () =>
      (
        await db.query(
          `select number, tag, created_at as at, created_by as by, note, evidence from versions
           where account = $1 order by number desc`,
          [account],
        )
      ).rows.map((r) => ({ ...r, at: new Date(r.at).toISOString() })),
    /** One version, its manifest included, or undefined. */
    async version(number) {
      const { rows } = await db.query(
        `select number, manifest, tag, created_at as at, created_by as by, note, evidence from versions
         where account = $1 and number = $2`,
        [account, number],
      );
      return rows[0] && { ...rows[0], at: new Date(rows[0].at).toISOString() };
    },
    /** Every message, newest first. */
    mails: async () =>
      (
        await db.query(
          'select file, recipient as "to", subject, date, raw from outbox where account = $1 order by seq desc',
          [account],
        )
      ).rows,
  };
}
