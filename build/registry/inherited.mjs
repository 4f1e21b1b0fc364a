// A setup stub's own names (its queue, forward, methods and props) must be the
// vendor's, never a name the stub already has from JavaScript: a `forward` of
// "constructor" makes every call run Function(...arguments), an eval; "call",
// "apply", "bind" or "toString" replace what the vendor's script and the
// runtime rely on. The names are read from the engine, so a name a later
// edition of the language adds is refused too.

/** @typedef {(path: string, message: string) => void} Add */

/** Each name the sample has, own or inherited, with the object that owns it. */
const namesOf = (/** @type {object} */ sample) => {
  /** @type {Map<string, object>} */
  const names = new Map();
  for (let o = sample; o; o = Object.getPrototypeOf(o))
    for (const name of Object.getOwnPropertyNames(o)) if (!names.has(name)) names.set(name, o);
  return names;
};
// A stub is a `function` (src/setup.ts), which has its own `prototype`, `length` and `name`; or,
// with neither a queue nor an array global, an array.
const FUNCTION_STUB = namesOf(function stub() {});
const ARRAY_STUB = namesOf([]);

/** @param {object} owner */
const ownerName = (owner) =>
  owner === Object.prototype
    ? 'Object.prototype'
    : owner === Function.prototype
      ? 'Function.prototype'
      : owner === Array.prototype
        ? 'Array.prototype'
        : 'the stub itself';

/**
 * Problems of `entry.setup`'s stubs: a queue, forward, method or prop named as
 * something the stub inherits (Object.prototype, Function.prototype, or
 * Array.prototype for an array stub), or already has as a function.
 * @param {any} entry @param {Add} add
 */
export function checkStubNames(entry, add) {
  for (const [s, stub] of Object.entries(entry.setup?.stubs || {})) {
    if (!stub || typeof stub !== 'object') continue;
    const at = `/setup/stubs/${s}`;
    const names = !stub.queue && !stub.into ? ARRAY_STUB : FUNCTION_STUB;
    const check = (/** @type {unknown} */ name, /** @type {string} */ path, /** @type {string} */ what) => {
      const owner = typeof name === 'string' ? names.get(name) : undefined;
      if (owner)
        add(path, `"${name}" belongs to ${ownerName(owner)}: a stub's ${what} must be a name of the vendor's own`);
    };
    if (!stub.into) check(stub.queue, `${at}/queue`, 'queue');
    check(stub.forward, `${at}/forward`, 'forward');
    for (const [i, m] of (Array.isArray(stub.methods) ? stub.methods : []).entries())
      check(m, `${at}/methods/${i}`, 'method');
    for (const k of Object.keys(stub.props || {})) check(k, `${at}/props/${k}`, 'prop');
  }
}
