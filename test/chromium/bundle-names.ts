// The names utt's built files read, found in the files themselves (acorn), so
// that a test generated from them covers a new read without being edited.
import { readFileSync } from 'node:fs';
import { parse } from 'acorn';

/**
 * Every property name the bundles read or write (`a.b`, `{b: …}`), and every
 * identifier-like string they hold (utt reads `get(d, 'head')`).
 */
export function namesRead(files: string[]): string[] {
  const names = new Set<string>();
  const visit = (node: any): void => {
    if (!node || typeof node.type !== 'string') return;
    if (node.type === 'MemberExpression' && !node.computed) names.add(node.property.name);
    if (node.type === 'Property' && !node.computed && node.key.type === 'Identifier') names.add(node.key.name);
    if (node.type === 'Literal' && typeof node.value === 'string' && /^[A-Za-z_$][\w$]*$/.test(node.value))
      names.add(node.value);
    for (const value of Object.values(node))
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof (value as any).type === 'string') visit(value);
  };
  for (const file of files) visit(parse(readFileSync(file, 'utf8'), { ecmaVersion: 2022 }));
  return [...names];
}
