// Loads partners/*.json, validates every entry, and compiles the registry
// into the module that src/registry.ts imports as 'utt:registry'.
// Used by rollup (build), vitest (tests), the demo and the command line.
// One job a file, in build/registry/: the schema's messages, the checks
// beyond it, the risk warnings, compiling, formatting.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { why } from './cli-error.mjs';
import { locate, locateJsonError } from './locate.mjs';
import { PARTNERS_DIR } from './partners-dir.mjs';
import { checkEntry } from './registry/checks.mjs';
import { explain, schemaValidator } from './registry/messages.mjs';
import { riskWarnings } from './registry/risks.mjs';

export { PARTNERS_DIR } from './partners-dir.mjs';
export { compileEntry, compileEventMaps, compileIdentifier, compileRegistry } from './registry/compile.mjs';
export { errorsOf, formatProblems } from './registry/format.mjs';

/**
 * @typedef {{ file: string, path: string, message: string, severity?: string, scaffold?: boolean }} Problem
 * @typedef {{ file: string, entry: any }} Loaded
 */

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
      let text;
      try {
        text = readFileSync(path, 'utf8');
      } catch (err) {
        problems.push({ file, path: '', message: `cannot read it (${why(err)})`, line: 1, column: 1 });
        continue;
      }
      try {
        entry = JSON.parse(text);
      } catch (err) {
        problems.push({ file, path: '', message: `not valid JSON: ${err.message}`, ...locateJsonError(text, err) });
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
