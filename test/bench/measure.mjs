// What the bench scripts (run.mjs, gap.mjs, ab.mjs, profile.mjs) read the same way:
// medians, which requests are a partner's, a page's Resource Timing, the trace
// window, and where a column of a per-account tag comes from in src/.
import { readFileSync } from 'node:fs';
import { SourceMapConsumer } from 'source-map-js';
import { PLACEHOLDER } from '../../build/account.mjs';
import { ACCOUNT_TEMPLATES } from '../../build/account-templates.mjs';
import { COMPILE_HINT } from '../../build/compile-hint.mjs';

/**
 * `promise`, or nothing after `ms`: a bound on a wait for something that should come (a partner
 * request the page never makes), not a wait for time to pass.
 */
export const bounded = (promise, ms) => {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  return Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]).finally(() =>
    clearTimeout(timer),
  );
};

/** The median of a list of numbers. */
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Whether a run could settle anything: the machine's load before the bench started (load average
 * per core, 1 minute) and the spread of the empty page's own CPU time over the rounds (its
 * interquartile range over its median). A run is quiet when both are low: below half a core's
 * worth of other work, and the empty page within ±12.5% of itself. On a busy run, "within the noise"
 * says more about the machine than about utt.
 * @param {{ loadPerCore: number, emptyTask: number[] }} run
 * @returns {{ quiet: boolean, why: string }}
 */
export const machine = ({ loadPerCore, emptyTask }) => {
  const s = [...emptyTask].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * (s.length - 1)))];
  const spread = s.length ? (q(0.75) - q(0.25)) / (median(s) || 1) : Number.POSITIVE_INFINITY;
  const quiet = loadPerCore < 0.5 && spread <= 0.25;
  return {
    quiet,
    why: `load average ${loadPerCore.toFixed(2)} per core before the run, the empty page's CPU spread ${(100 * spread).toFixed(0)}% of its median`,
  };
};

/**
 * The sign test's interval for a median of `n` values: the `k`-th smallest to the `k`-th largest,
 * the narrowest pair whose confidence is at least `level`, and that confidence. `k` is 0, and the
 * confidence 0, when no pair reaches `level` (fewer than 6 values at 95%).
 * @returns {[k: number, confidence: number]}
 */
export const signTest = (n, level = 0.95) => {
  // P(fewer than k of the n values fall below the median) = P(Binomial(n, 1/2) < k).
  let below = 0;
  let term = 0.5 ** n;
  let k = 0;
  while (k < n >> 1 && 1 - 2 * (below + term) >= level) {
    below += term;
    term = (term * (n - k)) / (k + 1);
    k++;
  }
  return [k, k ? 1 - 2 * below : 0];
};

/**
 * The median of the paired differences `xs[i] - ys[i]` (loads of one interleaved round), with the
 * sign test's distribution-free interval for it (`signTest`). Pairing cancels what the machine did
 * in that round; the interval says whether the difference is settled. Returns [median, low, high,
 * confidence]; low and high are NaN when no interval reaches 95%. A round where either load could
 * not measure (NaN) is left out.
 * @param {number[]} xs
 * @param {number[]} ys
 * @returns {[median: number, low: number, high: number, confidence: number]}
 */
export const paired = (xs, ys) => {
  const d = xs
    .map((x, i) => x - ys[i])
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  const [k, confidence] = signTest(d.length);
  return [median(d), k ? d[k - 1] : Number.NaN, k ? d[d.length - k] : Number.NaN, confidence];
};

/**
 * `paired`'s result as the bench prints it: `median (low to high)`, in ms, `unit` after the median.
 * @param {number[]} p [median, low, high, ...] from `paired`
 */
export const showPaired = ([m, low, high], unit = '') =>
  `${m.toFixed(1)}${unit} (${Number.isNaN(low) ? 'no interval under 6 rounds' : `${low.toFixed(1)} to ${high.toFixed(1)}`})`;

/**
 * Whether `paired`'s difference is within `limit`: met when the whole interval is, missed when none
 * of it is, and otherwise within the noise of this run.
 * @param {number[]} p [median, low, high] from `paired`
 * @param {number} limit
 * @returns {'met' | 'missed' | 'unsettled'}
 */
export const settled = ([, low, high], limit) => (high <= limit ? 'met' : low > limit ? 'missed' : 'unsettled');

/** A partner's script: any `.example` host but utt's CDN and the shop. */
export const isPartner = (url) =>
  /\.example$/.test(new URL(url).hostname) && !/^(cdn\.utt|shop)\./.test(new URL(url).hostname);

/** The page's expression for its timing: [url, startTime, responseEnd] for the page itself, then per request. */
export const RESOURCES = `performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
  .map((e) => [e.name, e.startTime, e.responseEnd])`;

/**
 * From the request whose URL ends with `ending` answered (its response end) to the first partner requested, ms.
 * @param {[string, number, number][]} entries the page's Resource Timing (RESOURCES)
 * @param {string} ending
 */
export const afterReceived = (entries, ending) => {
  const script = entries.find(([u]) => u.endsWith(ending));
  const first = Math.min(...entries.filter(([u]) => isPartner(u)).map(([, s]) => s));
  return script ? first - script[2] : Number.NaN;
};

/** Ends the trace that `cdp` is recording, once all its events have arrived. */
export async function endTrace(cdp) {
  const done = new Promise((resolve) => {
    const stop = cdp.on('Tracing.tracingComplete', () => {
      stop();
      resolve(undefined);
    });
  });
  await cdp.send('Tracing.end');
  await done;
}

/**
 * In a trace: the request whose URL ends with `ending` finished, and the first partner request sent
 * (the events, on the renderer's main thread). Throws when either is missing.
 */
export function traceWindow(events, ending) {
  const sends = events.filter((e) => e.name === 'ResourceSendRequest');
  const id = sends.find((e) => e.args.data.url.endsWith(ending))?.args.data.requestId;
  const finish = events.find((e) => e.name === 'ResourceFinish' && e.args.data.requestId === id);
  const first = sends.filter((e) => isPartner(e.args.data.url)).sort((a, b) => a.ts - b.ts)[0];
  if (!finish || !first) throw new Error(`the trace has no ${ending} or no partner request`);
  return [finish, first];
}

/**
 * `source(column)`: the `file:line` in src/ of a 0-based column of a per-account tag's code line
 * (its second: the first is the compile hint), through the template's source map. The tag is the
 * compile hint, `/*! utt ... *\/`, then the template with its placeholder replaced by the account's
 * data. Throws if `tag` is not built from `templateFile` (by default, whichever of the templates it
 * starts with: the one `utt build-account` picked).
 * @param {string} tag the per-account tag's JS
 * @param {string} [templateFile]
 * @returns {{ source: (column: number) => string, code: string }}
 */
export function tagSource(tag, templateFile) {
  const line = tag.split('\n')[1] || '';
  templateFile ??= `dist/${
    (
      ACCOUNT_TEMPLATES.find(({ file }) => {
        const template = readFileSync(`dist/${file}`, 'utf8').split('\n')[1];
        return line.slice(line.indexOf('*/') + 2).startsWith(template.slice(0, template.indexOf(PLACEHOLDER)));
      }) ?? ACCOUNT_TEMPLATES[3]
    ).file
  }`;
  const [hint, template] = readFileSync(templateFile, 'utf8').split('\n');
  const map = new SourceMapConsumer(JSON.parse(readFileSync(`${templateFile}.map`, 'utf8')));
  const [tagHint, code] = tag.split('\n');
  const prefix = code.indexOf('*/') + 2;
  const at = template.indexOf(PLACEHOLDER);
  const data = code.length - prefix - template.length + PLACEHOLDER.length;
  if (
    `${hint}\n` !== COMPILE_HINT ||
    tagHint !== hint ||
    at < 0 ||
    !code.slice(prefix).startsWith(template.slice(0, at))
  )
    throw new Error(`the tag is not built from ${templateFile}`);
  const source = (column) => {
    const c = column - prefix;
    if (c < 0) return 'the comment';
    if (c >= at && c < at + data) return "the account's data";
    const p = map.originalPositionFor({ line: 2, column: c < at ? c : c - data + PLACEHOLDER.length });
    return p.source ? `${p.source.replace(/^.*src\//, 'src/')}:${p.line}${p.name ? ` ${p.name}` : ''}` : '?';
  };
  return { source, code };
}
