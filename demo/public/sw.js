// Emulates the partners' hosts with no internet. A script request to a host
// of /partners.json gets a small script that marks the page and makes one
// request of each kind its registry entry declares (connect, img, frame), so
// the page's real CSP decides each of them. Other requests to partner hosts
// get an empty answer.
let partners;
const load = () => (partners ||= fetch('/partners.json').then((r) => r.json()));
const GIF = Uint8Array.from(atob('R0lGODlhAQABAIAAAAAAAP///ywAAAAAAQABAAACAUwAOw=='), (c) => c.charCodeAt(0));

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

function partnerScript(partner, url) {
  const needs = ['connect', 'img', 'frame'].flatMap((type) =>
    (partner.csp[`${type}-src`] || []).map((source) => [type, source.replace('*', 'utt-check')]),
  );
  const requests = needs.map(([type, source]) =>
    type === 'connect'
      ? `fetch(${JSON.stringify(`${source}/collect`)}, { mode: 'no-cors' }).catch(function () {});`
      : type === 'img'
        ? `new Image().src = ${JSON.stringify(`${source}/p.gif`)};`
        : `var f = document.createElement('iframe'); f.hidden = true; f.src = ${JSON.stringify(`${source}/frame.html`)}; document.body.appendChild(f);`,
  );
  return `(function () {
  var detail = { key: ${JSON.stringify(partner.key)}, name: ${JSON.stringify(partner.name)}, url: ${JSON.stringify(url)} };
  (window.__partners = window.__partners || []).push(detail);
  var mark = document.createElement('div');
  mark.className = 'partner-mark';
  mark.textContent = detail.name + ' ran: ' + detail.url;
  (document.body || document.documentElement).appendChild(mark);
  document.dispatchEvent(new CustomEvent('demo:partner', { detail: detail }));
  ${requests.join('\n  ')}
})();`;
}

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (url.protocol !== 'https:' || !url.hostname.endsWith('.example')) return;
  event.respondWith(
    load().then((list) => {
      const cors = { 'access-control-allow-origin': '*' };
      const partner = list.find((p) => p.host === url.host);
      if (partner && event.request.destination === 'script')
        return new Response(partnerScript(partner, url.href), {
          headers: { 'content-type': 'text/javascript', ...cors },
        });
      if (event.request.destination === 'image')
        return new Response(GIF, { headers: { 'content-type': 'image/gif', ...cors } });
      return new Response(null, { status: 204, headers: cors });
    }),
  );
});
