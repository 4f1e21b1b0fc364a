// The engine suite's web: one HTTPS server on a loopback port, answering for
// every *.localhost name (all three engines resolve them to 127.0.0.1), with
// a certificate made for the run (setup.ts). Stock Firefox and WebKit have no
// request routing, so the shop, utt's CDN and the partners are real origins:
//   shop.localhost   the merchant page of the current scenario
//   cdn.localhost    utt.js, utt.csp.js, utt.iab.js, utt.events.js (test/artifacts/engines) and the manifest
//   <x>.localhost    partner scripts: each records that it ran, then makes its
//                    declared request (connect or img)
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';

const OUT = 'test/artifacts/engines';

export interface Scene {
  /** The merchant page's HTML; `{{CDN}}` and `{{PORT}}` are filled in. */
  html: string;
  /** Response headers of the merchant page (its header policy, say). */
  headers?: Record<string, string>;
  /** The manifest body: an object as JSON, a string as is. */
  manifest?: unknown;
  /** More scripts, by path, served by the shop and the CDN (a per-account tag, say). */
  files?: Record<string, string>;
}

export interface Site {
  port: number;
  /** https://cdn.localhost:<port> */
  cdn: string;
  /** https://shop.localhost:<port>/ */
  shop: string;
  /** Sets what the next page load gets. */
  scene(scene: Scene): void;
  /** Every request seen, as `host path`, since the last scene. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * A partner script: records its host, makes its declared request, and drains a stub queue (engine-widget's
 * `ow`). The vendors with events record every call into `window.__calls[host]` (as JSON: data only) and
 * fire `vendor-call` on the document, drained as their models do: engine-pixel as Meta's (its queue of
 * `arguments` replayed through the `callMethod` it installs, which later calls reach through the stub),
 * engine-beacon as TikTok's (an array of [method, ...args], whose methods it then replaces).
 */
const partner = (host: string, port: number) =>
  `(window.__ran = window.__ran || []).push(${JSON.stringify(host.split('.')[0])});
   if (${JSON.stringify(host)} === 'na.localhost') fetch('https://collect.localhost:${port}/c', { mode: 'no-cors' }).catch(function () {});
   if (${JSON.stringify(host)} === 'bj.localhost') new Image().src = 'https://px.localhost:${port}/p.gif';
   if (window.ow && window.ow.q) window.__ow = window.ow.q.map(function (a) { return Array.prototype.slice.call(a); });
   var record = function (k, call) {
     var all = (window.__calls = window.__calls || {});
     (all[k] = all[k] || []).push(JSON.parse(JSON.stringify(Array.prototype.slice.call(call))));
     document.dispatchEvent(new Event('vendor-call'));
   };
   if (${JSON.stringify(host)} === 'fb.localhost' && window.fbq && !window.fbq.callMethod) {
     var n = window.fbq, q = n.queue.splice(0);
     n.callMethod = function () { record('fb', arguments); };
     for (var i = 0; i < q.length; i++) n.callMethod.apply(n, q[i]);
   }
   if (${JSON.stringify(host)} === 'tk.localhost' && window.tq && !window.tq.drained) {
     var t = window.tq, r = t.splice(0);
     t.drained = 1;
     for (var j = 0; j < r.length; j++) record('tk', r[j]);
     t.track = function () { record('tk', ['track'].concat(Array.prototype.slice.call(arguments))); };
   }`;

export async function startSite(): Promise<Site> {
  let scene: Scene = { html: '' };
  const requests: string[] = [];
  const fill = (text: string) => text.replaceAll('47443', String(port)).replaceAll('{{PORT}}', String(port));
  const server: Server = createServer(
    { key: readFileSync(`${OUT}/key.pem`), cert: readFileSync(`${OUT}/cert.pem`) },
    (req, res) => {
      const host = (req.headers.host || '').replace(/:\d+$/, '');
      const path = (req.url || '/').split('?')[0];
      requests.push(`${host} ${path}`);
      const send = (status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}) => {
        res.writeHead(status, {
          'content-type': type,
          'access-control-allow-origin': '*',
          'cache-control': 'no-store',
          ...headers,
        });
        res.end(body);
      };
      if (!host.endsWith('localhost')) return send(421, 'text/plain', 'not a test origin');
      // An attacker's origin, which a <base> in the markup names: whatever utt asks of it, it answers.
      if (host === 'evil.localhost')
        return /\.json$/.test(path)
          ? send(200, 'application/json', JSON.stringify(EVIL_MANIFEST))
          : send(200, 'text/javascript', 'window.__evil = (window.__evil || []).concat(location.href);');
      if (host === 'shop.localhost' && path === '/')
        return send(200, 'text/html', fill(scene.html).replaceAll('{{CDN}}', site.cdn), scene.headers);
      // utt's files and the manifest, from the CDN or from the shop itself (a tag with a relative src), in any folder.
      const mine = host === 'cdn.localhost' || host === 'shop.localhost';
      const file = path.replace(/^.*\//, '/');
      if (mine && scene.files?.[file]) return send(200, 'text/javascript', fill(scene.files[file]));
      if (mine && /^\/utt(\.csp|\.iab|\.events)?\.js$/.test(file))
        return send(200, 'text/javascript', fill(readFileSync(`${OUT}${file}`, 'utf8')));
      if (mine && path.endsWith('/manifests/A12345.json'))
        return scene.manifest === undefined
          ? send(404, 'text/plain', 'no manifest')
          : send(
              200,
              'application/json',
              typeof scene.manifest === 'string' ? scene.manifest : JSON.stringify(scene.manifest),
            );
      if (/\.js$/.test(path)) return send(200, 'text/javascript', partner(host, port));
      if (path === '/p.gif')
        return send(200, 'image/gif', Buffer.from('R0lGODlhAQABAIAAAAAAAP///ywAAAAAAQABAAACAUwAOw==', 'base64'));
      return send(200, 'text/plain', 'ok');
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const site: Site = {
    port,
    cdn: `https://cdn.localhost:${port}`,
    shop: `https://shop.localhost:${port}/`,
    scene(next) {
      scene = next;
      requests.length = 0;
    },
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return site;
}

/** The test registry's partners, as a manifest lists them. */
export const integrations = {
  na: { id: 'na', partner: 'engine-analytics', status: 'enabled', identifiers: { domain: 'shop.localhost' } },
  bj: { id: 'bj', partner: 'engine-ads', status: 'enabled', identifiers: { accountId: 482913 } },
  or: { id: 'or', partner: 'engine-widget', status: 'enabled', identifiers: { storeId: 'acme-outdoor' } },
};
export const manifestOf = (...list: object[]) => ({ version: 1, account: 'A12345', integrations: list });

/** What evil.localhost answers for a manifest: the attacker's own choice of partner ids. */
const EVIL_MANIFEST = manifestOf({ ...integrations.bj, id: 'evil', identifiers: { accountId: 666666 } });
