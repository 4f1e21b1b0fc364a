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

  /** A preview panel's POST of evidence, as the browser sends it from a merchant's page on another origin. */
  const send = (token: string, body: string, headers: Record<string, string> = {}, account = 'A12345') =>
    fetch(`${base}/preview/${account}/evidence?token=${encodeURIComponent(token)}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8', origin: 'https://shop.example', ...headers },
      body,
    });
  const evidence = (outcomes: unknown[], url = `${base}/shop?csp=allowlist`) =>
    JSON.stringify({
      url,
      engine: 'gecko',
      csp: { header: ["script-src 'self' https://cdn.northwind.example"], meta: [] },
      outcomes,
    });
  const refusals = async () => (await call('GET', '/api/integrations/int_4/evidence')).body.refused;

  it('evidence from the merchant’s site: only with the hub’s signature for that account and draft; every refusal counted', async () => {
    await call('POST', '/api/reset');
    const { token } = (await call('POST', '/api/preview', { ids: ['int_4'] })).body;
    const [id, expires, signature] = token.split('.');
    const good = evidence([['int_4', 'tidepool-personalize', 'loaded', '', []]]);
    const before = await refusals();
    const refused: [string, Response, number][] = [
      [
        'forged',
        await send(`${id}.${expires}.${signature.replace(/^./, (c: string) => (c === 'A' ? 'B' : 'A'))}`, good),
        403,
      ],
      ['no token', await send('', good), 403],
      ['another account', await send(token, good, {}, 'B99999'), 403],
      ['another content type', await send(token, good, { 'content-type': 'application/json' }), 415],
      ['too large', await send(token, 'x'.repeat(70_000)), 413],
      ['malformed', await send(token, '{"url":1}'), 400],
      // Evidence of what the draft does not hold: forged ids, or another partner's.
      [
        'an id the draft lacks',
        await send(token, evidence([['int_99', 'tidepool-personalize', 'loaded', '', []]])),
        422,
      ],
      ['another partner', await send(token, evidence([['int_4', 'bluejay-ads', 'loaded', '', []]])), 422],
      // A page off the merchant's site (the demo serves it): a token alone vouches for no page elsewhere.
      [
        'another site',
        await send(token, evidence([['int_4', 'tidepool-personalize', 'loaded', '', []]], 'http://x/shop')),
        422,
      ],
      [
        'another port',
        await send(token, evidence([['int_4', 'tidepool-personalize', 'loaded', '', []]], `http://127.0.0.1:1/shop`)),
        422,
      ],
    ];
    for (const [what, r, status] of refused) expect([what, r.status]).toEqual([what, status]);
    const after = await refusals();
    const more = (why: string) => (after[why] ?? 0) - (before[why] ?? 0);
    expect([
      more('signature'),
      more('content-type'),
      more('too-large'),
      more('url'),
      more('unknown-id'),
      more('site'),
    ]).toEqual([3, 1, 1, 1, 2, 2]);
    // Nothing of it reached the checklist.
    expect((await call('GET', '/api/integrations/int_4/evidence')).body.evidence).toBeNull();

    // From any origin, as a simple request (text/plain, no preflight): kept, and readable by the panel.
    const ok = await send(token, good);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('*');
    const shown = (await call('GET', '/api/integrations/int_4/evidence')).body.evidence;
    expect(shown).toMatchObject({ url: `${base}/shop?csp=allowlist`, engine: 'gecko', ok: true, status: 'loaded' });

    // Once the link has expired, its evidence is refused too.
    clock += 61 * 60_000;
    expect((await send(token, good)).status).toBe(410);
    expect((await refusals()).expired).toBe((before.expired ?? 0) + 1);
  });

  it('evidence vouches for the integration as it was previewed: an edit makes it stale, and publishing with it is refused', async () => {
    await call('POST', '/api/reset');
    const { token } = (await call('POST', '/api/preview', { ids: ['int_4'] })).body;
    expect((await send(token, evidence([['int_4', 'tidepool-personalize', 'loaded', '', []]]))).status).toBe(204);
    const { seq } = (await call('GET', '/api/integrations/int_4/evidence')).body.evidence;
    // Edited since: other identifiers than the preview ran.
    const edited = await call('PUT', '/api/integrations/int_4', {
      identifiers: { workspace: '3f2c8a1e-9b7d-4c5e-8f10-2a6b4d9e7c32' },
    });
    expect(edited.status).toBe(200);
    expect((await call('GET', '/api/integrations/int_4/evidence')).body.evidence).toBeNull();
    const publish = await call('POST', '/api/integrations/int_4/publish', { evidence: seq });
    expect(publish.status).toBe(409);
    await call('POST', '/api/reset');
  });
});
