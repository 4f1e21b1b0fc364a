// kill -9 of the demo server during 50 parallel publishes loses no
// acknowledged write, on PGlite and on Postgres: the server runs as its own
// process (serve.mjs), is killed once the 10th publish is acknowledged, and a
// new one on the same data must show every acknowledged publish, whole.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { BACKENDS, fresh } from './backends';

/** Starts serve.mjs on the data; resolves with the process and its port once it listens. */
async function serve(where: { dir: string; url?: string }) {
  const child = spawn(process.execPath, ['test/store/serve.mjs', where.dir], {
    env: { ...process.env, DATABASE_URL: where.url ?? '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await Promise.race([
    once(createInterface({ input: child.stdout! }), 'line'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`serve.mjs exited with ${code} before it listened`);
    }),
  ])) as [string];
  return { child, port: JSON.parse(line).port as number };
}

/** One JSON request to the server; resolves with its status and body, rejects if the connection dies. */
const call = (port: number, method: string, path: string, body?: unknown) =>
  new Promise<{ status: number; body: any }>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: { host: `localhost:${port}`, 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : null }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });

const stop = async (child: ChildProcess) => {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
};

describe.each(BACKENDS)('kill -9 of the demo server on %s', (kind) => {
  it('during 50 parallel publishes loses no acknowledged write, and leaves none half done', async () => {
    const where = await fresh(kind);
    let { child, port } = await serve(where);
    try {
      // 50 integrations, added in parallel too: every one acknowledged with its id.
      const added = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          call(port, 'POST', '/api/integrations', {
            partner: 'northwind-analytics',
            identifiers: { domain: `s${i}.example` },
            // Alerted: the partner then hears of each publish, a mail in the same transaction.
            alert: true,
          }),
        ),
      );
      expect(added.map((r) => r.status)).toEqual(Array(50).fill(201));
      const ids: string[] = added.map((r) => r.body.integration.id);

      // 50 publishes at once; the server is killed as the 10th is acknowledged.
      const acknowledged: string[] = [];
      const failed: string[] = [];
      const killed = child;
      await Promise.all(
        ids.map((id) =>
          call(port, 'POST', `/api/integrations/${id}/publish`, {}).then(
            (r) => {
              expect(r.status).toBe(200);
              acknowledged.push(id);
              if (acknowledged.length === 10) killed.kill('SIGKILL');
            },
            () => failed.push(id),
          ),
        ),
      );
      await stop(killed);
      expect(killed.signalCode).toBe('SIGKILL');
      // The kill came while publishes were still in flight.
      expect(failed.length).toBeGreaterThan(0);
      expect(acknowledged.length).toBeGreaterThanOrEqual(10);

      // A new server on the same data.
      ({ child, port } = await serve(where));
      const list = (await call(port, 'GET', '/api/integrations')).body as any[];
      const byId = new Map(list.map((i) => [i.id, i]));
      expect(ids.filter((id) => !byId.has(id))).toEqual([]);
      for (const id of acknowledged) expect(byId.get(id).status, id).toBe('enabled');
      // Whole or not at all: an enabled one has its history and its mail, a disabled one neither.
      const mails = (await call(port, 'GET', '/api/outbox')).body as any[];
      for (const id of ids) {
        const events = byId.get(id).history.map((h: any) => h.event);
        const mailed = mails.filter((m) => m.raw.includes(`published integration ${id}:`)).length;
        if (byId.get(id).status === 'enabled')
          expect([events, mailed], id).toEqual([['created', 'partner alerted', 'verified', 'published'], 1]);
        else expect([events, mailed], id).toEqual([['created', 'partner alerted'], 0]);
      }
      // And it works on: the rest publish.
      for (const id of ids.filter((id) => byId.get(id).status !== 'enabled'))
        expect((await call(port, 'POST', `/api/integrations/${id}/publish`, {})).status).toBe(200);
    } finally {
      await stop(child);
    }
  });
});
