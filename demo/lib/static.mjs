// The hub's own files (demo/public) and utt's built files (dist/).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reply, TYPES } from './http.mjs';

const demo = join(dirname(fileURLToPath(import.meta.url)), '..');
const PUBLIC = join(demo, 'public');
const DIST = join(demo, '..', 'dist');

/** The hub's own pages: a strict policy, framed by nobody. */
const STRICT = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "frame-src 'self'; worker-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
};

/** The file at `pathname`, or undefined. shop.html is a template (demo/lib/shop-page.mjs), never served raw. */
export function staticFile(pathname) {
  const dist = /^\/(utt(?:\.debug|\.csp|\.iab|\.cost|\.events|\.health|\.preview)?\.js(?:\.map)?)$/.exec(pathname);
  if (dist) return reply(200, TYPES['.js'], readFileSync(join(DIST, dist[1])));
  const file = join(PUBLIC, pathname === '/' ? 'hub.html' : pathname);
  if (!file.startsWith(PUBLIC) || !extname(file) || !existsSync(file) || file.endsWith('shop.html')) return undefined;
  return reply(
    200,
    TYPES[extname(file)] || 'application/octet-stream',
    readFileSync(file),
    // The service worker must control the whole origin.
    pathname === '/sw.js' ? { 'service-worker-allowed': '/', ...STRICT } : STRICT,
  );
}
