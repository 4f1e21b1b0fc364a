/** Reads an own property only: manifests are untrusted and Object.prototype may be polluted. */
export const own = (o: unknown, key: string): unknown =>
  o && typeof o == 'object' && Object.hasOwn(o, key) ? (o as Record<string, unknown>)[key] : undefined;
