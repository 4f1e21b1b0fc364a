// The merchant's markup is untrusted (issue 11): reviews, names and search
// terms rendered as HTML with scripts stripped can still name elements. Every
// `document.*` and `window.*` name that the built bundles read is shadowed,
// one page per name and kind of element, and on each page:
//   - utt requests nothing outside its own origin and the registry,
//   - no script runs from anywhere else,
//   - the page keeps working, and utt still answers.
// The names come from dist/utt.js, utt.csp.js and utt.iab.js themselves (acorn), so
// a new read in the runtime is covered without editing this file.

import { describe, expect, it } from 'vitest';
import { loadRegistry } from '../../build/registry.mjs';
import { templateURL } from '../../build/template.mjs';
import { namesRead } from './bundle-names';
import { useBrowser } from './chromium';
import { CDN, embed, manifestWith, open, ran, report, SHOP } from './site';

const browser = useBrowser();
const EVIL = 'https://evil.example';

// The globals utt looks for by name, which no browser defines: markup can create them.
const LOOKED_FOR = ['utt', '__tcfapi', '__tcfapiLocator', '__gpp', 'trustedTypes'];

const { entries } = loadRegistry({ only: '' });
const allowedHosts = new Set([
  new URL(SHOP).host,
  new URL(CDN).host,
  ...entries.flatMap(({ entry }: any) => [
    templateURL(entry.script).host,
    ...Object.values(entry.csp ?? {})
      .flat()
      .map((s: any) => new URL(String(s).replace('*', 'utt-check')).host),
  ]),
]);

/** The element, of each kind that names a document or window property, carrying the attacker's URL wherever utt might look. */
const KINDS: Record<string, (name: string) => string> = {
  img: (n) => `<img name="${n}" src="${EVIL}/i.png" data-account="A12345" data-manifest="${EVIL}/m.json">`,
  form: (n) => `<form name="${n}" action="${EVIL}/f"><input name="src" value="${EVIL}/s.js"></form>`,
  embed: (n) => `<embed name="${n}" src="${EVIL}/e" type="text/plain">`,
  object: (n) => `<object name="${n}" data="${EVIL}/o" type="text/plain"></object>`,
  iframe: (n) => `<iframe name="${n}" src="${EVIL}/frame.html"></iframe>`,
  id: (n) => `<div id="${n}" data-account="A12345"></div>`,
};
const markup = (name: string, variant: string) =>
  variant === 'all'
    ? Object.values(KINDS)
        .map((make) => make(name))
        .join('')
    : KINDS[variant](name);

// A meta policy (so utt.csp.js loads and checks it), a need it refuses (so a
// violation is attributed), and utt('verify') below: every path that reads the DOM runs.
const META = `<meta http-equiv="Content-Security-Policy" content="script-src https: 'unsafe-inline'; connect-src 'self' ${CDN}">`;
const pageWith = (markup: string) =>
  `<!doctype html><html><head>${META}</head><body><p>review: ${markup}</p><button id="b" onclick="this.textContent='clicked'">buy</button>${embed()}</body></html>`;

/**
 * [name, variant] pairs, two pages per name: a lone `<img name>` carrying the
 * attacker's URLs (the shape of the currentScript attack: one element, not a
 * collection), and every kind at once (an <img>, <form>, <embed>, <object>
 * and <iframe> of that name and an element with that id), which shadows the
 * document property with a collection and the window property as well.
 */
async function cases(): Promise<[string, string][]> {
  const names = namesRead(['dist/utt.js', 'dist/utt.csp.js', 'dist/utt.iab.js']);
  const { page } = await open(browser(), { html: '<!doctype html><p>probe</p>' });
  const found = await page.evaluate(
    ([names, lookedFor]) =>
      names.filter(
        (n) =>
          n in document ||
          // Own properties of window (setTimeout, fetch, frames...) cannot be shadowed; inherited ones can.
          (n in window && !Object.hasOwn(window, n)) ||
          lookedFor.includes(n),
      ),
    [names, LOOKED_FOR] as const,
  );
  await page.context().close();
  return found.flatMap((n) => [
    [n, 'img'],
    [n, 'all'],
  ]);
}

async function tryOne(name: string, kind: string) {
  const { page, errors, requests } = await open(browser(), {
    html: pageWith(markup(name, kind)),
    manifest: manifestWith(),
    partner: (url) =>
      url.hostname === 'evil.example'
        ? { body: `window.__evil = (window.__evil || []).concat(${JSON.stringify(url.href)});` }
        : undefined,
  });
  const t = Date.now();
  const lap = (what: string) => process.env.CLOBBER_TIMES && console.log(name, kind, what, Date.now() - t);
  lap('opened');
  try {
    // A runtime that broke never answers: give up after 30 s and say so, rather than hang the suite.
    const { manifest, outcomes } = await Promise.race([
      report(page),
      new Promise<any>((resolve) =>
        setTimeout(() => resolve({ manifest: { status: 'no report in 30 s' }, outcomes: [] }), 30_000),
      ),
    ]);
    lap('report');
    const verified = await page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          setTimeout(() => resolve('no answer in 30 s'), 30_000);
          (window as any).utt('verify', (r: any) => resolve(Array.isArray(r) ? 'ok' : String(r?.error)));
        }),
    );
    lap('verify');
    // A click through the prototypes (the test's own reads must not be shadowed either).
    const clicked = await page.evaluate(() => {
      const b = Document.prototype.getElementById.call(document, 'b') as HTMLElement;
      HTMLElement.prototype.click.call(b);
      return Object.getOwnPropertyDescriptor(Node.prototype, 'textContent')!.get!.call(b);
    });
    lap('clicked');
    return {
      manifest: manifest.status,
      statuses: outcomes.map((o: any) => `${o.id} ${o.status}`),
      verified,
      clicked,
      errors,
      evil: await page.evaluate(() => (window as any).__evil ?? []),
      ran: (await ran(page)).filter((h: string) => !allowedHosts.has(h)),
      // What utt asked for (scripts, fetches): the markup's own image, frame or plugin loads are its own.
      outside: requests
        .filter((r) => !allowedHosts.has(new URL(r.url).host) && /script|fetch|xhr|other/.test(r.type))
        .map((r) => `${r.type} ${r.url}`),
    };
  } finally {
    lap('read');
    await page.context().close();
    lap('closed');
  }
}

describe('DOM clobbering: markup that names what utt reads', () => {
  it('every name the bundles read, shadowed by each kind of element', async () => {
    const only = process.env.CLOBBER_ONLY?.split(',');
    const every = await cases();
    if (process.env.CLOBBER_TIMES) console.log([...new Set(every.map((c) => c[0]))].join(' '));
    const all = every.filter(([n]) => !only || only.includes(n));
    // Not vacuous: the names utt depends on most are among those found in the bundles.
    const names = new Set(all.map(([n]) => n));
    if (!only)
      for (const n of ['currentScript', 'head', 'createElement', 'querySelectorAll', 'querySelector', 'URL', 'scripts'])
        expect(names, n).toContain(n);
    if (!only)
      for (const n of ['addEventListener', 'dispatchEvent', 'utt', '__tcfapi', '__tcfapiLocator', '__gpp'])
        expect(names, n).toContain(n);
    const failures: string[] = [];
    // Four pages at a time: about 50 pages.
    for (let i = 0; i < all.length; i += 4)
      await Promise.all(
        all.slice(i, i + 4).map(async ([name, kind]) => {
          const t0 = Date.now();
          const r = await tryOne(name, kind);
          if (process.env.CLOBBER_TIMES) console.log(name, kind, Date.now() - t0);
          const bad = [
            r.outside.length && `requested ${r.outside.join(', ')}`,
            r.evil.length && `ran ${r.evil.join(', ')}`,
            r.ran.length && `ran ${r.ran.join(', ')}`,
            r.errors.length && `page errors ${r.errors.join('; ')}`,
            r.clicked !== 'clicked' && 'the page stopped working',
            r.manifest !== 'ok' && `manifest ${r.manifest}`,
            r.statuses.some((s: string) => / failed$/.test(s)) && `statuses ${r.statuses.join(', ')}`,
            r.verified !== 'ok' && `verify: ${r.verified}`,
          ].filter(Boolean);
          if (bad.length) failures.push(`${name} (${kind === 'all' ? 'every kind' : `<${kind}>`}): ${bad.join('; ')}`);
        }),
      );
    if (process.env.CLOBBER_TIMES) console.log(all.map((c) => c.join(':')).join(' '));
    expect(failures).toEqual([]);
    if (!only) expect(all.length).toBeGreaterThan(40);
  }, 600_000);
});
