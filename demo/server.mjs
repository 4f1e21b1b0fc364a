// The local QA demo: a merchant page that embeds the real dist/utt.js,
// served with no internet. Partner scripts on their https://*.example hosts
// are answered by a service worker (public/sw.js), so they really run.
//   npm run demo            (PORT=8081 npm run demo to change the port)
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRegistry } from '../build/registry.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const PORT = Number(process.env.PORT) || 8080;
const ACCOUNT = 'A12345';
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json' };

/** What the page and the service worker need to know of each partner. */
function partners() {
  return loadRegistry().entries.map(({ entry }) => ({
    key: entry.key,
    name: entry.name,
    host: new URL(entry.script.replace(/\{\w+\}/g, 'x')).host,
    identifiers: entry.identifiers,
    csp: entry.csp,
  }));
}

/** The published manifest: the hub's state once QA changed it, else the sample. */
function manifest() {
  const published = join(here, 'state', `${ACCOUNT}.json`);
  return readFileSync(existsSync(published) ? published : join(here, 'sample-manifest.json'));
}

const routes = {
  '/': () => [TYPES['.html'], readFileSync(join(here, 'public', 'shop.html'))],
  '/utt.js': () => [TYPES['.js'], readFileSync(join(root, 'dist', 'utt.js'))],
  '/utt.debug.js': () => [TYPES['.js'], readFileSync(join(root, 'dist', 'utt.debug.js'))],
  [`/manifests/${ACCOUNT}.json`]: () => [TYPES['.json'], manifest()],
  '/partners.json': () => [TYPES['.json'], JSON.stringify(partners())],
};

export function start(port = PORT) {
  const server = createServer((req, res) => {
    const { pathname } = new URL(req.url, 'http://localhost');
    const file = join(here, 'public', pathname);
    try {
      const route = routes[pathname];
      const [type, body] = route
        ? route()
        : file.startsWith(join(here, 'public')) && existsSync(file) && extname(file)
          ? [TYPES[extname(file)] || 'application/octet-stream', readFileSync(file)]
          : [];
      if (!body) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${pathname}\n`);
        return;
      }
      // The service worker must control the whole origin.
      const headers = { 'content-type': type, 'cache-control': 'no-store' };
      if (pathname === '/sw.js') headers['service-worker-allowed'] = '/';
      res.writeHead(200, headers).end(body);
    } catch (err) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`${err.message}\n`);
    }
  });
  return new Promise((resolve) => server.listen(port, () => resolve(server)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!existsSync(join(root, 'dist', 'utt.js'))) {
    console.error('dist/utt.js is missing: run `npm run build` (npm run demo does).');
    process.exit(1);
  }
  await start();
  console.log(`utt demo
  merchant page   http://localhost:${PORT}/
  manifest        http://localhost:${PORT}/manifests/${ACCOUNT}.json
  partners        http://localhost:${PORT}/partners.json
Ctrl-C to stop.`);
}
