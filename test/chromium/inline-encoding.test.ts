// The inline per-account tag on a page that is not UTF-8: `utt build-account
// --inline` prints a CSP hash of the tag's text, and the browser hashes the
// text it decoded with the page's encoding. The tag's bytes must read the same
// in windows-1252 and Shift_JIS, whatever the merchant typed (é, U+2028), and
// the vendor must get exactly that value.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { accountScript, compileAccount, inlineTag, templatePath } from '../../build/account.mjs';
import { errorsOf, loadRegistry } from '../../build/registry.mjs';
import { useBrowser } from './chromium';
import { CDN, open, timeline } from './site';

const browser = useBrowser();

// A vendor with a free-form identifier, used in its script URL and in a global its setup block sets.
const dir = mkdtempSync(join(tmpdir(), 'utt-encoding-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(
  join(dir, 'acme-notes.json'),
  JSON.stringify({
    key: 'acme-notes',
    name: 'Acme Notes',
    contact: 'integrations@acme.example',
    identifiers: {
      note: {
        type: 'string',
        maxLength: 64,
        label: 'Note',
        description: 'Any text the merchant wants the vendor to see.',
        example: 'hello',
      },
    },
    script: 'https://cdn.acme.example/t.js?n={note}',
    csp: { 'script-src': ['https://cdn.acme.example'] },
    setup: { globals: { acmeNote: '{note}' } },
  }),
);
const { entries, problems } = loadRegistry({ dirs: [dir], only: '' });

/** What the merchant typed: Latin-1, a line separator, a paragraph separator, kana and an astral character. */
const NOTE = 'café\u2028x\u2029ノ😀';

describe('the inline per-account tag on a page that is not UTF-8', () => {
  it.each(['windows-1252', 'Shift_JIS'])(
    '%s: the printed hash allows it, and the vendor gets the exact value',
    async (charset) => {
      expect(errorsOf(problems)).toEqual([]);
      const manifest = {
        version: 1,
        account: 'A12345',
        integrations: [{ id: 'n', partner: 'acme-notes', status: 'enabled', identifiers: { note: NOTE } }],
      };
      const { compiled } = compileAccount(JSON.stringify(manifest), entries);
      const js = accountScript(readFileSync(templatePath(compiled!, 'dist'), 'utf8'), compiled);
      const { html, hash } = inlineTag(js, `${CDN}/`);
      const {
        page: p,
        requested,
        errors,
      } = await open(browser(), {
        // The page's encoding as a merchant's CMS declares it; its bytes are the tag's, verbatim.
        html: `<!doctype html><html><head><meta charset="${charset}">${html}</head><body><p>shop</p></body></html>`,
        headers: { 'content-security-policy': `script-src ${hash} 'strict-dynamic'; object-src 'none'` },
        init: `window.__violations = []; addEventListener('securitypolicyviolation', (e) => __violations.push(e.violatedDirective + ' ' + e.blockedURI));`,
      });
      expect(await p.evaluate(() => document.characterSet)).toBe(charset);
      // Either utt runs and the partner settles, or the policy refuses the tag: whichever comes first.
      await p.waitForFunction(
        () => {
          const w = window as any;
          const list = w.__outcomes?.n || [];
          return w.__violations.length > 0 || /^(loaded|failed)$/.test(list[list.length - 1]?.[0] ?? '');
        },
        undefined,
        { timeout: 30_000 },
      );
      expect(await p.evaluate(() => (window as any).__violations)).toEqual([]);
      expect((await timeline(p, 'n')).at(-1)?.[0]).toBe('loaded');
      const script = requested.find((u) => u.startsWith('https://cdn.acme.example/'));
      expect(new URL(script!).searchParams.get('n')).toBe(NOTE);
      expect(await p.evaluate(() => (window as any).acmeNote)).toBe(NOTE);
      expect(errors).toEqual([]);
      await p.context().close();
    },
  );
});
