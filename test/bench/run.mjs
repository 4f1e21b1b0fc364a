// `npm run bench`: utt against Segment's analytics.js and RudderStack v3, in
// Chromium, offline (every request is answered by page.route()). Prints the
// figures and rewrites test/bench/RESULTS.md. A benchmark, not a test: it
// fails only when it cannot measure.
//   npm run bench                 11 runs of everything, about 5 min
//   BENCH_RUNS=3 npm run bench    a smoke run: prints, but leaves RESULTS.md alone
// Needs dist/ (npm run build) and Chromium (see README).
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { launch } from '../chromium.mjs';
import { loaders, MANIFEST, openSubject, PARTNER_URL, SHOP, SUBJECTS } from './subjects.mjs';
import { CATEGORIES, scriptTime } from './trace.mjs';

const RUNS = Math.max(1, Number(process.env.BENCH_RUNS) || 11);
// The figures are medians of at least 10 runs; fewer is a smoke run.
const SMOKE = RUNS < 10;
const LATENCY = 50;
const SIZES = [0, 1, 10, 100, 1000];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (x) => `${x.toFixed(1)} ms`;
const kb = (x) => `${(x / 1000).toFixed(2)} KB`;
const times = (a, b) => `${(b / a).toFixed(1)}×`;
const verdict = (ok) => (ok ? 'met' : '**missed**');

/**
 * One load of `subject`, until its loader has settled and 300 ms more
 * (trailing tasks count too): with `trace`, script time from a trace
 * (microtasks included, see trace.mjs); without, task time from CDP
 * Performance.getMetrics, everything the main thread did (parsing, style,
 * starting requests, running script), untouched by tracing's own cost.
 */
async function load(browser, files, subject, options, trace) {
  const { context, page, errors, hear } = await openSubject(browser, files, subject, options);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  if (trace) await browser.startTracing(page, { categories: CATEGORIES });
  await page.goto(`${SHOP}/`, { waitUntil: 'commit' });
  await hear((t) => t === 'bench:done');
  await page.waitForTimeout(300);
  const { metrics } = await cdp.send('Performance.getMetrics');
  const traceEvents = trace && JSON.parse((await browser.stopTracing()).toString()).traceEvents;
  await context.close();
  if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
  return trace ? scriptTime(traceEvents, SHOP) : 1000 * metrics.find((m) => m.name === 'TaskDuration').value;
}

/** Main-thread time: script time from a traced load, task time from an untraced one. */
const mainThread = async (browser, files, subject, options) => ({
  script: await load(browser, files, subject, options, true),
  task: await load(browser, files, subject, options, false),
});

/** Milliseconds from navigation start to the partner script's request, from Resource Timing. */
async function firstPartnerRequest(browser, files, subject) {
  const { context, page, hits, hear } = await openSubject(browser, files, subject, { latency: LATENCY });
  await page.goto(`${SHOP}/`, { waitUntil: 'commit' });
  await hear((t) => t.startsWith(`bench:resource ${PARTNER_URL} `));
  // Where the time went: each resource's start and end, from navigation start.
  const timeline = {};
  for (const line of await hear.all()) {
    const [, name, start, end] = line.split(' ');
    timeline[name] = timeline[name] || [Number(start), Number(end)];
  }
  const manifestRequests = hits[MANIFEST] || 0;
  await context.close();
  return { start: timeline[PARTNER_URL][0], timeline, manifestRequests };
}

/** Runs `measure` RUNS times for each subject, interleaved, and returns the samples by subject. */
async function interleaved(names, measure) {
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let run = 0; run < RUNS; run++) {
    // A different subject goes first on each run, so that no one always pays a cold start.
    for (let i = 0; i < names.length; i++) {
      const name = names[(run + i) % names.length];
      samples[name].push(await measure(name));
    }
    process.stdout.write('.');
  }
  process.stdout.write('\n');
  return samples;
}

const browser = await launch();
const files = await loaders();
const started = Date.now();
const lines = [];
const out = (line = '') => {
  lines.push(line);
  console.log(line);
};

// 1. Bytes.
const size = (b) => ({
  br: brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  gz: gzipSync(b, { level: 9 }).length,
});
const bytes = Object.fromEntries(Object.entries(files).map(([k, b]) => [k, { raw: b.length, ...size(b) }]));

// 2. Main-thread cost on the same page: utt with five integrations, and with none.
process.stdout.write('main thread ');
const loaderPages = {
  empty: () => SUBJECTS.empty(),
  'utt, 5 integrations': () => SUBJECTS.utt(5),
  'utt, empty manifest': () => SUBJECTS.utt(0),
  segment: () => SUBJECTS.segment(),
  rudderstack: () => SUBJECTS.rudderstack(),
};
const loaderNames = Object.keys(loaderPages);
const cost = await interleaved(loaderNames, (name) => mainThread(browser, files, loaderPages[name](), {}));
const medians = (samples) =>
  Object.fromEntries(
    Object.entries(samples).map(([n, xs]) => [
      n,
      { script: median(xs.map((c) => c.script)), task: median(xs.map((c) => c.task)) },
    ]),
  );
const costOf = medians(cost);

// 3. Time to the first partner request, with LATENCY ms on every request.
process.stdout.write('first partner request ');
const ttfpNames = ['hard-coded tag', 'utt', 'utt + preload'];
const ttfp = await interleaved(ttfpNames, (name) => firstPartnerRequest(browser, files, SUBJECTS[name]()));
const ttfpOf = Object.fromEntries(ttfpNames.map((n) => [n, median(ttfp[n].map((t) => t.start))]));
const preloadRefetched = ttfp['utt + preload'].filter((t) => t.manifestRequests > 1).length;
// What a round trip takes here: LATENCY plus the cost of answering through page.route().
const phase = (name, url, k) => median(ttfp[name].map((t) => t.timeline[url][k]));
const UTT = 'https://cdn.utt.example/utt.js';
const rtt = median(ttfp.utt.map((t) => t.timeline[UTT][1] - t.timeline[UTT][0]));

// 4. Scaling: utt and the minimal loader, partner requests left unanswered.
process.stdout.write('scaling ');
const scaleNames = SIZES.flatMap((n) => [`utt ${n}`, `minimal ${n}`]);
const scale = await interleaved(scaleNames, (name) => {
  const [who, n] = name.split(' ');
  const subject = who === 'utt' ? SUBJECTS['utt, Bluejay only'](Number(n)) : SUBJECTS['minimal loader'](Number(n));
  return mainThread(browser, files, subject, { hangPartners: true });
});
const scaleOf = medians(scale);
const version = browser.version();
await browser.close();

// Report.
const net = (n, k) => costOf[n][k] - costOf.empty[k];
const lb = ttfpOf['hard-coded tag'];
const own = (n, k) => scaleOf[`utt ${n}`][k] - scaleOf[`minimal ${n}`][k];
const perIntegration = (k) => own(1000, k) - own(0, k);
const U5 = 'utt, 5 integrations';
const U0 = 'utt, empty manifest';
const targets = {
  size: bytes.utt.br <= 3000,
  ninth: bytes.utt.br * 9 <= Math.min(bytes.segment.br, bytes.rudderstack.br),
  tenth: net(U5, 'script') * 10 <= Math.min(net('segment', 'script'), net('rudderstack', 'script')),
  ttfp: ttfpOf.utt <= lb + 2 * rtt + 5,
  preload: ttfpOf['utt + preload'] <= lb + rtt + 5,
  scale: perIntegration('task') < 20,
};

out('# Benchmark results');
out();
out(
  `Generated by \`npm run bench\` (test/bench/run.mjs) on ${new Date().toISOString().slice(0, 10)}; do not edit by hand.`,
);
out(
  `Machine: ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB; ` +
    `Node ${process.version}; Chromium ${version}, headless. Every figure is the median of ${RUNS} runs; ` +
    `the subjects of each table ran interleaved in one session, each in a fresh browser context. ` +
    `The whole run took ${Math.round((Date.now() - started) / 1000)} s.`,
);
out();
out('## Targets');
out();
out('| target | measured | |');
out('| --- | --- | --- |');
out(`| \`dist/utt.js\` at most 3 KB brotli | ${kb(bytes.utt.br)} | ${verdict(targets.size)} |`);
out(
  `| at most a ninth of either incumbent's bytes | Segment ${times(bytes.utt.br, bytes.segment.br)}, RudderStack ${times(bytes.utt.br, bytes.rudderstack.br)} smaller | ${verdict(targets.ninth)} |`,
);
out(
  `| main-thread script time at most a tenth of either | utt with five integrations: Segment ${times(net(U5, 'script'), net('segment', 'script'))}, RudderStack ${times(net(U5, 'script'), net('rudderstack', 'script'))} less | ${verdict(targets.tenth)} |`,
);
out(
  `| first partner request by the lower bound + 2 round trips + 5 ms | ${ms(ttfpOf.utt)}; limit ${ms(lb + 2 * rtt + 5)} with the ${ms(rtt)} round trip measured here (${ms(lb + 2 * LATENCY + 5)} with ${LATENCY} ms) | ${verdict(targets.ttfp)} |`,
);
out(
  `| with the manifest preloaded: lower bound + 1 round trip + 5 ms | ${ms(ttfpOf['utt + preload'])}; limit ${ms(lb + rtt + 5)} (${ms(lb + LATENCY + 5)} with ${LATENCY} ms) | ${verdict(targets.preload)} |`,
);
out(
  `| 1,000 integrations in under 20 ms of main-thread time | ${ms(perIntegration('task'))} of task time, ${ms(perIntegration('script'))} of script time, beyond the minimal loader | ${verdict(targets.scale)} |`,
);
out();
out('## Bytes');
out();
out('| file | raw | gzip -9 | brotli 11 | brotli, utt.js smaller by |');
out('| --- | --- | --- | --- | --- |');
const fileRow = (label, b) =>
  out(`| ${label} | ${kb(b.raw)} | ${kb(b.gz)} | ${kb(b.br)} | ${times(bytes.utt.br, b.br)} |`);
fileRow('`dist/utt.js` (five partners)', bytes.utt);
fileRow('`dist/utt.csp.js` (on demand: meta-CSP pages, verify mode)', bytes.uttCsp);
fileRow('Segment `analytics-next` standalone.js', bytes.segment);
fileRow('RudderStack `analytics-js` v3, modern UMD, minified', bytes.rudderstack);
out();
out(
  "RudderStack's npm UMD build is not minified; terser (`-c -m`) brings it to the size of their CDN's `rsa.min.js`. Segment loads more code after its first file (`/analytics-next/bundles/*`) when its settings ask for it; with the settings used here it fetched none. RudderStack fetches its plugins from its CDN after the first file; they are not counted.",
);
out();
out('## Main-thread cost, loader on an otherwise empty page');
out();
out(
  'Script time: from a Chromium trace, compiling and running scripts, callbacks and microtasks (as DevTools counts "Scripting"). Task time: CDP `Performance.getMetrics` `TaskDuration`, all the main thread did, from a second load without tracing, since tracing costs main-thread time itself. Both read 300 ms after the loader settled: utt, its integrations injected; Segment and RudderStack, `ready`. "Net" subtracts the empty page.',
);
out();
out('| page | script | task | net script | net task |');
out('| --- | --- | --- | --- | --- |');
for (const n of loaderNames)
  out(
    `| ${n} | ${ms(costOf[n].script)} | ${ms(costOf[n].task)} | ${n === 'empty' ? '' : ms(net(n, 'script'))} | ${n === 'empty' ? '' : ms(net(n, 'task'))} |`,
  );
out();
out(
  `Ratios of net script time, Segment / utt and RudderStack / utt: with five integrations ${times(net(U5, 'script'), net('segment', 'script'))} and ${times(net(U5, 'script'), net('rudderstack', 'script'))}; with an empty manifest ${times(net(U0, 'script'), net('segment', 'script'))} and ${times(net(U0, 'script'), net('rudderstack', 'script'))}.`,
);
out();
out(
  "utt's five partner scripts (empty bodies) are fetched and run, and count. Segment ran with its own destination only; RudderStack with no destination and `plugins: []`. RudderStack's one mandatory plugin (XhrQueue) then fails to load, since its CDN is not routed, so its figure is if anything too low.",
);
out();
out(`## Time from navigation start to the first partner script request, ${LATENCY} ms on every request`);
out();
out('| page | first request | over the lower bound |');
out('| --- | --- | --- |');
for (const n of ttfpNames) out(`| ${n} | ${ms(ttfpOf[n])} | ${n === 'hard-coded tag' ? '' : ms(ttfpOf[n] - lb)} |`);
out();
out(
  `Resource Timing \`startTime\` of ${PARTNER_URL}. Every request waits ${LATENCY} ms in page.route() before its answer; answering through Playwright adds its own time, so a round trip (utt.js, start to end) measured ${ms(rtt)}. The manifest was requested twice in ${preloadRefetched} of ${RUNS} preloaded runs (twice would mean the preload was not reused).`,
);
out();
out('Where the time goes without the preload (medians, from navigation start):');
out();
out('| step | at |');
out('| --- | --- |');
out(`| utt.js requested | ${ms(phase('utt', UTT, 0))} |`);
out(`| utt.js received | ${ms(phase('utt', UTT, 1))} |`);
out(`| manifest requested | ${ms(phase('utt', MANIFEST, 0))} |`);
out(`| manifest received | ${ms(phase('utt', MANIFEST, 1))} |`);
out(`| first partner requested | ${ms(ttfpOf.utt)} |`);
out();
out('## Scaling, by number of integrations');
out();
out(
  'Script time and task time as above (task time untraced). All Bluejay, distinct URLs, partner requests left unanswered. The minimal loader is the least a loader can do with the same manifest: fetch it, parse it, insert one script per entry, checking nothing. What utt costs beyond it is its own work: validation, registry lookup, CSP and consent decisions, URL building, Trusted Types, events and report.',
);
out();
out(
  '| integrations | utt script | utt task | minimal loader script | minimal loader task | utt beyond it, script | utt beyond it, task |',
);
out('| --- | --- | --- | --- | --- | --- | --- |');
for (const n of SIZES) {
  const u = scaleOf[`utt ${n}`];
  const m = scaleOf[`minimal ${n}`];
  out(
    `| ${n} | ${ms(u.script)} | ${ms(u.task)} | ${ms(m.script)} | ${ms(m.task)} | ${ms(u.script - m.script)} | ${ms(u.task - m.task)} |`,
  );
}
out();
out(
  `The target's figure is utt's cost beyond the minimal loader at 1,000 integrations, less the same at 0 (utt's fixed start-up): ${ms(perIntegration('task'))} of task time, ${ms(perIntegration('script'))} of script time.`,
);

if (SMOKE) console.log(`\n${RUNS} runs: a smoke run, test/bench/RESULTS.md left as it was`);
else {
  writeFileSync('test/bench/RESULTS.md', `${lines.join('\n')}\n`);
  console.log('\nwrote test/bench/RESULTS.md');
}
