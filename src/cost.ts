// What each partner costs the page (utt.cost.js, loaded only when the merchant
// asks: utt('costs', cb), or data-costs on utt's tag). Per injected
// integration, what the browser can attribute:
//   bytes       Resource Timing transferSize and encodedBodySize of its script;
//               a cross-origin script without Timing-Allow-Origin shows sizes
//               of 0, which say nothing: 'no timing-allow-origin';
//   mainThread  milliseconds of its scripts (any script from its origin) in
//               Long Animation Frames, and the count of those frames.
// Where an engine lacks the API, the field says 'unsupported', never 0.
import { bare, own } from './own';
import type { Cost, Injected, Outcome } from './types';

interface ScriptTiming {
  sourceURL: string;
  duration: number;
}
interface FrameTiming {
  scripts: ScriptTiming[];
}

/** Starts listening to long animation frames (buffered: frames before the chunk arrived count too). */
export function watch(w: Window): { frames: FrameTiming[]; supported: boolean; take: () => void } {
  const out = { frames: [] as FrameTiming[], supported: false, take: () => {} };
  const P = own(w, 'PerformanceObserver') as typeof PerformanceObserver | undefined;
  if (!P || (P.supportedEntryTypes || []).indexOf('long-animation-frame') < 0) return out;
  out.supported = true;
  const add = (entries: PerformanceEntryList) => {
    for (const e of entries) out.frames.push(e as unknown as FrameTiming);
  };
  try {
    const observer = new P((list) => add(list.getEntries()));
    observer.observe(bare({ type: 'long-animation-frame', buffered: true }));
    // The buffered frames arrive in a later task: a call for costs right now takes them at once.
    out.take = () => add(observer.takeRecords());
  } catch {
    out.supported = false;
  }
  return out;
}

export function costs(w: Window, injected: Injected[], frames: ReturnType<typeof watch>): Cost[] {
  const perf = w.performance;
  frames.take();
  return injected.map(([id, partner, script]) => {
    const origin = new URL(script).origin;
    const entry =
      perf && perf.getEntriesByName ? (perf.getEntriesByName(script)[0] as PerformanceResourceTiming) : undefined;
    const bytes: Cost['bytes'] =
      !perf || !perf.getEntriesByName
        ? 'unsupported'
        : !entry
          ? 'not loaded'
          : !entry.responseStart && !entry.encodedBodySize && origin != w.location.origin
            ? 'no timing-allow-origin'
            : { transfer: entry.transferSize, encoded: entry.encodedBodySize };
    let ms = 0;
    let count = 0;
    for (const frame of frames.frames) {
      let mine = 0;
      for (const s of frame.scripts || [])
        if (s.sourceURL && s.sourceURL.indexOf(origin + '/') == 0) mine += s.duration;
      if (mine) {
        ms += mine;
        count++;
      }
    }
    return {
      id,
      partner,
      script,
      bytes,
      mainThread: frames.supported ? Math.round(ms) : 'unsupported',
      longFrames: frames.supported ? count : 'unsupported',
    };
  });
}

/**
 * Runs `go` once the next frame has ended: a script's long frame is recorded only when that frame
 * ends, which can be after its load event (and so after the report settles, or a call for costs
 * made then). A hidden page renders no frames: after 1 s it runs anyway.
 */
export function afterFrame(w: Window, go: () => void) {
  let done = 0;
  const once = () => done++ || go();
  try {
    w.requestAnimationFrame(() => setTimeout(once));
  } catch {}
  setTimeout(once, 1e3);
}

/** Each loaded outcome gets its cost from `list`; the others get none. */
export function annotate(outcomes: Outcome[], list: Cost[]): Outcome[] {
  const by: Record<string, Cost> = Object.create(null);
  for (const c of list) by[c.id] = c;
  for (const o of outcomes) {
    const c = o.status == 'loaded' && by[o.id];
    if (c) o.cost = { bytes: c.bytes, mainThread: c.mainThread, longFrames: c.longFrames };
  }
  return outcomes;
}
