import { own } from './own';

/** The largest manifest accepted, in characters, and the most integrations. */
export const MAX_BYTES = 262144;
export const MAX_INTEGRATIONS = 2000;

/**
 * Fetches the manifest (fetch's default credentials mode, same-origin: no
 * cookie goes to another origin, and `<link rel=preload as=fetch crossorigin>`
 * matches it, which `omit` would not). Calls `done` once: with the
 * body, or with a failure reason: `http 404`, `network`, `fetch`, `timeout`
 * (the request failed), or `content-type`, `too-large` (it is no manifest).
 * A network error (a reset mid-body included) or a 5xx is retried once,
 * after a jittered pause. The body is read through its stream and dropped at
 * the cap, however long the server goes on sending.
 */
export function fetchManifest(
  w: Window,
  url: string,
  timeout: number,
  done: (body: string, failure?: string) => void,
): void {
  let settled = 0;
  let tries = 0;
  // Returns nothing: a promise's callback that returned an object would have it read for a `then`.
  const finish = (body: string, failure?: string) => {
    settled++ || done(body, failure);
  };
  const again = (failure: string) =>
    settled || (tries < 2 ? setTimeout(attempt, 100 + Math.random() * 400) : finish('', failure));
  // A late answer is dropped by `settled`; aborting it is not worth the bytes.
  setTimeout(() => finish('', 'timeout'), timeout);
  const attempt = () => {
    tries++;
    try {
      w.fetch(url)
        .then((res): unknown => {
          const type = res.headers.get('content-type') || '';
          if (res.status >= 500) return again('http ' + res.status);
          if (!res.ok) return finish('', 'http ' + res.status);
          if (!/json/i.test(type)) return finish('', 'content-type');
          // Read through the stream, stopping at the cap however long the server goes on sending.
          const reader = res.body!.getReader();
          const decoder = new TextDecoder();
          let text = '';
          const read = (): Promise<unknown> =>
            reader
              .read()
              .then(({ done, value }) =>
                done
                  ? finish(text)
                  : (text += decoder.decode(value, { stream: true })).length > MAX_BYTES
                    ? (reader.cancel().catch(() => 0), finish('', 'too-large'))
                    : read(),
              );
          return read();
        })
        // A network error, before the headers or mid-body: never an unhandled rejection.
        .catch(() => again('network'));
    } catch {
      finish('', 'fetch');
    }
  };
  attempt();
}

/**
 * Parses the manifest and reads its envelope. Returns its integrations, still
 * unchecked (the pipeline reads each one field by field), or why it is not a manifest.
 */
export function readManifest(body: string, account: string): unknown[] | string {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return 'json';
  }
  const list = own(json, 'integrations');
  return own(json, 'version') !== 1
    ? 'version'
    : account && own(json, 'account') !== account
      ? 'account'
      : !Array.isArray(list)
        ? 'integrations'
        : list.length > MAX_INTEGRATIONS
          ? 'too-many'
          : list;
}

/**
 * What is wrong with a manifest entry's own fields, as the name of the first
 * bad one (`id`, `partner`, `status`, `identifiers`), or ''. Also run by
 * `utt build-account` on the manifest it compiles.
 */
export const malformed = (id: unknown, key: unknown, status: unknown, values: unknown): string =>
  typeof id != 'string' || !/^[\w.:-]{1,64}$/.test(id)
    ? 'id'
    : typeof key != 'string' || key.length > 64
      ? 'partner'
      : status != 'enabled' && status != 'disabled'
        ? 'status'
        : typeof values != 'object' || Array.isArray(values)
          ? 'identifiers'
          : '';
