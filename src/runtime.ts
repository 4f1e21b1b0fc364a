import { violationFix } from './csp';
import { fetchManifest, readManifest } from './manifest';
import { own } from './own';
import { type Context, run } from './pipeline';
import { createReport, type Listener, type ReportCallback } from './report';
import { trustedTypes } from './trusted-types';
import type { InitOptions } from './types';
import type { Verification, VerifyState } from './verify/index';
import { Code, warn } from './warn';

/** The command function installed as `window.utt`. */
export interface Utt {
  (command: 'init', options: InitOptions): void;
  (command: 'on', event: 'integration', callback: Listener): void;
  (command: 'report', callback: ReportCallback): void;
  /** Verify mode: loads utt.verify.js beside utt.js once, then calls back with the checklist. */
  (command: 'verify', callback: (result: Verification[] | { error: string }) => void): void;
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
): Command {
  const debug = () => options.debug;
  const report = createReport(w, () => options.account || '', debug);
  const base = (tag && tag.src) || d.baseURI;
  const toScriptURL = trustedTypes(w);
  let started = 0;
  let manifestURL = '';
  // Verify mode: callbacks waiting for utt.verify.js, and its entry point once loaded.
  const verifying: unknown[] = [];
  let verifier: ((state: VerifyState, cb: unknown) => void) | undefined;
  let loading = 0;
  const verify = () => {
    if (verifier && manifestURL)
      for (const cb of verifying.splice(0))
        verifier({ manifest: manifestURL, nonce: options.nonce, tag, version: __VERSION__, debug: debug() }, cb);
  };

  const init = (given: unknown) => {
    for (const k of ['account', 'manifest', 'nonce', 'timeout', 'debug'] as const) {
      const v = own(given, k);
      if (v != null) (options as Record<string, unknown>)[k] = v;
    }
    const { account = '', manifest, timeout } = options;
    const ms = typeof timeout == 'number' && timeout > 0 ? timeout : 1e4;
    if (started++) return warn(debug(), Code.InitTwice, account);
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
    verify();
    fetchManifest(w, url, ms, (body, failure) => {
      const list = failure || readManifest(body, account);
      if (typeof list == 'string') {
        warn(debug(), failure ? Code.ManifestFailed : Code.ManifestInvalid, url, list);
        return report._manifest(failure ? 'failed' : 'invalid', list);
      }
      report._manifest('ok');
      const ctx: Context = {
        _d: d,
        _report: report,
        _nonce: options.nonce,
        _timeout: ms,
        _debug: debug(),
        _toScriptURL: toScriptURL,
        _injected: [],
      };
      // Header policies cannot be read: their violations say what they refused, and of whom.
      d.addEventListener('securitypolicyviolation', (e) => {
        const self = new URL(d.URL);
        const report_only = e.disposition == 'report' ? 'report-only ' : '';
        for (const [id, key, script, sources] of ctx._injected) {
          const script_fix =
            /^script-src/.test(e.effectiveDirective) && violationFix(e, [new URL(script).origin], self);
          const need = !script_fix && violationFix(e, sources, self);
          if (script_fix && !report_only) {
            warn(debug(), Code.BlockedCSP, id, script_fix);
            report._set(id, key, 'blocked-csp', script_fix);
          } else if (script_fix || need) report._warn(id, report_only + (script_fix || need));
        }
      });
      list.forEach((entry, i) => {
        run(ctx, entry, i);
      });
    });
  };

  return (command, arg, arg2) => {
    try {
      if (command == 'init') init(arg);
      else if (command == 'on') report._on(arg, arg2);
      else if (command == 'report') report._report(arg);
      else if (command == 'verify' && typeof arg == 'function') {
        verifying.push(arg);
        if (!loading++) {
          const s = d.createElement('script');
          if (options.nonce) s.nonce = options.nonce;
          s.onerror = () => {
            loading = 0;
            for (const cb of verifying.splice(0)) (cb as (r: object) => void)({ error: 'utt.verify.js did not load' });
          };
          s.src = toScriptURL(new URL('utt.verify.js', base).href) as string;
          (d.head || d.documentElement).appendChild(s);
        }
        verify();
      } else if (command == 'verify-ready' && typeof arg == 'function') {
        verifier = arg as typeof verifier;
        verify();
      } else warn(debug(), Code.UnknownCommand, command);
    } catch (err) {
      warn(debug(), Code.CallbackThrew, err);
    }
  };
}
