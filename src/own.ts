/** Reads an own property only: manifests are untrusted and Object.prototype may be polluted. */
export const own = (o: unknown, key: string): unknown =>
  // Not Object.hasOwn: Safari 14 lacks it.
  // biome-ignore lint/suspicious/noPrototypeBuiltins: ES2019 target
  o && typeof o == 'object' && {}.hasOwnProperty.call(o, key) ? (o as Record<string, unknown>)[key] : undefined;
