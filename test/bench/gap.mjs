// `npm run bench:gap`: where the per-account tag's time goes between its
// bytes arriving and its first partner request, the one figure of
// test/bench/RESULTS.md that the loader itself decides. Loads the per-account
// page (five partners, 20 ms on every answer) with a Chromium trace, interleaved
// with the minimal tag, bare and carrying the tag's bytes unrun: what the bytes
// cost, and what utt's work adds (that window, in the trace and in Resource
// Timing). Then, in loads of its own with the sampling profiler on (which slows
// what it samples), sums what ran on the renderer's main thread in that window by
// trace event, nested events inside their parent, and by source line of src/.
// The split between bytes and work is paired load by load, with its sign-test interval.
// Medians of 7 runs (BENCH_RUNS to change). A profile, not a test.
import { COMPILE_HINT } from '../../build/compile-hint.mjs';
import { launchPipe } from './cdp.mjs';
import {
  afterReceived,
  endTrace,
  isPartner,
  median,
  paired,
  RESOURCES,
  showPaired,
  signTest,
  tagSource,
  traceWindow,
} from './measure.mjs';
import { loaders, perAccount, SHOP, SUBJECTS, startServer } from './subjects.mjs';

const RUNS = Math.max(1, Number(process.env.BENCH_RUNS) || 7);
const CATEGORIES = ['devtools.timeline', 'v8.execute', 'disabled-by-default-devtools.timeline', 'loading'];
// The scheduler's own spans hold everything: what ran is one level below them.
const WRAPPER = /RunTask|ThreadController|SequenceManager|TaskQueue|Scheduler/;

const server = await startServer(await loaders());
const cdp = await launchPipe(server.port);
const account = perAccount(5);
// Where a column of A12345.js's code comes from in src/ (through the lean template's source map).
const { source, code } = tagSource(account.toString());

/**
 * The loads compared: the per-account tag; the minimal tag (the 20-line loader as a file, its URLs
 * written in), what any per-account tag pays; and the minimal tag carrying the per-account tag's
 * bytes (its code, with its compile hint, in a function never called), which is what those bytes
 * cost before any of them runs.
 */
const KINDS = {
  'A12345.js': '',
  'the minimal tag': '',
  "the minimal tag + A12345.js's code, never called": `${COMPILE_HINT}function unused() {${code}}\n`,
};

/**
 * One traced load: [window in ms, ms by top-level event name within it, the same window in
 * Resource Timing (response end to request start)].
 * @returns {Promise<[number, Record<string, number>, number]>}
 */
async function once(kind = 'A12345.js', profiling = false) {
  const floor = kind !== 'A12345.js';
  const head = floor ? SUBJECTS['minimal tag (URLs inlined)']() : SUBJECTS['utt (per-account)']();
  Object.assign(server.scene, { head, account, urls, pad: KINDS[kind], latency: 20, hangPartners: false });
  server.seen.length = 0;
  const events = [];
  const off = cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
  await cdp.send('Tracing.start', { categories: CATEGORIES.join(','), transferMode: 'ReportEvents' });
  const { browserContextId } = await cdp.send('Target.createBrowserContext', { disposeOnDetach: true });
  const { targetId } = await cdp.send('Target.createTarget', { url: 'about:blank', browserContextId });
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: true });
  await cdp.send('Page.enable', {}, sessionId);
  // A sampling profile too (every 100 µs), for which of utt's functions the evaluation spends its time in.
  // The profiler slows the script it samples: the windows compared come from loads without it.
  if (profiling) {
    await cdp.send('Profiler.enable', {}, sessionId);
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 }, sessionId);
    await cdp.send('Profiler.start', {}, sessionId);
  }
  const loaded = new Promise((resolve) => {
    const stop = cdp.on('Page.loadEventFired', (_, from) => {
      if (from !== sessionId) return;
      stop();
      resolve(undefined);
    });
  });
  await cdp.send('Page.navigate', { url: `${SHOP}/` }, sessionId);
  await loaded;
  const { profile } = profiling ? await cdp.send('Profiler.stop', {}, sessionId) : {};
  const { result } = await cdp.send('Runtime.evaluate', { expression: RESOURCES, returnByValue: true }, sessionId);
  const timed = afterReceived(result.value, floor ? '/minimal-tag.js' : '/A12345.js');
  await endTrace(cdp);
  off();
  await cdp.send('Target.disposeBrowserContext', { browserContextId });

  const [finish, first] = traceWindow(events, floor ? '/minimal-tag.js' : '/A12345.js');
  const [t0, t1] = [finish.ts, first.ts];
  if (!profiling) return [(t1 - t0) / 1000, {}, timed];
  const main = (e) => e.pid === first.pid && e.tid === first.tid;
  // Top-level events: complete ('X') events on the main thread not inside another one in the window.
  const spans = events
    .filter((e) => main(e) && e.ph === 'X' && e.dur && e.ts < t1 && e.ts + e.dur > t0 && !WRAPPER.test(e.name))
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  /** @type {Record<string, number>} */
  const by = {};
  let end = -Infinity;
  const tops = [];
  for (const e of spans) {
    if (e.ts < end) continue;
    end = e.ts + e.dur;
    tops.push(e);
    const name = e.name === 'EvaluateScript' ? `EvaluateScript ${String(e.args?.data?.url).split('/').pop()}` : e.name;
    by[name] = (by[name] || 0) + (Math.min(end, t1) - Math.max(e.ts, t0)) / 1000;
  }
  // Inside the tag's own evaluation, one level down: compiling, running, and what the DOM work forced.
  for (const top of tops.filter((e) => e.name === 'EvaluateScript')) {
    let inner = -Infinity;
    for (const e of spans) {
      if (e === top || e.ts < top.ts || e.ts >= top.ts + top.dur || e.ts < inner || e.ts >= t1) continue;
      inner = e.ts + e.dur;
      const name = `  in it: ${e.name}`;
      by[name] = (by[name] || 0) + (Math.min(inner, t1) - e.ts) / 1000;
    }
  }
  // Self time by function, from the samples taken inside the window.
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  let t = profile.startTime;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i];
    if (t < t0 || t >= t1) return;
    const { functionName, url, lineNumber, columnNumber } = nodes.get(id).callFrame;
    const where = url.endsWith('/A12345.js') && lineNumber === 1 ? source(columnNumber) : url.split('/').pop();
    const name = `  self: ${url.endsWith('/A12345.js') ? '' : functionName || '(anonymous)'} ${where}`.replace(
      / +/g,
      ' ',
    );
    by[name] = (by[name] || 0) + (profile.timeDeltas[i + 1] ?? 100) / 1000;
  });
  return [(t1 - t0) / 1000, by, timed];
}

// A first load, untimed, gives the partner URLs the minimal tag writes in.
const urls = [];
await once();
urls.push(...server.seen.map(([u]) => u).filter(isPartner));
/** @type {Record<string, [number[], number[]]>} */
const windows = Object.fromEntries(Object.keys(KINDS).map((k) => [k, [[], []]]));
const names = {};
const profiled = [];
for (let i = 0; i < RUNS; i++) {
  for (const kind of Object.keys(KINDS)) {
    const [w, , timed] = await once(kind);
    windows[kind][0].push(w);
    windows[kind][1].push(timed);
  }
  const [w, by] = await once('A12345.js', true);
  profiled.push(w);
  for (const [k, v] of Object.entries(by)) names[k] = [...(names[k] ?? []), v];
  process.stdout.write('.');
}
await cdp.close();
server.close();
console.log(
  `\nreceived → first partner request, medians of ${RUNS} interleaved loads: the trace's window; Resource Timing's`,
);
for (const [kind, [w, timed]] of Object.entries(windows))
  console.log(`  ${median(w).toFixed(1).padStart(6)}  ${median(timed).toFixed(1).padStart(6)}  ${kind}`);
// The split, paired load by load within each round: what the bytes cost, and what running them adds.
const [tag, bare, unrun] = Object.values(windows);
const split = (/** @type {number} */ k, /** @type {number[][]} */ a, /** @type {number[][]} */ b) =>
  showPaired(paired(a[k], b[k])).padStart(24);
console.log(`the same, split: paired medians (intervals, ${(100 * signTest(RUNS)[1]).toFixed(1)}%)`);
console.log(`  ${split(0, unrun, bare)}  ${split(1, unrun, bare)}  the bytes (carried unrun − bare)`);
console.log(`  ${split(0, tag, unrun)}  ${split(1, tag, unrun)}  utt's work (A12345.js − carried unrun)`);
console.log(
  `A12345.js again, profiled (the window: ${median(profiled).toFixed(1)} ms): the main thread in it, by top-level trace event; inside the evaluation, self time by source line (profile samples every 100 µs); medians over the runs that had it, ms:`,
);
const busy = Object.entries(names)
  .map(([k, v]) => [k, median(v), v.length])
  .sort((a, b) => b[1] - a[1]);
for (const [k, v, n] of busy.slice(0, 25))
  console.log(`  ${v.toFixed(1).padStart(6)}  ${k}${n < RUNS ? ` (in ${n} of ${RUNS})` : ''}`);
const total = busy.filter(([k]) => !/^ +(self|in it):/.test(k)).reduce((s, [, v]) => s + v, 0);
console.log(`  ${(median(windows['A12345.js'][0]) - total).toFixed(1).padStart(6)}  idle, or work on other threads`);
