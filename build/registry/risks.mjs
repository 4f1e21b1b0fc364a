// Entries that build but put merchants at risk: `utt check` prints these as
// warnings, and they never fail the build.

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
