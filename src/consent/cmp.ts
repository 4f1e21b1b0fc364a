// Talking to a CMP that consent/locate.ts found (in utt.iab.js): a direct call,
// or the postMessage protocol both IAB specifications share:
// `{<name>Call: {command, version, callId}}` out, `{<name>Return: {returnValue, success, callId}}` back.
import { on } from '../dom';
import { own } from '../own';
import type { CmpAt } from './locate';

// Kept from the chunk's start: a partner may replace JSON.parse before the CMP answers.
const parse = JSON.parse;

type Callback = (data: unknown, success: boolean) => void;
/** A CMP command with its callback: `addEventListener`, say. */
export type CmpApi = (command: string, callback: Callback) => void;

/**
 * The CMP at `at`, as `(command, callback)`. TCF's own signature puts its
 * version (2) between the two; GPP's has none.
 */
export function connect(w: Window, at: CmpAt, name: '__tcfapi' | '__gpp', version: number | string): CmpApi {
  if (typeof at == 'function') return name == '__gpp' ? at : (command, callback) => at(command, version, callback);
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
    at.postMessage({ [name + 'Call']: { command, version, callId } }, '*');
  };
}
