// The local QA demo: the Partner Integrations Hub (add, verify, publish,
// edit), and a merchant page that embeds the real dist/utt.js under a chosen
// Content-Security-Policy. No internet: partner scripts on their
// https://*.example hosts are answered by a service worker (public/sw.js).
// Each job is a module of lib/: the JSON API (api.mjs), the merchant page
// (shop-page.mjs), the per-account tag (tag.mjs), partner emulation
// (partners.mjs), static files (static.mjs) and the Host/Origin guard (guard.mjs).
//   npm run demo            (PORT=8081 npm run demo to change the port; it listens on
//                            127.0.0.1 only, HOST=… to listen elsewhere)

import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRegistry } from '../build/registry.mjs';
import { ACCOUNT } from './lib/account.mjs';
import { createApi } from './lib/api.mjs';
import { openDatabase } from './lib/db.mjs';
import { foreign } from './lib/guard.mjs';
import { createHealth } from './lib/health.mjs';
import { reply, send, TYPES, text } from './lib/http.mjs';
import { partnerRoute } from './lib/partners.mjs';
import { PRESETS, presetNamed } from './lib/presets.mjs';
import { createPreview } from './lib/preview.mjs';
import { shopRoute } from './lib/shop-page.mjs';
import { staticFile } from './lib/static.mjs';
import { createStore } from './lib/store.mjs';
import { createAccountTag } from './lib/tag.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const PORT = Number(process.env.PORT) || 8080;
/** Loopback only: the demo is a QA tool of this machine (HOST changes the address it listens on). */
const HOST = process.env.HOST || '127.0.0.1';

/**
 * The demo, its database open. `host`: the address it listens on (default 127.0.0.1, or HOST). `databaseUrl`: a Postgres server (postgres://…); without one, PGlite in
 * <stateDir>/pglite. `partnerDirs`: the registry's folders (default: partners/, as `utt check` reads it).
 * `health`: the collector's rate limit and alert threshold (demo/lib/health.mjs createHealth); `preview`:
 * the clock and key of preview links (demo/lib/preview.mjs createPreview).
 * @param {{ stateDir?: string, port?: number, host?: string, partnerDirs?: string[], databaseUrl?: string,
 *   health?: { limit?: { perSource: number, windowMs: number }, alert?: { min: number, rate: number },
 *     now?: () => number },
 *   preview?: { now?: () => number, secret?: string } }} [options]
 */
export async function createDemo({
  stateDir = join(here, 'state'),
  port = PORT,
  host = HOST,
  partnerDirs,
  databaseUrl = process.env.DATABASE_URL,
  health: healthOptions = {},
  preview: previewOptions = {},
} = {}) {
  const registry = new Map(
    loadRegistry(partnerDirs && { dirs: partnerDirs }).entries.map(({ entry }) => [entry.key, entry]),
  );
  const entries = [...registry.values()];
  const db = await openDatabase({ url: databaseUrl, dir: join(stateDir, 'pglite') });
  // An earlier demo's JSON state in stateDir is imported once, into a new database.
  /** @type {ReturnType<typeof createAccountTag>} */
  let tag;
  const state = await createStore(db, {
    account: ACCOUNT,
    sample: join(here, 'sample-manifest.json'),
    legacy: stateDir,
    tagOf: (m) => tag.versionOf(m),
  });
  /** The site's preset; a name stored by an older demo that took any name is no preset. */
  const sitePreset = async () => {
    const name = await state.preset();
    return presetNamed(name) ? name : 'none';
  };
  // The merchant's pages run the last published version, never the hub's draft.
  tag = createAccountTag(state.published, entries);

  const api = createApi({ registry, state, sitePreset, tag, port });
  const health = createHealth({ state, ...healthOptions });
  const preview = createPreview({ state, ...previewOptions });

  /**
   * The published manifest, naming its publish (`publish`: the hash the per-account tag of it carries), so
   * that the generic tag's report and health beacons name the version running, as the per-account tag's do.
   */
  const manifestFile = async () => {
    const built = await tag.current();
    // A manifest no tag can be built of (its problems are the per-account tag's 500) is served as it is.
    if (typeof built === 'string') return reply(200, TYPES['.json'], JSON.stringify(await state.published(), null, 2));
    const { integrations, ...envelope } = JSON.parse(built[0]);
    return reply(200, TYPES['.json'], JSON.stringify({ ...envelope, publish: built[1], integrations }, null, 2));
  };

  /** The reply to a request the guard let through: the first route that knows its path. */
  const route = async (req) => {
    const { pathname, searchParams } = new URL(req.url, 'http://localhost');
    return (
      (await health(req, pathname)) ??
      (await preview(req, pathname)) ??
      (await api(req, pathname)) ??
      (await shopRoute(req, pathname, searchParams, { entries, sitePreset, tag })) ??
      (await tag.route(req, pathname)) ??
      (pathname === `/manifests/${ACCOUNT}.json` ? await manifestFile() : undefined) ??
      partnerRoute(entries, pathname, searchParams) ??
      staticFile(pathname) ??
      text(404, `not found: ${pathname}`)
    );
  };

  const server = createServer((req, res) => {
    const at = server.address();
    const refused = foreign(req, at && typeof at === 'object' ? at.port : port);
    if (refused) return res.writeHead(403, { 'content-type': 'text/plain' }).end(`${refused}\n`);
    route(req).then(
      (r) => send(res, r),
      (err) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`${err.message}\n`);
      },
    );
  });
  return {
    server,
    state,
    /** Where the data is: the Postgres server, or the PGlite folder. */
    database: databaseUrl ? 'the Postgres server at DATABASE_URL' : join(stateDir, 'pglite'),
    listen: () => new Promise((resolve) => server.listen(port, host, () => resolve(server))),
    /** Stops answering, then closes the database. */
    async close() {
      await new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      });
      await db.close();
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // Builds dist/ only when it is missing or older than src/, partners/ or the build config, and says so.
  const { ensureBuilt } = await import('../build/fresh.mjs');
  if (!ensureBuilt({ root })) console.log('dist/ is up to date');
  const demo = await createDemo();
  await demo.listen();
  console.log(`utt demo (no internet needed)
  Partner Integrations Hub   http://localhost:${PORT}/
  merchant page              http://localhost:${PORT}/shop   (?csp=${Object.keys(PRESETS).join('|')}, &tag=account|inline)
  published manifest         http://localhost:${PORT}/manifests/${ACCOUNT}.json
  per-account tag            http://localhost:${PORT}/${ACCOUNT}.js, and for the page http://localhost:${PORT}/${ACCOUNT}.html
data: ${demo.database} (integrations, history, outbox)
Ctrl-C to stop.`);
}
