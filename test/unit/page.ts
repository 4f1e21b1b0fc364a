// A fresh jsdom page per test, with utt booted from a script tag the way a
// merchant embeds it, a fake fetch for the manifest, and helpers that play
// the browser's part for partner scripts (jsdom loads none).
//
// page() needs a fake clock: a test file that uses it calls fakeClock() once
// at its top, so that utt's timers (consent waits, retries, timeouts, the
// report's flush) move only when a test advances them, and a busy machine
// cannot reorder them. page() and advance() refuse to run on the real clock.
import { JSDOM } from 'jsdom';
import { afterEach, beforeEach, vi } from 'vitest';
import { account } from '../../src/account';
import { boot } from '../../src/boot';
import type { Compiled } from '../../src/compiled';
import { iab } from '../../src/consent/iab';
import { checkMeta } from '../../src/csp/page';
import { attribute } from '../../src/csp/violations';
import { generic } from '../../src/generic';
import { send } from '../../src/health';
import { preview } from '../../src/preview';
import type { ManifestOutcome, Outcome } from '../../src/types';
import { verify } from '../../src/verify';

export interface PageOptions {
  /** Manifest body: an object is sent as JSON, a string as is. */
  manifest?: unknown;
  status?: number;
  /** Attributes of utt's own tag; default data-account="A12345". */
  attrs?: Record<string, string>;
  /** Runs before boot, with the page's window: queue calls, pollute prototypes... */
  before?: (w: Window & typeof globalThis) => void;
  /** Never answer the manifest request. */
  hang?: boolean;
  /** Response headers of the manifest (content-type application/json by default). */
  headers?: Record<string, string>;
  /** Answers for successive manifest requests (status, body), before falling back on `status`/`manifest`. */
  sequence?: { status?: number; body?: string; network?: boolean; reset?: boolean }[];
  /** The body never ends: 64 KB chunks for as long as they are read (a hostile or broken server). */
  endless?: boolean;
  /** Do not play utt.csp.js when utt asks for it (as if it failed to load). */
  noChunk?: boolean;
  /** Do not play utt.iab.js when utt asks for it (as if it failed to load). */
  noIab?: boolean;
  /** utt.cost.js, when utt asks for it: fails to load (`error`), or never answers (`hang`, the default: jsdom loads nothing). */
  costChunk?: 'error' | 'hang';
  /** The version utt.iab.js hands itself over with (a stale chunk from a CDN cache). */
  iabVersion?: string;
  /** Boot as a per-account tag with these inlined integrations (build/account.mjs compileAccount). */
  compiled?: Compiled;
  /** The src of utt's own tag; '' for a tag written into the page. */
  src?: string;
  /** The page's URL (default https://shop.example/product/1). */
  url?: string;
  /** The page's document.referrer (default none). */
  referrer?: string;
  /** utt.preview.js fails to load. */
  noPreview?: boolean;
}

/** Puts every test of the calling file on a fake clock (call it once, at the file's top level). */
export function fakeClock() {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}

/** Moves the fake clock by `ms`, running every timer due and the promises they settle. Never waits on real time. */
export const advance = (ms: number) => {
  if (!vi.isFakeTimers()) throw new Error('the clock is real: call fakeClock() at the top of this test file');
  return vi.advanceTimersByTimeAsync(ms);
};

export const integration = (id: string, partner: string, identifiers: Record<string, unknown>, status = 'enabled') => ({
  id,
  partner,
  status,
  identifiers,
});

export const manifestOf = (...integrations: unknown[]) => ({ version: 1, account: 'A12345', integrations });

export function page(options: PageOptions = {}) {
  if (!vi.isFakeTimers()) throw new Error('the clock is real: call fakeClock() at the top of this test file');
  const dom = new JSDOM('<!doctype html><html><head></head><body><p>shop</p></body></html>', {
    url: options.url ?? 'https://shop.example/product/1',
    referrer: options.referrer,
  });
  const w = dom.window as unknown as Window & typeof globalThis;
  const d = w.document;
  const requests: { url: string; init?: RequestInit }[] = [];
  /** For `endless`: how many chunks utt read, and whether it cancelled the stream. */
  const pulled = { n: 0, cancelled: false };
  const events: Outcome[] = [];
  // Read before `before` runs: it may pollute Object.prototype.
  const { hang, status = 200, headers = { 'content-type': 'application/json' } } = options;
  const sequence = [...(options.sequence ?? [])];
  const body =
    typeof options.manifest === 'string' ? options.manifest : JSON.stringify(options.manifest ?? manifestOf());
  w.fetch = ((url: string, init?: RequestInit) => {
    requests.push({ url: String(url), init });
    if (hang) return new Promise(() => {});
    const next = sequence.shift();
    if (next?.network) return Promise.reject(new TypeError('Failed to fetch'));
    // Only what utt reads of a Response: a polluted Object.prototype must not break the fake itself.
    const code = next?.status ?? status;
    const text = next?.body ?? body;
    const bytes = new TextEncoder().encode(text);
    // The body as a stream, as browsers give it: in two halves, or reset after the first, or endless.
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        if (options.endless) return;
        c.enqueue(bytes.slice(0, bytes.length >> 1));
        if (next?.reset) return c.error(new TypeError('network error'));
        c.enqueue(bytes.slice(bytes.length >> 1));
        c.close();
      },
      pull(c) {
        if (!options.endless) return;
        pulled.n++;
        c.enqueue(new Uint8Array(65536).fill(32));
      },
      cancel() {
        pulled.cancelled = true;
      },
    });
    return Promise.resolve({
      ok: code < 300,
      status: code,
      headers: { get: (name: string) => headers[name.toLowerCase()] ?? null },
      body: stream,
      // utt reads the stream; text() lets an older runtime run against this fake; verify mode reads json().
      text: () => Promise.resolve(text),
      json: () => Promise.resolve(JSON.parse(text)),
    });
  }) as typeof fetch;
  w.addEventListener('utt:integration', (e) => events.push((e as CustomEvent).detail));
  /** What went through navigator.sendBeacon (jsdom has none): [url, body]. */
  const beacons: [string, string][] = [];
  (w.navigator as any).sendBeacon = (url: string, body: string) => beacons.push([url, body]) > 0;
  options.before?.(w);
  const tag = d.createElement('script');
  const src = options.src ?? 'https://cdn.utt.example/v1/utt.js';
  if (src) tag.src = src;
  for (const [k, v] of Object.entries(options.attrs ?? { 'data-account': 'A12345' })) tag.setAttribute(k, v);
  d.head.append(tag);
  // jsdom loads no script: play utt.csp.js and utt.iab.js from the sources when utt inserts them.
  new w.MutationObserver((records) => {
    for (const r of records)
      for (const n of Array.from(r.addedNodes)) {
        const src = (n as HTMLScriptElement).src ?? '';
        if (src.endsWith('/utt.csp.js'))
          setTimeout(() =>
            options.noChunk
              ? n.dispatchEvent(new w.Event('error'))
              : (w as any).utt(
                  'csp-ready',
                  { checkMeta, attribute, verify: (state: any, cb: any) => verify(w, d, state, cb) },
                  __VERSION__,
                ),
          );
        if (src.endsWith('/utt.preview.js'))
          setTimeout(() =>
            options.noPreview
              ? n.dispatchEvent(new w.Event('error'))
              : (w as any).utt('preview-ready', preview, __VERSION__),
          );
        if (src.endsWith('/utt.health.js'))
          setTimeout(() => (w as any).utt('health-ready', (t: any, o: any, m: any) => send(w, t, o, m), __VERSION__));
        if (src.endsWith('/utt.cost.js') && options.costChunk === 'error')
          setTimeout(() => n.dispatchEvent(new w.Event('error')));
        if (src.endsWith('/utt.iab.js'))
          setTimeout(() =>
            options.noIab
              ? n.dispatchEvent(new w.Event('error'))
              : (w as any).utt('iab-ready', iab, options.iabVersion ?? __VERSION__),
          );
      }
  }).observe(d, { childList: true, subtree: true });
  const utt = boot(w, d, tag, options.compiled ? account(options.compiled) : generic());

  /** The partner scripts utt inserted. */
  const injected = () =>
    Array.from(d.querySelectorAll('script')).filter(
      (s) => s !== tag && !/\/utt\.(csp|iab|health|preview)\.js$/.test(s.src),
    ) as HTMLScriptElement[];
  const fire = (url: string, type: 'load' | 'error') => {
    const s = injected().find((x) => x.src === url);
    if (!s) throw new Error(`no script ${url}; have ${injected().map((x) => x.src)}`);
    s.dispatchEvent(new w.Event(type));
  };
  /**
   * The report, as utt('report') gives it. The clock moves in 10 ms steps
   * until it comes, as real time would, up to a minute: an injected script
   * that nobody fires ends `failed (timeout)` after utt's 10 s, as in a browser.
   */
  const report = async (): Promise<[Outcome[], ManifestOutcome]> => {
    let got: [Outcome[], ManifestOutcome] | undefined;
    (utt as (...a: unknown[]) => void)('report', (o: Outcome[], m: ManifestOutcome) => {
      got = [o, m];
    });
    for (let t = 0; !got && t < 60_000; t += 10) await advance(t ? 10 : 0);
    if (!got) throw new Error('no report after a minute of fake time');
    return got;
  };
  /** Runs what is due now, without moving the clock: the manifest arrives and every integration runs. */
  const settled = async () => {
    for (let i = 0; i < 20; i++) await advance(0);
  };
  return { w, d, tag, utt, requests, events, injected, fire, report, settled, pulled, beacons };
}
