import { afterEach, describe, expect, it, vi } from 'vitest';
import { advance, fakeClock, integration as int, manifestOf, page } from './page';

fakeClock();

const URL_ = 'https://cdn.utt.example/v1/manifests/A12345.json';
const OR = int('or', 'orbit-reviews', { storeId: 'acme-outdoor', region: 'eu' });
const good = JSON.stringify(manifestOf(OR));
const keep = (w: Window, body: string, age = 0) =>
  w.localStorage.setItem(`utt:${URL_}`, JSON.stringify([1, Date.now() - age, body]));

afterEach(() => {
  vi.restoreAllMocks();
});

describe('manifest resilience', () => {
  // The pause before the retry is 100 ms plus up to 400 ms of jitter (Math.random).
  it.each([
    [0, 100],
    [0.5, 300],
    [0.999, 499],
  ])('retries a 5xx once, after a jittered pause (random %s: %s ms), then goes on', async (random, pause) => {
    vi.spyOn(Math, 'random').mockReturnValue(random);
    const p = page({ sequence: [{ status: 503 }], manifest: manifestOf(OR) });
    await p.settled();
    expect(p.requests.length).toBe(1);
    await advance(Math.floor(pause) - 1);
    expect(p.requests.length).toBe(1);
    await advance(1);
    expect(p.requests.length).toBe(2);
    await p.settled();
    expect(p.injected().length).toBe(1);
    // One retry only, however long the page stays.
    await advance(20_000);
    expect(p.requests.length).toBe(2);
  });

  it('retries a network error once, then fails with one account-level status', async () => {
    const p = page({ sequence: [{ network: true }, { network: true }] });
    const [outcomes, manifest] = await p.report();
    expect(manifest).toMatchObject({ status: 'failed', reason: 'network' });
    expect(p.requests.length).toBe(2);
    expect(outcomes).toEqual([]);
  });

  it('does not retry a 4xx', async () => {
    const p = page({ status: 404 });
    expect((await p.report())[1]).toMatchObject({ status: 'failed', reason: 'http 404' });
    expect(p.requests.length).toBe(1);
  });

  it('refuses a body that is not JSON by its Content-Type', async () => {
    const p = page({ headers: { 'content-type': 'text/html' } });
    expect((await p.report())[1]).toMatchObject({ status: 'invalid', reason: 'content-type' });
  });

  it('caps the size: over 256 KB is too-large', async () => {
    const big = JSON.stringify({ ...manifestOf(OR), pad: 'x'.repeat(300_000) });
    expect((await page({ manifest: big }).report())[1]).toMatchObject({ status: 'too-large', reason: 'too-large' });
  });

  it('reads an endless body only up to the cap, then cancels it', async () => {
    const p = page({ endless: true });
    expect((await p.report())[1]).toMatchObject({ status: 'too-large', reason: 'too-large' });
    // 256 KB is four 64 KB chunks: the fifth passes the cap.
    expect(p.pulled.n).toBeLessThanOrEqual(6);
    expect(p.pulled.cancelled).toBe(true);
  });

  it('a connection reset mid-body is a network error: retried once, never an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const p = page({ sequence: [{ reset: true }], manifest: manifestOf(OR) });
      await advance(500);
      await p.settled();
      expect(p.requests.length).toBe(2);
      expect(p.injected().length).toBe(1);
      const twice = page({ sequence: [{ reset: true }, { reset: true }] });
      expect((await twice.report())[1]).toMatchObject({ status: 'failed', reason: 'network' });
      await advance(0);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('caps the integrations: over 2,000 is too-many', async () => {
    const many = manifestOf(...Array.from({ length: 2001 }, (_, i) => int(`i${i}`, 'orbit-reviews', {})));
    const p = page({ manifest: many });
    const [outcomes, manifest] = await p.report();
    expect(manifest).toMatchObject({ status: 'too-many', reason: 'too-many' });
    expect(outcomes).toEqual([]);
  });

  it('keeps the last good manifest, and uses it only when the request fails', async () => {
    const first = page({ manifest: good });
    await first.settled();
    expect(JSON.parse(first.w.localStorage.getItem(`utt:${URL_}`)!)[2]).toBe(good);

    const offline = page({ status: 500, before: (w) => keep(w, good) });
    await advance(500);
    expect(offline.requests.length).toBe(2);
    offline.fire(offline.injected()[0].src, 'load');
    const [outcomes, manifest] = await offline.report();
    expect(manifest).toMatchObject({ status: 'cached', reason: 'http 500' });
    expect(outcomes.map((o) => `${o.id} ${o.status}`)).toEqual(['or loaded']);
  });

  it('never uses a stale, future-dated, foreign or broken cache, and survives storage that throws', async () => {
    const stale = page({ status: 500, before: (w) => keep(w, good, 8 * 864e5) });
    expect((await stale.report())[1]).toMatchObject({ status: 'failed' });
    // A timestamp a year ahead would otherwise stay "fresh" for a year.
    const future = page({ status: 500, before: (w) => keep(w, good, -365 * 864e5) });
    expect((await future.report())[1]).toMatchObject({ status: 'failed' });
    const garbage = page({ status: 500, before: (w) => w.localStorage.setItem(`utt:${URL_}`, '{nope') });
    expect((await garbage.report())[1]).toMatchObject({ status: 'failed' });
    const wrong = page({ status: 500, before: (w) => keep(w, JSON.stringify({ ...manifestOf(OR), account: 'B9' })) });
    expect((await wrong.report())[1]).toMatchObject({ status: 'failed' });
    const broken = page({
      manifest: good,
      before: (w) =>
        Object.defineProperty(w, 'localStorage', {
          get() {
            throw new Error('SecurityError');
          },
        }),
    });
    await broken.settled();
    expect(broken.injected().length).toBe(1);
  });
});
