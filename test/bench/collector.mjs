// `npm run bench:collector`: the health collector (demo/lib/health.mjs) under
// load, on loopback. Starts the demo server on a temporary PGlite folder, or
// on Postgres: a server of its own (`-- --postgres`: Debian's postgresql,
// started in a temporary folder on a loopback port, as the store's tests
// start it, and stopped at the end), or the one at DATABASE_URL. Sends BEACONS beacons from CONCURRENCY
// connections, then checks that the hub counted every one it acknowledged
// (nothing lost) and prints beacons per second held. Bounded: it stops after
// BEACONS beacons or LIMIT_S seconds, whichever comes first. A script that
// prints figures, not a test: it fails only when a beacon is lost or refused.
//   npm run bench:collector
//   npm run bench:collector -- --postgres
//   BEACONS=5000 CONCURRENCY=32 DATABASE_URL=postgres://… npm run bench:collector
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDemo } from '../../demo/server.mjs';
import { startPostgres } from '../postgres.mjs';

const BEACONS = Math.max(1, Number(process.env.BEACONS) || 2000);
const CONCURRENCY = Math.max(1, Number(process.env.CONCURRENCY) || 16);
const LIMIT_S = Math.max(1, Number(process.env.LIMIT_S) || 60);

const stateDir = mkdtempSync(join(tmpdir(), 'utt-collector-'));
const postgres = process.argv.includes('--postgres') ? await startPostgres() : undefined;
// Stopped however the run ends (synchronous: pg_ctl stop, then its folder removed).
process.once('exit', () => postgres?.stop());
// One source sends everything here: the per-source limit is lifted, the rest of the checks stand.
const demo = await createDemo({
  port: 0,
  stateDir,
  databaseUrl: postgres?.url ?? process.env.DATABASE_URL,
  health: { limit: { perSource: Number.POSITIVE_INFINITY, windowMs: 60_000 } },
});
const server = await demo.listen();
const port = server.address().port;
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

/** One request on loopback; resolves with its status and body. */
const send = (method, path, body, type) =>
  new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        headers: { host: `localhost:${port}`, ...(type && { 'content-type': type }) },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });

const { text: embed } = await send('GET', '/api/embed');
const version = JSON.parse(embed).version;
const { text: list } = await send('GET', '/api/integrations');
const integrations = JSON.parse(list).map((i) => [i.id, i.partner]);
const STATUSES = ['loaded', 'loaded', 'loaded', 'blocked-csp', 'denied-consent', 'failed'];
const ENGINES = ['blink', 'gecko', 'webkit'];
/** The i-th beacon: every integration, a status and an engine that vary. */
const beacon = (i) =>
  JSON.stringify({
    account: 'A12345',
    version,
    engine: ENGINES[i % ENGINES.length],
    outcomes: integrations.map(([id, partner], k) => [id, partner, STATUSES[(i + k) % STATUSES.length], '']),
  });

const deadline = Date.now() + LIMIT_S * 1000;
const latencies = [];
let next = 0;
let acknowledged = 0;
const refused = {};
const started = process.hrtime.bigint();
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (next < BEACONS && Date.now() < deadline) {
      const i = next++;
      const t = process.hrtime.bigint();
      const { status } = await send('POST', '/api/health', beacon(i), 'text/plain;charset=UTF-8');
      latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
      if (status === 204) acknowledged++;
      else refused[status] = (refused[status] ?? 0) + 1;
    }
  }),
);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;

// Every acknowledged beacon counted, once per integration it names.
const { text: health } = await send('GET', '/api/health');
const counted = JSON.parse(health).rows.reduce((n, r) => n + r.views, 0);
const lost = acknowledged * integrations.length - counted;
latencies.sort((a, b) => a - b);
const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(1);
console.log(`collector on ${demo.database.includes('pglite') ? 'PGlite' : 'Postgres'}, ${CONCURRENCY} connections, ${integrations.length} integrations a beacon
  sent          ${latencies.length} beacons in ${seconds.toFixed(2)} s${latencies.length < BEACONS ? ` (stopped at ${LIMIT_S} s)` : ''}
  held          ${(acknowledged / seconds).toFixed(0)} beacons/s acknowledged
  latency       p50 ${at(0.5)} ms, p99 ${at(0.99)} ms
  refused       ${JSON.stringify(refused)}
  lost          ${lost} of ${acknowledged * integrations.length} counts`);
agent.destroy();
await demo.close();
rmSync(stateDir, { recursive: true, force: true });
if (lost !== 0 || Object.keys(refused).length) process.exitCode = 1;
