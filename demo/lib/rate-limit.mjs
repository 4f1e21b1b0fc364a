// The per-source rate limit of the routes any origin may call: health beacons
// (demo/lib/health.mjs) and a preview's evidence (demo/lib/preview.mjs).

/**
 * At most `perSource` requests per `windowMs` from one address; `now()`: the clock. The table of sources
 * is emptied when it passes `maxSources`, so a flood of addresses cannot grow it without bound.
 * @param {{ perSource: number, windowMs: number, now: () => number, maxSources?: number }} options
 * @returns {(source: string) => boolean} whether this request is allowed
 */
export function rateLimiter({ perSource, windowMs, now, maxSources = 10_000 }) {
  const seen = new Map();
  return (source) => {
    const t = now();
    let s = seen.get(source);
    if (!s || t - s.start >= windowMs) {
      if (!s && seen.size >= maxSources) seen.clear();
      s = { start: t, n: 0 };
      seen.set(source, s);
    }
    return ++s.n <= perSource;
  };
}
