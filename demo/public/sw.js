// Emulates the partners' script hosts with no internet: any request to a
// https://*.example host listed in /partners.json gets a small script that
// marks the page, so QA sees which partners really ran under the page's CSP.
let partners;
const load = () => (partners ||= fetch('/partners.json').then((r) => r.json()));

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (url.protocol !== 'https:' || !url.hostname.endsWith('.example')) return;
  event.respondWith(
    load().then((list) => {
      const partner = list.find((p) => p.host === url.host);
      if (!partner || event.request.destination !== 'script')
        return new Response('', { status: partner ? 204 : 404, headers: { 'access-control-allow-origin': '*' } });
      const body = `(function () {
  var detail = { key: ${JSON.stringify(partner.key)}, name: ${JSON.stringify(partner.name)}, url: ${JSON.stringify(url.href)} };
  (window.__partners = window.__partners || []).push(detail);
  document.dispatchEvent(new CustomEvent('demo:partner', { detail: detail }));
})();`;
      return new Response(body, {
        headers: { 'content-type': 'text/javascript', 'access-control-allow-origin': '*' },
      });
    }),
  );
});
