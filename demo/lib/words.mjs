// The server's words for the hub (its mails, history details and the errors
// the hub shows) in the language the request asks for (Accept-Language, which
// the hub sets to its own), from the hub's catalogues (demo/public/locales).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { acceptedLanguages, LANGUAGES, pickLanguage, translator } from '../public/i18n.js';

const LOCALES = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'locales');

/** Each language's `t`. A key missing from a catalogue throws here: the server never sends ⟦key⟧. */
const BY_LANGUAGE = Object.fromEntries(
  LANGUAGES.map((lang) => [
    lang,
    translator(lang, JSON.parse(readFileSync(join(LOCALES, `${lang}.json`), 'utf8')), (key) => {
      throw new Error(`no "${key}" in demo/public/locales/${lang}.json`);
    }),
  ]),
);

/** `t` in the language of the request: the first of its Accept-Language the hub speaks, else English. */
export const wordsFor = (req) => BY_LANGUAGE[pickLanguage(acceptedLanguages(req.headers['accept-language']))];
