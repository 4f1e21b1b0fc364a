import { bare, own } from './own';
import { type Command, createRuntime, type Tag, type Utt } from './runtime';
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
 * `tag` is the runtime's script element (document.currentScript in the IIFE);
 * `kind`, the kind of tag: src/generic.ts or src/account.ts.
 */
export function boot(w: Window, d: Document, tag: HTMLScriptElement | null | undefined, kind: Tag): Utt {
  const data = (name: string) => (tag && tag.getAttribute('data-' + name)) || undefined;
  const fromTag = { account: data('account'), manifest: data('manifest'), consent: data('consent') };
  const debug = __VERBOSE__ || (!!tag && tag.hasAttribute('data-debug'));
  const win = w as unknown as { utt?: Stub };
  // Its own property only: an element named utt, or Object.prototype.utt, is not the snippet's stub.
  const live = own(w, 'utt') as Stub | undefined;

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
    bare({
      // Browsers hide the nonce attribute under a header policy; the property keeps it.
      nonce: (tag && (tag.nonce || tag.getAttribute('nonce'))) || undefined,
      debug,
    }),
    kind,
  );
  const utt: Stub = (a, b, c) => command(a, b, c);
  // Only the snippet's function stub holds a queue, as its own property; a shadowing element,
  // a page's object or Object.prototype.q does not.
  const q = typeof live == 'function' && own(live, 'q');
  const queue: ArrayLike<unknown> = Array.isArray(q) ? q : [];
  utt.v = __VERSION__;
  utt[MARK] = 1;
  try {
    // A partner that assigns window.utt (a clash of names, or hostility) must
    // not cut the merchant off from the runtime: the assignment is ignored.
    Object.defineProperty(
      w,
      'utt',
      // No prototype: an inherited `value` would make the descriptor invalid.
      bare({
        get: () => utt,
        set: (v: unknown) => v === utt || warn(debug, Code.Overwritten),
        configurable: true,
      }),
    );
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
    // A queue entry is the snippet's `arguments` object, which no JSON and no polluted
    // prototype can make; anything else is skipped. Sliced: a short call reads no inherited index.
    if ({}.toString.call(call) == '[object Arguments]') command.apply(0, [].slice.call(call) as []);
  }
  // A per-account tag starts on its own; the generic one needs an account or a manifest.
  if (kind._account || fromTag.account || fromTag.manifest) command('init', fromTag);
  return utt as unknown as Utt;
}
