// Health from real visitors, on the demo server (PGlite and Postgres): the
// collector (demo/lib/health.mjs) counts well-formed beacons of the account's
// own integrations, refuses and counts hostile ones, limits each source, and
// mails the merchant once when a published version's failure rate crosses the
// threshold. Also: the merchant's pages run the last published version, so an
// Add changes neither the per-account tag nor its publish hash.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemo } from '../../demo/server.mjs';
import { BACKENDS, fresh } from './backends';
import { hubCall } from './hub-call';

describe.each(BACKENDS)('health beacons on %s', (kind) => {
  let demo: Awaited<ReturnType<typeof createDemo>>;
  let base = '';
  // The rate limit's clock: moved by the tests, never waited on.
  let clock = 0;

  beforeAll(async () => {
    const where = await fresh(kind);
    demo = await createDemo({
      port: 0,
      stateDir: join(where.dir, 'state'),
      databaseUrl: where.url,
      health: { limit: { perSource: 40, windowMs: 60_000 }, alert: { min: 4, rate: 0.5 }, now: () => clock },
    });
    const server = await demo.listen();
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => demo?.close());

  const call = hubCall(() => base);
  /** A beacon as utt.health.js sends it: text/plain, from the merchant's page on another origin. */
  const beacon = async (body: unknown, headers: Record<string, string> = {}) =>
    (
      await fetch(`${base}/api/health`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain;charset=UTF-8', origin: 'https://shop.merchant.example', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      })
    ).status;
  const view = async () => (await call('GET', '/api/health')).body;
  const of = (version: string, engine: string, outcomes: [string, string, string, string][]) => ({
    account: 'A12345',
    version,
    engine,
    outcomes,
  });

  it('a new account, never published, takes the beacons of the tag it serves', async () => {
    expect((await call('GET', '/api/versions')).body).toEqual([]);
    const tag = (await call('GET', '/api/embed')).body.version;
    expect(await beacon(of(tag, 'gecko', [['int_1', 'northwind-analytics', 'loaded', '']]))).toBe(204);
    expect(await beacon(of('forged-v', 'gecko', [['int_1', 'northwind-analytics', 'loaded', '']]))).toBe(404);
    expect((await view()).rows).toMatchObject([{ integration: 'int_1', version: tag, views: 1 }]);
  });

  it('the served tag is the last published version: an Add changes neither its hash nor the manifest', async () => {
    await call('POST', '/api/reset');
    const before = (await call('GET', '/api/embed')).body.version;
    const etag = (await fetch(`${base}/A12345.js`)).headers.get('etag');
    const manifest = await (await fetch(`${base}/manifests/A12345.json`)).text();
    const added = await call('POST', '/api/integrations', {
      partner: 'orbit-reviews',
      identifiers: { storeId: 'other-store', region: 'us' },
    });
    expect(added.status).toBe(201);
    expect((await call('GET', '/api/embed')).body.version).toBe(before);
    expect((await fetch(`${base}/A12345.js`)).headers.get('etag')).toBe(etag);
    expect(await (await fetch(`${base}/manifests/A12345.json`)).text()).toBe(manifest);
    // Published, it goes live: a new hash, the version's own.
    expect((await call('POST', `/api/integrations/${added.body.integration.id}/publish`, {})).status).toBe(200);
    const now = (await call('GET', '/api/embed')).body.version;
    expect(now).not.toBe(before);
    expect((await call('GET', '/api/versions')).body[0].tag).toBe(now);
    // Unpublished, it leaves the pages: a version too, whose tag reports it disabled.
    expect((await call('POST', `/api/integrations/${added.body.integration.id}/unpublish`, {})).status).toBe(200);
    const [unpublished] = (await call('GET', '/api/versions')).body;
    expect(unpublished.note).toBe(`unpublished ${added.body.integration.id}`);
    expect((await call('GET', '/api/embed')).body.version).toBe(unpublished.tag);
    expect(unpublished.tag).not.toBe(now);
  });

  it('counts a beacon per integration, version (numbered when published) and engine, with the CSP fix', async () => {
    await call('POST', '/api/reset');
    const tag = (await call('GET', '/api/embed')).body.version;
    const number = (await call('GET', '/api/versions')).body[0].number;
    const fix = "script-src: add 'https://cdn.northwind.example'";
    expect(await beacon(of(tag, 'webkit', [['int_1', 'northwind-analytics', 'blocked-csp', fix]]))).toBe(204);
    expect(await beacon(of(tag, 'webkit', [['int_1', 'northwind-analytics', 'loaded', '']]))).toBe(204);
    expect(
      await beacon(
        of(tag, 'blink', [
          ['int_1', 'northwind-analytics', 'loaded', ''],
          ['int_2', 'bluejay-ads', 'denied-consent', 'advertising'],
        ]),
      ),
    ).toBe(204);
    const { rows } = await view();
    const row = (id: string, engine: string) =>
      rows.find((r: any) => r.integration === id && r.engine === engine && r.version === tag);
    expect(row('int_1', 'webkit')).toMatchObject({
      partner: 'northwind-analytics',
      number,
      views: 2,
      counts: { loaded: 1, 'blocked-csp': 1 },
      fix,
    });
    expect(row('int_1', 'blink')).toMatchObject({ views: 1, counts: { loaded: 1 } });
    expect(row('int_2', 'blink')).toMatchObject({ views: 1, counts: { 'denied-consent': 1 } });
  });

  it('refuses and counts hostile beacons (huge, malformed, forged ids, another account); none creates anything', async () => {
    await call('POST', '/api/reset');
    const tag = (await call('GET', '/api/embed')).body.version;
    const [integrations, versions, mails, { refused: before, rows }] = await Promise.all([
      call('GET', '/api/integrations'),
      call('GET', '/api/versions'),
      call('GET', '/api/outbox'),
      view(),
    ]);
    const hostile: [unknown, number, string, Record<string, string>?][] = [
      ['x'.repeat(100_000), 413, 'too-large'],
      ['{"account":', 400, 'json'],
      [of(tag, 'blink', [['int_1', 'northwind-analytics', 'pwned', '']]), 400, 'status'],
      // Ids the account does not have: they would create an integration if anything did.
      [of(tag, 'blink', [['int_999', 'northwind-analytics', 'loaded', '']]), 422, 'unknown-id'],
      [of(tag, 'blink', [['int_1', 'bluejay-ads', 'loaded', '']]), 422, 'unknown-id'],
      [of(tag, 'blink', [['__proto__', 'northwind-analytics', 'loaded', '']]), 422, 'unknown-id'],
      [{ ...of(tag, 'blink', [['int_1', 'northwind-analytics', 'loaded', '']]), account: 'B999' }, 404, 'account'],
      [
        of(tag, 'blink', [['int_1', 'northwind-analytics', 'loaded', '']]),
        415,
        'content-type',
        { 'content-type': 'application/json' },
      ],
    ];
    for (const [body, status, , headers] of hostile) expect(await beacon(body, headers)).toBe(status);
    const after = await view();
    for (const why of new Set(hostile.map(([, , w]) => w)))
      expect((after.refused[why] ?? 0) - (before[why] ?? 0)).toBe(hostile.filter(([, , w]) => w === why).length);
    // Nothing counted, nothing created: integrations, versions and the outbox are as they were.
    expect(after.rows).toEqual(rows);
    expect((await call('GET', '/api/integrations')).body).toEqual(integrations.body);
    expect((await call('GET', '/api/versions')).body).toEqual(versions.body);
    expect((await call('GET', '/api/outbox')).body).toEqual(mails.body);
    // A beacon changes no state but counts: the guard that refuses other origins' changes lets it through, and only it.
    expect(
      (
        await fetch(`${base}/api/reset`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: 'https://shop.merchant.example' },
        })
      ).status,
    ).toBe(403);
  });

  it('limits each source: past the limit, 429 and counted, until the window has passed', async () => {
    clock += 3_600_000;
    const tag = (await call('GET', '/api/embed')).body.version;
    const good = of(tag, 'gecko', [['int_3', 'orbit-reviews', 'loaded', '']]);
    const before = (await view()).refused['rate-limited'] ?? 0;
    const statuses = [];
    for (let i = 0; i < 42; i++) statuses.push(await beacon(good));
    expect(statuses.filter((s) => s === 204)).toHaveLength(40);
    expect(statuses.slice(40)).toEqual([429, 429]);
    expect((await view()).refused['rate-limited'] - before).toBe(2);
    clock += 60_000;
    expect(await beacon(good)).toBe(204);
  });

  it("alerts the merchant once when a live integration's failure rate crosses the threshold after a publish, with a roll-back link", async () => {
    clock += 3_600_000;
    await call('POST', '/api/reset');
    const earlier = (await call('GET', '/api/versions')).body[0].number;
    expect((await call('POST', '/api/integrations/int_4/publish', {})).status).toBe(200);
    const published = (await call('GET', '/api/versions')).body[0];
    const mails = async () =>
      (await call('GET', '/api/outbox')).body.filter((m: any) => m.subject.includes('health alert'));
    const start = (await mails()).length;
    const send = (status: string) =>
      beacon(
        of(published.tag, 'webkit', [['int_4', 'tidepool-personalize', status, status === 'failed' ? 'timeout' : '']]),
      );
    // 2 failures in 3 page views: over 50%, but fewer views than the minimum (4).
    for (const s of ['failed', 'loaded', 'failed']) expect(await send(s)).toBe(204);
    expect(await mails()).toHaveLength(start);
    expect(await send('failed')).toBe(204);
    const sent = await mails();
    expect(sent).toHaveLength(start + 1);
    expect(sent[0].to).toContain('merchant@');
    expect(sent[0].subject).toContain(`version ${published.number}`);
    expect(sent[0].raw).toContain('int_4');
    expect(sent[0].raw).toContain(`/?restore=${earlier}#versions-section`);
    // Once per version and integration.
    expect(await send('failed')).toBe(204);
    expect(await mails()).toHaveLength(start + 1);
    expect((await view()).alerts.some((a: any) => a.version === published.tag && a.integration === 'int_4')).toBe(true);
  });

  it('takes beacons only of a published version, and counts only its enabled integrations: forged ones mail nothing', async () => {
    clock += 3_600_000;
    await call('POST', '/api/reset');
    const [running] = (await call('GET', '/api/versions')).body;
    const mails = async () => (await call('GET', '/api/outbox')).body.length;
    const [start, before] = await Promise.all([mails(), view()]);
    const failing = (version: string) => of(version, 'webkit', [['int_4', 'tidepool-personalize', 'failed', 'x']]);
    // A version the hub never published: refused and counted, every time.
    for (let i = 0; i < 5; i++) expect(await beacon(failing('forged-v'))).toBe(404);
    // int_4 is disabled in the version running: what a beacon says of it counts for nothing.
    for (let i = 0; i < 5; i++) expect(await beacon(failing(running.tag))).toBe(204);
    const after = await view();
    expect((after.refused.version ?? 0) - (before.refused.version ?? 0)).toBe(5);
    expect(after.rows).toEqual(before.rows);
    expect(after.alerts).toEqual(before.alerts);
    expect(await mails()).toBe(start);
    // The generic tag names the version by the `publish` of the manifest the hub serves: the version's hash.
    const { publish } = await (await fetch(`${base}/manifests/A12345.json`)).json();
    expect(publish).toBe(running.tag);
    const int1 = async () =>
      (await view()).rows.find((r: any) => r.integration === 'int_1' && r.version === publish && r.engine === 'gecko');
    const seen = (await int1())?.views ?? 0;
    expect(await beacon(of(publish, 'gecko', [['int_1', 'northwind-analytics', 'loaded', '']]))).toBe(204);
    expect(await int1()).toMatchObject({ number: running.number, views: seen + 1 });
  });
});
