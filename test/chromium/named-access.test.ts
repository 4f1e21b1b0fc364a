// Named access never counts as a global (issue 29). Markup with an `id` or a
// `name` makes `window.<name>` an element, a collection or a frame's window,
// which no script wrote. Wherever utt asks "does this global exist" (a
// vendor's setup globals and stubs, the CMP APIs and their locator frames,
// `utt` itself), such a value must not count:
//   - every partner still loads, with the vendor's own stub in place, so the
//     page's own later calls (`gtag('event', …)`) work;
//   - a locator frame on a page without a CMP denies no partner;
//   - utt still answers.
// The names come from every registry entry's setup block, so a new vendor
// entry is covered without editing this file; each kind of element that
// names a window property is tried, one page per kind with every name at
// once, and one page with every kind at once (collections).

import { describe, expect, it } from 'vitest';
import { loadRegistry } from '../../build/registry.mjs';
import { useBrowser } from './chromium';
import { embed, everyPartner, open, report, statuses } from './site';

const browser = useBrowser();
const { entries } = loadRegistry({ only: '' });
const EVIL = 'https://evil.example';
const NAME = /^[A-Za-z_$][\w$]*$/;

/** Every identifier-like key and string of a setup block: its globals, stubs, queues, aliases, call targets. */
function setupNames(setup: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(setup)) for (const v of setup) setupNames(v, out);
  else if (setup && typeof setup === 'object')
    for (const [k, v] of Object.entries(setup)) {
      if (NAME.test(k)) out.add(k);
      setupNames(v, out);
    }
  else if (typeof setup === 'string') for (const part of setup.split('.')) if (NAME.test(part)) out.add(part);
  return out;
}

/** The globals a setup block defines on window: its `globals` and `stubs` (and their aliases). */
const definedGlobals = (setup: any): string[] => [
  ...Object.keys(setup?.globals ?? {}),
  ...Object.entries(setup?.stubs ?? {}).flatMap(([name, stub]: [string, any]) => [name, ...(stub.aliases ?? [])]),
];

const CMP_NAMES = ['utt', '__tcfapi', '__tcfapiLocator', '__gpp', '__gppLocator'];
const names = [...new Set([...entries.flatMap(({ entry }: any) => [...setupNames(entry.setup)]), ...CMP_NAMES])];
const globals = [...new Set(entries.flatMap(({ entry }: any) => definedGlobals(entry.setup)))];

/** Every partner enabled, loading now; no consent asked, no CMP on the page. */
const manifest = everyPartner(() => 'now');

/** The element kinds that name a window property, each carrying the attacker's URL where one fits. */
const KINDS: Record<string, (n: string) => string> = {
  'a id': (n) => `<a id="${n}" href="${EVIL}/a">x</a>`,
  'a name': (n) => `<a name="${n}" href="${EVIL}/a">x</a>`,
  'img id': (n) => `<img id="${n}" src="${EVIL}/i.png" alt="">`,
  'img name': (n) => `<img name="${n}" src="${EVIL}/i.png" alt="">`,
  'form id': (n) => `<form id="${n}" action="${EVIL}/f"></form>`,
  'form name': (n) => `<form name="${n}" action="${EVIL}/f"></form>`,
  'iframe id': (n) => `<iframe id="${n}"></iframe>`,
  'iframe name': (n) => `<iframe name="${n}"></iframe>`,
  'embed id': (n) => `<embed id="${n}" src="${EVIL}/e" type="text/plain">`,
  'embed name': (n) => `<embed name="${n}" src="${EVIL}/e" type="text/plain">`,
  'object id': (n) => `<object id="${n}" data="${EVIL}/o" type="text/plain"></object>`,
  'object name': (n) => `<object name="${n}" data="${EVIL}/o" type="text/plain"></object>`,
  // A form named like a global, with inputs named like every property utt or a vendor reads of it.
  'form with inputs': (n) =>
    `<form id="${n}" action="${EVIL}/f">${names.map((p) => `<input name="${p}" value="${EVIL}/${p}">`).join('')}</form>`,
};

async function tryKind(make: (n: string) => string) {
  const markup = names.map(make).join('');
  const { page, errors } = await open(browser(), {
    html: `<!doctype html><html><head>${embed()}</head><body><p>review: ${markup}</p></body></html>`,
    manifest,
  });
  try {
    const { outcomes } = await report(page);
    // The merchant's own later calls, and what each vendor global is now.
    const after = await page.evaluate((globals) => {
      const w = window as any;
      return globals.map((name) => {
        const own = Object.getOwnPropertyDescriptor(window, name);
        const v = w[name];
        let call = 'not a function';
        if (typeof v === 'function')
          try {
            v('event', 'purchase', { value: 1 });
            call = 'ok';
          } catch (e) {
            call = String(e);
          }
        return {
          name,
          own: !!own,
          kind:
            v instanceof Node
              ? 'element'
              : v instanceof HTMLCollection
                ? 'collection'
                : v && v.window === v
                  ? 'frame'
                  : typeof v,
          call,
        };
      });
    }, globals);
    const answered = await page.evaluate(() => typeof (window as any).utt === 'function' && !!(window as any).utt.v);
    return { statuses: statuses(outcomes), after, answered, errors };
  } finally {
    await page.context().close();
  }
}

describe('named access: markup named like what utt looks for', () => {
  it('has names to try: every setup global, the CMP names and utt', () => {
    for (const n of ['fbq', 'dataLayer', 'gtag', 'ttq', '_linkedin_partner_id', 'ire', '__tcfapiLocator', 'utt'])
      expect(names, n).toContain(n);
    expect(globals.length).toBeGreaterThan(8);
  });

  it.each([
    ...Object.entries(KINDS),
    [
      'every kind at once',
      (n: string) =>
        Object.values(KINDS)
          .map((k) => k(n))
          .join(''),
    ],
  ])('%s', async (_, make) => {
    const r = await tryKind(make as (n: string) => string);
    const notLoaded = Object.entries(r.statuses).filter(([, s]) => s !== 'loaded');
    expect(notLoaded, 'every partner loads: none failed, none denied for a CMP that is not there').toEqual([]);
    // Each vendor global is the vendor's: an own property of window, no element, collection or frame.
    expect(r.after.filter((g) => !g.own || /element|collection|frame/.test(g.kind))).toEqual([]);
    // The page's own calls to a vendor's function work after utt has run.
    expect(r.after.filter((g) => g.call !== 'ok' && g.call !== 'not a function')).toEqual([]);
    expect(r.answered).toBe(true);
    expect(r.errors).toEqual([]);
  });
});
