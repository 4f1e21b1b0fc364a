// `npm run bench`: utt against the floor (the static tag and a 20-line
// minimal loader) and the incumbents (Segment's analytics.js, RudderStack v3),
// in Chromium over a bare CDP pipe (cdp.mjs), every request answered by a
// local HTTPS server (subjects.mjs). Prints the figures and rewrites
// test/bench/RESULTS.md. A benchmark, not a test: it fails only when it
// cannot measure.
//   npm run bench                 21 interleaved runs of everything, about 13 min
//   BENCH_RUNS=3 npm run bench    a smoke run: prints, but leaves RESULTS.md alone
//   BENCH_ONLY=events             the events figures alone (events.mjs), printed, RESULTS.md left alone
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { brotliCompressSync, constants } from 'node:zlib';
import { launchPipe } from './cdp.mjs';
import { EVENTS_MANIFEST, eventsHead, LONGEST_TASK, QUEUED, TIME_TRACK } from './events.mjs';
import { bounded, isPartner, machine, median, paired, RESOURCES, settled, showPaired, signTest } from './measure.mjs';
import {
  CDN,
  heavyManifest,
  loaders,
  MANIFEST,
  manifest,
  perAccount,
  SHOP,
  SUBJECTS,
  startServer,
} from './subjects.mjs';
import { CATEGORIES, scriptTime } from './trace.mjs';

const RUNS = Math.max(1, Number(process.env.BENCH_RUNS) || 21);
const ONLY = process.env.BENCH_ONLY;
const SMOKE = RUNS < 11 || !!ONLY;
/** Milliseconds the server waits before every answer, for the request-timing table. */
const LATENCY = 20;

const ms = (x) => `${x.toFixed(1)} ms`;
const range = (xs) => `${ms(median(xs))} (${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)})`;
const kb = (x) => `${(x / 1000).toFixed(2)} KB`;
const brotli = (b) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

const started = Date.now();
/** Other work on the machine as the bench starts, before its own (see machine() in measure.mjs). */
const loadPerCore = loadavg()[0] / cpus().length;
const files = await loaders();
const server = await startServer(files);
const cdp = await launchPipe(server.port);

/** Resolves on the next `method` event of `sessionId`. */
const next = (method, sessionId) =>
  new Promise((resolve) => {
    const off = cdp.on(method, (params, from) => {
      if (from !== sessionId) return;
      off();
      resolve(params);
    });
  });

/** The per-account tags and the partner URLs, by manifest size, made once. */
const accounts = new Map();
const accountOf = (n, bluejayOnly) => {
  const key = `${n} ${bluejayOnly}`;
  if (!accounts.has(key)) accounts.set(key, perAccount(n, bluejayOnly));
  return accounts.get(key);
};
const urls = new Map();

/**
 * One load of `subject` in a fresh browser context (after `views - 1` others in the same tab), until the page's load
 * event (unless partners hang) and then 300 ms without a request (trailing work counts). Returns
 * main-thread CPU time (CDP Performance, thread ticks: TaskDuration, all the
 * main thread did, and ScriptDuration), script time from a trace when
 * `trace`, and Resource Timing, read after the metrics.
 */
async function load(
  subject,
  { n = 5, bluejayOnly = false, trace = false, latency = 0, hang = false, lcp = false, partners = 0, views = 1 } = {},
) {
  const key = `${n} ${bluejayOnly}`;
  Object.assign(server.scene, {
    head: subject(
      urls.get(key) || [],
      subject === SUBJECTS['utt (per-account, in the page)'] ? accountOf(n, bluejayOnly) : '',
    ),
    manifest: lcp ? heavyManifest(server.scene.heavyLoad) : manifest(n, bluejayOnly),
    urls: urls.get(key) || [],
    account: subject === SUBJECTS['utt (per-account)'] ? accountOf(n, bluejayOnly) : Buffer.alloc(0),
    latency,
    hangPartners: hang,
  });
  server.seen.length = 0;
  const { browserContextId } = await cdp.send('Target.createBrowserContext', { disposeOnDetach: true });
  const { targetId } = await cdp.send('Target.createTarget', { url: 'about:blank', browserContextId });
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: true });
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' }, sessionId);
  await cdp.send('Page.enable', {}, sessionId);
  const events = [];
  /** @type {() => Promise<void> | undefined} */
  let stopTrace = () => undefined;
  if (trace) {
    const off = cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
    await cdp.send('Tracing.start', { categories: CATEGORIES.join(','), transferMode: 'ReportEvents' });
    stopTrace = async () => {
      const done = new Promise((r) => cdp.on('Tracing.tracingComplete', r));
      await cdp.send('Tracing.end');
      await done;
      off();
    };
  }
  // `views`: page views of the same site in this tab before the measured one (a visitor's next page).
  for (let view = 1; view < views; view++) {
    const shown = next('Page.loadEventFired', sessionId);
    await cdp.send('Page.navigate', { url: `${SHOP}/?view=${view}` }, sessionId);
    await shown;
    await server.quiet(300);
  }
  // Unanswered partner scripts hold the load event back forever: then the quiet spell alone ends the load.
  const loaded = hang ? Promise.resolve() : next('Page.loadEventFired', sessionId);
  await cdp.send('Page.navigate', { url: `${SHOP}/` }, sessionId);
  await loaded;
  // `partners`: keep the page until that many partner requests have come (60 s at most), quiet spell or not.
  if (partners)
    await bounded(
      server.until((seen) => seen.filter(([u]) => isPartner(u)).length >= partners),
      60_000,
    );
  // The load is over once no request has come for 300 ms: trailing work counts.
  await server.quiet(300);
  const { metrics } = await cdp.send('Performance.getMetrics', {}, sessionId);
  await stopTrace();
  const metric = (name) => 1000 * metrics.find((m) => m.name === name).value;
  const read = async (expression) =>
    (await cdp.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true }, sessionId)).result
      .value;
  const timing = await read(RESOURCES);
  const paint = lcp
    ? await read(`new Promise((r) => new PerformanceObserver((l) => r(l.getEntries().at(-1).startTime))
        .observe({ type: 'largest-contentful-paint', buffered: true }))`)
    : 0;
  await cdp.send('Target.disposeBrowserContext', { browserContextId });
  return {
    task: metric('TaskDuration'),
    script: trace ? scriptTime(events, SHOP) : metric('ScriptDuration'),
    timing,
    lcp: paint,
  };
}

/** Runs `measure` RUNS times for each name, interleaved (a different one first each run). */
async function interleaved(label, names, measure) {
  process.stdout.write(`${label} `);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let run = 0; run < RUNS; run++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(run + i) % names.length];
      samples[name].push(await measure(name));
    }
    process.stdout.write('.');
  }
  process.stdout.write('\n');
  return samples;
}

/**
 * One page of the events figures (events.mjs): `head` with the ten integrations' manifest, then
 * `expression` evaluated once the load event has fired. Throws if the page says what went wrong.
 */
async function eventsPage(head, expression) {
  Object.assign(server.scene, { head, manifest: EVENTS_MANIFEST, latency: 0, hangPartners: false, heavy: false });
  const { browserContextId } = await cdp.send('Target.createBrowserContext', { disposeOnDetach: true });
  const { targetId } = await cdp.send('Target.createTarget', { url: 'about:blank', browserContextId });
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: true });
  await cdp.send('Page.enable', {}, sessionId);
  const loaded = next('Page.loadEventFired', sessionId);
  await cdp.send('Page.navigate', { url: `${SHOP}/` }, sessionId);
  await loaded;
  const { result } = await cdp.send(
    'Runtime.evaluate',
    { expression, returnByValue: true, awaitPromise: true },
    sessionId,
  );
  await cdp.send('Target.disposeBrowserContext', { browserContextId });
  if (!result.value || result.value.error)
    throw new Error(`events page: ${result.value?.error ?? JSON.stringify(result)}`);
  return result.value;
}

/** 5. Events, RUNS rounds: one track to ten loaded partners (ms), and the longest task replaying 1,000 queued ones. */
async function eventsFigures() {
  process.stdout.write('events ');
  /** @type {{ track: number[], longest: number[] }} */
  const figures = { track: [], longest: [] };
  for (let run = 0; run < RUNS; run++) {
    figures.track.push((await eventsPage(eventsHead(CDN), TIME_TRACK)).track);
    figures.longest.push((await eventsPage(eventsHead(CDN, QUEUED), LONGEST_TASK)).longest);
    process.stdout.write('.');
  }
  process.stdout.write('\n');
  return figures;
}

/** The events figures in RESULTS.md's form: a targets table, then what they measure. */
function eventsSection({ track, longest }) {
  const worst = Math.max(...longest);
  return [
    '## Events',
    '',
    "The generic `utt.js` with ten integrations whose partners map `purchase` (three Meta pixels, two Google tags, two TikTok pixels, Pinterest, LinkedIn and impact.com with a conversion id each), their scripts answered empty so that their stubs take the calls: what is measured is utt's own work. One track: once every integration has loaded and a first track has brought `utt.events.js`, nine batches of ten `utt('track', 'purchase', …)` with two items, timed in the page; a round's figure is the median batch's mean (per track). Replay: 1,000 purchases tracked in the snippet before `utt.js` arrives, replayed as the partners load (each integration is given the last 100, the documented cap); the longest task is from the page's long-task observer, 0 when none took over 50 ms.",
    '',
    '| target | measured (median of rounds, min–max) | verdict |',
    '| --- | --- | --- |',
    `| one \`track\` to ten partners: at most 1 ms of main thread | ${range(track)} | ${median(track) <= 1 ? 'met' : '**missed**'} |`,
    `| 1,000 queued events replayed: no task over 50 ms | longest ${worst ? ms(worst) : 'none over 50 ms'} in ${RUNS} rounds | ${worst ? '**missed**' : 'met'} |`,
    '',
  ];
}

if (ONLY === 'events') {
  const figures = await eventsFigures();
  await cdp.close();
  await server.close();
  for (const line of eventsSection(figures)) console.log(line);
  console.log(`${RUNS} rounds: BENCH_ONLY, test/bench/RESULTS.md left as it was`);
  process.exit(0);
}

// The partner URLs utt builds for each manifest: the static tag and the minimal loader request the same ones.
for (const [n, bluejayOnly] of /** @type {[number, boolean][]} */ ([
  [5, false],
  [0, true],
  [1000, true],
])) {
  // Answered, so that every request reaches the server (unanswered, the browser queues all but six per host).
  // On a busy machine a quiet spell can come before the last insert: the page stays until every partner's request.
  await load(SUBJECTS['utt (generic)'], { n, bluejayOnly, partners: n });
  urls.set(`${n} ${bluejayOnly}`, server.seen.map(([u]) => u).filter(isPartner));
}
for (const [key, n] of [
  ['5 false', 5],
  ['1000 true', 1000],
])
  if (urls.get(key).length !== n) throw new Error(`expected ${n} partner URLs, got ${urls.get(key).length}`);

// 1. Main thread, five partners.
const COST = ['empty', 'static tag', 'minimal loader', 'utt (per-account)', 'utt (generic)', 'segment', 'rudderstack'];
const cost = await interleaved('main thread', COST, async (name) => {
  const untraced = await load(SUBJECTS[name]);
  const traced = await load(SUBJECTS[name], { trace: true });
  return { task: untraced.task, script: traced.script };
});
const net = (name, k) => cost[name].map((c, i) => c[k] - cost.empty[i][k]);

// 2. Request timing, LATENCY ms on every answer.
const TIMING = [
  'static tag',
  'minimal loader',
  'minimal tag (URLs inlined)',
  'utt (per-account)',
  'utt (per-account, in the page)',
  'utt (generic)',
];
// What each loader waits for before it can insert: the minimal loader its list, the others their own script.
const LOADER = {
  'minimal loader': 'https://cdn.utt.example/minimal.json',
  'minimal tag (URLs inlined)': 'https://cdn.utt.example/minimal-tag.js',
  'utt (per-account, in the page)': `${SHOP}/`,
  'utt (per-account)': 'https://cdn.utt.example/A12345.js',
  'utt (generic)': 'https://cdn.utt.example/utt.js',
};
const timing = await interleaved('request timing', TIMING, async (name) => {
  const { timing: entries } = await load(SUBJECTS[name], { latency: LATENCY });
  const first = Math.min(...entries.filter(([u]) => isPartner(u)).map(([, s]) => s));
  const loader = entries.find(([u]) => u === LOADER[name]);
  const script = entries.find(([u]) => u === 'https://cdn.utt.example/utt.js' || u.endsWith('/A12345.js'));
  return {
    first,
    // From what the loader waits for received (the minimal loader's list; a tag's own script) to the first partner requested.
    afterLoader: loader ? first - loader[2] : Number.NaN,
    rtt: script ? script[2] - script[1] : Number.NaN,
    manifest: entries.find(([u]) => u === MANIFEST || u.endsWith('/minimal.json'))?.[1] ?? Number.NaN,
  };
});
const med = (name, k) => median(timing[name].map((t) => t[k]));

// 2b. The same on a visitor's second page: the tab has run the same scripts before (V8 reuses what it
// compiled), every answer still fetched (no-store).
const SECOND = ['minimal loader', 'minimal tag (URLs inlined)', 'utt (per-account)'];
const second = await interleaved('second page view', SECOND, async (name) => {
  const { timing: entries } = await load(SUBJECTS[name], { latency: LATENCY, views: 2 });
  const first = Math.min(...entries.filter(([u]) => isPartner(u)).map(([, s]) => s));
  const loader = entries.find(([u]) => u === LOADER[name]);
  return { first, afterLoader: loader ? first - loader[2] : Number.NaN };
});
const secondColumn = (name, k) => second[name].map((t) => t[k]);
const rtt = median([...timing['utt (generic)'], ...timing['utt (per-account)']].map((t) => t.rtt));

// 3. Scaling: 0 and 1,000 integrations, partner requests left unanswered.
const SCALE = ['minimal loader', 'utt (per-account)', 'utt (generic)'].flatMap((n) => [`${n} 0`, `${n} 1000`]);
const scale = await interleaved('scaling', SCALE, async (label) => {
  const [, name, n] = /** @type {RegExpExecArray} */ (/^(.*) (\d+)$/.exec(label));
  // Unanswered, the partner requests end before the quiet spell does; on a busy machine that spell could end
  // before the tag has run at all. The first partner request proves the insert has begun, and CDP's metrics
  // are read between tasks, so after it.
  return (await load(SUBJECTS[name], { n: Number(n), bluejayOnly: true, hang: true, partners: Math.min(1, Number(n)) }))
    .task;
});
const perThousand = (name) => scale[`${name} 1000`].map((t, i) => t - scale[`${name} 0`][i]);

// 4. Largest Contentful Paint with a heavy partner (150 ms of script) loading now, or at the first interaction.
server.scene.heavy = true;
const LCP = ['heavy partner, load now', 'heavy partner, load at interaction'];
const lcp = await interleaved('LCP', LCP, async (name) => {
  server.scene.heavyLoad = name.endsWith('now') ? 'now' : 'interaction';
  return (await load(SUBJECTS['utt (generic)'], { lcp: true })).lcp;
});

// 5. Events: one track to ten partners, and 1,000 queued events replayed.
const events = await eventsFigures();

const version = cdp.version;
await cdp.close();
await server.close();

// Report.
const lines = [];
const out = (line = '') => {
  lines.push(line);
  console.log(line);
};
const size = {
  account: brotli(files.account),
  generic: brotli(files.utt),
  segment: brotli(files.segment),
  rudderstack: brotli(files.rudderstack),
};
const netMedian = (name, k) => median(net(name, k));
const perAccountCpu = netMedian('utt (per-account)', 'task');
const column = (name, k) => timing[name].map((t) => t[k]);
/** Differences within `limit` ms, paired round by round (measure.mjs `paired`). */
const within = (what, measured, xs, ys, limit) => [what, measured, paired(xs, ys), limit];
const targets = [
  within(
    'per-account first partner request at most the static tag + 1 round trip + 5 ms',
    `${ms(med('utt (per-account)', 'first'))}; static tag ${ms(med('static tag', 'first'))}, round trip ${ms(rtt)}`,
    column('utt (per-account)', 'first'),
    column('static tag', 'first'),
    rtt + 5,
  ),
  within(
    'the same, for the minimal tag (the floor for a tag served as a file)',
    ms(med('minimal tag (URLs inlined)', 'first')),
    column('minimal tag (URLs inlined)', 'first'),
    column('static tag', 'first'),
    rtt + 5,
  ),
  within(
    'the same, for the per-account tag written into the page (`utt build-account --inline`)',
    ms(med('utt (per-account, in the page)', 'first')),
    column('utt (per-account, in the page)', 'first'),
    column('static tag', 'first'),
    rtt + 5,
  ),
  within(
    'per-account first partner request at most the minimal tag’s + 5 ms (the same slack, over the floor a file can reach)',
    `${ms(med('utt (per-account)', 'first'))}; minimal tag ${ms(med('minimal tag (URLs inlined)', 'first'))}`,
    column('utt (per-account)', 'first'),
    column('minimal tag (URLs inlined)', 'first'),
    5,
  ),
  within(
    'per-account: its script received → first partner at most the minimal loader’s (its list received → first partner) + 2 ms',
    `${ms(med('utt (per-account)', 'afterLoader'))}; minimal loader ${ms(med('minimal loader', 'afterLoader'))}, minimal tag with its URLs inlined ${ms(med('minimal tag (URLs inlined)', 'afterLoader'))}`,
    column('utt (per-account)', 'afterLoader'),
    column('minimal loader', 'afterLoader'),
    2,
  ),
  within(
    'the same, for the minimal tag (its script received → first partner)',
    ms(med('minimal tag (URLs inlined)', 'afterLoader')),
    column('minimal tag (URLs inlined)', 'afterLoader'),
    column('minimal loader', 'afterLoader'),
    2,
  ),
  within(
    'the per-account file’s first partner request at most the minimal tag’s + 5 ms, on the second page view',
    `${ms(median(secondColumn('utt (per-account)', 'first')))}; minimal tag ${ms(median(secondColumn('minimal tag (URLs inlined)', 'first')))}`,
    secondColumn('utt (per-account)', 'first'),
    secondColumn('minimal tag (URLs inlined)', 'first'),
    5,
  ),
  within(
    'the per-account file’s received → first partner at most the minimal loader’s + 2 ms, on the second page view',
    `${ms(median(secondColumn('utt (per-account)', 'afterLoader')))}; minimal loader ${ms(median(secondColumn('minimal loader', 'afterLoader')))}, minimal tag ${ms(median(secondColumn('minimal tag (URLs inlined)', 'afterLoader')))}`,
    secondColumn('utt (per-account)', 'afterLoader'),
    secondColumn('minimal loader', 'afterLoader'),
    2,
  ),
  within(
    'per-account net main-thread CPU, five partners, at most the minimal loader’s + 3 ms',
    `${ms(perAccountCpu)}; minimal loader ${ms(netMedian('minimal loader', 'task'))}`,
    net('utt (per-account)', 'task'),
    net('minimal loader', 'task'),
    3,
  ),
  within(
    'per-account net main-thread CPU at most 1/5 of Segment’s',
    `${ms(perAccountCpu)}; Segment ${ms(netMedian('segment', 'task'))}`,
    net('utt (per-account)', 'task'),
    net('segment', 'task').map((x) => x / 5),
    0,
  ),
  within(
    '1,000 integrations at most the minimal loader + 20 ms CPU (per-account)',
    `${ms(median(perThousand('utt (per-account)')))}; minimal loader ${ms(median(perThousand('minimal loader')))}`,
    perThousand('utt (per-account)'),
    perThousand('minimal loader'),
    20,
  ),
];
/** A time target's verdict, from the interval of its paired difference. */
const verdict = (p, limit) =>
  ({
    met: `met, by ${ms(limit - p[0])}`,
    missed: `**missed** by ${ms(p[0] - limit)}`,
    unsettled: 'within the noise of this run',
  })[settled(p, limit)];
const sizeVerdict = (bytes, limit) => (bytes <= limit ? 'met' : `**missed** by ${kb(bytes - limit)}`);

out('# Benchmark results');
out();
out(
  `Generated by \`npm run bench\` (test/bench/run.mjs) on ${new Date().toISOString().slice(0, 10)}; do not edit by hand.`,
);
out();
out(
  `Machine: ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB; Node ${process.version}; ${version}, headless, driven over a bare CDP pipe (no Network domain, nothing added to the page). Pages come from a local HTTPS server. Figures are medians of ${RUNS} interleaved runs, with min–max; each load in a fresh browser context. The run took ${Math.round((Date.now() - started) / 1000)} s.`,
);
out();
const state = machine({ loadPerCore, emptyTask: cost.empty.map((c) => c.task) });
out(
  state.quiet
    ? `**A quiet run** (${state.why}): its verdicts stand.`
    : `**A busy run** (${state.why}): the machine was not quiet, so "within the noise" below is the machine's noise, and a verdict wants a quiet run.`,
);
out();
out('## Targets');
out();
out(
  `Sizes are exact. A time target compares two subjects round by round: the difference of their loads in each interleaved round, its median, and the interval that the sign test gives that median (${(100 * signTest(RUNS)[1]).toFixed(1)}% confidence with ${RUNS} rounds). Met when the whole interval is within the limit, missed when none of it is; otherwise this run cannot tell.`,
);
out();
out('| target | measured (medians) | verdict |');
out('| --- | --- | --- |');
out(
  `| per-account \`A12345.js\`, five partners, at most 2.6 KB brotli | ${kb(size.account)} | ${sizeVerdict(size.account, 2600)} |`,
);
out(
  `| generic \`utt.js\` at most 3.5 KB brotli (stretch: 3 KB) | ${kb(size.generic)} | ${sizeVerdict(size.generic, 3500)} |`,
);
out();
out('| time target | measured (medians) | paired difference: median (interval) | limit | verdict |');
out('| --- | --- | --- | --- | --- |');
for (const [what, measured, p, limit] of targets)
  out(`| ${what} | ${measured} | ${showPaired(p, ' ms')} | ${ms(limit)} | ${verdict(p, limit)} |`);
out();
out('## Bytes (brotli 11)');
out();
out('| file | brotli |');
out('| --- | --- |');
out(`| per-account \`A12345.js\` (five partners inlined) | ${kb(size.account)} |`);
out(`| generic \`dist/utt.js\` (the registry's partners) | ${kb(size.generic)} |`);
out(`| Segment \`analytics-next\` standalone.js | ${kb(size.segment)} |`);
out(`| RudderStack \`analytics-js\` v3, modern UMD, minified with terser | ${kb(size.rudderstack)} |`);
out();
out('## Main thread, five partners');
out();
out(
  'CPU time of the main thread (CDP `Performance.getMetrics` with thread ticks: `TaskDuration`, everything the main thread did), and script time from a Chromium trace of a second load (the trace costs time itself, so it is a second column, not the figure). Read once the page has loaded and no request came for 300 ms. "Net" subtracts the empty page, run for run.',
);
out();
out('| page | net CPU (task) | net script (trace) |');
out('| --- | --- | --- |');
for (const name of COST.slice(1)) out(`| ${name} | ${range(net(name, 'task'))} | ${range(net(name, 'script'))} |`);
out(
  `| (the empty page itself) | ${range(cost.empty.map((c) => c.task))} | ${range(cost.empty.map((c) => c.script))} |`,
);
out();
out(`## Requests, ${LATENCY} ms on every answer`);
out();
out(
  `From navigation start (Resource Timing, read after the load). A round trip here (utt's own script, request to response end) measured ${ms(rtt)}.`,
);
out();
out('| page | first partner requested | what it waits for received → first partner | manifest requested |');
out('| --- | --- | --- | --- |');
for (const name of TIMING)
  out(
    `| ${name} | ${range(timing[name].map((t) => t.first))} | ${name === 'static tag' ? '' : range(timing[name].map((t) => t.afterLoader))} | ${Number.isNaN(med(name, 'manifest')) ? '' : ms(med(name, 'manifest'))} |`,
  );
out();
out(
  'What each loader waits for before it inserts: the minimal loader (inline in the page) its list of URLs; the minimal tag (the same loader as an external file, its URLs written in: the floor for a per-account tag) and utt their own script; the per-account tag written into the page (`utt build-account --inline`), the page.',
);
out();
out('### The second page view');
out();
out(
  "The same page again in the same tab, after a first view of it: what a visitor's next page costs. Every answer is still fetched (no-store), but the tab has run the same scripts before, and V8 reuses what it compiled for them (a file with the compile hint, as utt's are, is compiled whole again: docs/benchmarks.md).",
);
out();
out('| page | first partner requested | what it waits for received → first partner |');
out('| --- | --- | --- |');
for (const name of SECOND)
  out(`| ${name} | ${range(secondColumn(name, 'first'))} | ${range(secondColumn(name, 'afterLoader'))} |`);
out();
out('## 1,000 integrations');
out();
out(
  "Net CPU time of 1,000 integrations less the same page with none, partner requests left unanswered so that only the loader's own work counts.",
);
out();
out('| loader | 1,000 integrations | 0 integrations |');
out('| --- | --- | --- |');
for (const name of ['minimal loader', 'utt (per-account)', 'utt (generic)'])
  out(`| ${name} | ${range(perThousand(name))} | ${range(scale[`${name} 0`])} |`);
out();
out('## Largest Contentful Paint, a heavy partner');
out();
out(
  'The generic utt with one partner whose script runs 150 ms of busy work, its `load` set to `now` or to `interaction`. No interaction happens during the load, so the deferred partner has not run when LCP is read.',
);
out();
out('| partner timing | LCP |');
out('| --- | --- |');
for (const name of LCP) out(`| ${name} | ${range(lcp[name])} |`);

out();
for (const line of eventsSection(events)) out(line);

if (SMOKE) console.log(`\n${RUNS} runs: a smoke run, test/bench/RESULTS.md left as it was`);
else {
  writeFileSync('test/bench/RESULTS.md', `${lines.join('\n')}\n`);
  console.log('\nwrote test/bench/RESULTS.md');
}
