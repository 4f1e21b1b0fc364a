// `npm run bench:ab -- a.js b.js ...`: two or more builds of a per-account tag
// side by side, each served as A12345.js on the bench's page (five partners, 20 ms
// on every answer), interleaved with the minimal tag. Prints, per file, medians of
// RUNS loads (25 by default, BENCH_RUNS to change): Resource Timing's window from
// the script received to the first partner request, the first request itself, and
// from a trace the main thread's window (the script's bytes finished to the first
// request) with the lazy compiling inside it; then each file's difference from the
// one before it, paired load by load, with its sign-test interval. How the compile
// hint was measured (docs/benchmarks.md). BENCH_TRACE=0 leaves the trace out: Resource
// Timing's two columns only, about five times sooner. BENCH_VIEWS=2 measures a visitor's
// second page view (the page twice in one tab). A benchmark, not a test.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
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
  traceWindow,
} from './measure.mjs';
import { loaders, perAccount, SHOP, SUBJECTS, startServer } from './subjects.mjs';

const RUNS = Math.max(1, Number(process.env.BENCH_RUNS) || 25);
const TRACE = process.env.BENCH_TRACE !== '0';
const VIEWS = Math.max(1, Number(process.env.BENCH_VIEWS) || 1);
const files = process.argv.slice(2);
if (!files.length) throw new Error('usage: npm run bench:ab -- a.js b.js ...');

const server = await startServer(await loaders());
const cdp = await launchPipe(server.port);
/** @type {Record<string, Buffer | null>} null: the minimal tag. */
const subjects = { 'the minimal tag': null };
for (const file of files) subjects[basename(file)] = readFileSync(file);

/** One traced load: [RT window, first request, main-thread window, lazy compile in it], ms. */
async function once(tag, urls) {
  const head = tag ? SUBJECTS['utt (per-account)']() : SUBJECTS['minimal tag (URLs inlined)']();
  Object.assign(server.scene, { head, account: tag || Buffer.alloc(0), urls, latency: 20, hangPartners: false });
  server.seen.length = 0;
  const events = [];
  const off = cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
  const categories = 'devtools.timeline,v8.execute,loading,v8,disabled-by-default-v8.compile';
  const { browserContextId } = await cdp.send('Target.createBrowserContext', { disposeOnDetach: true });
  const { targetId } = await cdp.send('Target.createTarget', { url: 'about:blank', browserContextId });
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: true });
  await cdp.send('Page.enable', {}, sessionId);
  const loaded = () =>
    new Promise((resolve) => {
      const stop = cdp.on('Page.loadEventFired', (_, from) => {
        if (from !== sessionId) return;
        stop();
        resolve(undefined);
      });
    });
  // BENCH_VIEWS: page views of the same site in this tab before the measured one (a visitor's next page).
  for (let view = 1; view < VIEWS; view++) {
    const shown = loaded();
    await cdp.send('Page.navigate', { url: `${SHOP}/?view=${view}` }, sessionId);
    await shown;
    await server.quiet(300);
  }
  if (TRACE) await cdp.send('Tracing.start', { categories, transferMode: 'ReportEvents' });
  const shown = loaded();
  await cdp.send('Page.navigate', { url: `${SHOP}/` }, sessionId);
  await shown;
  const { result } = await cdp.send('Runtime.evaluate', { expression: RESOURCES, returnByValue: true }, sessionId);
  if (TRACE) await endTrace(cdp);
  off();
  await cdp.send('Target.disposeBrowserContext', { browserContextId });
  const path = tag ? '/A12345.js' : '/minimal-tag.js';
  const entries = /** @type {[string, number, number][]} */ (result.value);
  const first = Math.min(...entries.filter(([u]) => isPartner(u)).map(([, s]) => s));
  if (!TRACE) return [afterReceived(entries, path), first, Number.NaN, Number.NaN];
  const [finish, sent] = traceWindow(events, path);
  // Compile events on the main thread inside the window, outermost only.
  const compiles = events.filter(
    (e) => e.ph === 'X' && /ompile/.test(e.name) && e.tid === sent.tid && e.ts >= finish.ts && e.ts < sent.ts,
  );
  const outer = compiles.filter((e) => !compiles.some((o) => o !== e && o.ts <= e.ts && o.ts + o.dur >= e.ts + e.dur));
  return [
    afterReceived(entries, path),
    first,
    (sent.ts - finish.ts) / 1000,
    outer.reduce((sum, e) => sum + e.dur, 0) / 1000,
  ];
}

// A first load gives the partner URLs that the minimal tag writes in.
await once(perAccount(5), []);
const urls = server.seen.map(([u]) => u).filter(isPartner);
/** @type {Record<string, number[][]>} */
const runs = Object.fromEntries(Object.keys(subjects).map((k) => [k, []]));
for (let i = 0; i < RUNS; i++) {
  for (const [name, tag] of Object.entries(subjects)) runs[name].push(await once(tag, urls));
  process.stdout.write('.');
}
await cdp.close();
server.close();
console.log(`\nmedians of ${RUNS} interleaved loads, ms`);
console.log(`  received → first request | first request${TRACE ? ' | main-thread window | lazy compile in it' : ''}`);
for (const [name, r] of Object.entries(runs))
  console.log(
    `  ${(TRACE ? [0, 1, 2, 3] : [0, 1])
      .map((k) =>
        median(r.map((x) => x[k]))
          .toFixed(1)
          .padStart(6),
      )
      .join('  ')}  ${name}`,
  );
const names = Object.keys(runs);
console.log(`\ndifferences, paired load by load: median (interval, ${(100 * signTest(RUNS)[1]).toFixed(1)}%), ms`);
console.log(`  received → first request |          first request${TRACE ? ' | main-thread window' : ''}`);
for (let i = 1; i < names.length; i++) {
  const [a, b] = [runs[names[i]], runs[names[i - 1]]];
  const column = (k) =>
    showPaired(
      paired(
        a.map((x) => x[k]),
        b.map((x) => x[k]),
      ),
    ).padStart(24);
  console.log(`  ${(TRACE ? [0, 1, 2] : [0, 1]).map(column).join('  ')}  ${names[i]} − ${names[i - 1]}`);
}
