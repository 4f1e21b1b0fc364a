import { append } from './append';
import type { Compiled, Inlined, Partner } from './compiled';
import { createConsent } from './consent';
import { type IabChunk, iab as iabInline } from './consent/iab';
import { metaTags } from './csp/page';
import { create, get, on } from './dom';
import { injector } from './inject';
import { fetchManifest, readManifest } from './manifest';
import { recall, remember } from './manifest-cache';
import { type CostChunk, type CspChunk, chunkLoader } from './on-demand';
import { own } from './own';
import { admit, type Context, run } from './pipeline';
import { lookup } from './registry';
import { createReport, type Listener, type ReportCallback } from './report';
import { trustedTypes } from './trusted-types';
import type { Cost, InitOptions } from './types';
import type { Verification } from './verify';
import { Code, warn } from './warn';

/** The command function installed as `window.utt`. */
export interface Utt {
  (command: 'init', options: InitOptions): void;
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
  /** What each partner costs the page, from utt.cost.js (loaded on demand). */
  (command: 'costs', callback: (costs: Cost[] | { error: string }) => void): void;
  /** The runtime's version; its presence marks a live runtime (the snippet's stub has none). */
  readonly v: string;
}

export type Command = (command?: unknown, arg?: unknown, arg2?: unknown) => void;

/**
 * Where commands go. `init` fixes the options and starts the pipeline for
 * one account: fetch the manifest, then run every integration through it.
 */
export function createRuntime(
  w: Window,
  d: Document,
  tag: HTMLScriptElement | null | undefined,
  options: InitOptions,
  compiled?: Compiled,
): Command {
  const debug = () => options.debug;
  const report = createReport(w, () => options.account || '', debug);
  // Where utt's own files are: beside the tag, or, for a per-account tag written into the page
  // (which has no src), in the folder its data-base names.
  const base = (tag && ((__ACCOUNT__ && tag.getAttribute('data-base')) || tag.src)) || get(d, 'baseURI');
  const toScriptURL = trustedTypes(w);
  // Browsers fire a timer of 2^31 ms or more at once: longer waits are clamped to 2e9 ms (23 days).
  const clamp = (ms: unknown, fallback: number) => (typeof ms == 'number' && ms > 0 ? Math.min(ms, 2e9) : fallback);
  // 1e4: the default 10 s for the manifest and each partner script.
  const timeout = () => clamp(options.timeout, 1e4);
  // The files beside utt.js, loaded the first time they are needed (see on-demand.ts).
  const loader = <T>(file: string) => {
    let l: ReturnType<typeof chunkLoader<T>> | undefined;
    return {
      _need: (cb: (c?: T) => void) =>
        (l = l || chunkLoader<T>(d, file, base, options.nonce, timeout(), toScriptURL))._need(cb),
      _ready: (c: unknown, version: unknown) => l && l._ready(c, version),
    };
  };
  const csp = loader<CspChunk>('utt.csp.js');
  // What each partner costs the page: only when the merchant asks (utt('costs'), data-costs).
  // Once loaded, every report carries the costs too; with data-costs, the report waits for it.
  const cost = loader<CostChunk>('utt.cost.js');
  let costs: CostChunk | undefined;
  if (tag && tag.hasAttribute('data-costs')) {
    const release = report._hold();
    cost._need((c) => {
      costs = c;
      release();
    });
  }
  const need = csp._need;
  // The ESM build has no file beside it to load: it carries TCF and GPP itself.
  const iab = __IAB_CHUNK__ ? loader<IabChunk>('utt.iab.js') : { _need: (cb: (c: IabChunk) => void) => cb(iabInline) };
  const consent = createConsent(w);
  let ctx: Context | undefined;
  const injected = () => (ctx ? ctx._injected : []);
  let started = 0;
  let manifestURL = '';
  const whenManifest: (() => void)[] = [];
  /** A per-account tag's partners, by key, for verify mode's consent answers. */
  const inlined: Record<string, Partner> = Object.create(null);

  /**
   * The integrations reach the pipeline: the context, the violation listener,
   * the meta policies checked by utt.csp.js when the page has any, then each
   * integration through `each`, and the batch of scripts inserted.
   */
  const start = (
    items: readonly unknown[],
    each: (c: Context, item: any, index: number) => void,
    status: 'ok' | 'cached',
    reason: string,
    after?: () => void,
  ) => {
    const c: Context = (ctx = {
      _w: w,
      _d: d,
      _report: report,
      _nonce: options.nonce,
      _debug: debug(),
      _inject: injector(w, d, options.nonce, timeout(), toScriptURL),
      _consent: consent,
      // No prototype: an integration id `__proto__` or `constructor` is a key like any other.
      _held: Object.create(null),
      _watch: [],
      _urls: Object.create(null),
      _injected: [],
    });
    // Header policies cannot be read: their violations say what they refused,
    // and of whom. utt.csp.js reads them, loaded on the first one; the report
    // waits for it.
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
    const runAll = () => {
      report._manifest(status, reason);
      for (const s of Array.from(get(d, 'scripts') as HTMLCollectionOf<HTMLScriptElement>)) c._urls[s.src] = 1;
      items.forEach((item, i) => {
        each(c, item, i);
      });
      c._inject._flush();
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
      if (typeof v == (k == 'debug' ? 'boolean' : /imeout/.test(k) ? 'number' : 'string'))
        (options as Record<string, unknown>)[k] = v;
    }
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
        iab._need,
      );
    if (__ACCOUNT__ && compiled) {
      // A per-account tag: its integrations are inlined, checked at build time (build/account.mjs).
      options.account = compiled[0];
      report._manifest('pending', '', '', compiled[1]);
      listen();
      start(
        compiled[2],
        (c, [id, key, url, values, p]: Inlined) =>
          url
            ? admit(
                c,
                id,
                key,
                // The registry entry's runtime view, from the inlined tuple (nulls read as absent).
                (inlined[key] = {
                  _script: url,
                  _ids: [],
                  _integrity: p![0]!,
                  _crossorigin: p![1]!,
                  _needs: p![2]!,
                  _consent: { _cats: p![3]!, _sale: p![4]!, _tcf: p![5]! },
                  _setup: p![6]!,
                }),
                url,
                values!,
                p![7],
              )
            : // Disabled, or (a demo hub's lenient build) invalid with the runtime's reason.
              report._set(id, key, values ? 'invalid' : 'disabled', values as unknown as string),
        'ok',
        '',
      );
    } else if (__GENERIC__) {
      const { account = '', manifest } = options;
      let url: string;
      try {
        if (!account && !manifest) throw Code.NoAccount;
        if (account && !/^[\w-]{1,64}$/.test(account)) throw Code.BadAccount;
        url = new URL(manifest || 'manifests/' + account + '.json', base).href;
      } catch (code) {
        warn(debug(), code as Code, account);
        return report._manifest('invalid', 'account');
      }
      report._manifest('pending', '', (manifestURL = url));
      // The manifest is requested first; the rest of the set-up runs while it is on its way.
      fetchManifest(w, url, timeout(), (body, failure) => {
        // A request that failed falls back on the last manifest that was good.
        const cached = failure && !/^(content-type|too-large)$/.test(failure) ? recall(w, url) : undefined;
        let list = cached ? readManifest(cached, account) : failure || readManifest(body, account);
        if (typeof list == 'string') {
          warn(debug(), failure ? Code.ManifestFailed : Code.ManifestInvalid, url, failure || list);
          list = failure || list;
          // The failure or the envelope's reason picks the status: too-large and too-many are statuses of their own,
          // a request that failed is failed, a body that is no manifest is invalid. One expression, for size.
          return report._manifest(
            /^too-/.test(list) ? (list as 'too-large') : failure && failure != 'content-type' ? 'failed' : 'invalid',
            list,
          );
        }
        start(
          list,
          run,
          cached ? 'cached' : 'ok',
          (cached && failure) || '',
          // Stored in a later task: the first storage access can block for milliseconds.
          () => failure || setTimeout(() => remember(w, url, body)),
        );
      });
      // CMPs answer while the manifest is on its way.
      listen();
    }
    for (const cb of whenManifest.splice(0)) cb();
  };

  const partnerOf = (key: string) => (!__GENERIC__ || compiled ? inlined[key] : lookup(key));
  const verify = (cb: (result: unknown) => void): void =>
    manifestURL || (__ACCOUNT__ && compiled)
      ? need((c) =>
          c
            ? c.verify(
                {
                  manifest: manifestURL,
                  // A per-account tag has no manifest to fetch: its own integrations, as a manifest lists them.
                  integrations:
                    __ACCOUNT__ && compiled
                      ? compiled[2].map(([id, partner, url, identifiers]) => ({
                          id,
                          partner,
                          status: url ? 'enabled' : 'disabled',
                          identifiers,
                        }))
                      : undefined,
                  nonce: options.nonce,
                  tag,
                  version: __VERSION__,
                  debug: debug(),
                  // The runtime's own registry (or a per-account tag's inlined partners): the chunk has none.
                  partner: partnerOf,
                  consent: (key: string) => {
                    const partner = partnerOf(key);
                    return partner ? consent._decide(partner._consent) : ['', ''];
                  },
                  signals: consent._signals(),
                },
                cb,
              )
            : cb({
                // Under Trusted Types without `utt` in `trusted-types`, no chunk can load: say so, as the runtime does.
                error:
                  'utt.csp.js did not load' +
                  (() => {
                    try {
                      // A script that is never inserted: the assignment alone is what Trusted Types refuse.
                      create(d, 'script').src = toScriptURL(base) as string;
                      return '';
                    } catch {
                      return ': trusted-types: add utt';
                    }
                  })(),
              }),
        )
      : append(whenManifest, () => verify(cb));

  return (command, arg, arg2) => {
    try {
      if (command == 'init') init(arg);
      else if (command == 'on') report._on(arg, arg2);
      else if (command == 'report')
        report._report(costs && typeof arg == 'function' ? costs.report(injected, arg as never, report._call) : arg);
      else if (command == 'verify' && typeof arg == 'function') verify(arg as (r: unknown) => void);
      else if (command == 'csp-ready') csp._ready(arg, arg2);
      else if (command == 'costs' && typeof arg == 'function')
        cost._need((c) =>
          (costs = c)
            ? c.costs(injected, arg as never, report._call)
            : report._call(arg as never, { error: 'utt.cost.js did not load' }),
        );
      else if (command == 'cost-ready') cost._ready(arg, arg2);
      else if (__IAB_CHUNK__ && command == 'iab-ready') (iab as ReturnType<typeof loader>)._ready(arg, arg2);
      else if (command == 'consent') consent._command(arg, arg2);
      else warn(debug(), Code.UnknownCommand, command);
    } catch (err) {
      warn(debug(), Code.CallbackThrew, err);
    }
  };
}
