// The local QA demo: the Partner Integrations Hub (add, verify, publish,
// edit), and a merchant page that embeds the real dist/utt.js under a chosen
// Content-Security-Policy. No internet: partner scripts on their
// https://*.example hosts are answered by a service worker (public/sw.js).
//   npm run demo            (PORT=8081 npm run demo to change the port)

import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { accountScript, compileAccount, inlineTag, templatePath } from '../build/account.mjs';
import { cspCheck } from '../build/csp-check.mjs';
import { loadSrc } from '../build/load-src.mjs';
import { loadRegistry } from '../build/registry.mjs';
import { templateURL } from '../build/template.mjs';
import { validate } from '../build/validate.mjs';
import { emulatedScript, entryForHost } from './lib/emulate.mjs';
import { createHub } from './lib/hub.mjs';
import { createOutbox } from './lib/outbox.mjs';
import { PRESETS } from './lib/presets.mjs';
import { createState } from './lib/state.mjs';

/** The runtime's own caps (src/manifest.ts): the hub never publishes a manifest utt would refuse. */
const { MAX_BYTES, MAX_INTEGRATIONS } = await loadSrc('src/manifest.ts');
const { LOADS } = await loadSrc('src/timing.ts');

/** An integration's own load timing: absent (the partner's), or one the runtime knows. */
const loadOf = (body) => {
  if (body.load === undefined || body.load === '') return undefined;
  if (!LOADS.includes(body.load)) throw new HttpError(400, `load: one of ${LOADS.join(', ')}`);
  return body.load;
};

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const PORT = Number(process.env.PORT) || 8080;
export const ACCOUNT = 'A12345';
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

class HttpError extends Error {
  /** `extra`: more fields of the JSON error body (`errors`, `existing`, `check`). */
  constructor(status, message, extra = {}) {
    super(message);
    this.status = status;
    this.extra = extra;
  }
}

/** What the hub page and the service worker need to know of each partner. */
const partnerInfo = (entry) => ({
  key: entry.key,
  name: entry.name,
  contact: entry.contact,
  host: templateURL(entry.script).host,
  script: entry.script,
  identifiers: entry.identifiers,
  csp: entry.csp,
  load: entry.load || 'now',
});

/** The number of an id `int_<n>` (0 for any other id). */
const idNumber = (i) => Number(/^int_(\d+)$/.exec(i.id)?.[1] ?? 0);

/** Identifier values as the runtime compares what it loads: host names without case, integers by value. */
const canonical = (entry, values) =>
  Object.fromEntries(
    Object.entries(entry.identifiers)
      .filter(([name]) => values[name] !== undefined)
      .map(([name, schema]) => [
        name,
        schema.type === 'integer'
          ? Number(values[name])
          : schema.format === 'hostname'
            ? String(values[name]).toLowerCase()
            : String(values[name]),
      ]),
  );

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
function shopPage(entries, presetName, nonce, required, tag, inline) {
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
  const embed =
    tag === 'inline'
      ? inline.html
      : tag === 'account'
        ? `<script async nonce="${nonce}" src="/${ACCOUNT}.js" data-consent="${consent}"></script>`
        : `<script async nonce="${nonce}" src="/utt.js" data-account="${ACCOUNT}" data-consent="${consent}"></script>`;
  return (
    readFileSync(join(here, 'public', 'shop.html'), 'utf8')
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

/** A request that changes state must be JSON: a cross-site form can send only three other types. */
const requireJson = (req) => {
  if (!/^application\/json\b/.test(req.headers['content-type'] || ''))
    throw new HttpError(415, 'send the request as application/json');
};

async function readJson(req, { optional = false } = {}) {
  requireJson(req);
  let size = 0;
  const chunks = [];
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 65536) throw new HttpError(413, 'request body over 64 KB');
    chunks.push(chunk);
  }
  try {
    const text = Buffer.concat(chunks).toString('utf8');
    if (optional && !text) return {};
    const body = JSON.parse(text || 'null');
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object');
    return body;
  } catch (err) {
    throw new HttpError(400, `the body is not a JSON object: ${err.message}`);
  }
}

export function createDemo({ stateDir = join(here, 'state'), port = PORT } = {}) {
  const registry = new Map(loadRegistry().entries.map(({ entry }) => [entry.key, entry]));
  const entries = [...registry.values()];
  const state = createState(stateDir, ACCOUNT, join(here, 'sample-manifest.json'));
  /** The per-account tag of the last manifest asked for: [manifest JSON, publish version, script]. */
  let accountTag;
  /**
   * The per-account tag of the published manifest, as a publish regenerates it: the template with the
   * manifest inlined, built again only when the manifest changed. [manifest JSON, publish version, script], or
   * the problems as text. Lenient: an integration the hub holds with a bad identifier reports `invalid`,
   * as with the generic tag.
   */
  const currentTag = () => {
    const published = JSON.stringify(state.manifest());
    if (!accountTag || accountTag[0] !== published) {
      const { compiled, problems } = compileAccount(
        published,
        entries.map((entry) => ({ entry })),
        { lenient: true },
      );
      if (!compiled) return problems.map((p) => `${p.path}: ${p.message}`).join('\n');
      const js = accountScript(readFileSync(templatePath(compiled, join(root, 'dist')), 'utf8'), compiled);
      accountTag = [published, compiled[1], js];
    }
    return accountTag;
  };
  const outbox = createOutbox(join(stateDir, 'outbox'));

  const hub = createHub(stateDir, () => 1 + Math.max(0, ...state.manifest().integrations.map(idNumber)));

  const partnerOf = (key) => {
    const entry = typeof key === 'string' && registry.get(key);
    if (!entry) throw new HttpError(400, `unknown partner: ${JSON.stringify(key)}`);
    return entry;
  };
  /** The runtime's check; host names are stored lower-case, as browsers compare them. */
  const checked = (entry, identifiers) => {
    const result = validate(entry, identifiers);
    if (!result.ok) throw new HttpError(400, 'invalid identifiers', { errors: result.errors });
    return canonical(entry, result.values);
  };
  const find = (manifest, id) => {
    const integration = manifest.integrations.find((i) => i.id === id);
    if (!integration) throw new HttpError(404, `no integration ${JSON.stringify(id)}`);
    return integration;
  };
  /** The same partner with the same identifiers (host names without case, numbers by value) would load it twice. */
  const refuseDuplicate = (manifest, entry, values, except) => {
    const same = manifest.integrations.find(
      (i) =>
        i.id !== except &&
        i.partner === entry.key &&
        JSON.stringify(canonical(entry, i.identifiers || {})) === JSON.stringify(canonical(entry, values)),
    );
    if (same)
      throw new HttpError(409, `${entry.name} with these identifiers is already ${same.id}: edit that one instead`, {
        existing: same.id,
      });
  };
  /**
   * The site's CSP, as the merchant page serves it (the preset last chosen there), against
   * this partner: the `utt csp-check` engine, the same as verify mode's.
   */
  const siteCheck = (entry, identifiers) => {
    const name = hub.preset();
    const preset = PRESETS[name] || PRESETS.none;
    const nonce = 'hub-check';
    const policy = preset.meta ? preset.meta(entries) : preset.header(entries, nonce);
    if (!policy) return { ok: true, preset: name, evidence: 'the merchant page serves no CSP' };
    const { ok, results } = cspCheck({
      policies: [policy],
      origin: `http://localhost:${port}`,
      nonce,
      partner: { key: entry.key, values: identifiers || {} },
      registry: entries,
    });
    const failing = results.filter((r) => r.verdict !== 'allow');
    return {
      ok,
      preset: name,
      evidence: failing.length
        ? failing
            .map(
              (r) =>
                `${r.type} ${r.url}: ${r.verdict}${r.fix?.expression ? ` (fix: ${r.fix.directive}: add ${r.fix.expression})` : ''}`,
            )
            .join('; ')
        : `${results.length} request(s) allowed`,
    };
  };
  /** A mail to the partner's registry contact, in the outbox. */
  const mail = (entry, subject, lines) =>
    outbox.send({
      to: `${entry.name} <${entry.contact}>`,
      subject: `${subject}: ${entry.name} for account ${ACCOUNT}`,
      body: [`Hello ${entry.name} team,`, '', ...lines, '', '-- utt Partner Integrations Hub (local demo)'].join('\n'),
    });
  const described = (entry, identifiers) =>
    Object.entries(identifiers).map(([k, v]) => `${entry.identifiers[k]?.label ?? k} (${k}): ${v}`);

  const api = {
    'GET /api/partners': () => entries.map(partnerInfo),
    // Each integration with what QA needs to see: would it load (the runtime's own check), what the
    // merchant page last reported, and its history.
    'GET /api/integrations': () =>
      state.manifest().integrations.map((i) => {
        const entry = registry.get(i.partner);
        const v = entry ? validate(entry, i.identifiers) : { ok: false, rules: { partner: 'unknown' } };
        return {
          ...i,
          valid: v.ok,
          problems: Object.entries(v.rules || {}).map(([k, rule]) => `${k}: ${rule}`),
          last: hub.lastOutcome(i.id) ?? null,
          history: hub.history(i.id),
        };
      }),
    'GET /api/outbox': () => outbox.list(),
    'GET /api/presets': () => Object.entries(PRESETS).map(([name, p]) => ({ name, label: p.label })),
    'GET /api/site': () => ({ preset: hub.preset() }),
    // The merchant's three ways to embed utt, for the current publish, at the address the browser used.
    'GET /api/embed': (req) => {
      const built = currentTag();
      if (typeof built === 'string') throw new HttpError(500, built);
      const at = `http://${req.headers.host}`;
      return {
        version: built[1],
        generic: `<script async src="${at}/utt.js" data-account="${ACCOUNT}"></script>`,
        account: `<script async src="${at}/${ACCOUNT}.js"></script>`,
        inline: inlineTag(built[2], `${at}/`),
      };
    },
    'POST /api/reset': () => {
      hub.reset();
      return state.reset().integrations;
    },
    'POST /api/validate': async (req) => {
      const body = await readJson(req);
      const { ok, errors, url } = validate(partnerOf(body.partner), body.identifiers);
      return { ok, errors, url };
    },
    // The merchant page tells the hub what utt reported there.
    'POST /api/outcomes': async (req) => {
      const body = await readJson(req);
      if (!Array.isArray(body.outcomes) || body.outcomes.length > MAX_INTEGRATIONS)
        throw new HttpError(400, 'outcomes: an array of utt outcomes');
      hub.outcomes(body.outcomes);
      return { status: 204 };
    },
    // Add: saved disabled until it is published from the checklist.
    'POST /api/integrations': async (req) => {
      const body = await readJson(req);
      const entry = partnerOf(body.partner);
      const identifiers = checked(entry, body.identifiers);
      const integration = state.update((manifest) => {
        if (manifest.integrations.length >= MAX_INTEGRATIONS)
          throw new HttpError(
            409,
            `this account has ${manifest.integrations.length} integrations, the most utt accepts in one manifest: remove one first`,
          );
        refuseDuplicate(manifest, entry, identifiers);
        const load = loadOf(body);
        const added = { id: hub.nextId(), partner: entry.key, status: 'disabled', identifiers, ...(load && { load }) };
        manifest.integrations.push(added);
        const size = JSON.stringify(manifest, null, 2).length;
        // Thrown before the state is written: nothing is saved.
        if (size > MAX_BYTES)
          throw new HttpError(
            409,
            `the published manifest would be ${size} bytes, over the ${MAX_BYTES} utt accepts: remove an integration first`,
          );
        return added;
      });
      hub.record(integration.id, 'created', described(entry, identifiers).join(', '));
      let email;
      if (body.alert === true) {
        email = mail(entry, 'New utt integration', [
          `Merchant account ${ACCOUNT} has added an integration with ${entry.name} in the utt Partner Integrations Hub.`,
          '',
          `Integration: ${integration.id}`,
          ...described(entry, identifiers),
          '',
          'It goes live once the merchant publishes it.',
        ]);
        hub.record(integration.id, 'partner alerted', entry.contact);
      }
      return { status: 201, body: { integration, email } };
    },
  };

  const apiById = {
    // Edit identifier: a live integration goes back to disabled until it is verified and published again.
    PUT: async (req, id) => {
      const body = await readJson(req);
      let entry;
      let wasLive = false;
      const integration = state.update((manifest) => {
        const found = find(manifest, id);
        entry = partnerOf(found.partner);
        const identifiers = checked(entry, body.identifiers);
        refuseDuplicate(manifest, entry, identifiers, id);
        found.identifiers = identifiers;
        if ('load' in body) {
          const load = loadOf(body);
          if (load) found.load = load;
          else delete found.load;
        }
        wasLive = found.status === 'enabled';
        found.status = 'disabled';
        return found;
      });
      hub.record(id, 'edited', described(entry, integration.identifiers).join(', '));
      if (wasLive) hub.record(id, 'unpublished', 'edited while live: verify and publish it again');
      mail(entry, 'utt integration edited', [
        `Merchant account ${ACCOUNT} has changed integration ${id}:`,
        ...described(entry, integration.identifiers),
        '',
        wasLive ? 'It is paused until the merchant verifies and publishes it again.' : 'It is not live yet.',
      ]);
      return integration;
    },
    DELETE: (_req, id) => {
      const removed = state.update((manifest) => {
        const found = find(manifest, id);
        manifest.integrations = manifest.integrations.filter((i) => i.id !== id);
        return found;
      });
      hub.record(id, 'removed');
      const entry = registry.get(removed.partner);
      if (entry) mail(entry, 'utt integration removed', [`Merchant account ${ACCOUNT} has removed integration ${id}.`]);
      return { status: 204 };
    },
    // Publish now: the runtime's identifier check, and the site's CSP. A failed CSP check needs
    // `{ anyway: "<reason>" }`, recorded in the history; Publish later needs nothing.
    'POST publish': async (req, id) => {
      const body = await readJson(req, { optional: true });
      const anyway = typeof body.anyway === 'string' ? body.anyway.trim().slice(0, 500) : '';
      let entry;
      /** @type {ReturnType<typeof siteCheck> | undefined} */
      let check;
      const integration = state.update((manifest) => {
        const found = find(manifest, id);
        entry = partnerOf(found.partner);
        const v = validate(entry, found.identifiers);
        if (!v.ok)
          throw new HttpError(
            409,
            `${id} cannot be published: ${Object.entries(v.errors)
              .map(([k, m]) => `${k} ${m}`)
              .join('; ')}. Edit the identifier first`,
          );
        check = siteCheck(entry, found.identifiers);
        if (!check.ok && !anyway)
          throw new HttpError(
            409,
            `the site's CSP check failed (${check.preset}): ${check.evidence}. Fix the site's policy, or publish anyway with a reason`,
            { check, anyway: 'required' },
          );
        found.status = 'enabled';
        return found;
      });
      // The update ran its callback, which set `check` or threw.
      if (!check) throw new Error('publish: the update ran no CSP check');
      hub.record(id, 'verified', `site CSP (${check.preset}): ${check.ok ? 'pass' : 'fail'}, ${check.evidence}`);
      hub.record(id, check.ok ? 'published' : 'published anyway', check.ok ? '' : `reason: ${anyway}`);
      mail(entry, 'utt integration published', [
        `Merchant account ${ACCOUNT} has published integration ${id}:`,
        ...described(entry, integration.identifiers),
      ]);
      return integration;
    },
    'POST unpublish': (_req, id) => {
      const integration = state.update((manifest) => {
        const found = find(manifest, id);
        found.status = 'disabled';
        return found;
      });
      hub.record(id, 'unpublished');
      return integration;
    },
  };

  async function handle(req, res) {
    const { pathname, searchParams } = new URL(req.url, 'http://localhost');
    const send = (status, type, body, headers = {}) =>
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers }).end(body);
    const json = (status, body) => send(status, TYPES['.json'], status === 204 ? '' : JSON.stringify(body));

    if (pathname.startsWith('/api/')) {
      try {
        const m = /^\/api\/integrations\/([\w.:-]{1,64})(?:\/(publish|unpublish))?$/.exec(pathname);
        const handler = api[`${req.method} ${pathname}`] || (m && apiById[m[2] ? `${req.method} ${m[2]}` : req.method]);
        if (!handler) throw new HttpError(m || api[`GET ${pathname}`] ? 405 : 404, `no ${req.method} ${pathname}`);
        if (req.method !== 'GET') requireJson(req);
        const out = await handler(req, m?.[1]);
        if (
          out &&
          typeof out.status === 'number' &&
          Object.keys(out).length <= 2 &&
          ('body' in out || out.status === 204)
        )
          return json(out.status, out.body);
        return json(200, out);
      } catch (err) {
        if (!(err instanceof HttpError)) throw err;
        return json(err.status, { error: err.message, ...err.extra });
      }
    }

    if (pathname === '/shop') {
      const preset = searchParams.get('csp') || 'none';
      if (!PRESETS[preset]) return send(400, 'text/plain', `unknown csp preset: ${preset}\n`);
      // The CSP the merchant page serves is what the checklist starts from; the hub's own preview does not change it.
      if (!searchParams.has('preview')) hub.setPreset(preset);
      const nonce = randomBytes(16).toString('base64');
      const required = searchParams.get('consent') === 'required';
      const tag = TAGS.some(([name]) => name === searchParams.get('tag')) ? searchParams.get('tag') : 'generic';
      let inline;
      if (tag === 'inline') {
        const built = currentTag();
        if (typeof built === 'string') return send(500, 'text/plain', `${built}\n`);
        // utt's files from this server, at the address the browser used (the Host is checked above).
        inline = inlineTag(built[2], `http://${req.headers.host}/`, {
          nonce,
          'data-consent': required ? 'required' : 'default',
        });
      }
      const policy = PRESETS[preset].header(entries, nonce, inline?.hash);
      return send(
        200,
        TYPES['.html'],
        shopPage(entries, preset, nonce, required, tag, inline),
        policy ? { 'content-security-policy': policy } : {},
      );
    }
    // The per-account tag of the current publish: the file, or (.html) the <script> a merchant's server
    // writes into its pages, as `utt build-account --inline` writes it. One that has this publish gets a 304.
    const tagFile = pathname === `/${ACCOUNT}.js` ? '.js' : pathname === `/${ACCOUNT}.html` ? '.html' : '';
    if (tagFile) {
      const built = currentTag();
      if (typeof built === 'string') return send(500, 'text/plain', `${built}\n`);
      const [, version, js] = built;
      const etag = tagFile === '.js' ? `"${version}"` : `"${version}.html"`;
      const body = tagFile === '.js' ? js : `${inlineTag(js, `http://${req.headers.host}/`).html}\n`;
      const headers = { etag, 'cache-control': 'no-cache' };
      return req.headers['if-none-match'] === etag
        ? send(304, TYPES[tagFile], '', headers)
        : send(200, TYPES[tagFile], body, headers);
    }
    if (pathname === `/manifests/${ACCOUNT}.json`)
      return send(200, TYPES['.json'], JSON.stringify(state.manifest(), null, 2));
    if (pathname === '/partners.json') return send(200, TYPES['.json'], JSON.stringify(entries.map(partnerInfo)));
    // The service worker's emulated partner script for a script URL of a registry partner.
    if (pathname === '/emulate') {
      let target;
      try {
        target = new URL(searchParams.get('url') || '');
      } catch {
        return send(400, 'text/plain', 'url: not a URL\n');
      }
      const entry = target.protocol === 'https:' && entryForHost(entries, target.host);
      if (!entry) return send(404, 'text/plain', 'no partner serves that host\n');
      return send(200, TYPES['.js'], emulatedScript(entry, target.href, { mark: true }));
    }
    const dist = /^\/(utt(?:\.debug|\.csp|\.iab|\.cost)?\.js(?:\.map)?)$/.exec(pathname);
    if (dist) return send(200, TYPES['.js'], readFileSync(join(root, 'dist', dist[1])));
    const file = join(here, 'public', pathname === '/' ? 'hub.html' : pathname);
    // The hub's own pages: a strict policy, framed by nobody.
    const strict = {
      'content-security-policy':
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "frame-src 'self'; worker-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      'x-content-type-options': 'nosniff',
    };
    if (file.startsWith(join(here, 'public')) && extname(file) && existsSync(file) && !file.endsWith('shop.html'))
      // The service worker must control the whole origin.
      return send(
        200,
        TYPES[extname(file)] || 'application/octet-stream',
        readFileSync(file),
        pathname === '/sw.js' ? { 'service-worker-allowed': '/', ...strict } : strict,
      );
    return send(404, 'text/plain', `not found: ${pathname}\n`);
  }

  /**
   * The demo answers only for its own address: a Host of localhost, 127.0.0.1
   * or [::1] at its port (another name is DNS rebinding), and, on a request
   * that changes state, an Origin of that same host (another is a cross-site request).
   */
  const foreign = (req) => {
    const host = req.headers.host || '';
    const at = server.address();
    const own = new RegExp(`^(localhost|127\\.0\\.0\\.1|\\[::1\\]):${at && typeof at === 'object' ? at.port : port}$`);
    if (!own.test(host)) return `Host ${JSON.stringify(host)} is not this server`;
    const origin = req.headers.origin;
    if (req.method !== 'GET' && req.method !== 'HEAD' && origin !== undefined && origin !== `http://${host}`)
      return `Origin ${JSON.stringify(origin)} may not change this hub`;
    return '';
  };

  const server = createServer((req, res) => {
    const refused = foreign(req);
    if (refused) return res.writeHead(403, { 'content-type': 'text/plain' }).end(`${refused}\n`);
    handle(req, res).catch((err) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`${err.message}\n`);
    });
  });
  return {
    server,
    state,
    outbox,
    listen: () => new Promise((resolve) => server.listen(port, () => resolve(server))),
  };
}

/** Starts the demo on `port` (0: any free port). */
export const start = (port = PORT, stateDir) => createDemo({ port, stateDir }).listen();

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // Builds dist/ only when it is missing or older than src/, partners/ or the build config, and says so.
  const { ensureBuilt } = await import('../build/fresh.mjs');
  if (!ensureBuilt({ root })) console.log('dist/ is up to date');
  const demo = createDemo();
  await demo.listen();
  console.log(`utt demo (no internet needed)
  Partner Integrations Hub   http://localhost:${PORT}/
  merchant page              http://localhost:${PORT}/shop   (?csp=${Object.keys(PRESETS).join('|')}, &tag=account|inline)
  published manifest         http://localhost:${PORT}/manifests/${ACCOUNT}.json
  per-account tag            http://localhost:${PORT}/${ACCOUNT}.js, and for the page http://localhost:${PORT}/${ACCOUNT}.html
state: ${demo.state.file}
outbox: ${demo.outbox.dir}
Ctrl-C to stop.`);
}
