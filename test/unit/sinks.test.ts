// No string-to-code or string-to-HTML sink anywhere in the runtime: utt loads
// partner scripts by URL only, and that URL comes from the registry.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shipped } from './shipped';

const FORBIDDEN =
  /\beval\s*\(|\bnew\s+Function\s*\(|(?<![\w.])Function\s*\(|\.innerHTML\b|\.outerHTML\b|insertAdjacentHTML|document\.write|\.srcdoc\b|setTimeout\(\s*['"`]|setInterval\(\s*['"`]|createContextualFragment/;

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );

describe('forbidden sinks', () => {
  it.each(files('src'))('%s has none', (file) => {
    const code = readFileSync(file, 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '');
    expect(code.match(FORBIDDEN)?.[0]).toBeUndefined();
  });

  it.each(shipped)('%s has none', (file) => {
    expect(readFileSync(file, 'utf8').match(FORBIDDEN)?.[0]).toBeUndefined();
  });

  it('the pattern does catch them', () => {
    for (const bad of [
      'eval(x)',
      'new Function("a")',
      'el.innerHTML = s',
      'document.write(s)',
      "setTimeout('go()', 1)",
    ])
      expect(bad).toMatch(FORBIDDEN);
  });
});
