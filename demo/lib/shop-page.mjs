// The merchant page (/shop): utt embedded exactly as a merchant would, with
// the tag the page's Tag menu chose, under a CSP preset (demo/lib/presets.mjs).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inlineTag } from '../../build/account.mjs';
import { ACCOUNT } from './account.mjs';
import { reply, TYPES, text } from './http.mjs';
import { PRESETS, presetNamed } from './presets.mjs';

const TEMPLATE = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'shop.html');

const escapeHtml = (s) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

/** The merchant's tag, by the name the page's Tag menu gives it. */
const TAGS = [
  ['generic', 'utt.js + manifest (generic)'],
  ['account', `${ACCOUNT}.js (per-account, no manifest request)`],
  ['inline', `${ACCOUNT}.js written into the page (no round trip)`],
];

/**
 * The merchant page: utt embedded exactly as a merchant would, under a CSP preset.
 * `inline`: the per-account tag written into the page (build/account.mjs inlineTag), with its hash.
 */
function shopPage(entries, presetName, nonce, required, tag, inline, health) {
  const preset = PRESETS[presetName];
  const meta = preset.meta
    ? `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(preset.meta(entries, inline?.hash))}">\n    `
    : '';
  const options = Object.entries(PRESETS)
    .map(
      ([name, p]) => `<option value="${name}"${name === presetName ? ' selected' : ''}>${escapeHtml(p.label)}</option>`,
    )
    .join('');
  const consent = required ? 'required' : 'default';
  const tags = TAGS.map(
    ([name, label]) => `<option value="${name}"${name === tag ? ' selected' : ''}>${escapeHtml(label)}</option>`,
  ).join('');
  // A merchant who opted in to health beacons: every page view of this page sends one.
  const beacon = health ? ' data-health="/api/health"' : '';
  const embed =
    tag === 'inline'
      ? inline.html
      : tag === 'account'
        ? `<script async nonce="${nonce}" src="/${ACCOUNT}.js" data-consent="${consent}"${beacon}></script>`
        : `<script async nonce="${nonce}" src="/utt.js" data-account="${ACCOUNT}" data-consent="${consent}"${beacon}></script>`;
  return (
    readFileSync(TEMPLATE, 'utf8')
      .replace('{{tags}}', tags)
      .replaceAll('{{nonce}}', nonce)
      .replace('{{meta}}', meta)
      .replace('{{options}}', options)
      .replace(
        '{{policy}}',
        escapeHtml(
          preset.header(entries, nonce, inline?.hash) ||
            (preset.meta ? `meta: ${preset.meta(entries, inline?.hash)}` : 'none'),
        ),
      )
      // Last, and as a function: the tag's JS may hold `$&` or `{{…}}`, which are not patterns here.
      .replace('{{tag}}', () => embed)
  );
}

/**
 * /shop, or undefined. `sitePreset()`: the site's own preset; `tag`: the per-account tag (demo/lib/tag.mjs).
 */
export async function shopRoute(req, pathname, searchParams, { entries, sitePreset, tag: accountTag }) {
  if (pathname !== '/shop') return undefined;
  // `?csp=` shows the page under another preset, for this view only: the site's own (POST /api/site)
  // is what the publish-time check uses, and a GET never changes it.
  const preset = searchParams.get('csp') || (await sitePreset());
  if (!presetNamed(preset)) return text(400, `unknown csp preset: ${JSON.stringify(preset)}`);
  const nonce = randomBytes(16).toString('base64');
  const required = searchParams.get('consent') === 'required';
  // `?health=1`: the tag as a merchant who opted in to health beacons embeds it (data-health).
  const health = searchParams.get('health') === '1';
  const tag = TAGS.some(([name]) => name === searchParams.get('tag')) ? searchParams.get('tag') : 'generic';
  let inline;
  if (tag === 'inline') {
    const built = await accountTag.current();
    if (typeof built === 'string') return text(500, built);
    // utt's files from this server, at the address the browser used (the guard checked the Host).
    inline = inlineTag(built[2], `http://${req.headers.host}/`, {
      nonce,
      'data-consent': required ? 'required' : 'default',
      ...(health && { 'data-health': '/api/health' }),
    });
  }
  const policy = PRESETS[preset].header(entries, nonce, inline?.hash);
  return reply(
    200,
    TYPES['.html'],
    shopPage(entries, preset, nonce, required, tag, inline, health),
    policy ? { 'content-security-policy': policy } : {},
  );
}
