// A registry entry's `setup` block: what a vendor's paste-in snippet does
// before its script loads (globals, command-queue stubs, first calls), as
// data. Checked here beyond partners/schema.json, then compiled to the
// runtime's table form (src/setup.ts reads it). There is no code in the
// format: no expression, no function, no code string.
import globals from 'globals';

/** Names the browser (or utt) owns: a partner may never shadow them. */
const OWNED = new Set([...Object.keys(globals.browser), ...Object.keys(globals.builtin), 'utt']);
/** Keys that would reach a prototype when the runtime builds an object. */
const PROTO = new Set(['__proto__', 'constructor', 'prototype']);
const NAME = /^[A-Za-z_$][\w$]*$/;

/** Where a stub records: its own property, an array global, or (neither) the stub itself, an array. */
const ARRAY_CALLS = 1;
const INTO_GLOBAL = 2;
const ARRAY_STUB = 4;

/**
 * Problems of `entry.setup`, each as `add(path, message)`: names the browser
 * owns, names that are not identifiers, placeholders that are not declared
 * identifiers, calls into something the block does not define.
 */
export function checkSetup(entry, add) {
  const setup = entry.setup;
  if (!setup) return;
  const declared = Object.keys(entry.identifiers);
  const value = (v, at) => {
    if (typeof v === 'string') {
      if (/[{}]/.test(v.replace(/\{[^{}]*\}/g, ''))) add(at, 'unbalanced "{" or "}"');
      for (const [, name] of v.matchAll(/\{([^{}]*)\}/g))
        if (!declared.includes(name))
          add(at, `placeholder {${name}} is not a declared identifier (declared: ${declared.join(', ')})`);
      if (v.startsWith('$') && v !== '$self') add(at, `"${v}": strings starting with "$" are reserved`);
    } else if (Array.isArray(v)) for (const [i, x] of v.entries()) value(x, `${at}/${i}`);
    else if (v && typeof v === 'object') {
      if ('$date' in v) {
        if (v.$date !== 'now' || Object.keys(v).length > 1) add(at, '{"$date": "now"} is the only form of a date');
        return;
      }
      for (const [k, x] of Object.entries(v)) {
        if (PROTO.has(k)) add(`${at}/${k}`, `"${k}" is not allowed as a key`);
        value(x, `${at}/${k}`);
      }
    }
  };
  const defined = new Map();
  const name = (n, at) => {
    if (!NAME.test(n)) add(at, `"${n}" is not a JavaScript identifier`);
    else if (OWNED.has(n) || PROTO.has(n))
      add(at, `"${n}" belongs to the browser (or to utt): a partner must not shadow it`);
    else if (defined.has(n)) add(at, `"${n}" is also defined at ${defined.get(n)}`);
    defined.set(n, at);
  };
  for (const [g, v] of Object.entries(setup.globals || {})) {
    name(g, `/setup/globals/${g}`);
    if (v === '$self') add(`/setup/globals/${g}`, '"$self" stands only in a stub\'s props');
    value(v, `/setup/globals/${g}`);
  }
  for (const [s, stub] of Object.entries(setup.stubs || {})) {
    const at = `/setup/stubs/${s}`;
    name(s, at);
    if (stub.queue && stub.into) add(`${at}/into`, 'a stub records into its own "queue" or into a global, not both');
    // An array global the block sets itself may be recorded into; anything else of that name is a clash.
    if (stub.into && !defined.has(stub.into)) defined.set(stub.into, `${at}/into`);
    else if (stub.into && !Array.isArray(setup.globals?.[stub.into]))
      add(`${at}/into`, `"${stub.into}" is defined twice`);
    if (stub.into && (OWNED.has(stub.into) || PROTO.has(stub.into)))
      add(`${at}/into`, `"${stub.into}" belongs to the browser (or to utt)`);
    for (const [i, a] of (stub.aliases || []).entries()) name(a, `${at}/aliases/${i}`);
    for (const [k, v] of Object.entries(stub.props || {})) {
      if (PROTO.has(k) || [stub.queue, stub.forward, ...(stub.methods || [])].includes(k))
        add(`${at}/props/${k}`, `"${k}" is already the stub's queue, forward or a method`);
      value(v, `${at}/props/${k}`);
    }
    for (const [i, m] of (stub.methods || []).entries())
      if (PROTO.has(m) || m === 'push' || m === 'length') add(`${at}/methods/${i}`, `"${m}" cannot be a method stub`);
  }
  for (const [i, call] of (setup.calls || []).entries()) {
    const at = `/setup/calls/${i}`;
    const [target, ...args] = call;
    const [g, method, extra] = typeof target === 'string' ? target.split('.') : [];
    if (!g || extra !== undefined || (method !== undefined && !NAME.test(method)))
      add(`${at}/0`, 'the first item names what is called: "stub", "stub.method" or "arrayGlobal.push"');
    else if (!defined.has(g)) add(`${at}/0`, `"${g}" is not a global or stub defined by this setup block`);
    else {
      const stub = setup.stubs?.[g];
      const arrayGlobal =
        Array.isArray(setup.globals?.[g]) || Object.values(setup.stubs || {}).some((s) => s.into === g);
      if (method === undefined && !(stub && (stub.queue || stub.into)))
        add(`${at}/0`, `"${g}" is not a function stub (one with a "queue" or "into")`);
      else if (method !== undefined && stub && !stub.methods?.includes(method))
        add(`${at}/0`, `"${g}.${method}" is not among the stub's "methods"`);
      else if (method !== undefined && !stub && !(arrayGlobal && method === 'push'))
        add(`${at}/0`, `"${g}.${method}": only "push" can be called on an array global`);
    }
    for (const [j, a] of args.entries()) value(a, `${at}/${j + 1}`);
  }
}

/**
 * A value as the runtime fills it (src/setup.ts): an object becomes `{o: [[key, value]...]}`
 * and `{"$date": "now"}` becomes `{d: 1}`, so that no key of the vendor's reaches
 * the bundle as a property name, where the minifier could rename it.
 */
const compileValue = (v) =>
  Array.isArray(v)
    ? v.map(compileValue)
    : v && typeof v === 'object'
      ? '$date' in v
        ? { d: 1 }
        : { o: Object.entries(v).map(([k, x]) => [k, compileValue(x)]) }
      : v;

/**
 * The runtime's table form (src/compiled.ts, Setup): [globals, stubs, calls], with
 * globals [name, value][], stubs [name, queue or array global, flags, props, methods, forward, aliases][],
 * calls [global, method, args][], in the order the snippet runs them.
 */
export function compileSetup(setup) {
  const out = [];
  const globalsList = Object.entries(setup.globals || {}).map(([g, v]) => [g, compileValue(v)]);
  // An array global that a stub records into, and that the block does not set itself, starts empty.
  for (const stub of Object.values(setup.stubs || {}))
    if (stub.into && !setup.globals?.[stub.into]) globalsList.push([stub.into, []]);
  if (globalsList.length) out[0] = globalsList;
  const stubs = Object.entries(setup.stubs || {}).map(([name, s]) => {
    const flags =
      (s.store === 'array' ? ARRAY_CALLS : 0) | (s.into ? INTO_GLOBAL : 0) | (!s.queue && !s.into ? ARRAY_STUB : 0);
    const row = [
      name,
      s.queue || s.into || '',
      flags,
      Object.entries(s.props || {}).map(([k, v]) => [k, compileValue(v)]),
      s.methods || [],
      s.forward || '',
      s.aliases || [],
    ];
    // Trailing defaults are left out: the runtime reads missing ones as empty.
    while (row.length > 3 && (row[row.length - 1] === '' || row[row.length - 1].length === 0)) row.pop();
    return row;
  });
  if (stubs.length) out[1] = stubs;
  const calls = (setup.calls || []).map(([target, ...args]) => {
    const [g, method = ''] = target.split('.');
    return [g, method, args.map(compileValue)];
  });
  if (calls.length) out[2] = calls;
  // Holes read as nothing at run time; JSON gives them as null, which reads the same.
  return Array.from(out, (x) => x || 0);
}
