// The hub's catalogues (demo/public/locales): every string the hub page and
// the server's words use has an entry in each language, with the same
// placeholders, and the page itself holds no words of its own.
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { EVENTS } from '../../build/vocabulary.mjs';
import {
  acceptedLanguages,
  countsWords,
  evidenceWords,
  LANGUAGES,
  pickLanguage,
  translator,
} from '../../demo/public/i18n.js';
import { STATUSES } from '../../src/health';

const catalogue = (lang: string): Record<string, string> =>
  JSON.parse(readFileSync(`demo/public/locales/${lang}.json`, 'utf8'));
const CATALOGUES = Object.fromEntries(LANGUAGES.map((lang) => [lang, catalogue(lang)]));
const placeholders = (message: string) => [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const namespaces = new Set(Object.keys(CATALOGUES.en).map((k) => k.split('.')[0]));

/** The keys a file names as string literals ('notice.added', "add.title"): every literal of a catalogue's namespaces. */
const keysIn = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(/(['"])([a-z]+\.[\w.-]+)\1/g)]
    .map((m) => m[2])
    .filter((k) => namespaces.has(k.split('.')[0]) && !/\.(js|json|mjs|html|css)$/.test(k));

describe('the hub in each language (demo/public/locales)', () => {
  it('every catalogue has every key of every other, with the same placeholders', () => {
    for (const lang of LANGUAGES)
      for (const other of LANGUAGES) {
        for (const [key, message] of Object.entries(CATALOGUES[other])) {
          expect(Object.hasOwn(CATALOGUES[lang], key), `${key} of ${other}.json is missing in ${lang}.json`).toBe(true);
          expect(placeholders(CATALOGUES[lang][key]), `${lang}.json ${key}`).toEqual(placeholders(message));
        }
      }
  });

  it("every key the page, hub.js and the server's words name is in every catalogue", () => {
    const html = new JSDOM(readFileSync('demo/public/hub.html', 'utf8')).window.document;
    const used = [
      ...Array.from(html.querySelectorAll('[data-i18n]'), (e) => e.getAttribute('data-i18n')!),
      ...keysIn('demo/public/hub.js'),
      ...keysIn('demo/lib/api.mjs'),
    ];
    expect(used.length).toBeGreaterThan(150);
    for (const lang of LANGUAGES)
      expect(
        used.filter((key) => !Object.hasOwn(CATALOGUES[lang], key)),
        `keys missing in ${lang}.json`,
      ).toEqual([]);
  });

  it('every event of the vocabulary has its words in every catalogue (the hub names the events each integration receives)', () => {
    expect(EVENTS.length).toBeGreaterThan(10);
    for (const lang of LANGUAGES)
      expect(
        EVENTS.filter((name) => !Object.hasOwn(CATALOGUES[lang], `event.${name}`)),
        `events missing in ${lang}.json`,
      ).toEqual([]);
  });

  it("every outcome status of utt's, and every reason the server counts a refused beacon or evidence by, has its words", () => {
    const source = (f: string) => readFileSync(f, 'utf8');
    // The decoders' reasons (src/health.ts, src/evidence.ts) and the routes' own (demo/lib/health.mjs, preview.mjs).
    const reasons = new Set([
      ...['src/health.ts', 'src/evidence.ts'].flatMap((f) =>
        [...source(f).matchAll(/return '([a-z][\w-]*)'/g)].map((m) => m[1]),
      ),
      ...['demo/lib/health.mjs', 'demo/lib/preview.mjs'].flatMap((f) =>
        [...source(f).matchAll(/HttpError\(\d+, '([a-z][\w-]*)'\)/g)].map((m) => m[1]),
      ),
      ...[
        .../\{ 403: '(\w+)', 410: '(\w+)' \}\[err\.status\] \?\? '(\w+)'/.exec(source('demo/lib/preview.mjs'))!,
      ].slice(1),
    ]);
    expect(reasons).toContain('rate-limited');
    expect(reasons).toContain('signature');
    expect(reasons.size).toBeGreaterThan(15);
    for (const lang of LANGUAGES) {
      expect(
        STATUSES.filter((s) => !Object.hasOwn(CATALOGUES[lang], `outcome.${s}`)),
        `${lang}.json`,
      ).toEqual([]);
      expect(
        [...reasons].filter((r) => !Object.hasOwn(CATALOGUES[lang], `refused.${r}`)),
        `${lang}.json`,
      ).toEqual([]);
    }
  });

  it("writes utt's codes and counts in the language: no status or reason code left in French", () => {
    const t = translator('fr', CATALOGUES.fr);
    const n = new Intl.NumberFormat('fr').format(12345);
    expect(countsWords(t, 'outcome', { loaded: 12345, 'blocked-csp': 2 })).toBe(
      `chargée : ${n}, bloquée par la CSP : 2`,
    );
    expect(countsWords(t, 'refused', { 'content-type': 1, 'rate-limited': 3, 'no-such': 4 })).toBe(
      'pas en text/plain : 1, au-delà du débit permis : 3, no-such : 4',
    );
    expect(
      evidenceWords(t, { counts: { loaded: 1, 'blocked-csp': 1 }, fixes: ['int_2 script-src: add https://x.example'] }),
    ).toBe('chargée : 1, bloquée par la CSP : 1 ; corrections CSP : int_2 script-src: add https://x.example');
    const en = translator('en', CATALOGUES.en);
    expect(evidenceWords(en, { counts: { loaded: 5, 'denied-consent': 2 }, fixes: [] })).toBe(
      'loaded: 5, consent refused: 2',
    );
  });

  it('hub.html holds no words of its own: only the language switch names each language in that language', () => {
    const { document } = new JSDOM(readFileSync('demo/public/hub.html', 'utf8')).window;
    const walker = document.createTreeWalker(document.body, 4 /* NodeFilter.SHOW_TEXT */);
    const words: string[] = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent!.trim();
      if (/\p{L}/u.test(text) && !node.parentElement!.closest('[lang]')) words.push(text);
    }
    expect(words).toEqual([]);
    expect(
      Array.from(document.querySelectorAll('#lang option'), (o) => [o.getAttribute('value'), o.getAttribute('lang')]),
    ).toEqual(LANGUAGES.map((l) => [l, l]));
  });

  it('translates with Intl for numbers and dates, and shows a missing key as ⟦key⟧', () => {
    const missing: string[] = [];
    const t = translator('fr', { bytes: 'la balise ({bytes} octets)', at: 'le {at}' }, (k) => missing.push(k));
    expect(t('bytes', { bytes: 12345 })).toBe(`la balise (${new Intl.NumberFormat('fr').format(12345)} octets)`);
    expect(t('bytes', { bytes: '12345' })).toBe('la balise (12345 octets)');
    const at = new Date(Date.UTC(2026, 11, 7, 15, 4, 5));
    expect(t('at', { at })).toBe(
      `le ${new Intl.DateTimeFormat('fr', { dateStyle: 'medium', timeStyle: 'medium' }).format(at)}`,
    );
    expect([t('nope'), t('__proto__'), missing]).toEqual(['⟦nope⟧', '⟦__proto__⟧', ['nope', '__proto__']]);
  });

  it('picks the language from Accept-Language: by weight, then order; a region is its language; else English', () => {
    const pick = (header: string) => pickLanguage(acceptedLanguages(header));
    expect(pick('fr-FR,fr;q=0.9,en;q=0.8')).toBe('fr');
    expect(pick('fr-CA;q=0.8, en;q=0.9')).toBe('en');
    expect(pick('de-DE, fr;q=0.5')).toBe('fr');
    expect(pick('fr;q=0, en')).toBe('en');
    expect(pick('*')).toBe('en');
    expect(pick('')).toBe('en');
  });
});
