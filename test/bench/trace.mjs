// Script time from a Chromium trace, counted the way DevTools' "Scripting"
// counts it: compiling and running scripts, callbacks, and the microtasks
// that promise-based code (fetch().then, as in every loader here) runs in.
// CDP's Performance.getMetrics ScriptDuration leaves microtasks out.

// The fewest categories that carry these events: tracing costs main-thread time too.
export const CATEGORIES = ['devtools.timeline', 'v8.execute'];

const SCRIPT = new Set([
  'EvaluateScript',
  'FunctionCall',
  'TimerFire',
  'RunMicrotasks',
  'v8.compile',
  'v8.compileModule',
  'v8.evaluateModule',
  'v8.run',
  'V8.Execute',
]);

/**
 * Milliseconds of script on the main thread of the renderer that loaded
 * `origin`: the union of the intervals of script events, so nested ones
 * count once.
 */
export function scriptTime(traceEvents, origin) {
  const page = traceEvents.find(
    (e) => e.name === 'ParseHTML' && String(e.args?.beginData?.url ?? '').startsWith(origin),
  );
  if (!page) throw new Error(`no ParseHTML of ${origin} in the trace`);
  const intervals = traceEvents
    .filter((e) => e.pid === page.pid && e.tid === page.tid && e.ph === 'X' && SCRIPT.has(e.name))
    .map((e) => [e.ts, e.ts + (e.dur ?? 0)])
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let [start, end] = [0, 0];
  for (const [s, e] of intervals) {
    if (s > end) {
      total += end - start;
      [start, end] = [s, e];
    } else end = Math.max(end, e);
  }
  total += end - start;
  return total / 1000;
}
