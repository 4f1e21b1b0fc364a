import { append } from './append';
import { bare, has } from './own';
import type { ManifestOutcome, Outcome, Status } from './types';
import { Code, warn } from './warn';

export type Listener = (outcome: Outcome) => void;
export type ReportCallback = (outcomes: Outcome[], manifest: ManifestOutcome) => void;

/** The last stage: records outcomes, tells the page, and calls back once all have settled. */
export interface Report {
  _set(id: string, partner: string, status: Status, reason?: string): void;
  _status(id: string): Status | undefined;
  /** Adds a warning (a CSP need with its fix) to an integration's outcome, once. */
  _warn(id: string, warning: string): void;
  _manifest(status: ManifestOutcome['status'], reason?: string, url?: string, version?: string): void;
  _on(kind: unknown, cb: unknown): void;
  _report(cb: unknown): void;
  /** Keeps the report waiting until the function returned is called (once). */
  _hold(): () => void;
  /** An integration's outcome, for the events stage to write its `events` (src/events.ts). Builds with events only. */
  _outcome(id: string): Outcome | undefined;
  /** Calls a merchant's callback; what it throws becomes a warning. */
  _call(cb: (...args: never[]) => void, ...args: unknown[]): void;
}

export function createReport(w: Window, account: () => string, debug: () => boolean | undefined): Report {
  const byId: Record<string, Outcome> = Object.create(null);
  const outcomes: Outcome[] = [];
  const listeners: Listener[] = [];
  const manifest: ManifestOutcome = { account: '', url: '', status: 'pending', reason: '', version: '' };
  const waiting: ReportCallback[] = [];
  // The manifest, plus every script injected and not yet loaded or failed.
  let pending = 1;
  let tabled = 0;

  const call = (cb: (...args: never[]) => void, ...args: unknown[]) => {
    try {
      (cb as (...args: unknown[]) => void)(...args);
    } catch (err) {
      warn(debug(), Code.CallbackThrew, err);
    }
  };

  // Told at the end of the task that made them (a microtask): the scripts a batch inserts go into
  // the page before the page hears of any of them; then the listeners, and the report's timer.
  let told: [string, Outcome | ManifestOutcome][] | 0 = 0;
  const tell = (kind: string, detail: Outcome | ManifestOutcome) => {
    detail = { ...detail };
    if (has(detail, 'warnings')) (detail as Outcome).warnings = (detail as Outcome).warnings!.slice();
    if (!told)
      queueMicrotask(() => {
        // What a listener tells in turn joins the end of the list, and is told in this loop too.
        for (const [kind, detail] of told as [string, Outcome | ManifestOutcome][]) {
          try {
            // Through EventTarget.prototype: an element with id="dispatchEvent" shadows window's.
            (w as unknown as typeof globalThis).EventTarget.prototype.dispatchEvent.call(
              w,
              // No prototype: an inherited `bubbles` or `cancelable` would become the event's.
              new CustomEvent('utt:' + kind, bare({ detail })),
            );
          } catch {
            // No CustomEvent on this page: callbacks still hear about it.
          }
          if (kind == 'integration') for (const cb of listeners) call(cb, detail);
        }
        told = 0;
        settle();
      });
    append((told = told || []), [kind, detail]);
  };

  // Deferred, so that a report waits for the integrations the current task
  // starts; one timer at a time, however many outcomes change in that task.
  let timer: unknown;
  const settle = () => timer || (timer = setTimeout(flush));
  const flush = () => {
    timer = 0;
    if (pending) return;
    if (debug() && !tabled++) {
      try {
        console.table(outcomes);
      } catch {
        // console can be missing or replaced by the page.
      }
    }
    for (const cb of waiting.splice(0))
      call(
        cb,
        outcomes.map((o) => ({ ...o })),
        { ...manifest },
      );
  };

  // `_outcome` is added below, in a build with events.
  const r = {
    _set(id, partner, status, reason = '') {
      let o = byId[id];
      const was = o && o.status;
      if (was == status && o.reason == reason) return;
      if (!o) append(outcomes, (o = byId[id] = { id, partner, status, reason }));
      o.status = status;
      o.reason = reason;
      pending += +(status == 'injected') - +(was == 'injected');
      tell('integration', o);
    },
    _status: (id) => byId[id] && byId[id].status,
    _warn(id, warning) {
      const o = byId[id];
      const list = o && (o.warnings = has(o, 'warnings') ? o.warnings : []);
      if (list && list.indexOf(warning) < 0) {
        append(list, warning);
        tell('integration', o);
      }
    },
    _manifest(status, reason = '', url = manifest.url, version = manifest.version) {
      if (manifest.status == 'pending' && status != 'pending') pending--;
      Object.assign(manifest, { account: account(), url, status, reason, version });
      tell('manifest', manifest);
    },
    _on(kind, cb) {
      if (kind == 'integration' && typeof cb == 'function') append(listeners, cb as Listener);
      else warn(debug(), Code.UnknownCommand, 'on', kind);
    },
    _hold() {
      pending++;
      return () => {
        pending--;
        settle();
      };
    },
    _call: call,
    _report(cb) {
      if (typeof cb != 'function') return warn(debug(), Code.UnknownCommand, 'report');
      append(waiting, cb as ReportCallback);
      settle();
    },
  } as Report;
  // The events stage (src/events.ts, in utt.js loaded with utt.events.js) writes each outcome's events.
  if (__EVENTS__) r._outcome = (id) => byId[id];
  return r;
}
