// Load timing: `idle` and `interaction` partners report `deferred` with the
// reason, then go on as any other when their moment comes.
import { describe, expect, it } from 'vitest';
import { advance, fakeClock, integration as int, manifestOf, page } from './page';

fakeClock();

const NW = int('nw', 'northwind-analytics', { domain: 'shop.example' });
const OR = int('or', 'orbit-reviews', { storeId: 'acme-outdoor', region: 'eu' });
const at = (o: object, load: unknown) => ({ ...o, load });
const srcs = (p: ReturnType<typeof page>) => p.injected().map((s) => new URL(s.src).host);

describe('load timing', () => {
  it('interaction: deferred until the first input, however long that takes; now partners are unchanged', async () => {
    const p = page({ manifest: manifestOf(NW, at(OR, 'interaction')) });
    await p.settled();
    expect(p.events.map((e) => [e.id, e.status, e.reason])).toEqual([
      ['nw', 'injected', ''],
      ['or', 'deferred', 'interaction'],
    ]);
    await advance(60_000);
    expect(srcs(p)).toEqual(['cdn.northwind.example']);
    p.w.dispatchEvent(new p.w.KeyboardEvent('keydown', { key: 'a' }));
    p.w.dispatchEvent(new p.w.Event('scroll'));
    await p.settled();
    expect(srcs(p)).toEqual(['cdn.northwind.example', 'static.orbit.example']);
  });

  it('interaction: the page being hidden counts, so a bounce loses nothing', async () => {
    const p = page({ manifest: manifestOf(at(OR, 'interaction')) });
    await p.settled();
    // utt reads the state through Document.prototype, as it reads every document property.
    let state = 'visible';
    Object.defineProperty(p.w.Document.prototype, 'visibilityState', { get: () => state, configurable: true });
    p.d.dispatchEvent(new p.w.Event('visibilitychange'));
    await p.settled();
    expect(srcs(p)).toEqual([]);
    state = 'hidden';
    p.d.dispatchEvent(new p.w.Event('visibilitychange'));
    await p.settled();
    expect(srcs(p)).toEqual(['static.orbit.example']);
  });

  it('idle: deferred while the page loads, then in after its load event', async () => {
    // What the page had when its load event fired: no partner script yet.
    const atLoad: number[] = [];
    const p = page({
      manifest: manifestOf(at(NW, 'idle')),
      before: (w) =>
        w.addEventListener('load', () => atLoad.push(w.document.querySelectorAll('script[src*="northwind"]').length)),
    });
    expect(p.d.readyState).toBe('loading');
    await p.settled();
    expect(p.events[0]).toMatchObject({ id: 'nw', status: 'deferred', reason: 'idle' });
    await advance(10_000);
    expect(atLoad).toEqual([0]);
    expect(srcs(p)).toEqual(['cdn.northwind.example']);
  });

  it('a deferred partner denied consent is never requested', async () => {
    const p = page({
      attrs: { 'data-account': 'A12345', 'data-consent': 'required' },
      manifest: manifestOf(at(NW, 'interaction')),
    });
    await p.settled();
    (p.utt as any)('consent', 'update', { analytics: 'denied' });
    p.w.dispatchEvent(new p.w.Event('pointerdown'));
    await p.settled();
    expect(p.events.map((e) => e.status)).toEqual(['deferred', 'denied-consent']);
    expect(srcs(p)).toEqual([]);
  });

  it.each([['later'], [1], [null], ['__proto__']])(
    'a manifest load of %j that is not now, idle or interaction is invalid',
    async (load) => {
      const p = page({ manifest: manifestOf(at(NW, load)) });
      await p.settled();
      // null reads as absent: the partner's own timing (now).
      expect(p.events[0].status).toBe(load === null ? 'injected' : 'invalid');
      if (load !== null) expect(p.events[0].reason).toBe('load');
    },
  );
});
