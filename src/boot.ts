import type { Compiled } from './compiled';
import { type Command, createRuntime, type Utt } from './runtime';
import { Code, warn } from './warn';

/**
 * Marks utt's own runtime, whichever copy of utt.js installed it. Markup can
 * make `window.utt.v` exist (`<form id="utt"><input name="v">`); a
 * registered symbol only script can make.
 */
const MARK = Symbol.for('utt');

type Stub = Command & { q?: ArrayLike<unknown>[]; v?: string; [MARK]?: 1 };

/**
 * The first stage. Installs `window.utt`, replays the calls queued by the
 * async snippet in order, then starts the account named on utt's own tag.
 * `tag` is the runtime's script element (document.currentScript in the IIFE).
 */
export function boot(w: Window, d: Document, tag?: HTMLScriptElement | null, compiled?: Compiled): Utt {
  const data = (name: string) => (tag && tag.getAttribute('data-' + name)) || undefined;
  const fromTag = { account: data('account'), manifest: data('manifest'), consent: data('consent') };
  const debug = __VERBOSE__ || (!!tag && tag.hasAttribute('data-debug'));
  const win = w as unknown as { utt?: Stub };
  const live = win.utt;

  // Only a function is utt: a cross-origin frame named utt throws on any read.
  if (typeof live == 'function' && live[MARK]) {
    // A second copy of utt.js: the first one handles the page.
    warn(debug, Code.IncludedTwice);
    return live as unknown as Utt;
  }

  const command = createRuntime(
    w,
    d,
    tag,
    {
      // Browsers hide the nonce attribute under a header policy; the property keeps it.
      nonce: (tag && (tag.nonce || tag.getAttribute('nonce'))) || undefined,
      debug,
    },
    compiled,
  );
  const utt: Stub = (a, b, c) => command(a, b, c);
  // Only the snippet's function stub holds a queue; a shadowing element or a page's object does not.
  const queue = (typeof live == 'function' && live.q) || [];
  utt.v = __VERSION__;
  utt[MARK] = 1;
  try {
    // A partner that assigns window.utt (a clash of names, or hostility) must
    // not cut the merchant off from the runtime: the assignment is ignored.
    Object.defineProperty(w, 'utt', {
      get: () => utt,
      set: (v) => v === utt || warn(debug, Code.Overwritten),
      configurable: true,
    });
  } catch {
    try {
      // window.utt declared with `var`, so not configurable: a plain assignment.
      win.utt = utt;
    } catch {
      // A page that froze window.utt: the queue still runs.
    }
  }
  for (let i = 0; i < queue.length; i++) {
    const call = queue[i];
    // A queue entry is an `arguments` object; anything else is skipped.
    if (call && typeof call == 'object') command(call[0], call[1], call[2]);
  }
  // A per-account tag starts on its own; the generic one needs an account or a manifest.
  if ((__ACCOUNT__ && compiled) || fromTag.account || fromTag.manifest) command('init', fromTag);
  return utt as unknown as Utt;
}
