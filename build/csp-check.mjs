// `utt csp-check`: what a page's Content-Security-Policy does to the requests
// utt would make, with the exact fix. Same engine as the runtime (src/csp/).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadSrc } from './load-src.mjs';
import { compileEntry, loadRegistry } from './registry.mjs';
import { validate } from './validate.mjs';

const { addSource, check } = await loadSrc('src/csp/check.ts');
const { parsePolicies, serializePolicy } = await loadSrc('src/csp/parse.ts');
const { ENGINE_NAMES } = await loadSrc('src/csp/match.ts');
const { sampleURL } = await loadSrc('src/csp/page.ts');

export const USAGE = `usage: utt csp-check [policy] [page] <what> [--json]

policy (at least one):
  --policy "<policy>"        an enforced policy (repeatable; commas separate several)
  --report-only "<policy>"   a report-only policy (repeatable)
  --header-file <file>       raw response headers; reads Content-Security-Policy(-Report-Only)
page:
  --origin <origin>          the page's origin (for 'self' and scheme-less sources), required
  --nonce <value>            the nonce on utt's own tag, which utt passes on to partners
what:
  --url <url> [--type script|connect|img|frame]
  --partner <key> --id name=value [--id ...]
  --manifest <file>          every enabled integration of a manifest

Exit status: 0 allowed everywhere, 1 blocked or varies somewhere, 2 bad input.`;

class InputError extends Error {}

/** Reads the arguments into the policies, the page and the requests to check. */
export function parseInput(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        policy: { type: 'string', multiple: true },
        'report-only': { type: 'string', multiple: true },
        'header-file': { type: 'string' },
        origin: { type: 'string' },
        nonce: { type: 'string' },
        url: { type: 'string' },
        type: { type: 'string' },
        partner: { type: 'string' },
        id: { type: 'string', multiple: true },
        manifest: { type: 'string' },
        json: { type: 'boolean' },
      },
    }));
  } catch (err) {
    throw new InputError(err.message);
  }
  const enforced = (values.policy || []).join(',');
  const reportOnly = (values['report-only'] || []).join(',');
  let headerEnforced = '';
  let headerReport = '';
  if (values['header-file']) {
    let text;
    try {
      text = readFileSync(values['header-file'], 'utf8');
    } catch (err) {
      throw new InputError(`cannot read --header-file: ${err.message}`);
    }
    for (const line of text.split(/\r?\n/)) {
      const m = /^\s*(content-security-policy(-report-only)?)\s*:\s*(.*)$/i.exec(line);
      if (!m) continue;
      if (m[2]) headerReport += `,${m[3]}`;
      else headerEnforced += `,${m[3]}`;
    }
  }
  const policies = parsePolicies(`${enforced},${headerEnforced}`);
  const reportOnlyPolicies = parsePolicies(`${reportOnly},${headerReport}`);
  if (!policies.length && !reportOnlyPolicies.length)
    throw new InputError('no policy: give --policy, --report-only or --header-file');
  if (!values.origin) throw new InputError('--origin is required (the origin of the page the policy is served with)');
  let self;
  try {
    self = new URL(values.origin);
  } catch {
    throw new InputError(`--origin is not a URL: ${values.origin}`);
  }
  const requests = targets(values);
  return { policies, reportOnly: reportOnlyPolicies, self, nonce: values.nonce, requests, json: !!values.json };
}

const TYPES = ['script', 'connect', 'img', 'frame'];

/** The requests utt would make for the given --url, --partner or --manifest. */
function targets(values) {
  const given = ['url', 'partner', 'manifest'].filter((k) => values[k]);
  if (given.length !== 1) throw new InputError('say what to check: exactly one of --url, --partner, --manifest');
  if (values.url) {
    const type = values.type || 'script';
    if (!TYPES.includes(type)) throw new InputError(`--type must be one of ${TYPES.join(', ')}`);
    let url;
    try {
      url = new URL(values.url);
    } catch {
      throw new InputError(`--url is not a URL: ${values.url}`);
    }
    return [{ label: values.url, type, url }];
  }
  const registry = new Map(loadRegistry().entries.map(({ entry }) => [entry.key, entry]));
  const integrations = [];
  if (values.partner) {
    const ids = {};
    for (const pair of values.id || []) {
      const i = pair.indexOf('=');
      if (i < 1) throw new InputError(`--id takes name=value, not ${pair}`);
      ids[pair.slice(0, i)] = pair.slice(i + 1);
    }
    integrations.push({ id: values.partner, partner: values.partner, identifiers: ids });
  } else {
    let manifest;
    try {
      manifest = JSON.parse(readFileSync(values.manifest, 'utf8'));
    } catch (err) {
      throw new InputError(`cannot read --manifest: ${err.message}`);
    }
    if (!Array.isArray(manifest?.integrations)) throw new InputError('--manifest has no "integrations" list');
    integrations.push(...manifest.integrations.filter((i) => i?.status === 'enabled'));
  }
  return integrations.flatMap((integration) => requestsFor(integration, registry));
}

/**
 * What utt would request for one integration: its script, then each declared need.
 * @typedef {{ label: string, error?: string, type?: string, url?: URL, integrity?: string, source?: string }} Request
 * @returns {Request[]}
 */
function requestsFor({ id, partner: key, identifiers = {} }, registry) {
  const entry = registry.get(key);
  const label = `${id} (${key})`;
  if (!entry) return [{ label, error: `unknown partner "${key}"` }];
  const { rules, url } = validate(entry, identifiers);
  const [name, rule] = Object.entries(rules)[0] || [];
  if (name) return [{ label, error: name === '_' ? 'script URL leaves the template' : `identifier ${name}: ${rule}` }];
  /** @type {Request[]} */
  const out = [{ label, type: 'script', url: new URL(url), integrity: entry.integrity }];
  // The partner's other needs, as the runtime and verify mode check them (its compiled `_needs`).
  for (const [type, source] of compileEntry(entry)._needs || [])
    out.push({ label, type, url: sampleURL(source), source });
  return out;
}

/** Runs every check. Returns the results and the corrected policies. */
export function run(input) {
  const fixes = input.policies.map(() => new Map());
  const results = input.requests.map((r) => {
    if (r.error) return { target: r.label, verdict: 'invalid', error: r.error };
    const result = check(input.policies, input.reportOnly, {
      url: r.url,
      type: r.type,
      self: input.self,
      nonce: input.nonce,
      integrity: r.integrity,
      // Offline, utt's own tag is trusted only by the nonce it is said to carry.
      untrusted: !input.nonce,
    });
    const out = {
      target: r.label,
      type: r.type,
      url: r.source || r.url.href,
      verdict: result.verdict,
      directive: result.directive,
      engines: Object.fromEntries(ENGINE_NAMES.map(([n, bit]) => [n, result.engines & bit ? 'allow' : 'block'])),
      reportOnly: result.reportOnly,
    };
    // No source fixes 'strict-dynamic' (it ignores host sources): utt's own tag needs the nonce.
    if (result.fix?.nonce) {
      out.policy = result.policy;
      out.fix = {
        directive: result.directive,
        nonce: true,
        note: "'strict-dynamic' ignores host sources, so adding the partner's host does nothing: give utt's own <script> tag the page's nonce (and pass --nonce)",
      };
      return out;
    }
    if (result.fix) {
      out.policy = result.policy;
      out.fix = { directive: result.fix.directive, expression: result.fix.expression };
      fixes[result.policy].set(`${result.fix.directive} ${result.fix.expression}`, result.fix);
    }
    return out;
  });
  const corrected = input.policies.map((policy, i) => {
    let fixed = policy;
    for (const { directive, expression } of fixes[i].values()) fixed = addSource(fixed, directive, expression);
    return { original: serializePolicy(policy), corrected: serializePolicy(fixed), changed: fixes[i].size > 0 };
  });
  const ok = results.every((r) => r.verdict === 'allow');
  return { ok, results, policies: corrected };
}

/** A readable table of the results. */
function format({ results, policies }) {
  const rows = results.map((r) => [
    r.verdict.toUpperCase(),
    r.target,
    r.type || '',
    r.url || '',
    r.error ||
      (r.fix?.nonce
        ? "nonce on utt's tag"
        : r.fix
          ? `${r.fix.directive}: add ${r.fix.expression}`
          : r.directive || '(no directive applies)'),
  ]);
  const head = ['VERDICT', 'TARGET', 'TYPE', 'URL', 'DIRECTIVE / FIX'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const out = [line(head), ...rows.map(line)];
  for (const r of results) {
    if (r.verdict === 'varies')
      out.push(
        `\nvaries: ${r.url} (${Object.entries(r.engines)
          .map(([n, v]) => `${n} ${v}`)
          .join(', ')}); the fix above makes it allowed everywhere`,
      );
    if (r.fix?.note) out.push(`\nnote: ${r.fix.note}`);
    if (r.reportOnly?.length)
      out.push(`\nreport-only: ${r.url} would be reported by report-only policy ${r.reportOnly.join(', ')}`);
  }
  for (const [i, p] of policies.entries()) if (p.changed) out.push(`\ncorrected policy ${i + 1}:\n  ${p.corrected}`);
  return out.join('\n');
}

export function main(argv) {
  let input;
  try {
    input = parseInput(argv);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    process.stderr.write(`utt csp-check: ${err.message}\n\n${USAGE}\n`);
    return 2;
  }
  const result = run(input);
  process.stdout.write(input.json ? `${JSON.stringify(result, null, 2)}\n` : `${format(result)}\n`);
  return result.ok ? 0 : 1;
}
