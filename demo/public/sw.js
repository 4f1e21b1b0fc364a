// Emulates the partners' hosts with no internet. A script request to the
// host of a registry partner gets the emulated script the demo server makes
// for it (demo/lib/emulate.mjs, shared with the browser tests). Every other
// cross-origin request (a partner's connect, img or frame request) gets an
// empty answer, so nothing leaves the machine; the page's CSP has already
// decided whether it could be made.
/** This file runs as a service worker (tsconfig.sw.json types it with the WebWorker library). */
const sw = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));
const GIF = Uint8Array.from(atob('R0lGODlhAQABAIAAAAAAAP///ywAAAAAAQABAAACAUwAOw=='), (c) => c.charCodeAt(0));

sw.addEventListener('install', () => sw.skipWaiting());
sw.addEventListener('activate', (event) => event.waitUntil(sw.clients.claim()));

sw.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (url.origin === sw.location.origin || !/^https?:$/.test(url.protocol)) return;
  // Timing-Allow-Origin: the merchant page's partner cost table can read each script's size.
  const cors = { 'access-control-allow-origin': '*', 'timing-allow-origin': '*' };
  if (event.request.destination === 'script')
    event.respondWith(
      fetch(`/emulate?url=${encodeURIComponent(url.href)}`).then((r) =>
        r.ok
          ? r.text().then((body) => new Response(body, { headers: { 'content-type': 'text/javascript', ...cors } }))
          : new Response(null, { status: 404, headers: cors }),
      ),
    );
  else if (event.request.destination === 'image')
    event.respondWith(new Response(GIF, { headers: { 'content-type': 'image/gif', ...cors } }));
  else event.respondWith(new Response(null, { status: 204, headers: cors }));
});
