// Loads partners/*.json, validates every entry, and compiles the registry
// into the module that src/registry.ts imports as 'utt:registry'.
// Used by rollup (build), vitest (tests), the demo and the command line.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import { formats } from './formats.mjs';
import { badIntegrity } from './integrity.mjs';
import { loadSrc } from './load-src.mjs';
import { locate } from './locate.mjs';
import { backtracking } from './redos.mjs';
import { checkSetup, compileSetup } from './setup.mjs';
import { templateURL } from './template.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const PARTNERS_DIR = join(root, 'partners');
/** The runtime's own identifier check and URL builder: one implementation. */
const { checkIdentifier } = await loadSrc('src/identifiers.ts');
const { scriptURL } = await loadSrc('src/script-url.ts');
const { ALL, matchList } = await loadSrc('src/csp/match.ts');
const { LOADS } = await loadSrc('src/timing.ts');
/** The consent categories, in the order of their bits: the runtime's own list. */
export const { CATEGORIES } = await loadSrc('src/consent/index.ts');

/**
 * @typedef {{ file: string, path: string, message: string }} Problem
 * @typedef {{ file: string, entry: any }} Loaded
 */

let validator;
function schemaValidator() {
  if (!validator) {
    const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
    validator = ajv.compile(JSON.parse(readFileSync(join(PARTNERS_DIR, 'schema.json'), 'utf8')));
  }
  return validator;
}

/** Turns an ajv error into a message that says what to change. */
function explain(err) {
  const p = err.params;
  switch (err.keyword) {
    case 'additionalProperties':
      return {
        path: `${err.instancePath}/${p.additionalProperty}`,
        message: `unknown field "${p.additionalProperty}": remove it, or check its spelling against partners/schema.json`,
      };
    case 'required':
      return {
        path: `${err.instancePath}/${p.missingProperty}`,
        message: `missing required field "${p.missingProperty}": add it (partners/schema.json describes it)`,
      };
    case 'propertyNames':
      return { path: `${err.instancePath}/${p.propertyName}`, message: `invalid name "${p.propertyName}"` };
    case 'enum':
      return {
        path: err.instancePath,
        message: `must be one of ${p.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`,
      };
    default:
      return { path: err.instancePath, message: err.message };
  }
}

/** The identifier's JSON Schema subset, compiled to the runtime's table form. */
export function compileIdentifier(name, schema) {
  const out = { _name: name };
  const integer = schema.type === 'integer';
  if (integer) out._integer = 1;
  const min = integer ? schema.minimum : schema.minLength;
  const max = integer ? schema.maximum : schema.maxLength;
  if (min != null) out._min = min;
  if (max != null) out._max = max;
  const tests = [];
  if (schema.pattern) tests.push([schema.pattern, 'pattern']);
  if (schema.format) tests.push([formats[schema.format], 'format']);
  if (schema.enum) {
    const literal = (v) => String(v).replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
    tests.push([`^(?:${schema.enum.map(literal).join('|')})$`, 'enum']);
  }
  if (tests.length) out._tests = tests;
  return out;
}

/** Checks one parsed entry beyond its JSON Schema. Returns the problems found. */
function checkEntry(entry, file) {
  const problems = [];
  const add = (path, message) => problems.push({ file, path, message });
  const key = basename(file, '.json');
  if (entry.key !== key) add('/key', `key "${entry.key}" must equal the file name "${key}"`);

  const compiled = {};
  for (const [name, schema] of Object.entries(entry.identifiers)) {
    const at = `/identifiers/${name}`;
    const integer = schema.type === 'integer';
    const onlyFor = integer ? ['pattern', 'minLength', 'maxLength', 'format'] : ['minimum', 'maximum'];
    for (const k of onlyFor) if (k in schema) add(`${at}/${k}`, `"${k}" does not apply to type ${schema.type}`);
    if (schema.pattern) {
      try {
        new RegExp(schema.pattern, 'u');
      } catch (err) {
        add(`${at}/pattern`, `not a valid regular expression: ${err.message}`);
        continue;
      }
      const unsafe = backtracking(schema.pattern);
      if (unsafe) add(`${at}/pattern`, unsafe);
    }
    for (const [lo, hi] of [
      ['minLength', 'maxLength'],
      ['minimum', 'maximum'],
    ])
      if (schema[lo] != null && schema[hi] != null && schema[lo] > schema[hi])
        add(`${at}/${lo}`, `${lo} is above ${hi}`);
    for (const [i, v] of (schema.enum || []).entries())
      if (typeof v !== (integer ? 'number' : 'string'))
        add(`${at}/enum/${i}`, `enum value ${JSON.stringify(v)} is not of type ${schema.type}`);
    compiled[name] = compileIdentifier(name, schema);
    const [, rule] = checkIdentifier(compiled[name], schema.example);
    if (rule) add(`${at}/example`, `example ${JSON.stringify(schema.example)} fails its own schema (${rule})`);
  }

  if (entry.integrity) {
    const bad = badIntegrity(entry.integrity);
    if (bad) add('/integrity', bad);
  }

  checkSetup(entry, add);

  const tcf = entry.consent?.tcf;
  if (tcf)
    for (const [i, p] of (tcf.legitimateInterests || []).entries()) {
      if (!tcf.purposes.includes(p))
        add(`/consent/tcf/legitimateInterests/${i}`, `purpose ${p} is not among the purposes`);
      // TCF v2.2 policy: purposes 1, 3, 4, 5 and 6 need consent.
      if ([1, 3, 4, 5, 6].includes(p))
        add(`/consent/tcf/legitimateInterests/${i}`, `purpose ${p} cannot rest on legitimate interest under TCF v2.2`);
    }

  const script = entry.script;
  const placeholders = [...script.matchAll(/\{([^{}]*)\}/g)];
  if (/[{}]/.test(script.replace(/\{[^{}]*\}/g, ''))) add('/script', 'unbalanced "{" or "}" in the template');
  for (const [, name] of placeholders)
    if (!Object.hasOwn(entry.identifiers, name))
      add(
        '/script',
        `placeholder {${name}} is not a declared identifier (declared: ${Object.keys(entry.identifiers).join(', ')})`,
      );
  if (!script.startsWith('https://')) {
    add('/script', 'script URL must start with https://');
    return problems;
  }
  const authorityEnd = script.slice(8).search(/[/?#]/) + 8;
  if (authorityEnd < 8 || (placeholders.length && placeholders[0].index < authorityEnd)) {
    add('/script', 'placeholders may stand only in the path or the query, after the host');
    return problems;
  }
  let url;
  try {
    url = templateURL(script);
  } catch {
    add('/script', 'not a valid URL');
    return problems;
  }
  if (url.username || url.password) add('/script', 'the URL must not carry credentials');
  if (url.hash) add('/script', 'the URL must not have a fragment');
  // The runtime's own matcher: allowed by every engine, as the page's policy will judge it.
  if (matchList(entry.csp['script-src'], url, url) !== ALL)
    add('/csp/script-src', `does not cover the script origin ${url.origin}: add "${url.origin}"`);
  if (problems.length) return problems;

  const examples = Object.fromEntries(
    Object.entries(compiled).map(([name, spec]) => [name, checkIdentifier(spec, entry.identifiers[name].example)[0]]),
  );
  if (!scriptURL(script, examples))
    add(
      '/script',
      'the URL built from the examples is not in normal form (lowercase host, no "." or ".." segments, no default port)',
    );
  return problems;
}

/**
 * Entries that build but put merchants at risk: the `utt check` warnings.
 * They do not fail the build.
 */
export function riskWarnings(entry, file) {
  const warnings = [];
  const warn = (path, message) => warnings.push({ file, path, message, severity: 'warning' });
  for (const [directive, sources] of Object.entries(entry.csp))
    for (const [i, source] of sources.entries()) {
      const host = source.replace(/^https:\/\//, '');
      if (/^(https?:|\*)$/.test(source) || /^\*\.[^.]+$/.test(host))
        warn(`/csp/${directive}/${i}`, `"${source}" is wider than a partner needs: name its own host(s)`);
    }
  const pathPart = entry.script.replace(/^https:\/\/[^/]+/, '').split('?')[0];
  for (const [, name] of pathPart.matchAll(/\{(\w+)\}/g)) {
    const spec = entry.identifiers[name];
    if (spec && !spec.enum && spec.type !== 'integer' && spec.format !== 'uuid')
      warn(
        '/script',
        `{${name}} in the path lets the merchant's value pick the file: constrain it (enum, uuid, integer) or move it to the query`,
      );
  }
  if (!entry.integrity && /\/v?\d+\.\d+(\.\d+)?\//.test(pathPart))
    warn('/script', 'a versioned script URL without "integrity": add its SRI hash (sha384-...)');
  const cats = entry.consent?.categories || [];
  if (entry.load === 'interaction' && cats.some((c) => c === 'advertising' || c === 'analytics'))
    warn(
      '/load',
      'an advertising or analytics partner loaded at the first interaction misses every visit that bounces (and its conversions): keep "now", or use "idle"',
    );
  if (!/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(entry.contact))
    warn('/contact', `"${entry.contact}" is not an e-mail address: the hub's "alert the partner" sends mail there`);
  return warnings;
}

/**
 * Reads and checks every partner entry, from partners/ and from any folder
 * listed in UTT_PARTNER_DIRS (comma-separated: private entries kept elsewhere).
 * `only`: keep just these keys (UTT_PARTNERS, comma-separated).
 * @returns {{ entries: Loaded[], problems: Problem[] }}
 */
export function loadRegistry({
  dirs = [PARTNERS_DIR, ...(process.env.UTT_PARTNER_DIRS || '').split(',').filter(Boolean)],
  only = process.env.UTT_PARTNERS,
} = {}) {
  const keep = only
    ? new Set(
        only
          .split(',')
          .map((k) => k.trim())
          .filter(Boolean),
      )
    : undefined;
  const entries = [];
  const problems = [];
  const seen = new Map();
  const validate = schemaValidator();
  for (const dir of dirs) {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.json') && f !== 'schema.json')
      .filter((f) => !keep || keep.has(basename(f, '.json')))
      .sort();
    for (const name of files) {
      const path = join(dir, name);
      const file = relative(process.cwd(), path) || path;
      let entry;
      const text = readFileSync(path, 'utf8');
      try {
        entry = JSON.parse(text);
      } catch (err) {
        const at = /position (\d+)/.exec(err.message);
        const before = text.slice(0, at ? Number(at[1]) : 0).split('\n');
        problems.push({
          file,
          path: '',
          message: `not valid JSON: ${err.message}`,
          line: before.length,
          column: before[before.length - 1].length + 1,
        });
        continue;
      }
      const found = validate(entry) ? [] : validate.errors.map((err) => ({ file, ...explain(err) }));
      // The checks beyond the schema run too when the entry's shape allows, so one pass shows every problem.
      const shaped =
        typeof entry?.script === 'string' &&
        Object.values(entry.identifiers ?? 0).every((v) => v && typeof v === 'object') &&
        Array.isArray(entry.csp?.['script-src']);
      if (shaped) found.push(...checkEntry(entry, file));
      if (seen.has(entry.key))
        found.push({ file, path: '/key', message: `duplicate key "${entry.key}", also in ${seen.get(entry.key)}` });
      else seen.set(entry.key, file);
      if (shaped) found.push(...riskWarnings(entry, file));
      for (const p of found) Object.assign(p, locate(text, p.path));
      problems.push(...found);
      if (!found.some((p) => p.severity !== 'warning')) entries.push({ file, entry });
    }
  }
  if (keep)
    for (const k of keep)
      if (!seen.has(k))
        problems.push({ file: 'UTT_PARTNERS', path: '', message: `no partner "${k}" in ${dirs.join(', ')}` });
  return { entries, problems };
}

/** The runtime's view of one entry (see src/compiled.ts, Partner). */
export function compileEntry(entry) {
  const out = {
    _script: entry.script,
    _ids: Object.entries(entry.identifiers).map(([name, schema]) => compileIdentifier(name, schema)),
  };
  if (entry.integrity) out._integrity = entry.integrity;
  if (entry.crossorigin) out._crossorigin = entry.crossorigin;
  const consent = entry.consent;
  if (consent) {
    const c = {};
    // Bit sets keep the bundle small: bit i of _cats is CATEGORIES[i], bit p of a purpose set is purpose p.
    const bits = (list, index) => list.reduce((sum, x) => sum | (1 << index(x)), 0);
    if (consent.categories?.length) c._cats = bits(consent.categories, (x) => CATEGORIES.indexOf(x));
    if (consent.sale) c._sale = 1;
    if (consent.tcf)
      c._tcf = [
        consent.tcf.vendor,
        bits(consent.tcf.purposes, (p) => p),
        bits(consent.tcf.legitimateInterests || [], (p) => p),
      ];
    if (Object.keys(c).length) out._consent = c;
  }
  const needs = ['connect', 'img', 'frame'].flatMap((type) => (entry.csp[`${type}-src`] || []).map((s) => [type, s]));
  if (needs.length) out._needs = needs;
  if (entry.setup) out._setup = compileSetup(entry.setup);
  // An index of LOADS (src/timing.ts); `now` is left out.
  if (entry.load && entry.load !== 'now') out._load = LOADS.indexOf(entry.load);
  return out;
}

/** The source of the 'utt:registry' module. Keys starting with `_` stay unquoted so terser can mangle them. */
export function compileRegistry(entries) {
  const js = (v) =>
    Array.isArray(v)
      ? `[${v.map(js).join(',')}]`
      : v && typeof v === 'object'
        ? `{${Object.entries(v)
            .map(([k, x]) => `${/^_\w+$/.test(k) ? k : JSON.stringify(k)}:${js(x)}`)
            .join(',')}}`
        : formatNames.get(v) || JSON.stringify(v);
  const formatNames = new Map(Object.entries(formats).map(([name, source]) => [source, `${name}Format`]));
  const registry = Object.fromEntries(entries.map(({ entry }) => [entry.key, compileEntry(entry)]));
  const body = js(registry);
  // Each format's regular expression once, however many partners use it.
  const shared = Object.entries(formats)
    .filter(([name]) => body.includes(`${name}Format`))
    .map(([name, source]) => `const ${name}Format = ${JSON.stringify(source)};\n`);
  return `// Generated by build/registry.mjs from partners/*.json. Do not edit.\n${shared.join('')}export default ${body};\n`;
}

/** Formats problems one a line: `file:LINE:COLUMN: error /json/path: message`. */
export const formatProblems = (problems) =>
  problems
    .map(
      (p) =>
        `${p.file}${p.line ? `:${p.line}:${p.column}` : ''}: ${p.severity || 'error'} ${p.path || '/'}: ${p.message}`,
    )
    .join('\n');

export const errorsOf = (problems) => problems.filter((p) => p.severity !== 'warning');
