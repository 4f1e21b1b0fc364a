// Preview (utt.preview.js, loaded only on a page opened with a hub's preview
// link, `?utt-preview=<token>`, or in a tab that keeps one): this browser tab
// runs the account's draft instead of its live integrations. The draft comes
// from `preview/<account>.json` beside utt's files, where the hub checks the
// token's signature for that account and its expiry, never the browser: a
// crafted link, or a token planted in the tab's storage, can run only a draft
// the hub signed for this account. It is read as any manifest is (registry
// partners only, every identifier checked), never cached. A small panel lists
// each integration's outcome with its reason and CSP fix, sends that evidence
// to the hub's checklist, and ends the preview.
import { metaTags } from './csp/page';
import { create, get, on } from './dom';
import { encode } from './evidence';
import { fetchManifest, readManifest } from './manifest';
import { run } from './pipeline';
import { lookup } from './registry';
import type { Report } from './report';
import type { Tag } from './runtime';
import type { Outcome } from './types';

/**
 * The tab's preview, in sessionStorage on the merchant's origin (this tab only, gone with it). Kept as
 * the link's parameter, `utt-preview=<token>`, so that utt.js reads it with the link's own pattern.
 */
export const KEPT = 'utt-preview';

/**
 * The token a link gives: the hub's own alphabet (base64url and dots), or none. No `|| []`: an empty
 * array's [1] is read from Object.prototype, which the page may have polluted.
 */
export const previewToken = (search: string) => {
  const m = /[?&]utt-preview=([\w.-]{1,300})(&|$)/.exec(search);
  return m ? m[1] : undefined;
};

/**
 * Whether this page was reached from another site, whose name Firefox and Safari clear: the way back from
 * a payment page, say (a way back that sends no referrer is not seen). Throws without a location.
 */
export const arrived = (w: Window): boolean => {
  const from: string = get(w.document, 'referrer');
  return !!from && from.indexOf(w.location.origin + '/') != 0;
};

/**
 * Keeps `token` as this tab's preview, or forgets it (''). Storage that is disabled or full keeps nothing.
 * `name`: on the link's page, or one reached from another site (see `arrived`), a window without a name
 * gets KEPT as its name; the preview's end takes it away, in a frame from its tab's window too (a name the
 * page gave it stays). utt.js reads storage only in a named window, or arriving from another site
 * (src/runtime.ts). The name is no secret; the token stays in storage.
 */
const keep = (w: Window, token: string, name?: boolean) => {
  try {
    token ? w.sessionStorage.setItem(KEPT, 'utt-preview=' + token) : w.sessionStorage.removeItem(KEPT);
    if (token && name && !w.name) w.name = KEPT;
    // Ended, in a frame too: the tab's own window loses the name (a cross-origin top throws here).
    if (!token) for (const x of [w, w.top]) if (x && x.name == KEPT) x.name = '';
  } catch {
    // The preview lasts for this page only.
  }
};

/** The tag that runs the draft signed by `token`, for the account `kind` runs. */
export function preview(kind: Tag, token: string): Tag {
  let url = '';
  let live = 0;
  return {
    _files: kind._files,
    _account: kind._account,
    _start(feed, listen, report, options, w, base, timeout, debug) {
      const account = options.account || kind._account || '';
      // The link on this page, or the tab's kept preview (src/runtime.ts reads both).
      const linked = previewToken(w.location ? w.location.search : '') == token;
      // Named only where utt.js looks without a name: a name the page clears pauses the preview.
      let name = linked;
      try {
        name = name || arrived(w);
      } catch {
        // No location: no name.
      }
      url = new URL('preview/' + encodeURIComponent(account) + '.json?token=' + token, base).href;
      const start = () => {
        report._manifest('pending', '', url, 'preview');
        panel(
          w,
          report,
          token,
          new URL('preview/' + encodeURIComponent(account) + '/evidence?token=' + token, base).href,
        );
      };
      /** A kept preview the hub refuses, or that has expired: forgotten, and the live version runs. */
      const fallBack = () => {
        keep(w, '');
        live = 1;
        // Consent is listened to already.
        kind._start(feed, () => {}, report, options, w, base, timeout, debug);
      };
      listen();
      // Expired by its own words (the hub's clock decides, this saves the request).
      if (!linked && +token.split('.')[1] < Date.now()) return fallBack();
      if (linked) start();
      // No cache: an expired or refused preview must not run a copy kept from before.
      fetchManifest(w, url, timeout, (body, failure) => {
        const list = failure || readManifest(body, account);
        if (typeof list == 'string')
          return linked ? report._manifest(failure ? 'failed' : 'invalid', list) : fallBack();
        // Kept for the tab where the link was opened, not by a frame: the hub's checklist frame runs the
        // draft on the merchant page, and must not make the hub's own tab run drafts.
        if (w.top == w) keep(w, token, name);
        if (!linked) start();
        feed(list, run, 'ok', 'preview');
      });
    },
    _verify: () => (live ? kind._verify() : { manifest: url, integrations: undefined, partner: lookup }),
  };
}

/** What the panel says of one outcome: its status, why, and the CSP fixes utt found. */
const line = (o: Outcome) =>
  [o.id + ' (' + (o.partner || '?') + '): ' + o.status, o.reason, ...(o.warnings || [])].filter(Boolean).join(' · ');

/** A button of the panel's. */
const button = (d: Document, label: string, click: () => void) => {
  const b = create(d, 'button');
  b.type = 'button';
  b.textContent = label;
  b.style.cssText = 'margin-left:8px;font:inherit;padding:2px 8px';
  b.onclick = click;
  return b;
};

/**
 * The page's policies as utt sees them: its meta tags', and its header's, from the page's own response
 * headers (a HEAD of this URL, same-origin) and from every violation's report.
 */
function policiesOf(w: Window) {
  const header: string[] = [];
  on(w, w.document, 'securitypolicyviolation', (e: SecurityPolicyViolationEvent) => {
    if (e.disposition == 'enforce') header.push(e.originalPolicy);
  });
  return (done: (header: string[], meta: string[]) => void) => {
    const meta = metaTags(w.document).map((m) => m.getAttribute('content') || '');
    // A violation of a meta policy reports that policy: only the others are the header's.
    const end = (h: string) =>
      done((h ? h.split(/\s*,\s*/) : []).concat(header.filter((p) => meta.indexOf(p) < 0)), meta);
    try {
      w.fetch(w.location.href, { method: 'HEAD', cache: 'no-store' }).then(
        (r) => end(r.headers.get('content-security-policy') || ''),
        () => end(''),
      );
    } catch {
      end('');
    }
  };
}

/**
 * The panel: a landmark at the bottom of the page, styled through CSSOM (a page's CSP allows it). It
 * lists the outcomes, sends them to the hub at `to` (a simple cross-origin POST: text/plain, no
 * preflight), and ends the preview: the tab forgets it and the page loads again without the link.
 */
function panel(w: Window, report: Report, token: string, to: string) {
  const d = w.document;
  const box = create(d, 'aside');
  const list = create(d, 'ul');
  const status = create(d, 'p');
  const rows: Record<string, HTMLLIElement> = Object.create(null);
  const outcomes: Record<string, Outcome> = Object.create(null);
  const policies = policiesOf(w);
  box.setAttribute('aria-label', 'utt preview');
  box.id = 'utt-preview';
  box.style.cssText =
    'position:fixed;bottom:0;left:0;right:0;max-height:40vh;overflow:auto;z-index:2147483647;' +
    'background:#fff;color:#111;border-top:3px solid #5b3cc4;font:13px/1.4 system-ui,sans-serif;padding:6px 10px';
  status.setAttribute('role', 'status');
  const send = () => {
    status.textContent = 'Sending…';
    policies((header, meta) => {
      const body = encode(w.location.href, w.navigator.userAgent, header, meta, Object.values(outcomes));
      w.fetch(to, { method: 'POST', body }).then(
        (r) => {
          status.textContent = r.ok ? 'Sent to the hub’s checklist.' : 'Not sent: http ' + r.status;
        },
        () => {
          status.textContent = 'Not sent: network';
        },
      );
    });
  };
  const end = () => {
    keep(w, '');
    const u = new URL(w.location.href);
    u.searchParams.delete('utt-preview');
    w.location.replace(u.href);
  };
  box.append(
    'utt preview: this tab runs the draft until ' +
      new Date(+token.split('.')[1]).toLocaleTimeString() +
      ', nobody else does.',
    button(d, 'Send to the hub', send),
    button(d, 'End preview', end),
    status,
    list,
  );
  report._on('integration', (o: Outcome) => {
    const li = rows[o.id] || list.appendChild((rows[o.id] = create(d, 'li')));
    outcomes[o.id] = o;
    li.textContent = line(o);
    li.dataset.status = o.status;
  });
  const show = () => (get(d, 'body') || d.documentElement).appendChild(box);
  d.readyState == 'loading' ? d.addEventListener('DOMContentLoaded', show) : show();
}
