// `npm run bench:profile`: where a per-account tag's own time goes with many
// integrations (1,000 by default, BENCH_N to change), partner requests left
// unanswered as in RESULTS.md's 1,000-integration figure. Loads A12345.js with
// V8's sampling profiler on (every 100 µs) until every partner request has come,
// and sums self time by function: utt's functions by the src/ file and line
// where each starts (through the template's source map), the browser's own by
// name. The profiler slows what it samples: read the shares, not the
// milliseconds. Medians of 7 loads (BENCH_RUNS to change). A profile, not a test.
import { launchPipe } from './cdp.mjs';
import { bounded, isPartner, median, tagSource } from './measure.mjs';
import { loaders, perAccount, SHOP, SUBJECTS, startServer } from './subjects.mjs';

const N = Math.max(1, Number(process.env.BENCH_N) || 1000);
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS) || 7);
const server = await startServer(await loaders());
const cdp = await launchPipe(server.port);
const account = perAccount(N, true);
// Where a column of A12345.js's code comes from in src/: the line where the function there starts.
const { source } = tagSource(account.toString());

/** @type {Record<string, number[]>} */
const all = {};
for (let i = 0; i < RUNS; i++) {
  Object.assign(server.scene, { head: SUBJECTS['utt (per-account)'](), account, latency: 0, hangPartners: true });
  server.seen.length = 0;
  const { browserContextId } = await cdp.send('Target.createBrowserContext', { disposeOnDetach: true });
  const { targetId } = await cdp.send('Target.createTarget', { url: 'about:blank', browserContextId });
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: true });
  await cdp.send('Profiler.enable', {}, sessionId);
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 }, sessionId);
  await cdp.send('Profiler.start', {}, sessionId);
  await cdp.send('Page.navigate', { url: `${SHOP}/` }, sessionId);
  // Unanswered partners hold the load event: wait for their requests instead (at most 30 s), then for the
  // page's main thread to go idle, so that the work after the last insert is in the profile too.
  await bounded(
    server.until((seen) => seen.filter(([u]) => isPartner(u)).length >= N),
    30_000,
  );
  await cdp.send(
    'Runtime.evaluate',
    { expression: 'new Promise((resolve) => requestIdleCallback(() => resolve(0)))', awaitPromise: true },
    sessionId,
  );
  const { profile } = await cdp.send('Profiler.stop', {}, sessionId);
  await cdp.send('Target.disposeBrowserContext', { browserContextId });
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  /** @type {Record<string, number>} */
  const by = {};
  profile.samples.forEach((id, k) => {
    const { functionName, url, lineNumber, columnNumber } = nodes.get(id).callFrame;
    if (functionName === '(idle)') return;
    const name = url.endsWith('/A12345.js') && lineNumber === 1 ? source(columnNumber) : functionName || '(anonymous)';
    by[name] = (by[name] || 0) + (profile.timeDeltas[k + 1] ?? 100) / 1000;
  });
  for (const [k, v] of Object.entries(by)) all[k] = [...(all[k] ?? []), v];
  process.stdout.write('.');
}
await cdp.close();
server.close();
const rows = Object.entries(all)
  .map(([k, v]) => /** @type {[string, number, number]} */ ([k, median(v), v.length]))
  .sort((a, b) => b[1] - a[1]);
const utt = rows.filter(([k]) => k.startsWith('src/')).reduce((s, [, v]) => s + v, 0);
console.log(
  `\nA12345.js with ${N} integrations, partners unanswered: self time by function, medians of ${RUNS} profiled loads, ms (share of utt's own):`,
);
for (const [k, v, n] of rows.slice(0, 30))
  console.log(
    `  ${v.toFixed(1).padStart(7)}  ${k.startsWith('src/') ? `${((100 * v) / utt).toFixed(0).padStart(3)}%` : '    '}  ${k}${n < RUNS ? ` (in ${n} of ${RUNS})` : ''}`,
  );
console.log(`  ${utt.toFixed(1).padStart(7)}  100%  utt's own functions in all`);
