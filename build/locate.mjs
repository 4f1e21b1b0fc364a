// Where a JSON path points in a file's text, as LINE:COLUMN (1-based), for
// error messages an editor can jump to. A missing member points at its parent.
import { findNodeAtLocation, parseTree } from 'jsonc-parser';

export function locate(text, pointer) {
  const tree = parseTree(text);
  if (!tree) return { line: 1, column: 1 };
  const segments = pointer
    .split('/')
    .slice(1)
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));
  let node;
  for (let n = segments.length; n >= 0 && !node; n--) node = findNodeAtLocation(tree, segments.slice(0, n));
  // A member: point at its key, where the eye looks for it.
  const at = node?.parent?.type === 'property' ? node.parent.offset : (node?.offset ?? 0);
  const before = text.slice(0, at).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}
