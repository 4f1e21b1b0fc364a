// The per-account tag of the published manifest, built once per publish, and
// served as the file (/A12345.js) or as the <script> a merchant's server writes
// into its pages (/A12345.html), with an ETag: a browser that has this publish gets a 304.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { accountScript, compileAccount, inlineTag, templatePath } from '../../build/account.mjs';
import { ACCOUNT } from './account.mjs';
import { reply, TYPES, text } from './http.mjs';

const DIST = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist');

/** `manifest()`: the published manifest (demo/lib/store.mjs published()); `entries`: the registry's. */
export function createAccountTag(manifest, entries) {
  /** The tag of the last manifest asked for: [manifest JSON, publish version, script]. */
  let last;
  /**
   * The tag of the published manifest: the template with the manifest inlined, built again only when the
   * manifest changed. [manifest JSON, publish version, script], or the problems as text. Lenient: an
   * integration the hub holds with a bad identifier, or whose partner left the registry, reports `invalid`.
   */
  const compile = (published) =>
    compileAccount(
      published,
      entries.map((entry) => ({ entry })),
      { lenient: true },
    );
  const current = async () => {
    const published = JSON.stringify(await manifest());
    if (!last || last[0] !== published) {
      const { compiled, problems } = compile(published);
      if (!compiled) return problems.map((p) => `${p.path}: ${p.message}`).join('\n');
      const js = accountScript(readFileSync(templatePath(compiled, DIST), 'utf8'), compiled);
      last = [published, compiled[1], js];
    }
    return last;
  };

  /** /A12345.js and /A12345.html, or undefined. */
  const route = async (req, pathname) => {
    const kind = pathname === `/${ACCOUNT}.js` ? '.js' : pathname === `/${ACCOUNT}.html` ? '.html' : '';
    if (!kind) return undefined;
    const built = await current();
    if (typeof built === 'string') return text(500, built);
    const [, version, js] = built;
    const etag = kind === '.js' ? `"${version}"` : `"${version}.html"`;
    const headers = { etag, 'cache-control': 'no-cache' };
    if (req.headers['if-none-match'] === etag) return reply(304, TYPES[kind], '', headers);
    // utt's files from this server, at the address the browser used (the guard checked the Host).
    const body = kind === '.js' ? js : `${inlineTag(js, `http://${req.headers.host}/`).html}\n`;
    return reply(200, TYPES[kind], body, headers);
  };
  /** The publish hash the tag of `m` would carry ('' if it cannot be built). */
  const versionOf = (m) => compile(JSON.stringify(m)).compiled?.[1] ?? '';
  return { current, route, versionOf };
}
