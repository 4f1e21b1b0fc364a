// partners/README.md, generated from the registry: what a merchant needs to
// know of each partner. `npm run registry:docs` writes it; a test fails when
// it is out of date.
import { existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { loadSrc } from './load-src.mjs';
import { marginalBytes } from './marginal.mjs';
import { loadRegistry, PARTNERS_DIR } from './registry.mjs';

const { MAX_VALUE } = await loadSrc('src/identifiers.ts');

const describe = (spec) => {
  const parts = [spec.format || spec.type];
  if (spec.enum) parts.push(`one of ${spec.enum.map((v) => `\`${v}\``).join(', ')}`);
  if (spec.pattern) parts.push(`pattern \`${spec.pattern.replace(/\|/g, '\\|')}\``);
  if (spec.minLength != null || spec.maxLength != null)
    parts.push(`${spec.minLength ?? 0}–${spec.maxLength ?? MAX_VALUE} chars`);
  if (spec.minimum != null || spec.maximum != null) parts.push(`${spec.minimum ?? '…'}–${spec.maximum ?? '…'}`);
  return parts.join(', ');
};

const consentOf = (c) => {
  if (!c) return 'none';
  const out = [];
  if (c.categories?.length) out.push(c.categories.join(', '));
  if (c.sale) out.push('sells or shares data (GPC, GPP opt-outs apply)');
  if (c.tcf)
    out.push(
      `TCF vendor ${c.tcf.vendor}, purposes ${c.tcf.purposes.join(', ')}${c.tcf.legitimateInterests?.length ? ` (legitimate interest: ${c.tcf.legitimateInterests.join(', ')})` : ''}`,
    );
  return out.join('; ');
};

/** How far a partner's measured bytes may drift before the page says a new figure (the test allows the same). */
export const BYTES_SLACK = 10;

/** key → the bytes a written partners/README.md gives that partner (`≈N B`). */
const writtenBytes = (text) =>
  Object.fromEntries(
    [...text.matchAll(/^\| .*?\(`([a-z0-9-]+)`\) \|.*\| ≈(\d+) B \|$/gm)].map((m) => [m[1], Number(m[2])]),
  );

/**
 * The page's text. Bytes are rounded to 5. `previous`: the bytes the page gave before (key → B); a partner's
 * figure stays as it was while the measure is within BYTES_SLACK of it, so that adding one partner (which moves
 * every other's brotli figure by a few bytes) changes only that partner's row.
 */
export function partnersDoc(bundle = 'dist/utt.js', previous = {}) {
  const { entries } = loadRegistry({ only: '' });
  const bytes = existsSync(bundle)
    ? marginalBytes(
        entries.map(({ entry }) => entry.key),
        bundle,
      )
    : {};
  const rows = entries.map(({ entry }) => {
    const ids = Object.entries(entry.identifiers)
      .map(
        ([name, spec]) =>
          `**${spec.label}** (\`${name}\`${spec.optional ? ', optional: events only' : ''}): ${describe(spec)}; e.g. \`${spec.example}\``,
      )
      .join('<br>');
    const csp = Object.entries(entry.csp)
      .map(([directive, sources]) => `\`${directive}\` ${sources.join(' ')}`)
      .join('<br>');
    const measured = bytes[entry.key];
    const kept = previous[entry.key];
    const size =
      measured == null
        ? '?'
        : `≈${kept != null && Math.abs(kept - measured) <= BYTES_SLACK ? kept : Math.round(measured / 5) * 5} B`;
    return `| ${entry.name} (\`${entry.key}\`) | ${ids} | ${csp} | ${consentOf(entry.consent)} | ${size} |`;
  });
  return `# Partners

Generated from \`partners/*.json\` by \`npm run registry:docs\`; do not edit. A test fails when it is out of date.

What each partner needs from a merchant: the identifiers to enter in the hub, the Content-Security-Policy sources to add, the consent it waits for, and what it adds to \`dist/utt.js\` (brotli).

| partner | identifiers | CSP sources to add | consent | bytes |
| --- | --- | --- | --- | --- |
${rows.join('\n')}

To add a partner, see [CONTRIBUTING.md](../CONTRIBUTING.md).
`;
}

if (process.argv[1] && import.meta.url.endsWith(`/${basename(process.argv[1])}`)) {
  const file = join(PARTNERS_DIR, 'README.md');
  writeFileSync(file, partnersDoc(undefined, existsSync(file) ? writtenBytes(readFileSync(file, 'utf8')) : {}));
  // The page is made from the entries: it takes the time of the newest one, so that `npm run demo` (which
  // builds when partners/ is newer than dist/) does not build a second time for a page that changes nothing.
  const newest = Math.max(
    ...readdirSync(PARTNERS_DIR)
      .filter((f) => f.endsWith('.json'))
      .map((f) => statSync(join(PARTNERS_DIR, f)).mtimeMs),
  );
  utimesSync(file, newest / 1000, newest / 1000);
  console.log('wrote partners/README.md');
}
