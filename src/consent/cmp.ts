// Finding a CMP: its API on this page (`__tcfapi`, `__gpp`), or, when the CMP
// lives in a parent frame (utt in an embedded checkout, say), its locator
// frame (`__tcfapiLocator`, `__gppLocator`) and the postMessage protocol both
// IAB specifications share: `{<name>Call: {command, version, callId}}` out,
// `{<name>Return: {returnValue, success, callId}}` back.
// https://github.com/InteractiveAdvertisingBureau/GDPR-Transparency-and-Consent-Framework (CMP JS API v2.2)
// https://github.com/InteractiveAdvertisingBureau/Global-Privacy-Platform (CMP API v1.1)
import { on } from '../dom';
import { own } from '../own';

// Kept from utt's start: a partner may replace JSON.parse before the CMP answers.
const parse = JSON.parse;

export type Callback = (data: unknown, success: boolean) => void;
/** A CMP command with its callback: `addEventListener`, say. */
export type CmpApi = (command: string, callback: Callback) => void;

/**
 * The CMP API called `name`, as `(command, callback)`, if one answers on this
 * page or in a parent frame. TCF's own signature puts its version (2) between
 * the two; GPP's has none.
 */
export function findCmp(
  w: Window,
  name: '__tcfapi' | '__gpp',
  // Spelled out, not built from `name`: test/browser/clobbering.test.ts finds the names utt reads in the bundle.
  locatorName: '__tcfapiLocator' | '__gppLocator',
  version: number | string,
): CmpApi | undefined {
  const direct = (w as unknown as Record<string, unknown>)[name];
  if (typeof direct == 'function')
    return name == '__gpp' ? (direct as CmpApi) : (command, callback) => direct(command, version, callback);
  let frame: Window = w;
  for (let depth = 0; depth < 10; depth++) {
    try {
      const locator = frame.frames[locatorName as unknown as number];
      // A frame's window is its own `window`; an <img name="…Locator"> in the page's markup is not.
      if (locator && locator.window === locator) {
        const target = frame;
        return (command, callback) => {
          const callId = 'utt' + Math.random();
          on(w, w, 'message', (e: MessageEvent) => {
            let data = e.data;
            try {
              if (typeof data == 'string') data = parse(data);
            } catch {
              return;
            }
            const answer = own(data, name + 'Return');
            if (own(answer, 'callId') === callId) callback(own(answer, 'returnValue'), own(answer, 'success') === true);
          });
          // No `parameter` when there is none, as the specifications' own examples: the official TCF
          // stub passes a `null` one on to CmpApi, which then answers addEventListener with (null, false).
          target.postMessage({ [name + 'Call']: { command, version, callId } }, '*');
        };
      }
    } catch {
      // A cross-origin frame we cannot look into.
    }
    if (!frame.parent || frame == frame.parent) break;
    frame = frame.parent;
  }
}
