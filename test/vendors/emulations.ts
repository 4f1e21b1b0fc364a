// Vendors the registry does not ship, for the tests of the setup shapes they
// need (test/chromium/vendor-shapes.test.ts): their entries are in
// test/vendors/partners/. For each, an emulation of the vendor's library
// (what it reads from the page when it arrives, recorded in `window.__seen`)
// and the vendor's paste-in snippet, rewritten from its published shape with
// the same steps in the same order. A test runs the snippet first, so that the
// emulation is known to accept what the vendor's own snippet leaves; then utt.
// Our own code, written from the vendors' public documentation: no vendor code is copied.

/** Records one JSON-able observation; `typeof` is recorded where a number must stay a number. */
const RECORD = `var seen = function (x) { (window.__seen = window.__seen || []).push(JSON.parse(JSON.stringify(x))); };`;

export interface Vendor {
  /** The entry's key (test/vendors/partners/<key>.json) and the identifiers the merchant gives. */
  key: string;
  identifiers: Record<string, string | number>;
  /** The script URL the entry and the snippet load. */
  script: string;
  /** The emulated library served at `script`. */
  library: string;
  /** The vendor's snippet, as a merchant pastes it (with the same identifiers). */
  snippet: string;
  /**
   * What the merchant's page sets before utt's tag, in the utt run (a nonce'd inline script). The
   * snippet run has it inside the snippet, where the vendor's documentation puts it.
   */
  merchant?: string;
}

export const VENDORS: Record<string, Vendor> = {
  // Microsoft UET: bat.js defines UET; the snippet's onload constructs it with the page's queue, which it
  // replays, and replaces window.uetq with it; pushes then reach the instance.
  uet: {
    key: 'microsoft-uet',
    identifiers: { tagId: '343012345' },
    script: 'https://bat.bing.com/bat.js',
    library: `${RECORD}
      window.UET = function (o) {
        seen(['new', typeof o.ti, o.ti, o.enableAutoSpaTracking, Array.isArray(o.q)]);
        var q = o.q || [];
        for (var i = 0; i < q.length; i++) seen(['queued', q[i]]);
        this.push = function () { seen(['push'].concat([].slice.call(arguments))); };
      };`,
    snippet: `window.uetq = window.uetq || [];
      window.uetq.push('consent', 'default', { ad_storage: 'granted' });
      (function (w, d, src, name) {
        w[name] = w[name] || [];
        var start = function () {
          var o = { ti: '343012345', enableAutoSpaTracking: true };
          o.q = w[name];
          w[name] = new UET(o);
          w[name].push('pageLoad');
        };
        var s = d.createElement('script');
        s.src = src;
        s.async = 1;
        s.onload = function () { start(); s.onload = null; };
        var first = d.getElementsByTagName('script')[0];
        first.parentNode.insertBefore(s, first);
      })(window, document, 'https://bat.bing.com/bat.js', 'uetq');`,
  },
  // Hotjar: reads window._hjSettings (hjid a number) and replays hj.q.
  hotjar: {
    key: 'hotjar',
    identifiers: { siteId: 3618442 },
    script: 'https://static.hotjar.com/c/hotjar-3618442.js?sv=6',
    library: `${RECORD}
      var s = window._hjSettings;
      seen(['settings', typeof s.hjid, s.hjid, typeof s.hjsv, s.hjsv]);
      var q = (window.hj && window.hj.q) || [];
      for (var i = 0; i < q.length; i++) seen(['queued', [].slice.call(q[i])]);
      window.hj = function () { seen(['hj'].concat([].slice.call(arguments))); };`,
    snippet: `(function (w, d, base, ext) {
        w.hj = w.hj || function () { (w.hj.q = w.hj.q || []).push(arguments); };
        w._hjSettings = { hjid: 3618442, hjsv: 6 };
        var head = d.getElementsByTagName('head')[0];
        var s = d.createElement('script');
        s.async = 1;
        s.src = base + w._hjSettings.hjid + ext + w._hjSettings.hjsv;
        head.appendChild(s);
      })(window, document, 'https://static.hotjar.com/c/hotjar-', '.js?sv=');`,
  },
  // Criteo OneTag: ld.js drains window.criteo_q, whose items are event objects (account a number).
  criteo: {
    key: 'criteo-onetag',
    identifiers: { accountId: 12345 },
    script: 'https://dynamic.criteo.com/js/ld/ld.js?a=12345',
    library: `${RECORD}
      var q = window.criteo_q || [];
      for (var i = 0; i < q.length; i++) seen(['event', q[i], typeof q[i].account]);
      window.criteo_q = { push: function () { for (var i = 0; i < arguments.length; i++) seen(['event', arguments[i], typeof arguments[i].account]); } };`,
    snippet: `(function (d) {
        var s = d.createElement('script');
        s.src = 'https://dynamic.criteo.com/js/ld/ld.js?a=12345';
        s.async = true;
        d.head.appendChild(s);
      })(document);
      window.criteo_q = window.criteo_q || [];
      var deviceType = /iPad/.test(navigator.userAgent) ? 't' : /Mobile|iP(hone|od)|Android|BlackBerry|IEMobile|Silk/.test(navigator.userAgent) ? 'm' : 'd';
      window.criteo_q.push({ event: 'setAccount', account: 12345 }, { event: 'setSiteType', type: deviceType }, { event: 'viewHome' });`,
  },
  // Intercom: the widget reads window.intercomSettings (app_id, api_base and the merchant's visitor
  // fields) and replays Intercom.q.
  intercom: {
    key: 'intercom',
    identifiers: { appId: 'abc12345' },
    script: 'https://widget.intercom.io/widget/abc12345',
    library: `${RECORD}
      var s = window.intercomSettings || {};
      seen(['settings', Object.keys(s).sort().map(function (k) { return [k, s[k]]; })]);
      var q = (window.Intercom && window.Intercom.q) || [];
      for (var i = 0; i < q.length; i++) seen(['queued', [].slice.call(q[i])]);`,
    merchant: `window.intercomSettings = { email: 'ada@shop.example', name: 'Ada' };`,
    snippet: `window.intercomSettings = { api_base: 'https://api-iam.intercom.io', app_id: 'abc12345', email: 'ada@shop.example', name: 'Ada' };
      (function () {
        var w = window;
        var ic = w.Intercom;
        if (typeof ic === 'function') {
          ic('reattach_activator');
          ic('update', w.intercomSettings);
        } else {
          var d = document;
          var i = function () { i.c(arguments); };
          i.q = [];
          i.c = function (args) { i.q.push(args); };
          w.Intercom = i;
          var s = d.createElement('script');
          s.type = 'text/javascript';
          s.async = true;
          s.src = 'https://widget.intercom.io/widget/abc12345';
          var x = d.getElementsByTagName('script')[0];
          x.parentNode.insertBefore(s, x);
        }
      })();`,
  },
};
