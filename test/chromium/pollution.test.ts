// A polluted prototype is untrusted input (issue 29): a pollution bug elsewhere
// on the page may set any name on Object.prototype before utt runs. So no
// inherited property may reach a decision of utt's. Before any script of the
// page, every name utt could read is defined on Object.prototype as a getter
// that records who read it (and returns undefined, so nothing else changes);
// then each way utt runs (the generic tag, the snippet, a per-account tag as a
// file and written into the page, consent, setup, load timing, a CMP, the
// chunks) runs to its end, and any read from utt's own files is a failure.
//
// The names are every property name and identifier-like string of the built
// bundles (acorn: so a new read in the runtime is covered without editing this
// file), every name the registry's entries give (identifiers, setup globals),
// the manifest's, and the members of the dictionaries utt hands to the
// browser's APIs (a fetch's options, an event's init), which the browser reads
// through the prototype too.

import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { accountScript, compileAccount, inlineTag, templatePath } from '../../build/account.mjs';
import { loadRegistry } from '../../build/registry.mjs';
import { namesRead } from './bundle-names';
import { useBrowser } from './chromium';
import { IAB_BUNDLE, TCF_CMP, TCF_STUB } from './iab';
import { CDN, everyPartner, open, report, statuses } from './site';

const browser = useBrowser();
const { entries } = loadRegistry({ only: '' });

/** Members of the WebIDL dictionaries a script can hand to the APIs utt calls. */
const DICTIONARIES = [
  // RequestInit
  'method',
  'headers',
  'body',
  'referrer',
  'referrerPolicy',
  'mode',
  'credentials',
  'cache',
  'redirect',
  'integrity',
  'keepalive',
  'signal',
  'priority',
  'duplex',
  'window',
  // EventInit, CustomEventInit, AddEventListenerOptions
  'bubbles',
  'cancelable',
  'composed',
  'detail',
  'capture',
  'once',
  'passive',
  // TrustedTypePolicyOptions, PerformanceObserverInit, MutationObserverInit
  'createHTML',
  'createScript',
  'createScriptURL',
  'type',
  'entryTypes',
  'buffered',
  'durationThreshold',
  'childList',
  'subtree',
  'attributes',
  'attributeFilter',
];

/** Every partner of the registry enabled; the second waits for idle, the third for an interaction. */
const manifest = everyPartner((i) => (i === 1 ? 'idle' : i === 2 ? 'interaction' : undefined));

const names = (() => {
  const set = new Set(
    namesRead(['dist/utt.js', 'dist/utt.csp.js', 'dist/utt.iab.js', 'dist/utt.cost.js', 'dist/utt.events.js']),
  );
  for (const n of DICTIONARIES) set.add(n);
  for (const { entry } of entries as any[]) {
    for (const n of Object.keys(entry.identifiers)) set.add(n);
    for (const n of Object.keys(entry.setup?.globals ?? {})) set.add(n);
    for (const n of Object.keys(entry.setup?.stubs ?? {})) set.add(n);
  }
  for (const i of manifest.integrations) set.add(i.id);
  for (const n of ['0', '1', '2', '3', 'q', 'account', 'manifest', 'consent', 'timeout', 'nonce', 'debug']) set.add(n);
  // Object.prototype's own (toString, constructor...) stay as they are: a getter there would break every page.
  return [...set].filter((n) => !(n in Object.prototype));
})();

/**
 * Runs first in every frame: defines the recording getters. A read is utt's when
 * the frame below the getter is in one of utt's files (or, for the tag written
 * into the page, the page itself, whose only inline script is that tag).
 */
const pollute = (names: string[], mine: string) => `(() => {
  const reads = [];
  const mine = new RegExp(${JSON.stringify(mine)});
  Object.defineProperty(window, '__inheritedReads', { __proto__: null, value: reads });
  for (const name of ${JSON.stringify(names)}) {
    // Descriptors without a prototype: an inherited \`value\` would make them invalid.
    Object.defineProperty(Object.prototype, name, {
      __proto__: null,
      configurable: true,
      get() {
        // The one read no script can avoid: the engine resolves a stream's read() with a result object
        // it made itself ({done, value}), and reads that object's \`then\` as it does.
        if (name === 'then' && Object.hasOwn(this, 'done') && Object.hasOwn(this, 'value')) return undefined;
        const frames = String(new Error().stack).split('\\n');
        if (mine.test(frames[2] || '')) reads.push(name + ' at ' + frames[2].trim());
        return undefined;
      },
      // An assignment to an object without its own property lands on the object, as usual.
      set(value) {
        Object.defineProperty(this, name, { __proto__: null, value, writable: true, enumerable: true, configurable: true });
      },
    });
  }
})();`;

const UTT_FILES = `${CDN.replace(/\./g, '\\.')}/(utt(\\.(csp|iab|cost|events))?|A12345)\\.js`;

const account = () => {
  const { compiled, problems } = compileAccount(JSON.stringify(manifest), entries);
  expect(problems).toEqual([]);
  return accountScript(readFileSync(templatePath(compiled!, 'dist'), 'utf8'), compiled);
};

/** README's async snippet, exactly as merchants copy it (its nonce, r4nd0m), then consent calls before utt arrives. */
const SNIPPET = /```html\n(<script nonce[\s\S]*?<\/script>)\n```/
  .exec(readFileSync('README.md', 'utf8'))![1]
  .replace('https://cdn.example.com/utt/utt.js', `${CDN}/utt.js`)
  .replace(
    '</script>',
    `utt('consent', 'default', { analytics: 'denied', advertising: 'denied', personalization: 'denied', functional: 'granted' });
utt('consent', 'update', { analytics: 'granted', advertising: 'granted', personalization: 'granted' });
</script>`,
  );

const CSP = "script-src 'nonce-n0nce' 'strict-dynamic'; connect-src 'self' https://cdn.utt.example";

const script = (body: string) => `<script>${body.replace(/<\/script/gi, '<\\/script')}</script>`;

interface Scenario {
  head: string;
  accounts?: Record<string, string>;
  /** utt's files, as a pattern over a stack frame's URL. */
  mine?: string;
  /** Pollutes where the head says (a `POLLUTE` mark), not before every script: the CMP's own library must run first. */
  inline?: boolean;
  /** What the visitor or the CMP does once the page is open. */
  act?: (page: Page) => Promise<unknown>;
}

/** Each way utt runs, as [name, page head, what the site serves]. */
const SCENARIOS: [string, () => Scenario][] = [
  [
    'the generic tag, consent required and given, a meta policy, data-costs',
    () => ({
      head: `<meta http-equiv="Content-Security-Policy" content="${CSP}; img-src 'self'">
<script nonce="n0nce">window.utt = function () { (window.utt.q = window.utt.q || []).push(arguments); };
utt('consent', 'update', { analytics: 'granted', advertising: 'granted', personalization: 'granted', functional: 'granted' });</script>
<script async nonce="n0nce" src="${CDN}/utt.js" data-account="A12345" data-consent="required" data-costs></script>`,
    }),
  ],
  [
    "README's async snippet",
    () => ({
      head: `<meta http-equiv="Content-Security-Policy" content="${CSP.replace('n0nce', 'r4nd0m')}">${SNIPPET}`,
    }),
  ],
  [
    'a per-account tag, as a file',
    () => ({
      head: `<script async nonce="n0nce" src="${CDN}/A12345.js" data-costs></script>`,
      accounts: { '/A12345.js': account() },
    }),
  ],
  [
    'a TCF CMP (the IAB stub and CmpApi): utt.iab.js asks it, and it answers',
    () => ({
      // The IAB's libraries are not written for a polluted page: the pollution comes after them, before utt.
      head: `${script(TCF_STUB)}${script(IAB_BUNDLE)}${script(TCF_CMP)}POLLUTE<script async src="${CDN}/utt.js" data-account="A12345"></script>`,
      inline: true,
      act: (page) =>
        page.evaluate(() =>
          (window as any).cmp({
            purposes: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
            vendors: [9001, 9002, 9003],
          }),
        ),
    }),
  ],
  [
    'a per-account tag, written into the page',
    () => ({
      head: inlineTag(account(), `${CDN}/`).html,
      mine: `${UTT_FILES}|https://shop\\.example/:`,
    }),
  ],
];

describe('a polluted Object.prototype: no inherited read of utt', () => {
  it('the detector has names to watch, utt’s own among them', () => {
    for (const n of ['q', 'manifest', 'advertising', 'fbq', 'dataLayer', '__tcfapi', 'credentials', 'signal'])
      expect(names, n).toContain(n);
    expect(names.length).toBeGreaterThan(300);
  });

  it.each(SCENARIOS)('%s', async (_, make) => {
    const { head, accounts, mine, act, inline } = make();
    const polluting = pollute(names, mine ?? UTT_FILES);
    const { page, errors } = await open(browser(), {
      html: `<!doctype html><html><head>${head.replace('POLLUTE', inline ? script(polluting) : '')}</head><body><p>shop</p><button id="b">buy</button></body></html>`,
      manifest,
      accounts,
      init: inline ? undefined : polluting,
    });
    await act?.(page).catch((e) => {
      throw new Error(`act: ${String(e).slice(0, 500)}`);
    });
    // An interaction, so the `interaction` partner goes too; then the report, once all have settled.
    await page.click('#b');
    // A runtime that broke never answers: a bound, so the reads that broke it are still shown.
    const bounded = <T>(p: Promise<T>, fallback: T) =>
      Promise.race([p, new Promise<T>((resolve) => setTimeout(() => resolve(fallback), 30_000))]);
    const { outcomes } = await bounded(report(page), {
      outcomes: [{ id: 'report', status: 'never came' }],
      manifest: 0,
    });
    // utt's other paths: verify mode (utt.csp.js), and the costs (utt.cost.js).
    const paths = await bounded(
      page.evaluate(
        () =>
          new Promise((resolve) =>
            (window as any).utt('verify', () => (window as any).utt('costs', () => resolve('answered'))),
          ),
      ),
      'no answer',
    );
    // And the events stage (utt.events.js): a purchase, until the report says a partner was sent it.
    const tracked = await bounded(
      page.evaluate(
        () =>
          new Promise((resolve) => {
            const w = window as any;
            w.utt('track', 'purchase', {
              transaction_id: 'T-1',
              value: 1,
              currency: 'EUR',
              items: [{ item_id: 'S', price: 1, quantity: 1 }],
            });
            const sent = (outcomes: any[]) =>
              outcomes.some((o: any) => (o.events || []).some((e: any) => e.status === 'sent'));
            const ask = () =>
              w.utt('report', (outcomes: any[]) => (sent(outcomes) ? resolve('sent') : setTimeout(ask, 20)));
            ask();
          }),
      ),
      'not sent',
    );
    const reads: string[] = await page.evaluate(() => (window as any).__inheritedReads.slice());
    expect([...new Set(reads)]).toEqual([]);
    expect(paths).toBe('answered');
    expect(tracked).toBe('sent');
    await page.context().close();
    // Not vacuous: every partner ran its course.
    expect(
      Object.values(statuses(outcomes)).every((s) => s === 'loaded'),
      JSON.stringify(statuses(outcomes)),
    ).toBe(true);
    expect(errors).toEqual([]);
  });
});
