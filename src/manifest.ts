import { own } from './own';

/**
 * Fetches the manifest with credentials omitted. Calls `done` once: with the
 * body, or with a failure reason (`http 404`, `network`, `fetch`, `timeout`).
 */
export function fetchManifest(
  w: Window,
  url: string,
  timeout: number,
  done: (body: string, failure?: string) => void,
): void {
  let settled = 0;
  const finish = (body: string, failure?: string) => settled++ || done(body, failure);
  // A late answer is dropped by `settled`; aborting it is not worth the bytes.
  setTimeout(() => finish('', 'timeout'), timeout);
  try {
    w.fetch(url, { credentials: 'omit' })
      .then((res) => (res.ok ? res.text() : Promise.reject('http ' + res.status)))
      .then(finish, (err) => finish('', typeof err == 'string' ? err : 'network'));
  } catch {
    finish('', 'fetch');
  }
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
      : Array.isArray(list)
        ? list
        : 'integrations';
}
