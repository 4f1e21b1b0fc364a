// `utt build-account`: a per-account tag, as GTM containers and impact.com's
// own UTT are. It checks an account's manifest against the registry with the
// runtime's own rules (src/manifest.ts, src/identifiers.ts,
// src/script-url.ts), then writes <account>.js: dist/utt.account.js with the
// account's integrations inlined. The page then makes no manifest request and
// runs no identifier check: only what needs the page (duplicates, CSP,
// consent) is left to the browser.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ACCOUNT_TEMPLATES, templateFor } from './account-templates.mjs';
import { CliError, readJson, readText } from './cli-error.mjs';
import { COMPILE_HINT } from './compile-hint.mjs';
import { loadSrc } from './load-src.mjs';
import { locate } from './locate.mjs';
import { PARTNERS_USAGE, registryDirs } from './partners-dir.mjs';
import { compileEntry, errorsOf, formatProblems, loadRegistry } from './registry.mjs';
import { validate } from './validate.mjs';

const { malformed, readManifest } = await loadSrc('src/manifest.ts');
const { LOADS } = await loadSrc('src/timing.ts');
const { encode } = await loadSrc('src/partner.ts');

/** What dist/utt.account.js holds in place of the account's data (src/entries/account.ts). */
export const PLACEHOLDER = `JSON.parse('"__UTT_ACCOUNT__"')`;

/**
 * The account's integrations as the runtime's `Compiled` tuple (src/compiled.ts),
 * or the problems found, each with its JSON path in the manifest. `lenient`
 * (the demo hub, which may hold an integration that would fail): an entry with
 * bad identifiers is compiled to report `invalid` with the runtime's reason, and one
 * whose partner is no longer in the registry to report `invalid` (`unknown-partner`).
 */
export function compileAccount(text, entries, { lenient = false } = {}) {
  const problems = [];
  const add = (path, message) => problems.push({ path, message });
  let json;
  try {
    json = JSON.parse(text);
  } catch (err) {
    add('', `not valid JSON: ${err.message}`);
    return { problems };
  }
  const account = json?.account;
  if (typeof account !== 'string' || !/^[\w-]{1,64}$/.test(account))
    add('/account', 'the account id must be 1-64 letters, digits, "_" or "-"');
  const list = readManifest(text, typeof account === 'string' ? account : '');
  if (typeof list === 'string') {
    add(list === 'integrations' || list === 'too-many' ? '/integrations' : `/${list}`, `not a utt manifest (${list})`);
    return { problems };
  }
  const byKey = new Map(entries.map(({ entry }) => [entry.key, entry]));
  const ids = new Set();
  const integrations = [];
  for (const [i, item] of list.entries()) {
    const at = `/integrations/${i}`;
    // Untrusted: malformed() checks each field before it is used.
    const { id, partner: key, status, identifiers = {}, load } = /** @type {Record<string, any>} */ (item ?? {});
    const bad = malformed(id, key, status, identifiers);
    if (bad) {
      add(`${at}/${bad}`, `malformed "${bad}"`);
      continue;
    }
    if (ids.has(id)) {
      add(`${at}/id`, `integration id "${id}" is used twice`);
      continue;
    }
    ids.add(id);
    const entry = byKey.get(key);
    if (!entry && lenient) {
      // A partner gone from the registry: the hub keeps the row, the tag reports it as the runtime would.
      integrations.push([id, key, 'unknown-partner', key]);
      continue;
    }
    if (!entry) {
      add(`${at}/partner`, `partner "${key}" is not in the registry`);
      continue;
    }
    if (status === 'disabled') {
      integrations.push([id, key]);
      continue;
    }
    const { ok, errors, rules, values, url } = validate(entry, identifiers);
    if (!ok && lenient) {
      const [name, rule] = Object.entries(rules)[0];
      integrations.push([id, key, 'invalid', name === '_' ? rule : `${name}: ${rule}`]);
      continue;
    }
    if (!ok) {
      for (const [name, message] of Object.entries(errors))
        add(name === '_' ? `${at}/identifiers` : `${at}/identifiers/${name}`, message);
      continue;
    }
    for (const name of Object.keys(identifiers))
      if (!Object.hasOwn(entry.identifiers, name))
        add(`${at}/identifiers/${name}`, `"${name}" is not an identifier of ${key}`);
    const c = compileEntry(entry);
    // A mapping that names an optional identifier this integration has not set can never be sent: left
    // out, so that a tag whose integrations set none carries no events code (its template has none).
    const ev = c.ev?.filter(([, , , optional]) => (optional || []).every(([name]) => values[name] != null));
    c.ev = ev?.length ? ev : null;
    const timing = load === undefined ? c._load : LOADS.indexOf(load);
    if (timing < 0) {
      add(`${at}/load`, `load must be one of ${LOADS.join(', ')}`);
      continue;
    }
    // The partner's wire form (src/partner.ts), with this integration's own load timing.
    const wire = encode({ ...c, _load: timing })[2];
    integrations.push([id, key, url, Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)])), wire]);
  }
  if (problems.length) return { problems };
  // The publish: a hash of what the tag does, not of the file's spacing.
  const version = createHash('sha256')
    .update(JSON.stringify([account, integrations]))
    .digest('hex')
    .slice(0, 12);
  return { problems, compiled: [account, version, integrations] };
}

/** Fills the template with the compiled account: the JS of <account>.js. */
export function accountScript(template, compiled) {
  const at = template.indexOf(PLACEHOLDER);
  if (at < 0 || template.indexOf(PLACEHOLDER, at + 1) >= 0)
    throw new Error('the template has no single account placeholder: rebuild it with npm run build');
  // JSON is a JS literal. `<` escaped keeps `</script>` out when the tag is inlined into HTML; every
  // non-ASCII code unit escaped (é, U+2028 in a merchant's value) makes the tag's bytes read the same
  // in any page encoding (windows-1252, Shift_JIS...), so its CSP hash and its values hold there.
  const literal = JSON.stringify(compiled).replace(
    /[<\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  const [account, version] = compiled;
  // The compile hint stays the first line, where V8 documents it.
  const hint = template.startsWith(COMPILE_HINT) ? COMPILE_HINT : '';
  // The template's source map no longer matches once the literal is in, and is not shipped.
  const rest = template.slice(at + PLACEHOLDER.length).replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
  return `${hint}/*! utt ${account} ${version} */${template.slice(hint.length, at)}${literal}${rest}`;
}

/**
 * The folder an inline tag loads utt's files from, checked: https (or http on a
 * loopback name, for a local server), no credentials, a folder (ending in /).
 * Returns the URL, or why not.
 */
export function baseURL(text) {
  let url;
  try {
    url = new URL(text);
  } catch {
    return { problem: 'not an absolute URL' };
  }
  const loopback = /^(localhost|127\.0\.0\.1|\[::1\]|[\w-]+\.localhost)$/.test(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    return { problem: 'must be https (http only on localhost)' };
  if (url.username || url.password) return { problem: 'must not carry credentials' };
  if (url.search || url.hash || !url.pathname.endsWith('/'))
    return { problem: 'must name a folder: end in / with no query or fragment' };
  return { href: url.href };
}

/**
 * The tag written into the page: `<script data-base>` around the tag's JS, and the
 * CSP source that allows it ('sha256-…', for a policy with hashes rather than a nonce).
 * `base` is a URL baseURL() accepted; `attrs`, more attributes (a server's nonce,
 * data-consent). Throws if the JS could end the script element early.
 */
export function inlineTag(js, base, attrs = {}) {
  // The HTML parser's script states: </script ends the element, <!-- with <script can hold it open.
  if (/<\/script|<!--|<script/i.test(js))
    throw new Error('the tag holds </script, <script or <!--: it cannot be inlined');
  // Only ASCII reads the same in every page encoding: anything else changes the hash on a non-UTF-8 page.
  if (/[^\0-\x7f]/.test(js)) throw new Error('the tag holds a non-ASCII character: it cannot be inlined');
  const hash = `'sha256-${createHash('sha256').update(js, 'utf8').digest('base64')}'`;
  const attr = (v) => String(v).replace(/[&"<>]|[^\0-\x7f]/gu, (c) => `&#${c.codePointAt(0)};`);
  const more = Object.entries(attrs).map(([k, v]) => ` ${k}="${attr(v)}"`);
  return { html: `<script data-base="${attr(base)}"${more.join('')}>${js}</script>`, hash };
}

/** The templates' folder: build/../dist, or dist/ itself in the installed CLI (dist/cli.mjs). */
const DIST = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');

/** The path of the template for a compiled account: the one with just the stages it uses (account-templates.mjs). */
export const templatePath = (compiled, dist = DIST) => join(dist, templateFor(compiled));

/** @type {import('./cli.mjs').Command} */
export const buildAccountCommand = {
  usage: `usage: utt build-account --manifest <file.json> --out <dir> [--inline <base URL>]

Checks the manifest against the partner registry and writes <dir>/<account>.js:
the runtime with that account's integrations inlined (no manifest request), built
from the template with just the stages they use (load timing, setup blocks, events).
utt.csp.js, utt.iab.js and utt.cost.js (in the package's dist/), and utt.events.js
when its partners map events, must sit beside it, or in the folder its data-base
attribute names.

  --inline <base URL>       also writes <dir>/<account>.html: the same tag as an inline
                            <script> to write into the page's HTML, which saves its round
                            trip. <base URL> is the folder that holds utt.csp.js, utt.iab.js
                            and utt.cost.js (https, ending in /). Prints the CSP hash of
                            the script; a page with a nonce-based CSP gives the <script>
                            its nonce instead.
${PARTNERS_USAGE}

Errors name the file, line and column. Exit 0 when written, 1 on a bad manifest, 2 on bad usage.`,
  options: {
    manifest: { type: 'string' },
    out: { type: 'string' },
    inline: { type: 'string' },
  },
  run({ values: args }) {
    if (!args.manifest || !args.out) throw new CliError('--manifest and --out are required', { usage: true });
    const base = args.inline === undefined ? undefined : baseURL(args.inline);
    if (base?.problem) throw new CliError(`--inline ${args.inline}: ${base.problem}`, { usage: true });
    const { entries, problems: registryProblems } = loadRegistry({ dirs: registryDirs(args.partners).dirs });
    if (errorsOf(registryProblems).length) {
      console.error(formatProblems(errorsOf(registryProblems)));
      return 1;
    }
    // A file that cannot be read or is not JSON stops here, in one line; a manifest that breaks a rule, below.
    const { text } = readJson(args.manifest, '--manifest');
    const { problems, compiled } = compileAccount(text, entries);
    if (!compiled) {
      console.error(
        formatProblems(problems.map((p) => ({ file: args.manifest, ...p, ...locate(text, p.path) }))) +
          `\n\n${problems.length} error(s): no tag written`,
      );
      return 1;
    }
    const templateFile = templatePath(compiled);
    if (!existsSync(templateFile)) throw new CliError(`${templateFile} is missing: run npm run build first`);
    const js = accountScript(readText(templateFile, 'the template'), compiled);
    mkdirSync(args.out, { recursive: true });
    const file = join(args.out, `${compiled[0]}.js`);
    writeFileSync(file, js);
    const enabled = compiled[2].filter((i) => i.length > 2).length;
    // The chunks it may load: utt.events.js only from a template with the events stage.
    const { events } = ACCOUNT_TEMPLATES.find((t) => t.file === basename(templateFile)) ?? {};
    console.log(
      `${file}: ${compiled[2].length} integration(s), ${enabled} enabled, version ${compiled[1]}, ${js.length} bytes (from ${basename(templateFile)})\n` +
        `  serve utt.csp.js, utt.iab.js${events ? ', utt.cost.js and utt.events.js' : ' and utt.cost.js'} (from ${relative(process.cwd(), DIST) || '.'}) beside it${base ? ` and at ${base.href}` : ''}: it loads them when a page needs them`,
    );
    if (base) {
      const { html, hash } = inlineTag(js, base.href);
      const snippet = join(args.out, `${compiled[0]}.html`);
      writeFileSync(snippet, `${html}\n`);
      console.log(
        `${snippet}: the tag to write into the page's HTML, utt's files from ${base.href}\n` +
          `  CSP: script-src ${hash} (this publish only), or the page's nonce on the <script>`,
      );
    }
    return 0;
  },
};
