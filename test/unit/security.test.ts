// Security, round two (issue 11): hostile CMP answers, hostile values in the
// snippet queue, init options and the cache, the page's own markup as jsdom
// models it. The Chromium side (named elements, real CSP) is in
// test/chromium/clobbering.test.ts.
import { describe, expect, it } from 'vitest';
import { boot } from '../../src/index';
import { advance, fakeClock, integration as int, manifestOf, page } from './page';

fakeClock();

const NW = int('nw', 'northwind-analytics', { domain: 'shop.example' });
const BJ = int('bj', 'bluejay-ads', { accountId: 482913 });
const OR = int('or', 'orbit-reviews', { storeId: 'acme-outdoor', region: 'eu' });
const statuses = (outcomes: any[]) =>
  Object.fromEntries(outcomes.map((o) => [o.id, `${o.status}${o.reason ? ` ${o.reason}` : ''}`]));

/** Fails the test on any error that reaches the page (jsdom's window "error" event). */
const pageErrors = (w: Window) => {
  const errors: unknown[] = [];
  w.addEventListener('error', (e) => errors.push((e as ErrorEvent).error ?? e));
  return errors;
};

/** A TCF CMP whose answer throws when utt reads `purpose.consents` (or everything, with a Proxy). */
const hostileTcf = (kind: 'getter' | 'proxy') => (w: any) => {
  const answer: any = {
    eventStatus: 'tcloaded',
    gdprApplies: true,
    vendor: { consents: { 9001: true, 9002: true }, legitimateInterests: {} },
    publisher: { restrictions: {} },
  };
  Object.defineProperty(answer, 'purpose', {
    enumerable: true,
    get() {
      throw new Error('hostile getter');
    },
  });
  const data =
    kind === 'proxy'
      ? new Proxy(
          {},
          {
            get() {
              throw new Error('hostile proxy');
            },
            getOwnPropertyDescriptor() {
              throw new Error('hostile proxy');
            },
            has() {
              throw new Error('hostile proxy');
            },
          },
        )
      : answer;
  w.__tcfapi = (command: string, _v: number, cb: (d: unknown, ok: boolean) => void) => {
    if (command === 'addEventListener') setTimeout(() => cb(data, true), 10);
  };
};

describe('hostile CMP answers', () => {
  it.each(['getter', 'proxy'] as const)(
    'a TCF answer that throws when read (%s): a no for TCF only, nothing leaks to the page, the merchant still decides',
    async (kind) => {
      const p = page({
        attrs: { 'data-account': 'A12345', 'data-consent': 'required' },
        manifest: manifestOf(NW, BJ, OR),
        before: hostileTcf(kind),
      });
      const errors = pageErrors(p.w);
      // A getter that throws is read as no consent at once; an unreadable Proxy is no answer, a no after consentTimeout.
      await advance(kind === 'proxy' ? 3000 : 20);
      await p.settled();
      // TCF partners are refused; the partner that needs only the merchant's functional consent waits for it.
      expect(statuses(p.events.filter((e) => e.status !== 'awaiting-consent' || e.id === 'or'))).toMatchObject({
        nw: expect.stringMatching(/^denied-consent tcf/),
        bj: expect.stringMatching(/^denied-consent tcf/),
        // Held for the merchant's functional consent (denied once a silent CMP timed out, in required mode).
        or: expect.stringMatching(/^(awaiting|denied)-consent consent: functional$/),
      });
      // The merchant's own signal still re-decides the held integrations.
      (p.utt as any)('consent', 'update', { functional: 'granted' });
      await p.settled();
      expect(p.injected().map((s) => new URL(s.src).host)).toEqual(['static.orbit.example']);
      expect(errors).toEqual([]);
    },
  );

  it('a GPP answer that throws when read: an opt-out for GPP only, nothing leaks', async () => {
    const p = page({
      manifest: manifestOf(NW, BJ),
      before: (w: any) => {
        w.__gpp = (command: string, cb: (d: unknown, ok: boolean) => void) => {
          if (command !== 'addEventListener') return;
          const sections = new Proxy(
            {},
            {
              ownKeys() {
                throw new Error('hostile proxy');
              },
            },
          );
          setTimeout(() =>
            cb({ eventName: 'signalStatus', pingData: { signalStatus: 'ready', parsedSections: sections } }, true),
          );
        };
      },
    });
    const errors = pageErrors(p.w);
    await advance(10);
    await p.settled();
    expect(statuses(p.events.filter((e) => e.status !== 'awaiting-consent'))).toEqual({
      nw: 'injected',
      bj: 'denied-consent gpp: unreadable',
    });
    expect(errors).toEqual([]);
  });
});

describe('hostile values', () => {
  it.each(['__proto__', 'constructor', 'hasOwnProperty'])(
    'an integration id %s is held and re-decided like any other',
    async (id) => {
      const p = page({
        attrs: { 'data-account': 'A12345', 'data-consent': 'required' },
        manifest: manifestOf(int(id, 'orbit-reviews', { storeId: 'acme-outdoor', region: 'eu' })),
      });
      await p.settled();
      expect(p.events.map((e) => `${e.id} ${e.status}`)).toEqual([`${id} awaiting-consent`]);
      (p.utt as any)('consent', 'update', { functional: 'granted' });
      await p.settled();
      expect(p.injected().length).toBe(1);
    },
  );

  it.each([
    ['null', [null]],
    ['a number', [42]],
    ['a string', ['init']],
    ['an empty object', [{}]],
    // What a polluted prototype or JSON can make: only the snippet's `arguments` objects are calls.
    ['an array', [['on', 'integration', () => {}]]],
    ['a plain object shaped like a call', [{ 0: 'init', 1: { manifest: 'https://evil.example/m.json' }, length: 2 }]],
  ])('a snippet queue holding %s is skipped, and the calls after it run', async (_, junk) => {
    const calls: string[] = [];
    const p = page({
      manifest: manifestOf(OR),
      before(w: any) {
        const stub: any = function () {
          // biome-ignore lint/complexity/noArguments: the snippet queues the arguments object itself
          stub.q.push(arguments);
        };
        stub.q = [...junk];
        stub('on', 'integration', (o: any) => calls.push(o.status));
        w.utt = stub;
      },
    });
    await p.settled();
    expect(calls).toEqual(['injected']);
  });

  it.each([
    ['a queue that is not a list', { q: 5 }],
    ['an object with v (markup can make one)', { v: 1 }],
    ['a form element with id="utt"', 'form'],
  ])('window.utt as %s does not stop utt', async (_, value) => {
    const p = page({
      manifest: manifestOf(OR),
      before(w: any) {
        if (value === 'form') {
          const form = w.document.createElement('form');
          form.id = 'utt';
          form.innerHTML = '<input name="v" value="1"><input name="q">';
          w.document.body.append(form);
        } else w.utt = value;
      },
    });
    await p.settled();
    expect(p.injected().length).toBe(1);
    expect(typeof (p.w as any).utt).toBe('function');
  });

  it('a timeout of 2^31 ms or more is clamped, not fired at once', async () => {
    const p = page({ attrs: {}, manifest: manifestOf(OR) });
    (p.utt as any)('init', { account: 'A12345', timeout: 2 ** 31, consentTimeout: 2 ** 32 });
    await p.settled();
    expect(p.events.map((e) => e.status)).toEqual(['injected']);
    await advance(60_000);
    expect(p.events.map((e) => e.status)).toEqual(['injected']);
  });

  it('init options of the wrong type are ignored, not passed on', async () => {
    const manifest = { toString: () => 'https://evil.example/m.json' };
    const p = page({ attrs: {}, manifest: manifestOf(OR) });
    (p.utt as any)('init', { account: 12345, manifest, timeout: '5', debug: 'yes' });
    await p.settled();
    expect(p.requests).toEqual([]);
    expect((await p.report())[1]).toMatchObject({ status: 'invalid', reason: 'account', account: '' });
  });
});

describe("the page's markup", () => {
  // Browsers enforce a CSP meta tag only in <head>: one in <body> blocks nothing.
  it.each([
    ['body', 'loaded'],
    ['head', 'blocked-csp script-src: add https://cdn.northwind.example'],
  ] as const)('a CSP meta tag in <%s>: %s', async (where, expected) => {
    const p = page({
      manifest: manifestOf(NW),
      before: (w) => {
        const m = w.document.createElement('meta');
        m.httpEquiv = 'Content-Security-Policy';
        m.content = "script-src 'none'";
        w.document[where].append(m);
      },
    });
    await p.settled();
    if (expected === 'loaded') p.fire(p.injected()[0].src, 'load');
    const [outcomes] = await p.report();
    expect(statuses(outcomes)).toEqual({ nw: expected });
  });
});

describe('a frame named utt', () => {
  it('boots past a cross-origin frame on window.utt, whose every property read throws', () => {
    // What Chromium gives for <iframe name="utt"> once the frame has turned cross-origin.
    const frame = new Proxy(
      {},
      {
        get() {
          throw new DOMException('Blocked a frame from accessing a cross-origin frame', 'SecurityError');
        },
      },
    );
    (window as any).utt = frame;
    try {
      const utt = boot(window, document);
      expect(typeof utt).toBe('function');
      expect((window as any).utt).toBe(utt);
    } finally {
      delete (window as any).utt;
    }
  });
});
