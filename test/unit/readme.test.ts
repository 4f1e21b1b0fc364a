// README's code blocks are what merchants and partner engineers copy: each one
// must work as written. (The async snippet runs in Chromium, in
// test/chromium/load.test.ts.)
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileAccount } from '../../build/account.mjs';
import { loadRegistry } from '../../build/registry.mjs';

const readme = readFileSync('README.md', 'utf8');
const blocks = (lang: string) =>
  [...readme.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1]);
const json = blocks('json');

describe("README's code blocks", () => {
  it('the sample manifest passes `utt build-account` against this registry, every entry valid', () => {
    const manifest = json.find((b) => b.includes('"integrations"'))!;
    const { problems, compiled } = compileAccount(manifest, loadRegistry({ only: '' }).entries);
    expect(problems).toEqual([]);
    expect(compiled).toBeDefined();
  });

  it('the sample registry entry passes the registry checks', () => {
    const entry = json.find((b) => b.includes('"$schema"'))!;
    const dir = mkdtempSync(join(tmpdir(), 'utt-readme-'));
    cpSync('partners/schema.json', join(dir, 'schema.json'));
    writeFileSync(join(dir, `${JSON.parse(entry).key}.json`), entry);
    const { entries, problems } = loadRegistry({ dirs: [dir], only: '' });
    expect(problems.filter((p) => (p as { severity?: string }).severity !== 'warning')).toEqual([]);
    expect(entries.map((e: { entry: { key: string } }) => e.entry.key)).toEqual(['orbit-reviews']);
  });

  it('the two commands are the first code block', () => {
    expect(blocks('sh')[0]).toMatch(/^npm install && npm run demo\b[^\n]*\nnpm test\b/);
  });
});
