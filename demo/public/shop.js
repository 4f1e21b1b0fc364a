// The merchant page's own script: shows utt's outcomes and the CSP violations
// live. Plain DOM (textContent only), so it runs under every CSP preset.
(() => {
  // Partner hosts are emulated by a service worker, which the hub page
  // installs; a first visit straight to this page installs it and reloads.
  if ('serviceWorker' in navigator && !navigator.serviceWorker.controller) {
    try {
      navigator.serviceWorker.register('/sw.js', { scope: '/' });
      navigator.serviceWorker.addEventListener('controllerchange', () => {
        location.reload();
      });
    } catch (_) {
      // Trusted Types refuse a string here: the hub page installs the worker.
    }
  }
  var rows = {};
  function el(tag, text) {
    var e = document.createElement(tag);
    e.textContent = text;
    return e;
  }
  // utt may announce statuses before the parser has reached the table and the status line (a
  // per-account tag decides at once): the last of each is kept, and painted again once the page is parsed.
  var latest = {};
  var manifest = null;
  function show(o) {
    latest[o.id] = o;
    var body = document.querySelector('#outcomes tbody');
    if (!body) return;
    var tr = document.createElement('tr');
    tr.setAttribute('data-id', o.id);
    tr.className = o.status;
    var labels = ['id', 'partner', 'status', 'reason', 'warnings'];
    [o.id, o.partner, o.status, o.reason, (o.warnings || []).join('; ')].forEach((t, i) => {
      var td = el('td', t);
      td.setAttribute('data-label', labels[i]);
      tr.appendChild(td);
    });
    if (rows[o.id]) body.replaceChild(tr, rows[o.id]);
    else body.appendChild(tr);
    rows[o.id] = tr;
  }
  // Tell the hub what utt reported here (the hub's own preview does not): once everything has settled, then
  // each later change (a deferred partner that loads at the first interaction, consent given), so the hub's
  // "On the merchant page" column follows the page. The hub hears of it on a BroadcastChannel.
  // The hub's checklist frame, and a preview link's page or a tab that keeps one (utt's sessionStorage
  // item): none is what visitors see.
  var preview = /[?&](utt-)?preview\b/.test(location.search);
  try {
    preview = preview || !!sessionStorage.getItem('utt-preview');
  } catch (_) {
    // Storage disabled: no kept preview.
  }
  var reported = false;
  var pending = false;
  function tellHub(outcomes) {
    if (preview) return;
    reported = true;
    fetch('/api/outcomes', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ outcomes: outcomes }),
    })
      .then(() => new BroadcastChannel('utt-demo-outcomes').postMessage('outcomes'))
      .catch(() => {});
  }
  addEventListener('utt:integration', (e) => {
    show(e.detail);
    // Several statuses in one task make one report.
    if (!reported || pending) return;
    pending = true;
    setTimeout(() => {
      pending = false;
      tellHub(Object.keys(latest).map((id) => latest[id]));
    });
  });
  // The async snippet's queue: utt replays it when it arrives.
  window.utt =
    window.utt ||
    function () {
      // biome-ignore lint/complexity/noArguments: the queue holds arguments objects, which utt replays
      (window.utt.q = window.utt.q || []).push(arguments);
    };
  // The shop: one product (as the page's markup gives it), a cart and a checkout, each step told to utt in
  // GA4's words (docs/events.md).
  var product = { item_id: '', item_name: '', price: 0 };
  var currency = 'EUR';
  var quantity = 0;
  var money = (/** @type {number} */ n) => new Intl.NumberFormat('en', { style: 'currency', currency }).format(n);
  /** In whole cents, so that 3 × 24.90 is 74.70 and not 74.69999999999999. */
  var total = () => Math.round(product.price * 100 * quantity) / 100;
  var items = (/** @type {number} */ q) => [
    { item_id: product.item_id, item_name: product.item_name, price: product.price, quantity: q },
  ];
  function drawCart(/** @type {boolean} */ checkingOut) {
    var lines = /** @type {HTMLElement} */ (document.getElementById('cart-lines'));
    lines.replaceChildren(
      ...(quantity ? [el('li', product.item_name + ' × ' + quantity + ': ' + money(total()))] : []),
    );
    /** @type {HTMLElement} */ (document.getElementById('cart-empty')).hidden = quantity > 0;
    var sum = /** @type {HTMLElement} */ (document.getElementById('cart-total'));
    sum.hidden = !quantity;
    sum.textContent = 'Total: ' + money(total());
    var checkout = /** @type {HTMLButtonElement} */ (document.getElementById('checkout'));
    checkout.disabled = !quantity;
    checkout.hidden = checkingOut;
    /** @type {HTMLElement} */ (document.getElementById('place-order')).hidden = !checkingOut;
  }
  document.addEventListener('DOMContentLoaded', () => {
    var shown = /** @type {HTMLElement} */ (document.getElementById('product'));
    product = {
      item_id: shown.dataset.itemId || '',
      item_name: /** @type {HTMLElement} */ (document.getElementById('product-name')).textContent || '',
      price: Number(shown.dataset.price),
    };
    currency = shown.dataset.currency || currency;
    /** @type {HTMLElement} */ (document.getElementById('product-price')).textContent = money(product.price);
    window.utt('track', 'view_item', { currency, value: product.price, items: items(1) });
    drawCart(false);
    document.getElementById('add-to-cart')?.addEventListener('click', () => {
      quantity++;
      window.utt('track', 'add_to_cart', { currency, value: product.price, items: items(1) });
      drawCart(false);
    });
    document.getElementById('checkout')?.addEventListener('click', () => {
      window.utt('track', 'begin_checkout', { currency, value: total(), items: items(quantity) });
      drawCart(true);
    });
    document.getElementById('place-order')?.addEventListener('click', () => {
      var random = crypto.getRandomValues(new Uint32Array(1))[0].toString(36).toUpperCase();
      var order = { transaction_id: 'T-' + random, currency, value: total(), items: items(quantity) };
      window.utt('track', 'purchase', order);
      /** @type {HTMLElement} */ (document.getElementById('order')).textContent =
        'Order ' + order.transaction_id + ' placed: ' + money(order.value) + '.';
      quantity = 0;
      drawCart(false);
    });
  });
  window.utt('report', (outcomes) => {
    tellHub(outcomes);
    // The partner cost table, heaviest first (utt.cost.js loads now, on demand). A partner's long
    // frame is recorded when that frame ends, which can come after this first read: the table is
    // drawn again after each long animation frame the page records from now on (a report callback runs once).
    window.utt('costs', drawCosts);
    var P = window.PerformanceObserver;
    if (P && (P.supportedEntryTypes || []).indexOf('long-animation-frame') >= 0) {
      let asking = false;
      new P(() => {
        if (asking) return;
        asking = true;
        window.utt('costs', (list) => {
          asking = false;
          drawCosts(list);
        });
      }).observe({ type: 'long-animation-frame', buffered: true });
    }
  });
  function drawCosts(list) {
    if (!Array.isArray(list)) return;
    const body = document.querySelector('#costs tbody');
    if (!body) return;
    body.replaceChildren();
    var ms = (c) => (typeof c.mainThread == 'number' ? c.mainThread : -1);
    list
      .slice()
      .sort((a, b) => ms(b) - ms(a))
      .forEach((c) => {
        var tr = document.createElement('tr');
        tr.setAttribute('data-id', c.id);
        var bytes = typeof c.bytes == 'object' ? c.bytes.transfer + ' / ' + c.bytes.encoded : c.bytes;
        [c.id, c.partner, String(c.mainThread), String(c.longFrames), bytes].forEach((t, i) => {
          var td = el('td', t);
          td.setAttribute('data-label', ['id', 'partner', 'main thread (ms)', 'long frames', 'bytes'][i]);
          tr.appendChild(td);
        });
        body.appendChild(tr);
      });
  }
  function showManifest(m) {
    manifest = m;
    var status = document.getElementById('manifest-status');
    if (status && m)
      status.textContent =
        (m.version
          ? 'per-account tag ' +
            m.account +
            (document.querySelector('script[data-base]:not([src])') ? ' in the page' : '.js') +
            ', publish ' +
            m.version
          : 'manifest ' + m.account) +
        ': ' +
        m.status +
        (m.reason ? ' (' + m.reason + ')' : '');
  }
  addEventListener('utt:manifest', (e) => showManifest(e.detail));
  document.addEventListener('DOMContentLoaded', () => {
    showManifest(manifest);
    for (const id of Object.keys(latest)) show(latest[id]);
  });
  document.addEventListener('securitypolicyviolation', (e) => {
    var list = document.getElementById('violations');
    if (list)
      list.appendChild(
        el(
          'li',
          e.effectiveDirective + ' refused ' + e.blockedURI + (e.disposition == 'report' ? ' (report-only)' : ''),
        ),
      );
  });
  document.addEventListener('demo:partner', (e) => {
    var ran = document.getElementById('ran');
    if (ran) ran.appendChild(el('li', e.detail.name + ' (' + e.detail.url + ')'));
  });

  // What each emulated vendor received, call by call (demo/lib/emulate.mjs announces each one as demo:vendor).
  // What a page hands a vendor is hostile data: shown as text only, each cell and each list capped.
  var SHOWN = 50;
  var CHARS = 300;
  /** @type {Record<string, { name: string, calls: unknown[][] }>} */
  var vendors = Object.create(null);
  var cap = (/** @type {string} */ s) => (s.length > CHARS ? s.slice(0, CHARS) + '…' : s);
  /** A call as [what was called, its parameters, the event id it carries (Meta's eventID, the others' event_id)]. */
  function describeCall(/** @type {unknown[]} */ call) {
    var i = 0;
    var name = [];
    while (i < call.length && (typeof call[i] == 'string' || typeof call[i] == 'number')) name.push(String(call[i++]));
    var params = [];
    var id = '';
    for (; i < call.length; i++) {
      const a = call[i];
      if (!a || typeof a != 'object' || Array.isArray(a)) {
        params.push(a);
        continue;
      }
      // No prototype: a "__proto__" key the page sent stays a key.
      const rest = Object.create(null);
      for (const k of Object.keys(a)) {
        if ((k === 'eventID' || k === 'event_id') && typeof a[k] == 'string') id = a[k];
        else rest[k] = a[k];
      }
      if (Object.keys(rest).length) params.push(rest);
    }
    return [cap(name.join(' ')), cap(params.map((p) => JSON.stringify(p)).join(', ')), cap(id)];
  }
  function drawVendor(/** @type {string} */ key) {
    var box = document.getElementById('vendor-calls');
    if (!box) return;
    var v = vendors[key];
    var id = 'vendor-' + key;
    var old = document.getElementById(id);
    var div = document.createElement('div');
    div.className = 'vendor';
    div.id = id;
    div.setAttribute('data-key', key);
    div.appendChild(el('h3', v.name));
    var table = document.createElement('table');
    table.className = 'vendor-calls';
    var head = document.createElement('tr');
    var labels = ['call', 'parameters', 'event id'];
    for (const t of labels) head.appendChild(el('th', t));
    table.appendChild(document.createElement('thead')).appendChild(head);
    var body = table.appendChild(document.createElement('tbody'));
    v.calls.slice(0, SHOWN).forEach((call) => {
      var tr = document.createElement('tr');
      describeCall(call).forEach((t, i) => {
        var td = el('td', t);
        td.setAttribute('data-label', labels[i]);
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    div.appendChild(table);
    if (v.calls.length > SHOWN)
      div.appendChild(el('p', 'and ' + (v.calls.length - SHOWN) + ' more calls (the first ' + SHOWN + ' are shown)'));
    if (old) old.replaceWith(div);
    else box.appendChild(div);
  }
  document.addEventListener('demo:vendor', (e) => {
    var d = e.detail || {};
    if (typeof d.key != 'string' || !Array.isArray(d.call)) return;
    var v = (vendors[d.key] = vendors[d.key] || { name: String(d.name), calls: [] });
    v.calls.push(d.call);
    drawVendor(d.key);
  });
  document.addEventListener('DOMContentLoaded', () => {
    for (const key of Object.keys(vendors)) drawVendor(key);
  });
  function reload() {
    var q = '?csp=' + encodeURIComponent(/** @type {HTMLSelectElement} */ (document.getElementById('csp')).value);
    var tag = /** @type {HTMLSelectElement} */ (document.getElementById('tag')).value;
    if (tag !== 'generic') q += '&tag=' + encodeURIComponent(tag);
    if (/** @type {HTMLInputElement} */ (document.getElementById('consent-required')).checked) q += '&consent=required';
    location.search = q;
  }
  document.addEventListener('DOMContentLoaded', () => {
    // The site's own policy changes by a same-origin POST (the hub's publish check reads it), then the page reloads under it.
    document.getElementById('csp')?.addEventListener('change', (e) => {
      fetch('/api/site', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ preset: /** @type {HTMLSelectElement} */ (e.target).value }),
      }).then(reload, reload);
    });
    document.getElementById('tag')?.addEventListener('change', reload);
    const required = /** @type {HTMLInputElement} */ (document.getElementById('consent-required'));
    required.checked = document.querySelector('script[data-consent]')?.getAttribute('data-consent') === 'required';
    required.addEventListener('change', reload);
    // The merchant's consent banner, in a few buttons.
    document.querySelectorAll('#consent button').forEach((b) => {
      b.addEventListener('click', () => {
        var update = {};
        for (const c of (b.getAttribute('data-grant') || '').split(' ').filter(Boolean)) update[c] = 'granted';
        for (const c of (b.getAttribute('data-deny') || '').split(' ').filter(Boolean)) update[c] = 'denied';
        setTimeout(() => window.utt('report', tellHub));
        window.utt('consent', 'update', update);
      });
    });
  });
})();
