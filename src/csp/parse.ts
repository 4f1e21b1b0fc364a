// CSP Level 3, section 2.2.1 "Parse a serialized CSP" and 2.2.2 "Parse a
// serialized CSP list": https://www.w3.org/TR/CSP3/#parse-serialized-policy

/** One policy: directive name (lowercase) → its source expressions, in order. */
export type Policy = Record<string, string[]>;

/**
 * Parses one serialized policy. Directive names are lowercased; a repeated
 * directive is ignored (the first one stands); empty tokens are skipped.
 */
export function parsePolicy(text: string): Policy {
  const policy: Policy = Object.create(null);
  for (const token of text.split(';')) {
    const [name, ...values] = token.trim().split(/[\t\n\f\r ]+/);
    const key = name.toLowerCase();
    if (/^[a-z0-9-]+$/.test(key) && !policy[key]) policy[key] = values;
  }
  return policy;
}

/** Parses a header value that may hold several policies separated by commas. */
export const parsePolicies = (header: string): Policy[] =>
  header
    .split(',')
    .map(parsePolicy)
    .filter((p) => Object.keys(p).length);

/** The policy as a header value again, in directive order. */
export const serializePolicy = (policy: Policy): string =>
  Object.keys(policy)
    .map((name) => [name, ...policy[name]].join(' '))
    .join('; ');
