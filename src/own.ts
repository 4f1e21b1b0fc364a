// A defence against the page: its manifest is untrusted, and its other scripts
// may pollute Object.prototype. No inherited property reaches a decision of
// utt's: what utt reads of an object it did not make goes through `own`, and
// the objects it makes itself have every field it reads, or no prototype.

/**
 * Whether `o` has its own property `key` (not Object.hasOwn: Safari 14 lacks it). Throws only for
 * a cross-origin window or a Proxy that throws: `own` below never does.
 */
// biome-ignore lint/suspicious/noPrototypeBuiltins: ES2019 target
export const has = (o: unknown, key: PropertyKey): boolean => Object(o) === o && {}.hasOwnProperty.call(o, key);

/**
 * Reads an own property only. Never throws: a getter or a Proxy that throws
 * (a hostile CMP's answer, say) reads as undefined, which every caller takes as a no.
 */
export const own = (o: unknown, key: PropertyKey): unknown => {
  try {
    return has(o, key) ? (o as Record<PropertyKey, unknown>)[key] : undefined;
  } catch {
    // undefined
  }
};

/**
 * `o` without a prototype: for the objects utt makes and then reads by name
 * (options, consent maps, descriptors and dictionaries handed to the browser),
 * so that a name they lack reads as absent, whatever Object.prototype holds.
 */
export const bare = <T extends object>(o: T): T => Object.setPrototypeOf(o, null);
