// The demo page's own script: shows utt's outcomes live. Plain DOM, no innerHTML.
(() => {
  // Partner hosts are emulated by a service worker; the first visit installs
  // it and reloads once, so that the partners' requests reach it.
  if ('serviceWorker' in navigator && !navigator.serviceWorker.controller) {
    navigator.serviceWorker.register('/sw.js', { scope: '/' });
    navigator.serviceWorker.addEventListener('controllerchange', () => location.reload());
    return;
  }
  const rows = {};
  const cell = (tr, text) => tr.appendChild(document.createElement('td')).appendChild(document.createTextNode(text));
  function show(o) {
    const body = document.querySelector('#outcomes tbody');
    const tr = document.createElement('tr');
    tr.dataset.id = o.id;
    tr.className = o.status;
    for (const text of [o.id, o.partner, o.status, o.reason]) cell(tr, text);
    if (rows[o.id]) body.replaceChild(tr, rows[o.id]);
    else body.appendChild(tr);
    rows[o.id] = tr;
  }
  addEventListener('utt:integration', (e) => show(e.detail));
  addEventListener('utt:manifest', (e) => {
    const m = e.detail;
    document.getElementById('manifest-status').textContent =
      'manifest ' + m.account + ': ' + m.status + (m.reason ? ' (' + m.reason + ')' : '');
  });
  document.addEventListener('demo:partner', (e) => {
    const li = document.createElement('li');
    li.textContent = e.detail.name + ' (' + e.detail.url + ')';
    document.getElementById('ran').appendChild(li);
  });
})();
