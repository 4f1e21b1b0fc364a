// `utt csp-check`: what a page's Content-Security-Policy does to the requests
// utt would make, with the exact fix. Same engine as the runtime (src/csp/).
import { CliError, readJson, readText } from './cli-error.mjs';
import { loadSrc } from './load-src.mjs';
import { PARTNERS_USAGE, registryDirs } from './partners-dir.mjs';
import { compileEntry, loadRegistry } from './registry.mjs';
import { validate } from './validate.mjs';

const { addSource, check } = await loadSrc('src/csp/check.ts');
const { parsePolicies, serializePolicy } = await loadSrc('src/csp/parse.ts');
const { ENGINE_NAMES } = await loadSrc('src/csp/match.ts');
const { sampleURL } = await loadSrc('src/csp/page.ts');

/** @import { RequestType } from '../src/csp/check.ts' */
/** @type {RequestType[]} */
const TYPES = ['script', 'connect', 'img', 'frame'];

/**
 * What `cspCheck` takes: the page's policies (strings as a header or a meta tag
 * carries them, and/or its response headers, as an object or raw text), the page's
 * origin and the nonce on utt's tag, and what to check: one request (`url`, `type`),
 * one partner with its identifier values, or a manifest's enabled integrations.
 * `registry`: the partner entries (parsed partners/*.json) to look partners up in; default, the package's own.
 * @typedef {{
 *   policies?: string[],
 *   reportOnly?: string[],
 *   headers?: Record<string, string | string[]> | string,
 *   origin?: string,
 *   nonce?: string,
 *   url?: string,
 *   type?: string,
 *   partner?: { key: string, values?: Record<string, unknown> },
 *   manifest?: unknown,
 *   registry?: any[],
 * }} CspCheckInput
 */

/**
 * One request's verdict: `allow`, `block`, `varies` (between engines), or `invalid` (with
 * `error`: the partner is unknown or a value breaks its rule); the fix when there is one.
 * @typedef {{
 *   target: string,
 *   verdict: string,
 *   error?: string,
 *   type?: string,
 *   url?: string,
 *   directive?: string,
 *   engines?: Record<string, 'allow' | 'block'>,
 *   reportOnly?: number[],
 *   policy?: number,
 *   fix?: { directive: string, expression?: string, nonce?: boolean, note?: string },
 * }} CspCheckResult
 */

/**
 * The Content-Security-Policy headers of a response: enforced and report-only, each as
 * one comma-joined string. `headers`: an object (any case, a value or a list) or raw text.
 * @param {CspCheckInput['headers']} headers
 */
function headerPolicies(headers) {
  /** @type {string[][]} */
  const pairs =
    typeof headers === 'string'
      ? headers.split(/\r?\n/).flatMap((line) => {
          const at = line.indexOf(':');
          return at > 0 ? [[line.slice(0, at).trim(), line.slice(at + 1).trim()]] : [];
        })
      : Object.entries(headers || {}).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => [k, String(x)]));
  /** @param {string} name */
  const of = (name) =>
    pairs
      .filter(([k]) => k.toLowerCase() === name)
      .map(([, v]) => v)
      .join(',');
  return { enforced: of('content-security-policy'), reportOnly: of('content-security-policy-report-only') };
}

/**
 * The requests utt would make for the input's url, partner or manifest.
 * @param {CspCheckInput} input
 */
function targets(input) {
  const given = ['url', 'partner', 'manifest'].filter((k) => input[k] !== undefined);
  if (given.length !== 1) throw new CliError('say what to check: exactly one of --url, --partner, --manifest');
  if (input.url !== undefined) {
    const type = TYPES.find((t) => t === (input.type || 'script'));
    if (!type) throw new CliError(`--type must be one of ${TYPES.join(', ')}`);
    let url;
    try {
      url = new URL(input.url);
    } catch {
      throw new CliError(`--url is not a URL: ${input.url}`);
    }
    return [{ label: input.url, type, url }];
  }
  const registry = new Map(
    (input.registry ?? loadRegistry().entries.map(({ entry }) => entry)).map((entry) => [entry.key, entry]),
  );
  if (input.partner)
    return requestsFor(
      { id: input.partner.key, partner: input.partner.key, identifiers: input.partner.values ?? {} },
      registry,
    );
  const integrations = /** @type {any} */ (input.manifest)?.integrations;
  if (!Array.isArray(integrations)) throw new CliError('the manifest has no "integrations" list');
  return integrations.filter((i) => i?.status === 'enabled').flatMap((i) => requestsFor(i, registry));
}

/**
 * What utt would request for one integration: its script, then each declared need.
 * @typedef {{ label: string, error: string } | { label: string, type: RequestType, url: URL, integrity?: string, source?: string }} Request
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
  const out = [{ label, type: 'script', url: new URL(/** @type {string} */ (url)), integrity: entry.integrity }];
  // The partner's other needs, as the runtime and verify mode check them (its compiled `_needs`).
  for (const [type, source] of compileEntry(entry)._needs || [])
    out.push({ label, type, url: sampleURL(source), source });
  return out;
}

/**
 * What the page's policies do to each request utt would make, with the fix, and each
 * policy corrected. The core of `utt csp-check`, for callers in the same process
 * (the demo hub). Throws a CliError on input it cannot check (no policy, a bad URL).
 * @param {CspCheckInput} input
 */
export function cspCheck(input) {
  const fromHeaders = headerPolicies(input.headers);
  const policies = parsePolicies([...(input.policies ?? []), fromHeaders.enforced].join(','));
  const reportOnly = parsePolicies([...(input.reportOnly ?? []), fromHeaders.reportOnly].join(','));
  if (!policies.length && !reportOnly.length)
    throw new CliError('no policy: give --policy, --report-only or --header-file');
  if (!input.origin) throw new CliError('--origin is required (the origin of the page the policy is served with)');
  let self;
  try {
    self = new URL(input.origin);
  } catch {
    throw new CliError(`--origin is not a URL: ${input.origin}`);
  }
  const requests = targets(input);
  /** @type {Map<string, { directive: string, expression: string }>[]} */
  const fixes = policies.map(() => new Map());
  /** @type {CspCheckResult[]} */
  const results = requests.map((r) => {
    if ('error' in r) return { target: r.label, verdict: 'invalid', error: r.error };
    const result = check(policies, reportOnly, {
      url: r.url,
      type: r.type,
      self,
      nonce: input.nonce,
      integrity: r.integrity,
      // Offline, utt's own tag is trusted only by the nonce it is said to carry.
      untrusted: !input.nonce,
    });
    /** @type {CspCheckResult} */
    const out = {
      target: r.label,
      type: r.type,
      url: r.source || r.url?.href,
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
  const corrected = policies.map((policy, i) => {
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

/** @type {import('./cli.mjs').Command} */
export const cspCheckCommand = {
  usage: `usage: utt csp-check [policy] [page] <what> [--json]

policy (at least one):
  --policy "<policy>"       an enforced policy (repeatable; commas separate several)
  --report-only "<policy>"  a report-only policy (repeatable)
  --header-file <file>      raw response headers; reads Content-Security-Policy(-Report-Only)
page:
  --origin <origin>         the page's origin (for 'self' and scheme-less sources), required
  --nonce <value>           the nonce on utt's own tag, which utt passes on to partners
what:
  --url <url> [--type script|connect|img|frame]
  --partner <key> --value <name>=<value> [--value ...]
                            a partner, with the merchant's value of each identifier
  --manifest <file>         every enabled integration of a manifest
${PARTNERS_USAGE}

Exit status: 0 allowed everywhere, 1 blocked or varies somewhere, 2 bad input.`,
  options: {
    policy: { type: 'string', multiple: true },
    'report-only': { type: 'string', multiple: true },
    'header-file': { type: 'string' },
    origin: { type: 'string' },
    nonce: { type: 'string' },
    url: { type: 'string' },
    type: { type: 'string' },
    partner: { type: 'string' },
    value: { type: 'string', multiple: true },
    manifest: { type: 'string' },
    json: { type: 'boolean' },
  },
  run({ values }) {
    /** @type {Record<string, string>} */
    const ids = {};
    for (const pair of values.value || []) {
      const i = pair.indexOf('=');
      if (i < 1) throw new CliError(`--value takes <name>=<value>, not ${pair}`);
      ids[pair.slice(0, i)] = pair.slice(i + 1);
    }
    const lookup = values.partner !== undefined || values.manifest !== undefined;
    const result = cspCheck({
      policies: values.policy,
      reportOnly: values['report-only'],
      headers: values['header-file'] === undefined ? undefined : readText(values['header-file'], '--header-file'),
      origin: values.origin,
      nonce: values.nonce,
      url: values.url,
      type: values.type,
      partner: values.partner === undefined ? undefined : { key: values.partner, values: ids },
      manifest: values.manifest === undefined ? undefined : readJson(values.manifest, '--manifest').json,
      registry: lookup
        ? loadRegistry({ dirs: registryDirs(values.partners).dirs }).entries.map(({ entry }) => entry)
        : undefined,
    });
    process.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : `${format(result)}\n`);
    return result.ok ? 0 : 1;
  },
};
