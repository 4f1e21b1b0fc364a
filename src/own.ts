// A defence against the page: its manifest is untrusted, and its other scripts
// may pollute Object.prototype.

/**
 * Reads an own property only: manifests are untrusted and Object.prototype may
 * be polluted. Never throws: a getter or a Proxy that throws (a hostile CMP's
 * answer, say) reads as undefined, which every caller takes as a no.
 */
export const own = (o: unknown, key: string): unknown => {
  try {
    // Not Object.hasOwn: Safari 14 lacks it.
    // biome-ignore lint/suspicious/noPrototypeBuiltins: ES2019 target
    return o && typeof o == 'object' && {}.hasOwnProperty.call(o, key)
      ? (o as Record<string, unknown>)[key]
      : undefined;
  } catch {
    // undefined
  }
};
