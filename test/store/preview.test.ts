// Preview links on the demo server (PGlite and Postgres): the hub signs a
// draft for its account; the server that serves the draft checks the
// signature, the account and the expiry, and trusts nothing else the link says.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemo } from '../../demo/server.mjs';
import { BACKENDS, fresh } from './backends';
import { hubCall } from './hub-call';

describe.each(BACKENDS)('preview links on %s', (kind) => {
  let demo: Awaited<ReturnType<typeof createDemo>>;
  let base = '';
  let clock = Date.UTC(2026, 11, 1);

  beforeAll(async () => {
    const where = await fresh(kind);
    demo = await createDemo({
      port: 0,
      stateDir: join(where.dir, 'state'),
      databaseUrl: where.url,
      preview: { now: () => clock },
    });
    const server = await demo.listen();
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => demo?.close());

  const call = hubCall(() => base);
  const draft = (token: string, account = 'A12345') =>
    call('GET', `/preview/${account}.json?token=${encodeURIComponent(token)}`);

  it('serves the draft the hub signed, with the named integrations on, and only that', async () => {
    await call('POST', '/api/reset');
    const made = await call('POST', '/api/preview', { ids: ['int_4'] });
    expect(made.status).toBe(200);
    expect(made.body.link).toMatch(/\/shop\?utt-preview=[\w-]+\.\d+\.[\w-]+$/);
    const got = await draft(made.body.token);
    expect(got.status).toBe(200);
    expect(got.body.integrations.find((i: any) => i.id === 'int_4').status).toBe('enabled');
    // The live manifest is unchanged: nobody else runs the draft.
    const live = await (await fetch(`${base}/manifests/A12345.json`)).json();
    expect(live.integrations.find((i: any) => i.id === 'int_4').status).toBe('disabled');
    // A later change of the draft does not change what the link runs.
    await call('PUT', '/api/integrations/int_1', { identifiers: { domain: 'other.example' } });
    expect((await draft(made.body.token)).body).toEqual(got.body);
    await call('POST', '/api/reset');
  });

  it('no draft without the hub’s signature for that account, before it expires', async () => {
    const { token } = (await call('POST', '/api/preview', {})).body;
    const [id, expires, signature] = token.split('.');
    const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    const refused: [string, string, number][] = [
      ['', 'A12345', 403],
      ['garbage', 'A12345', 403],
      [`${id}.${expires}`, 'A12345', 403],
      [`${id}.${expires}.${flip(signature)}`, 'A12345', 403],
      // The signature covers the id and the expiry: neither can be changed.
      [`${flip(id)}.${expires}.${signature}`, 'A12345', 403],
      [`${id}.${Number(expires) + 86_400_000}.${signature}`, 'A12345', 403],
      [`${token}.x`, 'A12345', 403],
      // Signed for A12345: no other account's page runs it.
      [token, 'B99999', 403],
    ];
    for (const [t, account, status] of refused) {
      const r = await draft(t, account);
      expect([t, account, r.status]).toEqual([t, account, status]);
      expect(r.body.integrations).toBeUndefined();
    }
    // Another hub's key signs nothing here.
    const other = await createDemo({
      port: 0,
      stateDir: join(await fresh('pglite').then((w) => w.dir), 's'),
      preview: { secret: 'another hub' },
    });
    await other.listen();
    try {
      const port = (other.server.address() as { port: number }).port;
      const foreign = await (
        await fetch(`http://127.0.0.1:${port}/api/preview`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        })
      ).json();
      expect((await draft(foreign.token)).status).toBe(403);
    } finally {
      await other.close();
    }
    // The hub's own link, once expired.
    expect((await draft(token)).status).toBe(200);
    clock += 60 * 60_000;
    expect((await draft(token)).status).toBe(410);
  });

  it('only the hub makes links: same-origin JSON, known integrations, bounded', async () => {
    expect((await call('POST', '/api/preview', {}, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await call('GET', '/api/preview')).status).toBe(405);
    expect((await call('POST', '/api/preview', { ids: ['int_999'] })).status).toBe(404);
    expect((await call('POST', '/api/preview', { ids: 'int_1' })).status).toBe(400);
    expect((await call('POST', '/api/preview', { minutes: 10_000 })).status).toBe(400);
    const form = await fetch(`${base}/api/preview`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(form.status).toBe(415);
  });
});
