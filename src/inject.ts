import { append } from './append';
import type { Partner } from './compiled';
import { get, on, parentOf } from './dom';

type InjectStatus = 'injected' | 'loaded' | 'failed' | 'blocked-csp';
type Done = (status: InjectStatus, reason: string) => void;

/** One script: who waits on it, and its outcome once known. */
type Entry = [waiting: Done[], status?: InjectStatus, reason?: string];

export interface Injector {
  /**
   * Queues a partner script: async, with the runtime's nonce, SRI when the
   * registry declares it, and a referrer policy that sends the origin only.
   * `prepare` (the partner's setup) runs first, once the URL has passed
   * Trusted Types. A second integration of the same script joins the first:
   * its own setup runs, one script loads. `done` hears `injected`, then
   * `loaded`, or `failed` (`error` or `timeout`); `blocked-csp` when Trusted
   * Types refuse the URL. A script that loads after its timeout still reports `loaded`.
   */
  _add(url: string, partner: Partner, done: Done, prepare: () => void): void;
  /** Inserts what this task queued: one fragment, one timer. */
  _flush(): void;
}

export function injector(
  w: Window,
  d: Document,
  nonce: string | undefined,
  timeout: number,
  toScriptURL: (url: string) => unknown,
): Injector {
  // No prototype: a URL is a key like any other.
  const byURL: Record<string, Entry> = Object.create(null);
  const byScript = new Map<EventTarget | null, Entry>();
  let batch: Entry[] = [];
  let fragment: DocumentFragment | undefined;
  let listening = 0;
  // The document's own createElement, found once: 1,000 integrations make 1,000 scripts.
  const element = get(d, 'createElement');
  const tell = (entry: Entry, status: InjectStatus, reason: string) => {
    entry[1] = status;
    entry[2] = reason;
    for (const done of entry[0]) done(status, reason);
  };
  // One listener for every script utt inserts: load and error do not bubble, but they are captured.
  const listen = (e: Event) => {
    const entry = byScript.get(e.target);
    if (entry && entry[1] != 'loaded')
      tell(entry, e.type == 'load' ? 'loaded' : 'failed', e.type == 'load' ? '' : 'error');
  };

  return {
    _add(url, partner, done, prepare) {
      const joined = byURL[url];
      if (joined) {
        prepare();
        append(joined[0], done);
        done('injected', '');
        // Already settled: this one hears it now.
        if (joined[1] != 'injected') done(joined[1]!, joined[2]!);
        return;
      }
      const script: HTMLScriptElement = element('script');
      try {
        script.src = toScriptURL(url) as string;
      } catch {
        // Trusted Types enforced, and no `utt` policy allowed by `trusted-types`.
        return done('blocked-csp', 'trusted-types: add utt');
      }
      prepare();
      script.async = true;
      if (nonce) script.nonce = nonce;
      if (partner._integrity) script.integrity = partner._integrity;
      if (partner._crossorigin || partner._integrity) script.crossOrigin = partner._crossorigin || 'anonymous';
      script.referrerPolicy = 'strict-origin';
      const entry: Entry = [[done], 'injected'];
      byURL[url] = entry;
      byScript.set(script, entry);
      append(batch, entry);
      (fragment = fragment || get(d, 'createDocumentFragment')()).appendChild(script);
      done('injected', '');
    },
    _flush() {
      if (!fragment) return;
      const entries = batch;
      parentOf(d).appendChild(fragment);
      // Once the first batch is in the page: its load and error events come in a later task.
      if (!listening++) {
        on(w, d, 'load', listen, true);
        on(w, d, 'error', listen, true);
      }
      fragment = undefined;
      batch = [];
      setTimeout(() => {
        for (const entry of entries) if (entry[1] == 'injected') tell(entry, 'failed', 'timeout');
      }, timeout);
    },
  };
}
