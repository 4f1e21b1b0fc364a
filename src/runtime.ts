import { append } from './append';
import { baseOf } from './base';
import { createConsent } from './consent';
import { type IabChunk, iab as iabInline } from './consent/iab';
import { metaTags } from './csp/page';
import { create, get, on } from './dom';
import { createEvents, type Events } from './events';
import { type EventsChunk, eventsLater } from './events-later';
import type { checkIdentifier } from './identifiers';
import { injector } from './inject';
import { type CostChunk, type CspChunk, chunkLoader, type HealthChunk, type PreviewChunk } from './on-demand';
import { bare, own } from './own';
import type { Context } from './pipeline';
import { arrived, KEPT, previewToken } from './preview';
import { createReport, type Listener, type Report, type ReportCallback } from './report';
import { track } from './track';
import { trustedTypes } from './trusted-types';
import type { Cost, InitOptions } from './types';
import type { Verification, VerifyState } from './verify';
import { Code, warn } from './warn';

/** The command function installed as `window.utt`. */
export interface Utt {
  (command: 'on', event: 'integration', callback: Listener): void;
  (command: 'report', callback: ReportCallback): void;
  /** The merchant's consent, before or after utt arrives. */
  (
    command: 'consent',
    kind: 'default' | 'update',
    consent: Partial<Record<'analytics' | 'advertising' | 'personalization' | 'functional', 'granted' | 'denied'>>,
  ): void;
  /** Verify mode: the hub's checklist for every integration, from utt.csp.js (loaded on demand). */
  (command: 'verify', callback: (result: Verification[] | { error: string }) => void): void;
  /** An event (GA4's vocabulary, docs/events.md) for every integration whose partner maps it. */
  (command: 'track', name: string, params?: Record<string, unknown>): void;
  /** Tracks each GA4 ecommerce event the site pushes into `dataLayer` (docs/events.md). */
  (command: 'listen', source: 'dataLayer'): void;
  /** What each partner costs the page, from utt.cost.js (loaded on demand). */
  (command: 'costs', callback: (costs: Cost[] | { error: string }) => void): void;
  /**
   * Starts the account. Last of the signatures: TypeScript explains a call that matches none by the
   * last one, and a typo'd option of init is the likeliest mistake.
   */
  (command: 'init', options: InitOptions): void;
  /** The runtime's version; its presence marks a live runtime (the snippet's stub has none). */
  readonly v: string;
}

export type Command = (command?: unknown, arg?: unknown, arg2?: unknown) => void;

/**
 * One kind of tag: the generic one (src/generic.ts: a manifest to fetch and
 * check) or a per-account one (src/account.ts: its integrations inlined and
 * checked when it was built). The runtime below is what both share.
 */
export interface Tag {
  /** The attribute of utt's own tag that locates utt's files (its src, or a per-account tag's data-base). */
  _files(tag: HTMLScriptElement): string | null;
  /**
   * A per-account tag's account, known before it starts: such a tag starts without an init call (and a
   * preview asks for that account's draft). The generic tag's is '': it starts only if its tag names an
   * account or a manifest.
   */
  _account: string;
  /** Starts the account, once `init` has fixed the options. */
  _start: Start;
  /**
   * The identifier check, for the events stage's optional identifiers (src/events.ts): the generic tag's,
   * whose values come from the manifest, in a build that carries its events stage (utt.js hands
   * utt.events.js its own); a per-account tag's values were checked when it was built.
   */
  _check?: typeof checkIdentifier;
  /**
   * What verify mode checks (src/verify.ts): the manifest to fetch, or the tag's own integrations as a
   * manifest lists them; and its compiled partner of a key.
   */
  _verify(): Pick<VerifyState, 'manifest' | 'integrations' | 'partner'>;
}

/**
 * The integrations reach the pipeline: the context, the meta policies checked
 * by utt.csp.js when the page has any, then each integration through `each`,
 * and the batch of scripts inserted; only then the violation listener and `after`.
 * `version`: the publish the manifest names (the generic tag's), else the one
 * the tag reported when it started.
 */
type Feed = (
  items: readonly unknown[],
  each: (c: Context, item: any, index: number) => void,
  status: 'ok' | 'cached',
  reason: string,
  after?: () => void,
  version?: string,
) => void;

/**
 * What a tag's start is given: the shared runtime, as positional arguments (named members would
 * put their names in every tag's bytes), the ones every tag uses first. `listen` starts listening
 * to the consent signals; `base` is where utt's own files are (src/base.ts); `timeout`, the
 * milliseconds for the manifest request and each partner script.
 */
type Start = (
  feed: Feed,
  listen: () => void,
  report: Report,
  options: InitOptions,
  w: Window,
  base: string,
  timeout: number,
  debug: boolean | undefined,
) => void;

/** Milliseconds, or the fallback: browsers fire a timer of 2^31 ms or more at once, so waits stop at 2e9 ms (23 days). */
const clamp = (ms: unknown, fallback: number) => (typeof ms == 'number' && ms > 0 ? Math.min(ms, 2e9) : fallback);

/**
 * Where commands go. `init` fixes the options and starts the account, as
 * its kind of tag does; every other command is the same for both kinds.
 */
export function createRuntime(
  w: Window,
  d: Document,
  tag: HTMLScriptElement | null | undefined,
  options: InitOptions,
  kind: Tag,
): Command {
  const debug = () => options.debug;
  const report = createReport(w, () => options.account || '', debug);
  // Never where a <base> in the markup says: see base.ts.
  const base = baseOf(d, tag, tag && kind._files(tag));
  const toScriptURL = trustedTypes(w);
  // 1e4: the default 10 s for the manifest and each partner script.
  const timeout = () => clamp(options.timeout, 1e4);
  // The commands, by name; each chunk's hand-over first, the others below. No prototype:
  // `utt('constructor')` is an unknown command like any other.
  const commands: Record<string, (arg: unknown, arg2: unknown) => void> = bare({});
  // The files beside utt.js, utt.<name>.js, each loaded the first time it is needed, and handing
  // itself over with utt('<name>-ready'): see on-demand.ts. Returns `need(cb)`.
  const loader = <T>(name: string) => {
    let l: ReturnType<typeof chunkLoader<T>> | undefined;
    commands[name + '-ready'] = (c, version) => l && l._ready(c, version);
    return (cb: (c?: T) => void) =>
      (l = l || chunkLoader<T>(d, 'utt.' + name + '.js', base, options.nonce, timeout(), toScriptURL))._need(cb);
  };
  const need = loader<CspChunk>('csp');
  // What each partner costs the page: only when the merchant asks (utt('costs'), data-costs).
  // Once loaded, every report carries the costs too; with data-costs, the report waits for it.
  const cost = loader<CostChunk>('cost');
  let costs: CostChunk | undefined;
  // A hub's preview link (utt.preview.js): this tab runs the account's draft (see preview.ts). The
  // link's token, else the one the tab keeps (as `utt-preview=<token>`: one pattern reads both). A
  // window without a location (an embedder's fake one) has no link; storage that throws keeps nothing.
  // A page view's first read of sessionStorage waits on the browser, about 1 ms before the first
  // partner: storage is read only in a named window (a kept preview names it), or on arriving from
  // another site (see preview.ts).
  let search = w.location ? w.location.search : '';
  try {
    if (w.name || arrived(w)) search += '&' + w.sessionStorage.getItem(KEPT);
  } catch {
    // No kept preview.
  }
  const token = previewToken(search);
  const previewer = loader<PreviewChunk>('preview');
  // Health beacons (utt.health.js), with data-health: see init.
  const health = loader<HealthChunk>('health');
  // The ESM build has no file beside it to load: it carries TCF and GPP itself.
  const iab = __IAB_CHUNK__ ? loader<IabChunk>('iab') : (cb: (c: IabChunk) => void) => cb(iabInline);
  const consent = createConsent(w);
  // The events stage, before the manifest too: an event tracked early is held for the integrations to come.
  // utt.js and a per-account tag whose partners map events have it in utt.events.js, loaded on the
  // first track (a per-account tag's own mappings are in its partners' wire form); utt.debug.js in
  // utt.events.debug.js, which prints what happens to each event (warning 213).
  const events = (__EVENTS__ &&
    (__EVENTS_CHUNK__
      ? eventsLater(loader<EventsChunk>(__DEBUG__ ? 'events.debug' : 'events'), (make) =>
          make(report, debug, kind._check),
        )
      : createEvents(report, debug, undefined, kind._check))) as Events;
  let ctx: Context | undefined;
  const injected = () => (ctx ? ctx._injected : []);
  let started = 0;
  let running = 0;
  const whenStarted: (() => void)[] = [];

  // Consent signals: the merchant's, CMPs (utt.iab.js, only where one is found), GPC.
  const listen = () =>
    consent._start(
      options.consent == 'required',
      // 3e3: the default 3 s a present but silent CMP gets before its silence counts as no.
      clamp(options.consentTimeout, 3e3),
      () => {
        // Each held integration decides again; one that throws does not stop the others (see run()).
        if (ctx) {
          for (const id of Object.keys(ctx._held)) ctx._held[id]();
          // Injected partners whose setup block tells the vendor of a change (src/setup.ts).
          if (__SETUP_MORE__) for (const f of ctx._watch) f();
          ctx._inject._flush();
        }
      },
      iab,
    );
  const feed: Feed = (items, each, status, reason, after, version) => {
    const c: Context = (ctx = {
      _w: w,
      _d: d,
      _report: report,
      _nonce: options.nonce,
      _debug: debug(),
      _inject: injector(w, d, options.nonce, timeout(), toScriptURL),
      // Set once utt.csp.js has come, on a page with a meta policy; read before then, and never inherited.
      _checkMeta: undefined,
      _consent: consent,
      // No prototype: an integration id `__proto__` or `constructor` is a key like any other.
      _held: Object.create(null),
      _watch: [],
      _urls: Object.create(null),
      _injected: [],
    } as Partial<Context> as Context);
    if (__EVENTS__) c.ev = events;
    const runAll = () => {
      report._manifest(status, reason, undefined, version);
      // The page's own scripts. Under a nonce, only those with utt's nonce: a <script src> in the
      // markup without it never runs, and must not make utt take a partner for already loaded.
      for (const s of Array.from(get(d, 'scripts') as HTMLCollectionOf<HTMLScriptElement>))
        if (!options.nonce || s.nonce == options.nonce) c._urls[s.src] = 1;
      items.forEach((item, i) => {
        each(c, item, i);
      });
      c._inject._flush();
      // Header policies cannot be read: their violations say what they refused,
      // and of whom. utt.csp.js reads them, loaded on the first one; the report
      // waits for it. Listened to once the batch is in: a violation comes in a later task.
      on(w, d, 'securitypolicyviolation', (e: SecurityPolicyViolationEvent) => {
        if (!c._injected.length) return;
        const release = report._hold();
        need((chunk) => {
          for (const [id, key, fix, blocked] of chunk ? chunk.attribute(e, c._injected) : []) {
            if (blocked) {
              warn(debug(), Code.BlockedCSP, id, fix);
              report._set(id, key, 'blocked-csp', fix);
            } else report._warn(id, fix);
          }
          release();
        });
      });
      if (after) after();
    };
    // A meta policy can be checked before injecting, by the engine in utt.csp.js.
    if (!metaTags(d).length) return runAll();
    need((loaded) => {
      if (loaded) c._checkMeta = loaded.checkMeta;
      else warn(debug(), Code.ChunkFailed);
      runAll();
    });
  };

  const init = (given: unknown) => {
    // One account per page: a later init is ignored before it can change anything.
    if (started++) return warn(debug(), Code.InitTwice, own(given, 'account'));
    for (const k of ['account', 'manifest', 'nonce', 'timeout', 'debug', 'consent', 'consentTimeout'] as const) {
      const v = own(given, k);
      // Each option has one type (InitOptions): `{account: 12345}` or a manifest object with its own toString is ignored.
      if (typeof v == (k == 'debug' ? 'boolean' : k == 'timeout' || k == 'consentTimeout' ? 'number' : 'string'))
        (options as Record<string, unknown>)[k] = v;
    }
    const go = () => {
      kind._start(feed, listen, report, options, w, base, timeout(), debug());
      // What the tag asks for beyond its partners, once the first of them are in the page. data-costs:
      // what each costs, in every report (which waits for it). data-health: one health beacon once the
      // report has settled (utt.health.js), on the share of page views data-sample names; none from a preview.
      if (tag && tag.hasAttribute('data-costs')) {
        const release = report._hold();
        cost((c) => {
          costs = c;
          release();
        });
      }
      if (!token && tag && tag.hasAttribute('data-health') && Math.random() < +(tag.getAttribute('data-sample') || 1))
        report._report((o: never, m: never) => health((c) => c && c(tag, o, m)));
      running = 1;
      for (const cb of whenStarted.splice(0)) cb();
    };
    // A preview whose chunk does not come runs the live integrations.
    if (!token) return go();
    previewer((c) => {
      if (c) kind = c(kind, token);
      go();
    });
  };

  /** Under Trusted Types without `utt` in `trusted-types`, no chunk can load: say so, as the runtime does. */
  const refused = () => {
    try {
      // A script that is never inserted: the assignment alone is what Trusted Types refuse.
      create(d, 'script').src = toScriptURL(base) as string;
      return '';
    } catch {
      return ': trusted-types: add utt';
    }
  };
  /** Verify mode, once the account has started: the checklist from utt.csp.js, loaded on demand. */
  const verify = (cb: (result: unknown) => void): void => {
    if (!running) return append(whenStarted, () => verify(cb));
    need((c) =>
      c
        ? c.verify(
            {
              ...kind._verify(),
              nonce: options.nonce,
              tag,
              version: __VERSION__,
              debug: debug(),
              decide: consent._decide,
              signals: consent._signals(),
            },
            cb,
          )
        : cb({ error: 'utt.csp.js did not load' + refused() }),
    );
  };

  Object.assign(commands, {
    init,
    on: report._on,
    report: (cb: unknown) =>
      report._report(costs && typeof cb == 'function' ? costs.report(injected, cb as never, report._call) : cb),
    verify: (cb: unknown) => typeof cb == 'function' && verify(cb as (r: unknown) => void),
    costs: (cb: unknown) =>
      typeof cb == 'function' &&
      cost((c) =>
        (costs = c)
          ? c.costs(injected, cb as never, report._call)
          : report._call(cb as never, { error: 'utt.cost.js did not load' }),
      ),
    consent: consent._command,
  });

  // A per-account tag whose partners map no event is built without events.ts: track is unknown there.
  if (__EVENTS__) {
    commands.track = track(events, debug);
    // Opt-in: the site's GA4 ecommerce pushes into dataLayer, each as a track (src/data-layer.ts).
    commands.listen = (source) => source == 'dataLayer' && events.listen(w, commands.track);
  }

  return (command, arg, arg2) => {
    try {
      const run = typeof command == 'string' && commands[command];
      run ? run(arg, arg2) : warn(debug(), Code.UnknownCommand, command);
    } catch (err) {
      warn(debug(), Code.CallbackThrew, err);
    }
  };
}
