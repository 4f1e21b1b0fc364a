// The hub's records of one account, in the database (demo/lib/db.mjs): the
// published manifest (one row per integration), each integration's history,
// the merchant page's last outcomes, the site's CSP preset, the outbox. Every
// change is one transaction: a crash or a kill -9 keeps each change whole or
// not at all, and concurrent changes of the manifest run one after another
// (the account's row is locked for the duration).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';

/** Who and why of the version a reset writes. */
const RESET = { by: 'demo reset', note: 'reset to the sample' };

/** The statuses a health alert counts as failures: the partner's script did not run. */
const FAILURES = ['failed', 'blocked-csp'];

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
 * `tagOf(manifest)`: the publish hash of the per-account tag a version's manifest builds.
 * @param {any} db
 * @param {{ account: string, sample: string, legacy?: string, tagOf?: (manifest: unknown) => string }} options
 */
export async function createStore(db, { account, sample, legacy, tagOf = () => '' }) {
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

  /**
   * Writes `manifest` as the account's next version: what the merchant's pages run from now on.
   * @param {any} tx
   * @param {unknown} manifest
   * @param {{ by: string, note?: string, evidence?: unknown, tag?: string }} meta
   */
  const addVersion = (tx, manifest, meta) => {
    const { by, note = '', evidence = {}, tag = tagOf(manifest) } = meta;
    return tx.query(
      `insert into versions (account, number, manifest, tag, created_by, note, evidence)
       select $1, coalesce(max(number), 0) + 1, $2::jsonb, $3, $4, $5, $6::jsonb from versions where account = $1`,
      [account, JSON.stringify(manifest), tag, by, note, JSON.stringify(evidence)],
    );
  };

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
    /** The hub's current manifest: the draft, with integrations added and not yet published. */
    manifest: async () => ({ version: 1, account, integrations: await integrations(db) }),
    /**
     * The manifest the merchant's pages run: the last version's (an account never published runs its
     * first manifest, the sample or the imported one).
     */
    async published() {
      const { rows } = await db.query('select manifest from versions where account = $1 order by number desc limit 1', [
        account,
      ]);
      return rows[0]?.manifest ?? { version: 1, account, integrations: await integrations(db) };
    },
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
        if (published) await addVersion(tx, manifest, published);
        return result;
      }),
    /** The manifest back to the sample, published as a new version; the hub's records stay. */
    reset: () =>
      locked(async (tx) => {
        const sampled = sampleManifest();
        await tx.query('delete from integrations where account = $1', [account]);
        await write(tx, [], sampled.integrations);
        await addVersion(tx, { version: 1, account, integrations: sampled.integrations }, RESET);
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
        await addVersion(tx, { version: 1, account, integrations: list }, RESET);
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
    /**
     * The manifest of the published version whose tag carries the publish hash `tag` (its latest, after a
     * restore), or undefined: a health beacon counts only for a version the hub published. An account never
     * published runs its first manifest, named by the hash its tag would carry.
     */
    async publishedAs(tag) {
      if (!tag) return undefined;
      const { rows } = await db.query(
        'select manifest from versions where account = $1 and tag = $2 order by number desc limit 1',
        [account, tag],
      );
      if (rows[0]) return rows[0].manifest;
      const { rows: any } = await db.query('select 1 from versions where account = $1 limit 1', [account]);
      if (any.length) return undefined;
      const first = await this.published();
      return tagOf(first) === tag ? first : undefined;
    },
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
    /**
     * Counts one beacon (src/health.ts decode) of a published version, its outcomes those of the version's
     * enabled integrations: one transaction.
     * Returns the integrations whose failure share for that version now crosses `alert` (at least
     * `min` page views, failed or blocked-csp at `rate` or more) and had no alert yet: each is marked alerted.
     */
    health: (beacon, { min, rate }) =>
      db.transaction(async (tx) => {
        await tx.query(
          `insert into health (account, integration, version, engine, status, reason, count)
           select $1, o->>0, $2, $3, o->>2, o->>3, 1 from jsonb_array_elements($4::jsonb) o
           on conflict (account, integration, version, engine, status)
           do update set count = health.count + 1, reason = excluded.reason`,
          [account, beacon.version, beacon.engine, JSON.stringify(beacon.outcomes)],
        );
        const failing = beacon.outcomes.filter(([, , status]) => FAILURES.includes(status)).map(([id]) => id);
        if (!failing.length) return [];
        const { rows } = await tx.query(
          `with totals as (
             select integration, sum(count) as views, sum(count) filter (where status = any($4)) as failures
             from health where account = $1 and version = $2 and integration = any($3) group by integration)
           insert into health_alerts (account, version, integration)
           select $1, $2, integration from totals where views >= $5 and failures >= views * $6
           on conflict do nothing returning integration`,
          [account, beacon.version, failing, FAILURES, min, rate],
        );
        return rows.map((r) => r.integration);
      }),
    /** Counts a refused beacon. */
    refused: (why) =>
      db.query(
        'insert into health_refused (why, count) values ($1, 1) on conflict (why) do update set count = health_refused.count + 1',
        [why],
      ),
    /** The counts: rows per integration, version, engine and status; refused beacons by why; alerts sent. */
    async healthCounts() {
      const [rows, refused, alerts] = await Promise.all([
        db.query(
          `select integration, version, engine, status, reason, count from health where account = $1
           order by integration, version, engine, status`,
          [account],
        ),
        db.query('select why, count from health_refused order by why'),
        db.query('select version, integration, at from health_alerts where account = $1 order by at', [account]),
      ]);
      return {
        rows: rows.rows.map((r) => ({ ...r, count: Number(r.count) })),
        refused: Object.fromEntries(refused.rows.map((r) => [r.why, Number(r.count)])),
        alerts: alerts.rows.map((r) => ({ ...r, at: new Date(r.at).toISOString() })),
      };
    },
    /** The draft's integration ids and their partners (the hub's health view names each row's partner). */
    async partnersById() {
      const { rows } = await db.query('select id, partner from integrations where account = $1', [account]);
      return new Map(rows.map((r) => [r.id, r.partner]));
    },
    /** Keeps a preview's draft until `expires` (a Date). */
    savePreview: (id, manifest, expires, by) =>
      db.query(
        'insert into previews (id, account, manifest, expires_at, created_by) values ($1, $2, $3::jsonb, $4, $5)',
        [id, account, JSON.stringify(manifest), expires.toISOString(), by],
      ),
    /** A preview's draft and expiry, for this account only, or undefined. */
    async preview(id) {
      const { rows } = await db.query('select manifest, expires_at from previews where id = $1 and account = $2', [
        id,
        account,
      ]);
      return rows[0] && { manifest: rows[0].manifest, expires: new Date(rows[0].expires_at) };
    },
    /** Keeps a preview's evidence (src/evidence.ts decode) from the merchant's site. */
    saveEvidence: (preview, e) =>
      db.query(
        'insert into preview_evidence (preview, url, engine, csp, outcomes) values ($1, $2, $3, $4::jsonb, $5::jsonb)',
        [preview, e.url, e.engine, JSON.stringify(e.csp), JSON.stringify(e.outcomes)],
      ),
    /**
     * The newest evidence that vouches for the integration `id` as the draft now holds it: from a preview of
     * this account whose draft had it enabled, with the same partner and identifiers, and in whose outcomes
     * it appears. With the preview's id, and the time as an ISO string; or undefined.
     */
    async evidenceFor(id, integration) {
      const { rows } = await db.query(
        `select e.seq, e.preview, e.at, e.url, e.engine, e.csp, e.outcomes, p.manifest from preview_evidence e
         join previews p on p.id = e.preview
         where p.account = $1 and e.outcomes @> $2::jsonb order by e.seq desc limit 20`,
        [account, JSON.stringify([[id]])],
      );
      const same = (i) =>
        i.id === id &&
        i.status === 'enabled' &&
        i.partner === integration.partner &&
        isDeepStrictEqual(i.identifiers ?? {}, integration.identifiers ?? {});
      const r = rows.find((row) => row.manifest.integrations.some(same));
      return (
        r && {
          seq: Number(r.seq),
          preview: r.preview,
          at: new Date(r.at).toISOString(),
          url: r.url,
          engine: r.engine,
          csp: r.csp,
          outcomes: r.outcomes,
        }
      );
    },
    /** Counts refused evidence. */
    evidenceRefused: (why) =>
      db.query(
        'insert into preview_refused (why, count) values ($1, 1) on conflict (why) do update set count = preview_refused.count + 1',
        [why],
      ),
    /** Refused evidence, by why. */
    async evidenceRefusals() {
      const { rows } = await db.query('select why, count from preview_refused order by why');
      return Object.fromEntries(rows.map((r) => [r.why, Number(r.count)]));
    },
    /** The hub's secret of that name: the one stored, or `make()`'s, stored by the first server to ask. */
    async secret(name, make) {
      await db.query('insert into hub_secrets (name, value) values ($1, $2) on conflict (name) do nothing', [
        name,
        make(),
      ]);
      return (await db.query('select value from hub_secrets where name = $1', [name])).rows[0].value;
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
