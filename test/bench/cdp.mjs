// A bare Chrome DevTools Protocol connection for `npm run bench`: Chromium
// started with --remote-debugging-pipe, JSON messages split by NUL, and
// nothing else. Playwright enables the Network domain on every page, which
// records an initiator stack per request and so inflates what a loader that
// makes many requests costs; here no domain is enabled that the figure does
// not need. Every host name resolves to the bench's own HTTPS server on
// loopback (--host-resolver-rules), whose certificate is made for the run.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumPath } from '../chromium.mjs';

/**
 * @param {number} port the bench server's loopback port
 * @returns {Promise<{ send: (method: string, params?: object, sessionId?: string) => Promise<any>,
 *   on: (method: string, listener: (params: any, sessionId?: string) => void) => () => void,
 *   version: string, close: () => Promise<void> }>}
 */
export async function launchPipe(port) {
  const profile = mkdtempSync(join(tmpdir(), 'utt-bench-'));
  const child = spawn(
    chromiumPath(),
    [
      '--headless=new',
      '--remote-debugging-pipe',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-extensions',
      '--ignore-certificate-errors',
      `--host-resolver-rules=MAP * 127.0.0.1:${port}`,
      `--user-data-dir=${profile}`,
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] },
  );
  const out = /** @type {import('node:stream').Writable} */ (child.stdio[3]);
  const input = /** @type {import('node:stream').Readable} */ (child.stdio[4]);
  let id = 0;
  const pending = new Map();
  /** @type {Set<{ method: string, listener: Function }>} */
  const listeners = new Set();
  let buffer = '';
  input.setEncoding('utf8');
  input.on('data', (chunk) => {
    buffer += chunk;
    for (let end = buffer.indexOf('\0'); end >= 0; end = buffer.indexOf('\0')) {
      const message = JSON.parse(buffer.slice(0, end));
      buffer = buffer.slice(end + 1);
      if (message.id && pending.has(message.id)) {
        const { resolve, reject, method } = pending.get(message.id);
        pending.delete(message.id);
        if (message.error) reject(new Error(`${method}: ${message.error.message}`));
        else resolve(message.result);
      } else for (const l of listeners) if (l.method === message.method) l.listener(message.params, message.sessionId);
    }
  });
  const send = (method, params = {}, sessionId) =>
    new Promise((resolve, reject) => {
      const message = { id: ++id, method, params, ...(sessionId && { sessionId }) };
      pending.set(message.id, { resolve, reject, method });
      out.write(`${JSON.stringify(message)}\0`);
    });
  const on = (method, listener) => {
    const l = { method, listener };
    listeners.add(l);
    return () => listeners.delete(l);
  };
  const { product } = await send('Browser.getVersion');
  return {
    send,
    on,
    version: product,
    close: async () => {
      await send('Browser.close').catch(() => {});
      await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)));
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
