// Percent-encodes everything but RFC 3986 unreserved characters, so a value
// can never add a path segment, a query, a fragment or a port.
const encode = (value: string) =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

/**
 * Builds a partner script URL from its registry template and validated values.
 * Returns undefined unless the result stays inside the template: same origin,
 * same path up to the first placeholder, and already in the normal form the
 * URL parser gives it (so no `.`, `..` or `%2e%2e` segment was resolved away).
 */
export function scriptURL(template: string, values: Record<string, string>): string | undefined {
  try {
    const url = template.replace(/\{(\w+)\}/g, (_, name: string) => encode(values[name]));
    if (new URL(url).href === url && url.indexOf(template.split('{')[0]) === 0) return url;
  } catch {
    // A lone surrogate (URIError) or a missing URL API: no URL.
  }
}
