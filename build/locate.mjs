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
  return lineColumn(text, at);
}

/** LINE:COLUMN (1-based) of an offset in a text. */
function lineColumn(text, offset) {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/** Where JSON.parse failed in a text: the position its message names. */
export function locateJsonError(text, err) {
  const at = /position (\d+)/.exec(err.message);
  return lineColumn(text, at ? Number(at[1]) : 0);
}
