// Preview (utt.preview.js, loaded only on a page opened with a hub's preview
// link, `?utt-preview=<token>`): this browser runs the account's draft instead
// of its live integrations. The draft comes from `preview/<account>.json`
// beside utt's files, where the hub checks the token's signature for that
// account and its expiry, never the browser: a crafted link can run only a
// draft the hub signed for this account. It is read as any manifest is
// (registry partners only, every identifier checked), never cached, and a
// small panel lists each integration's outcome with its reason and CSP fix.
import { create, get } from './dom';
import { fetchManifest, readManifest } from './manifest';
import { run } from './pipeline';
import { lookup } from './registry';
import type { Report } from './report';
import type { Tag } from './runtime';
import type { Outcome } from './types';

/**
 * The token a link gives: the hub's own alphabet (base64url and dots), or none. No `|| []`: an empty
 * array's [1] is read from Object.prototype, which the page may have polluted.
 */
export const previewToken = (search: string) => {
  const m = /[?&]utt-preview=([\w.-]{1,300})(&|$)/.exec(search);
  return m ? m[1] : undefined;
};

/** The tag that runs the draft signed by `token`, for the account `kind` runs. */
export function preview(kind: Tag, token: string): Tag {
  let url = '';
  return {
    _files: kind._files,
    _account: kind._account,
    _start(feed, listen, report, options, w, base, timeout) {
      const account = options.account || kind._account || '';
      url = new URL('preview/' + encodeURIComponent(account) + '.json?token=' + token, base).href;
      report._manifest('pending', '', url, 'preview');
      panel(w, report);
      // No cache: an expired or refused preview must not run a copy kept from before.
      fetchManifest(w, url, timeout, (body, failure) => {
        const list = failure || readManifest(body, account);
        if (typeof list == 'string') return report._manifest(failure ? 'failed' : 'invalid', list);
        feed(list, run, 'ok', 'preview');
      });
      listen();
    },
    _verify: () => ({ manifest: url, integrations: undefined, partner: lookup }),
  };
}

/** What the panel says of one outcome: its status, why, and the CSP fixes utt found. */
const line = (o: Outcome) =>
  [o.id + ' (' + (o.partner || '?') + '): ' + o.status, o.reason, ...(o.warnings || [])].filter(Boolean).join(' · ');

/** The panel: a landmark at the bottom of the page, styled through CSSOM (a page's CSP allows it). */
function panel(w: Window, report: Report) {
  const d = w.document;
  const box = create(d, 'aside');
  const list = create(d, 'ul');
  const rows: Record<string, HTMLLIElement> = Object.create(null);
  box.setAttribute('aria-label', 'utt preview');
  box.id = 'utt-preview';
  box.style.cssText =
    'position:fixed;bottom:0;left:0;right:0;max-height:40vh;overflow:auto;z-index:2147483647;' +
    'background:#fff;color:#111;border-top:3px solid #5b3cc4;font:13px/1.4 system-ui,sans-serif;padding:6px 10px';
  box.append('utt preview: this browser runs the draft, nobody else does.', list);
  report._on('integration', (o: Outcome) => {
    const li = rows[o.id] || list.appendChild((rows[o.id] = create(d, 'li')));
    li.textContent = line(o);
    li.dataset.status = o.status;
  });
  const show = () => (get(d, 'body') || d.documentElement).appendChild(box);
  d.readyState == 'loading' ? d.addEventListener('DOMContentLoaded', show) : show();
}
