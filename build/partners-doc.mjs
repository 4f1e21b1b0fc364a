// partners/README.md, generated from the registry: what a merchant needs to
// know of each partner. `npm run registry:docs` writes it; a test fails when
// it is out of date.
import { existsSync, writeFileSync } from 'node:fs';
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

/** The page's text. Bytes are rounded to 5 so that unrelated code changes do not churn it. */
export function partnersDoc(bundle = 'dist/utt.js') {
  const { entries } = loadRegistry({ only: '' });
  const bytes = existsSync(bundle)
    ? marginalBytes(
        entries.map(({ entry }) => entry.key),
        bundle,
      )
    : {};
  const rows = entries.map(({ entry }) => {
    const ids = Object.entries(entry.identifiers)
      .map(([name, spec]) => `**${spec.label}** (\`${name}\`): ${describe(spec)}; e.g. \`${spec.example}\``)
      .join('<br>');
    const csp = Object.entries(entry.csp)
      .map(([directive, sources]) => `\`${directive}\` ${sources.join(' ')}`)
      .join('<br>');
    const size = bytes[entry.key] == null ? '?' : `≈${Math.round(bytes[entry.key] / 5) * 5} B`;
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
  writeFileSync(join(PARTNERS_DIR, 'README.md'), partnersDoc());
  console.log('wrote partners/README.md');
}
