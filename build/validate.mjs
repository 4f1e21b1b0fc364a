// Identifier values checked with the runtime's own code (src/identifiers.ts
// and src/script-url.ts), for the hub and `utt csp-check`: what they accept
// is what utt.js will load.
import { loadSrc } from './load-src.mjs';
import { compileEntry } from './registry.mjs';

const { checkIdentifiers, MAX_VALUE } = await loadSrc('src/identifiers.ts');
const { scriptURL } = await loadSrc('src/script-url.ts');

/** A sentence for each rule the runtime reports. */
function message(rule, schema) {
  switch (rule) {
    case 'missing':
      return 'required';
    case 'type':
      return schema.type === 'integer' ? 'must be a whole number' : 'must be text';
    case 'minLength':
      return `must be at least ${schema.minLength} characters`;
    case 'maxLength':
      return `must be at most ${schema.maxLength ?? MAX_VALUE} characters`;
    case 'minimum':
      return `must be ${schema.minimum} or more`;
    case 'maximum':
      return `must be ${schema.maximum} or less`;
    case 'enum':
      return `must be one of ${schema.enum.join(', ')}`;
    case 'format':
      return schema.format === 'uuid'
        ? 'must be a UUID like 3f2c8a1e-9b7d-4c5e-8f10-2a6b4d9e7c31'
        : 'must be a host name like shop.example.com';
    default:
      return `does not have the expected format, e.g. ${schema.example}`;
  }
}

/**
 * Checks the values entered for a partner. Returns `{ ok, errors, rules, values, url }`:
 * per-identifier messages and the runtime's rule names, the canonical values,
 * and the script URL utt will load.
 */
export function validate(entry, given) {
  const errors = {};
  const rules = {};
  const values = {};
  const [checked, broken] = checkIdentifiers(compileEntry(entry)._ids, given);
  for (const [name, rule] of broken) {
    rules[name] = rule;
    errors[name] = message(rule, entry.identifiers[name]);
  }
  for (const [name, value] of Object.entries(checked))
    values[name] = entry.identifiers[name].type === 'integer' ? Number(value) : value;
  let url;
  if (!broken.length) {
    url = scriptURL(entry.script, checked);
    if (!url) {
      rules._ = 'script url';
      errors._ = 'these values would build a script URL outside the partner template';
    }
  }
  return { ok: !Object.keys(errors).length, errors, rules, values, url };
}
