import { append } from './append';
import type { Partner } from './compiled';
import type { Consent } from './consent';
import type { Events } from './events';
import { checkIdentifiers } from './identifiers';
import type { Injector } from './inject';
import { malformed } from './manifest';
import type { CspChunk } from './on-demand';
import { own } from './own';
import { lookup } from './registry';
import type { Report } from './report';
import { scriptURL } from './script-url';
import { type Run, setup } from './setup';
import { LOADS, later } from './timing';
import type { Injected } from './types';
import { Code, warn } from './warn';

export interface Context {
  _w: Window;
  _d: Document;
  _report: Report;
  _nonce?: string;
  _debug?: boolean;
  /** Inserts partner scripts, a batch per task (see inject.ts). */
  _inject: Injector;
  /** The meta-policy check of utt.csp.js, when the page has a meta policy. */
  _checkMeta?: CspChunk['checkMeta'];
  _consent: Consent;
  /** Integrations held by the consent stage: each re-decides when a signal changes. */
  _held: Record<string, () => void>;
  /** Injected partners' setup steps that tell the vendor when a consent signal changes (src/setup.ts). */
  _watch: (() => void)[];
  /**
   * Script URLs on the page: those it had when the manifest arrived (1), then
   * every one utt injects (its partner key). A lookup, not a scan: 1,000 integrations stay linear.
   */
  _urls: Record<string, string | 1>;
  /** What was injected, so that CSP violations can be traced to their integration. */
  _injected: Injected[];
  /** The tracked events, held for each integration until its script may run (src/events.ts; why not `_ev`: src/compiled.ts). */
  ev: Events;
}

/**
 * Takes one manifest entry through every stage, in order, and reports where
 * it stopped: invalid (a malformed entry), disabled, unknown-partner, invalid
 * (an identifier), duplicate, or injected and then loaded or failed.
 * The entry is untrusted: only its own properties are read. Never throws.
 */
export function run(ctx: Context, entry: unknown, index: number): void {
  const { _report: report, _debug: debug } = ctx;
  let id = own(entry, 'id') as string;
  let key = own(entry, 'partner') as string;
  const status = own(entry, 'status');
  const values = own(entry, 'identifiers') || {};
  const bad = malformed(id, key, status, values);
  if (bad == 'id') id = '#' + index;
  if (bad && bad != 'status' && bad != 'identifiers') key = '';
  // `set(status, reason)` for this integration: bind() is shorter in the bundle than an arrow with two parameters.
  const set = report._set.bind(0, id, key);

  // The same integration id twice: the first one stands.
  if (report._status(id)) return warn(debug, Code.Duplicate, id);
  try {
    if (bad) {
      warn(debug, Code.BadIntegration, id, bad);
      return set('invalid', bad);
    }
    if (status == 'disabled') return set('disabled');

    const partner = lookup(key);
    if (!partner) {
      warn(debug, Code.UnknownPartner, id, key);
      return set('unknown-partner', key);
    }

    const [checked, [broken]] = checkIdentifiers(partner._ids, values);
    if (broken) {
      warn(debug, Code.BadIdentifier, id, ...broken);
      return set('invalid', broken.join(': '));
    }
    if (__DEBUG__)
      for (const name of Object.keys(values))
        if (!partner._ids.some((spec) => spec._name == name)) warn(debug, Code.UnknownIdentifier, id, name);

    const url = scriptURL(partner._script, checked);
    if (!url) {
      warn(debug, Code.UnsafeURL, id);
      return set('invalid', 'script url');
    }

    // The integration's own load timing, if it names one, else its partner's.
    const given = own(entry, 'load');
    const load = given == null ? partner._load || 0 : LOADS.indexOf(given as string);
    if (load < 0) {
      warn(debug, Code.BadIntegration, id, 'load');
      return set('invalid', 'load');
    }
    admit(ctx, id, key, partner, url, checked, load, values);
  } catch (err) {
    warn(debug, Code.LoadFailed, id, err);
    set('failed', 'exception');
  }
}

/**
 * The stages that need the page: duplicates, CSP (meta policies), consent,
 * then the partner's setup and its script. A per-account tag starts its
 * integrations here: their identifiers and URLs were checked when it was built.
 * Never throws.
 */
export function admit(
  ctx: Context,
  id: string,
  key: string,
  partner: Partner,
  url: string,
  checked: Record<string, string>,
  load: number,
  // The manifest's own values (the generic tag): the events stage checks the optional ones (src/events.ts).
  values?: unknown,
): void {
  const { _report: report, _debug: debug } = ctx;
  const set = report._set.bind(0, id, key);
  const fail = (err: unknown) => {
    warn(debug, Code.LoadFailed, id, err);
    set('failed', 'exception');
  };
  // CSP, consent, setup and the script: now, or when a deferred partner's moment comes.
  const proceed = () => {
    try {
      // CSP: every policy the page shows (meta tags) must let some engine load it.
      const [script, needs] = ctx._checkMeta
        ? ctx._checkMeta(ctx._d, url, partner._integrity, partner._needs, ctx._nonce)
        : ['', []];
      if (script) {
        warn(debug, Code.BlockedCSP, id, script);
        if (__EVENTS__) ctx.ev.drop(id, key, 'blocked-csp');
        return set('blocked-csp', script);
      }
      // Consent: held until the signals its entry needs allow it, then injected once.
      // Called again from a CMP's or the merchant's call whenever a signal changes: never throws.
      const go = () => {
        try {
          decide();
        } catch (err) {
          fail(err);
        }
      };
      const decide = () => {
        const [decision, why] = ctx._consent._decide(partner._consent);
        if (decision) {
          ctx._held[id] = go;
          warn(debug, Code.Consent, id, decision, why);
          const status = decision == 'wait' ? 'awaiting-consent' : 'denied-consent';
          // Its events: held while it waits, dropped while it is refused.
          if (__EVENTS__) (decision == 'wait' ? ctx.ev.wait : ctx.ev.drop)(id, key, status);
          return set(status, why);
        }
        delete ctx._held[id];
        append(ctx._injected, [id, key, url, partner._needs || []]);
        // The setup block's steps once the script has loaded and when consent changes, if it has any.
        let step: ((loaded?: 1) => void) | undefined;
        // The integration's calls, once its setup has run: 1 when its script went in (not refused by Trusted Types).
        let run: Run | undefined;
        let ready: 0 | 1 = 0;
        ctx._inject._add(
          url,
          partner,
          (outcome, reason) => {
            if (outcome == 'failed' || outcome == 'blocked-csp') warn(debug, Code.LoadFailed, id, reason, url);
            const now = report._status(id);
            // A late load beats a timeout; a CSP violation beats the error event it causes.
            if (now != 'loaded' && now != 'blocked-csp') set(outcome, reason);
            if (__EVENTS__ && outcome == 'blocked-csp') ctx.ev.drop(id, key, outcome);
            if (__SETUP_MORE__ && outcome == 'loaded' && step)
              try {
                step(1);
              } catch (err) {
                fail(err);
              }
          },
          // The vendor's globals, stubs and first calls, just before its script goes in.
          // A per-account tag whose partners have no setup block is built without setup.ts.
          () => {
            if (__EVENTS__) ready = 1;
            if (__SETUP__ && partner._setup) {
              // A consent value: utt's decision on those categories, with the partner's own TCF needs.
              const made = setup(
                ctx._w,
                partner._setup,
                checked,
                (bits) => ctx._consent._decide({ ...partner._consent, _cats: bits & 15, _sale: (bits >> 4) as 1 })[0],
              );
              // With events: [step, run] (src/setup.ts).
              if (__EVENTS__) [step, run] = made as [typeof step, Run];
              else step = made as typeof step;
              if (__SETUP_MORE__ && step)
                append(ctx._watch, () => {
                  try {
                    step!();
                  } catch (err) {
                    warn(debug, Code.LoadFailed, id, err);
                  }
                });
            }
          },
        );
        // Its script may run: the events it holds go into the stubs its setup made, in order.
        // utt.js's partners have no `ev`: their mappings are in utt.events.js (and Object.prototype's is not one).
        if (__EVENTS__ && ready) ctx.ev.open(id, key, __EVENTS_CHUNK__ ? null : partner.ev, run!, values || checked);
        for (const need of needs) {
          warn(debug, Code.CSPNeed, id, need);
          report._warn(id, need);
        }
      };
      go();
    } catch (err) {
      fail(err);
    }
  };
  try {
    // The same URL from another integration, another copy of utt or the page itself. Two integrations
    // of a vendor with a setup block share its script, and each queues its own init (see inject.ts).
    const seen = ctx._urls[url];
    if (seen && !(seen == key && partner._setup)) {
      warn(debug, Code.Duplicate, id, url);
      return set('duplicate', url);
    }
    ctx._urls[url] = key;
    // A per-account tag whose integrations all load now is built without timing.ts (build/account.mjs).
    if (!__TIMING__ || !load) return proceed();
    // Load timing: `deferred` says why it waits; then it goes on as any other, in a batch of its own.
    set('deferred', LOADS[load]);
    if (__EVENTS__) ctx.ev.wait(id, key, 'deferred');
    later(ctx._w, ctx._d, load, () => {
      proceed();
      ctx._inject._flush();
    });
  } catch (err) {
    fail(err);
  }
}
