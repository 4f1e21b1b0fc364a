// Finding a CMP (in utt.js): its API on this page (`__tcfapi`, `__gpp`), or,
// when the CMP lives in a parent frame (utt in an embedded checkout, say), the
// frame that holds its locator frame (`__tcfapiLocator`, `__gppLocator`).
// Only when one is found does utt.js load utt.iab.js, which talks to it
// (consent/cmp.ts) and reads its answers (consent/tcf.ts, consent/gpp.ts).
// https://github.com/InteractiveAdvertisingBureau/GDPR-Transparency-and-Consent-Framework (CMP JS API v2.2)
// https://github.com/InteractiveAdvertisingBureau/Global-Privacy-Platform (CMP API v1.1)

/** The CMP's API function on this page, or the window to post messages to. */
export type CmpAt = ((...args: unknown[]) => void) | Window;

export function locate(
  w: Window,
  name: '__tcfapi' | '__gpp',
  // Spelled out, not built from `name`: test/browser/clobbering.test.ts finds the names utt reads in the bundle.
  locatorName: '__tcfapiLocator' | '__gppLocator',
): CmpAt | undefined {
  const direct = (w as unknown as Record<string, unknown>)[name];
  if (typeof direct == 'function') return direct as CmpAt;
  let frame: Window = w;
  for (let depth = 0; depth < 10; depth++) {
    try {
      const locator = frame.frames[locatorName as unknown as number];
      // A frame's window is its own `window`; an <img name="…Locator"> in the page's markup is not.
      if (locator && locator.window === locator) return frame;
    } catch {
      // A cross-origin frame we cannot look into.
    }
    if (!frame.parent || frame == frame.parent) break;
    frame = frame.parent;
  }
}
