// Browser support is evergreen browsers and Safari 14+: every file dist/ ships
// to browsers must parse as ES2019 and call no later built-in.
import { readFileSync } from 'node:fs';
import { parse } from 'acorn';
import { describe, expect, it } from 'vitest';
import { shipped } from './shipped';

const LATER_APIS =
  /\bObject\.hasOwn\b|\.at\(|\.replaceAll\(|\bstructuredClone\b|\.findLast(Index)?\(|\bPromise\.any\b|\bAggregateError\b|\bWeakRef\b|\bglobalThis\b/;

describe.each(shipped)('%s', (file) => {
  const source = readFileSync(file, 'utf8');
  const comments: [number, number][] = [];
  const parsing = () =>
    parse(source, {
      ecmaVersion: 2019,
      sourceType: file.endsWith('.mjs') ? 'module' : 'script',
      onComment: (_block, _text, start, end) => comments.push([start, end]),
    });
  it('parses as ES2019', () => {
    expect(parsing).not.toThrow();
  });
  it('uses no built-in newer than Safari 14', () => {
    // The code without its comments (dist/index.mjs keeps them, and they may name what the code avoids).
    comments.length = 0;
    parsing();
    let code = source;
    for (const [start, end] of comments.reverse()) code = code.slice(0, start) + code.slice(end);
    expect(code.match(LATER_APIS)?.[0]).toBeUndefined();
  });
});
