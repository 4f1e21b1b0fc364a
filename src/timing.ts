// Load timing: when a partner's script may go in. `now` (the default), `idle`
// (after the page's load event, in an idle callback, within 2 s of it), or
// `interaction` (the first pointerdown, keydown, scroll or touchstart, or the
// page being hidden, so that a bounce loses nothing).
import { get, on } from './dom';
import { bare, own } from './own';

/** The registry's and the manifest's `load` values, by their number in the compiled registry. */
export const LOADS = ['now', 'idle', 'interaction'];

/** Runs `fn` once, when the moment of load timing `kind` (1 idle, 2 interaction) comes. */
export function later(w: Window, d: Document, kind: number, fn: () => void): void {
  let done = 0;
  const go = () => done++ || fn();
  if (kind == 1) {
    const idle = () => {
      const ric = own(w, 'requestIdleCallback') as ((cb: () => void, o: object) => void) | undefined;
      // Safari has no requestIdleCallback: a task after load stands in.
      ric ? ric.call(w, go, bare({ timeout: 2e3 })) : setTimeout(go, 1);
    };
    get(d, 'readyState') == 'complete' ? idle() : on(w, w, 'load', idle);
  } else {
    for (const type of ['pointerdown', 'keydown', 'scroll', 'touchstart'])
      on(w, w, type, go, bare({ capture: true, passive: true }));
    on(w, d, 'visibilitychange', () => get(d, 'visibilityState') == 'hidden' && go());
  }
}
