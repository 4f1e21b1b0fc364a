// What the bench scripts (run.mjs, gap.mjs, ab.mjs) read the same way: medians,
// which requests are a partner's, and a page's Resource Timing.

/** The median of a list of numbers. */
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

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
    const stop = cdp.on('Tracing.tracingComplete', () => (stop(), resolve(undefined)));
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
