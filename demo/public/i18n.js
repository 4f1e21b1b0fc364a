// The hub's words: one catalogue per language (demo/public/locales/<lang>.json),
// each message a string with {name} placeholders; numbers and dates are
// written by Intl in that language, everything else (identifiers, partner
// names, ids) as given. Shared by the hub page and the server's mails and errors.

/** The languages the hub speaks, the first being the fallback. */
export const LANGUAGES = ['en', 'fr'];

/**
 * The language tags of an Accept-Language header, most wanted first (`q=0` means "not this one").
 * @param {string | undefined} header
 * @returns {string[]}
 */
export const acceptedLanguages = (header = '') =>
  header
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
      return { tag: tag.trim(), q: q ? Number(q[1]) : 1, i };
    })
    .filter((l) => l.tag && l.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i)
    .map((l) => l.tag);

/**
 * The first language asked for that the hub speaks (by its primary subtag: fr-CA is fr), else English.
 * @param {readonly string[]} asked
 */
export function pickLanguage(asked) {
  for (const tag of asked) {
    const base = String(tag).split('-')[0].toLowerCase();
    if (LANGUAGES.includes(base)) return base;
  }
  return LANGUAGES[0];
}

/**
 * `t(key, params)` for one language. A number is written by Intl.NumberFormat, a Date by
 * Intl.DateTimeFormat, anything else as given. A key the catalogue lacks is reported on `missing`
 * and shown as ⟦key⟧, so a page never shows an empty place and a test sees the gap.
 * @param {string} lang
 * @param {Record<string, string>} catalogue
 * @param {(key: string) => void} [missing]
 */
export function translator(lang, catalogue, missing = (key) => console.error(`no "${key}" in the ${lang} catalogue`)) {
  const numbers = new Intl.NumberFormat(lang);
  const dates = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'medium' });
  /** @param {unknown} value */
  const format = (value) =>
    typeof value === 'number' ? numbers.format(value) : value instanceof Date ? dates.format(value) : String(value);
  /**
   * @param {string} key
   * @param {Record<string, unknown>} [params]
   */
  const t = (key, params = {}) => {
    const message = Object.hasOwn(catalogue, key) ? catalogue[key] : undefined;
    if (typeof message !== 'string') {
      missing(key);
      return `⟦${key}⟧`;
    }
    return message.replace(/\{(\w+)\}/g, (whole, name) => (Object.hasOwn(params, name) ? format(params[name]) : whole));
  };
  t.lang = lang;
  t.date = format;
  /** @param {string} key */
  t.has = (key) => typeof (Object.hasOwn(catalogue, key) && catalogue[key]) === 'string';
  return t;
}

/**
 * A code of utt's or the server's (an outcome status, why a beacon was refused) in the words of `t`: the
 * catalogue's `<prefix>.<code>`, else the code itself (one the catalogue does not know yet stays visible).
 * @param {ReturnType<typeof translator>} t
 * @param {string} prefix
 * @param {string} code
 */
export const codeWords = (t, prefix, code) => (t.has(`${prefix}.${code}`) ? t(`${prefix}.${code}`) : code);

/**
 * Counts by code (`{ loaded: 5, 'blocked-csp': 2 }`), in the words of `t`: "loaded: 5, blocked by CSP: 2".
 * @param {ReturnType<typeof translator>} t
 * @param {string} prefix
 * @param {Record<string, number>} counts
 */
export const countsWords = (t, prefix, counts) =>
  Object.entries(counts)
    .map(([code, n]) => t('count', { what: codeWords(t, prefix, code), n }))
    .join(', ');

/**
 * What a preview's evidence from the merchant's site says (demo/lib/api.mjs evidenceCheck): its outcomes
 * counted by status, and the CSP fixes it names, in the words of `t`.
 * @param {ReturnType<typeof translator>} t
 * @param {{ counts: Record<string, number>, fixes: string[] }} check
 */
export const evidenceWords = (t, { counts, fixes }) =>
  fixes.length
    ? t('evidence.seen', {
        counts: countsWords(t, 'outcome', counts),
        fixes: t('server.seenFixes', { fixes: fixes.join('; ') }),
      })
    : countsWords(t, 'outcome', counts);
