// Browser support is evergreen browsers and Safari 14+: the shipped files must
// parse as ES2019 and call no later built-in.
import { readFileSync } from 'node:fs';
import { parse } from 'acorn';
import { describe, expect, it } from 'vitest';

const LATER_APIS =
  /\bObject\.hasOwn\b|\.at\(|\.replaceAll\(|\bstructuredClone\b|\.findLast(Index)?\(|\bPromise\.any\b|\bAggregateError\b|\bWeakRef\b|\bglobalThis\b/;

describe.each(['dist/utt.js', 'dist/utt.debug.js', 'dist/utt.csp.js', 'dist/utt.iab.js'])('%s', (file) => {
  const code = readFileSync(file, 'utf8');
  it('parses as ES2019', () => {
    expect(() => parse(code, { ecmaVersion: 2019 })).not.toThrow();
  });
  it('uses no built-in newer than Safari 14', () => {
    expect(code.match(LATER_APIS)?.[0]).toBeUndefined();
  });
});
