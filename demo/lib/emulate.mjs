// The emulated partner scripts, with no internet: one implementation for the
// demo (its service worker asks the server) and the browser tests (their
// routes). Each script records that it ran, makes one request of each kind
// its registry entry declares (connect, img, frame) so the page's real CSP
// decides each one, and, for the vendors modelled on real tags, drains the
// command queue the way that vendor documents, recording every call it saw
// in `window.__vendors[key]`. This is our own code, written from the vendors'
// public documentation of their snippets: no vendor code is copied.
import { templateURL } from '../../build/template.mjs';

/** The most calls one vendor records, and the longest call it keeps whole (JSON characters). */
const RECORD_CAP = { calls: 200, chars: 100_000 };

/**
 * The JavaScript of a call record: arguments as an array, a Date as "$date". What a page hands a vendor is
 * hostile data: a call that JSON cannot copy (a cycle, a getter that throws) or that is too long is kept as a
 * note, never thrown, and past the cap nothing more is kept. Each kept call is announced as `demo:vendor`,
 * for the merchant page's list of what each vendor received (where the page can still make a CustomEvent).
 */
const RECORD = `function (key, name, call) {
    var all = (window.__vendors = window.__vendors || {});
    var list = (all[key] = all[key] || []);
    if (list.length >= ${RECORD_CAP.calls}) return;
    var args;
    try {
      var json = JSON.stringify([].slice.call(call), function (k, v) { return this[k] instanceof Date ? '$date' : v; });
      args = json.length > ${RECORD_CAP.chars} ? ['(a call of ' + json.length + ' characters, not kept)'] : JSON.parse(json);
    } catch (e) {
      args = ['(a call that cannot be copied: ' + String(e && e.name) + ')'];
    }
    list.push(args);
    // A page may have replaced CustomEvent (the fault matrix's page has none): the call is kept all the same.
    try {
      document.dispatchEvent(new CustomEvent('demo:vendor', { detail: { key: key, name: name, call: args } }));
    } catch (e) {}
  }`;

const isArgs = `function (x) { return Object.prototype.toString.call(x) === '[object Arguments]'; }`;

/** Per vendor: the drain, run when its script arrives. `record(call)` notes one call. */
const DRAINS = {
  // Meta: installs callMethod, replays the queue through it; later fbq() calls reach callMethod through the stub.
  'meta-pixel': `var n = window.fbq;
    if (n && !n.callMethod) {
      var q = n.queue.splice(0);
      n.callMethod = function () { record(arguments); };
      for (var i = 0; i < q.length; i++) if (isArgs(q[i])) n.callMethod.apply(n, q[i]);
    }`,
  // gtag: reads dataLayer entries only when they are arguments objects (it ignores arrays), then hooks push.
  'google-tag': `var dl = window.dataLayer;
    if (dl && !dl.__drained) {
      dl.__drained = 1;
      for (var i = 0; i < dl.length; i++) if (isArgs(dl[i])) record(dl[i]);
      var push = dl.push;
      dl.push = function (e) { if (isArgs(e)) record(e); return push.apply(dl, arguments); };
    }`,
  // TikTok: ttq is an array of [method, ...args]; after replay its methods are the real ones.
  'tiktok-pixel': `var t = window[window.TiktokAnalyticsObject];
    if (t && !t.__drained) {
      t.__drained = 1;
      var q = t.splice(0);
      for (var i = 0; i < q.length; i++) record(q[i]);
      ['page', 'track', 'identify', 'load'].forEach(function (m) { t[m] = function () { record([m].concat([].slice.call(arguments))); }; });
    }`,
  // Pinterest: pintrk.queue holds arrays; the function is then replaced by the real one.
  'pinterest-tag': `var p = window.pintrk;
    if (p && p.queue) {
      for (var i = 0; i < p.queue.length; i++) record(p.queue[i]);
      window.pintrk = function () { record(arguments); };
    }`,
  // Bluejay Ads (the demo's own): bjq.q holds arrays; the function is then replaced by the real one.
  'bluejay-ads': `var b = window.bjq;
    if (b && b.q) {
      var q = b.q.splice(0);
      for (var i = 0; i < q.length; i++) record(q[i]);
      window.bjq = function () { record(arguments); };
    }`,
  // Northwind Analytics (the demo's own): nwa is an array of [method, ...args], then its methods are the real ones.
  'northwind-analytics': `var n = window.nwa;
    if (n && !n.__drained) {
      n.__drained = 1;
      var q = n.splice(0);
      for (var i = 0; i < q.length; i++) record(q[i]);
      ['pageview', 'event'].forEach(function (m) { n[m] = function () { record([m].concat([].slice.call(arguments))); }; });
    }`,
  // LinkedIn: reads the partner id and every id pushed into _linkedin_data_partner_ids, then replays
  // lintrk's queue (arrays in .q) and replaces the stub by the real function.
  'linkedin-insight': `record(['partner', window._linkedin_partner_id]);
    var ids = window._linkedin_data_partner_ids || [];
    for (var i = 0; i < ids.length; i++) record(['id', ids[i]]);
    var l = window.lintrk;
    if (l && l.q) {
      for (var j = 0; j < l.q.length; j++) record(l.q[j]);
      window.lintrk = function () { record(arguments); };
    }`,
  // impact.com: the function named by ire_o, its calls queued as arguments objects in .a, replayed;
  // then the real function takes the later calls.
  'impact-utt': `var name = window.ire_o, f = window[name];
    if (f && f.a) {
      var q = f.a.splice(0);
      for (var i = 0; i < q.length; i++) if (isArgs(q[i])) record(q[i]);
      window[name] = function () { record(arguments); };
    }`,
};

/** The registry entry whose script comes from `host`. */
export const entryForHost = (entries, host) => entries.find((entry) => templateURL(entry.script).host === host);

/**
 * The body of the emulated script that `entry` serves at `url`. `mark`: also
 * show on the page that it ran (the demo's merchant page lists them); Tidepool
 * then also burns 120 ms of main thread, for the demo's partner cost table.
 */
export function emulatedScript(entry, url, { mark = false } = {}) {
  const needs = ['connect', 'img', 'frame'].flatMap((type) =>
    (entry.csp[`${type}-src`] || []).map((source) => [type, source.replace('*', 'utt-check')]),
  );
  const calls = needs.map(([type, source]) =>
    type === 'connect'
      ? `fetch(${JSON.stringify(`${source}/collect`)}, { mode: 'no-cors' }).catch(function () {});`
      : type === 'img'
        ? `new Image().src = ${JSON.stringify(`${source}/p.gif`)};`
        : `var f = document.createElement('iframe'); f.hidden = true; f.src = ${JSON.stringify(`${source}/frame.html`)}; document.body.appendChild(f);`,
  );
  const host = new URL(url).host;
  const drain = DRAINS[entry.key];
  return `(function () {
  (window.__ran = window.__ran || []).push(${JSON.stringify(host)});${
    mark
      ? `
  var detail = { key: ${JSON.stringify(entry.key)}, name: ${JSON.stringify(entry.name)}, url: ${JSON.stringify(url)} };
  var mark = document.createElement('div');
  mark.className = 'partner-mark';
  mark.textContent = detail.name + ' ran: ' + detail.url;
  // Into the merchant page's landmark for them, when it has one: every badge inside a region.
  (document.getElementById('partner-marks') || document.body).appendChild(mark);`
      : ''
  }
  ${
    // The demo's heavy partner: 120 ms of main thread, which the merchant page's cost table must name.
    mark && entry.key === 'tidepool-personalize'
      ? 'var started = performance.now(); while (performance.now() - started < 120) {}'
      : ''
  }
  ${drain ? `var record = function (call) { (${RECORD})(${JSON.stringify(entry.key)}, ${JSON.stringify(entry.name)}, call); };\n  var isArgs = ${isArgs};\n  ${drain}` : ''}
  ${calls.join('\n  ')}${
    mark
      ? `
  document.dispatchEvent(new CustomEvent('demo:partner', { detail: detail }));`
      : ''
  }
})();`;
}
