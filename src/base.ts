// Where utt's own files are: the base every URL utt derives is resolved
// against (the manifest, the chunks). Markup cannot move it: a `<base href>`
// anywhere in the page changes `document.baseURI`, and with it what
// `script.src` reads for a relative src, long after the browser fetched the
// tag. So utt reads neither. It resolves the tag's own `src` (or a
// per-account tag's `data-base`) as the browser did when it fetched the tag:
// against the document's first `<base href>` only if that one comes before
// the tag, else against the document's URL, which markup cannot change.
// https://html.spec.whatwg.org/multipage/urls-and-fetching.html#document-base-url
import { get } from './dom';

/**
 * The absolute URL that utt's own relative URLs resolve against, or '' when
 * `files` is no URL (utt's files then fail to load, as a chunk that does not
 * come). `tag` is utt's script element, if any; `files`, the attribute of it
 * that locates utt's files (its src, or a per-account tag's data-base).
 */
export function baseOf(
  d: Document,
  tag: HTMLScriptElement | null | undefined,
  files: string | null | undefined,
): string {
  let base: string = get(d, 'URL');
  if (tag)
    try {
      const first: HTMLBaseElement | null = get(d, 'querySelector')('base[href]');
      // 4: DOCUMENT_POSITION_FOLLOWING, the tag comes after it. A <base> after the tag was not there when
      // the browser fetched it: markup a page renders later (a review in <body>) ends up there. Its
      // `href` is the base the browser used: resolved against the document's URL.
      if (first && first.compareDocumentPosition(tag) & 4) base = first.href;
      // An inline tag without data-base: its files are beside the page.
      base = new URL(files || base, base).href;
    } catch {
      base = '';
    }
  return base;
}
