// An identifier's `pattern` must match the whole value. The runtime tests it
// as JSON Schema does, unanchored: `acme_[0-9]{6}` would accept
// `x acme_123456 &evil=1`. So a pattern must start with ^, end with $, and
// have no | outside a group (`^a|b$` anchors each branch at one end only).

/**
 * Why a pattern (u flag, already known to compile) does not match whole values only,
 * with the anchored pattern to write instead; '' when it does.
 * @param {string} source
 */
export function unanchored(source) {
  let depth = 0;
  let inClass = false;
  let alternation = false;
  let end = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    // With the u flag, a backslash always escapes the next character, in a class or not.
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) alternation = true;
    else if (c === '$' && depth === 0 && i === source.length - 1) end = true;
  }
  if (source.startsWith('^') && end && !alternation) return '';
  const fix = alternation ? `^(?:${source})$` : `^${source.replace(/^\^/, '')}${end ? '' : '$'}`;
  return `is not anchored: it accepts any value that merely contains a match. Write "${fix}"`;
}
