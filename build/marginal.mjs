// What each partner adds to dist/utt.js, in brotli bytes: the built bundle
// against the same bundle with that partner's registry entry cut out.
import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants } from 'node:zlib';

const brotli = (text) =>
  brotliCompressSync(Buffer.from(text), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

/** The bundle's text without `"key":[...]` (and its comma) in the registry literal. */
function without(code, key) {
  const start = code.indexOf(`${JSON.stringify(key)}:[`);
  if (start < 0) throw new Error(`no registry entry "${key}" in the bundle`);
  let depth = 0;
  let i = code.indexOf('[', start);
  for (; i < code.length; i++) {
    const c = code[i];
    if (c === '"') for (i++; code[i] !== '"'; i++) i += code[i] === '\\' ? 1 : 0;
    else if (c === '{' || c === '[') depth++;
    else if ((c === '}' || c === ']') && --depth === 0) break;
  }
  let end = i + 1;
  let from = start;
  if (code[end] === ',') end++;
  else if (code[from - 1] === ',') from--;
  return code.slice(0, from) + code.slice(end);
}

/** key → brotli bytes that entry adds to the bundle at `file`. */
export function marginalBytes(keys, file = 'dist/utt.js') {
  const code = readFileSync(file, 'utf8');
  const full = brotli(code);
  return Object.fromEntries(keys.map((key) => [key, full - brotli(without(code, key))]));
}
