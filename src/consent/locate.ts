// Finding a CMP (in utt.js): its API on this page (`__tcfapi`, `__gpp`), or,
// when the CMP lives in a parent frame (utt in an embedded checkout, say), the
// frame that holds its locator frame (`__tcfapiLocator`, `__gppLocator`).
// Only when one is found does utt.js load utt.iab.js, which talks to it
// (consent/cmp.ts) and reads its answers (consent/tcf.ts, consent/gpp.ts).
// Markup cannot make a CMP: an element or a frame named `__tcfapi` or
// `__tcfapiLocator` in the page is no API, and a CMP's own stub defines the
// function beside its locator frame, so on utt's own page only the function counts.
// https://github.com/InteractiveAdvertisingBureau/GDPR-Transparency-and-Consent-Framework (CMP JS API v2.2)
// https://github.com/InteractiveAdvertisingBureau/Global-Privacy-Platform (CMP API v1.1)
import { own } from '../own';

/** The CMP's API function on this page, or the window to post messages to. */
export type CmpAt = ((...args: unknown[]) => void) | Window;

export function locate(
  w: Window,
  name: '__tcfapi' | '__gpp',
  // Spelled out, not built from `name`: test/chromium/clobbering.test.ts finds the names utt reads in the bundle.
  locatorName: '__tcfapiLocator' | '__gppLocator',
): CmpAt | undefined {
  // Own property only: named access (an element, a frame) and Object.prototype are not the CMP.
  const direct = own(w, name);
  if (typeof direct == 'function') return direct as CmpAt;
  for (let frame = w, depth = 0; frame != frame.parent && depth < 10; depth++) {
    frame = frame.parent;
    try {
      const locator = frame.frames[locatorName as unknown as number];
      // A frame's window is its own `window`; an <img name="…Locator"> in the page's markup is not.
      // A same-origin parent shows its CMP's function as well; a cross-origin one can only be posted to.
      if (locator && locator.window === locator && (!sameOrigin(frame) || typeof own(frame, name) == 'function'))
        return frame;
    } catch {
      // A cross-origin frame we cannot look into.
    }
  }
}

/** Whether utt may look into `frame` (reading a cross-origin window's location throws). */
const sameOrigin = (frame: Window): boolean => {
  try {
    return !!frame.location.href;
  } catch {
    return false;
  }
};
