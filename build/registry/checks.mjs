// The checks of an entry that its JSON Schema cannot express: the file name,
// identifier rules (regular expressions proven linear), the script template,
// CSP sources, SRI, the setup block. Each problem is an error.
import { basename } from 'node:path';
import { unanchored } from '../anchored.mjs';
import { badIntegrity } from '../integrity.mjs';
import { loadSrc } from '../load-src.mjs';
import { backtracking } from '../redos.mjs';
import { checkSetup } from '../setup.mjs';
import { templateURL } from '../template.mjs';
import { compileIdentifier } from './compile.mjs';
import { checkStubNames } from './inherited.mjs';

/** The runtime's own identifier check and URL builder: one implementation. */
const { checkIdentifier } = await loadSrc('src/identifiers.ts');
const { scriptURL } = await loadSrc('src/script-url.ts');
const { ALL, matchList } = await loadSrc('src/csp/match.ts');

/** Checks one parsed entry beyond its JSON Schema. Returns the problems found. */
export function checkEntry(entry, file) {
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
      const loose = unanchored(schema.pattern);
      if (loose) add(`${at}/pattern`, `"${schema.pattern}" ${loose}`);
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
  checkStubNames(entry, add);

  // An identifier must reach the vendor: a value the merchant enters that goes nowhere is a mistake.
  const used = new Set();
  const collect = (/** @type {unknown} */ v) => {
    if (typeof v === 'string') for (const [, name] of v.matchAll(/\{([^{}]*)\}/g)) used.add(name);
    else if (v && typeof v === 'object') for (const x of Object.values(v)) collect(x);
  };
  collect(entry.script);
  collect(entry.setup);
  // An optional identifier reaches the vendor through an events mapping only (build/setup.mjs refuses it elsewhere).
  const inScriptOrSetup = new Set(used);
  used.clear();
  collect(entry.events);
  for (const [name, schema] of Object.entries(entry.identifiers))
    if (schema.optional ? !used.has(name) : !inScriptOrSetup.has(name))
      add(
        `/identifiers/${name}`,
        schema.optional
          ? `"${name}" is optional and named by no events mapping: put {${name}} in one, or remove the identifier`
          : `"${name}" is used nowhere: put {${name}} in the script URL or the setup block, or remove the identifier`,
      );

  // What `utt partner new` leaves for the partner engineer to write: a merchant must never see it.
  const todo = (/** @type {unknown} */ v, /** @type {string} */ at) => {
    if (typeof v === 'string' && /^TODO\b/.test(v))
      problems.push({ file, path: at, message: `still the scaffold's "${v}": write it for merchants`, scaffold: true });
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) todo(x, `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
  };
  todo(entry, '');

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
    else if (entry.identifiers[name].optional)
      add(
        '/script',
        `{${name}} is optional, so only an events mapping may name it: the script URL needs every value it names`,
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

  // Every example passed its own schema above, so each has its checked value.
  const examples = /** @type {Record<string, string>} */ (
    Object.fromEntries(
      Object.entries(compiled).map(([name, spec]) => [name, checkIdentifier(spec, entry.identifiers[name].example)[0]]),
    )
  );
  if (!scriptURL(script, examples))
    add(
      '/script',
      'the URL built from the examples is not in normal form (lowercase host, no "." or ".." segments, no default port)',
    );
  return problems;
}
