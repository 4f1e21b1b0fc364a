// A registry entry's `setup` block: what a vendor's paste-in snippet does
// around its script (globals, the merchant's settings object, command-queue
// stubs, first calls; constructions and calls once it loaded; calls when
// consent changes), as data. Checked here beyond partners/schema.json, then compiled to the
// runtime's table form (src/setup.ts reads it). There is no code in the
// format: no expression, no function, no code string.
import globals from 'globals';
import { loadSrc } from './load-src.mjs';
import { EVENTS, ITEM_PARAMS, PARAMS } from './vocabulary.mjs';

/** The consent categories, in the order of their bits: the runtime's own list. */
const { CATEGORIES } = await loadSrc('src/consent/index.ts');

/** Names the browser (or utt) owns: a partner may never shadow them. */
const OWNED = new Set([...Object.keys(globals.browser), ...Object.keys(globals.builtin), 'utt']);
/** Keys that would reach a prototype when the runtime builds an object. */
const PROTO = new Set(['__proto__', 'constructor', 'prototype']);
const NAME = /^[A-Za-z_$][\w$]*$/;
/** Method names no call may reach: what every object or function inherits (`constructor`, `call`, `bind`...). */
const INHERITED = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  ...Object.getOwnPropertyNames(Function.prototype),
]);
/** The values that stand for something only known in the browser. */
const KINDS = '{"$date": "now"}, {"$global": name}, {"$consent": category or [categories]}';
/** What an `events` call's values may also be: the event's own data. */
const EVENT_KINDS = '{"$param": name, "as"?: type}, {"$items": value}, {"$eventId": true}';
/** What a value inside `$items` may be: the event's kinds but `$items`, allowed only at the top. */
const ITEM_KINDS = '{"$param": name, "as"?: type}, {"$eventId": true}';
/** A parameter's conversion (src/events.ts): as its type says, or as `as` says; `lineTotal` in `$items` only. */
const CONVERSIONS = ['string', 'number', 'cents', 'lineTotal'];

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
  if (!setup) {
    if (entry.events)
      add('/events', 'events call into the stubs and globals a setup block defines: this entry has none');
    return;
  }
  const declared = Object.keys(entry.identifiers);
  const integers = new Set(declared.filter((n) => entry.identifiers[n].type === 'integer'));
  const optional = new Set(declared.filter((n) => entry.identifiers[n].optional));
  /** Names a `$global` or an onload/onConsent call may reach: what this block defines, checked at the end. */
  const reads = [];
  let consentValues = 0;
  /** `scope`: in an `events` call, 'event' (the event's parameters) or 'item' (inside "$items"). */
  const value = (v, at, scope) => {
    if (typeof v === 'string') {
      if (/[{}]/.test(v.replace(/\{[^{}]*\}/g, ''))) add(at, 'unbalanced "{" or "}"');
      for (const [, name] of v.matchAll(/\{([^{}]*)\}/g))
        if (!declared.includes(name))
          add(at, `placeholder {${name}} is not a declared identifier (declared: ${declared.join(', ')})`);
        else if (optional.has(name) && !scope)
          add(
            at,
            `{${name}} is optional, so only an events mapping may name it (one the integration has not set is skipped): the setup block runs for every integration`,
          );
        else if (optional.has(name) && v !== `{${name}}`)
          add(at, `{${name}} is optional: it stands alone in its string ("{${name}}"), which gives its value`);
        else if (integers.has(name) && v !== `{${name}}`)
          add(at, `{${name}} is an integer: it stands alone in its string ("{${name}}"), which gives a number`);
      if (v.startsWith('$') && v !== '$self') add(at, `"${v}": strings starting with "$" are reserved`);
    } else if (Array.isArray(v)) for (const [i, x] of v.entries()) value(x, `${at}/${i}`, scope);
    else if (v && typeof v === 'object') {
      const keys = Object.keys(v);
      const special = keys.filter((k) => k.startsWith('$'));
      if (special.length) {
        const [kind] = special;
        const extra = keys.filter(
          (k) =>
            k !== kind &&
            !(kind === '$consent' && (k === 'granted' || k === 'denied')) &&
            !(kind === '$param' && k === 'as'),
        );
        const kinds = scope ? `${KINDS}, ${scope === 'item' ? ITEM_KINDS : EVENT_KINDS}` : KINDS;
        if (special.length > 1 || extra.length) add(at, `a value is one of ${kinds}, with nothing else beside it`);
        else if (scope && kind === '$param') {
          const known = scope === 'item' ? ITEM_PARAMS : PARAMS;
          if (typeof v.$param !== 'string' || !Object.hasOwn(known, v.$param) || known[v.$param] === 'items')
            add(
              `${at}/$param`,
              scope === 'event' && Object.hasOwn(ITEM_PARAMS, v.$param)
                ? `"${v.$param}" is an item's parameter: put it inside "$items" ({"$items": {"$param": "${v.$param}"}}, or an object of them)`
                : `"${v.$param}" is not ${scope === 'item' ? "an item's parameter" : "an event's parameter"} of the vocabulary (build/vocabulary.mjs): ${Object.keys(
                    known,
                  )
                    .filter((k) => known[k] !== 'items')
                    .join(', ')}`,
            );
          if ('as' in v && !CONVERSIONS.includes(v.as)) add(`${at}/as`, `"as" is one of ${CONVERSIONS.join(', ')}`);
          else if (v.as === 'lineTotal' && scope !== 'item')
            add(`${at}/as`, '"lineTotal" (the value times the item\'s quantity) is an item\'s: use it inside "$items"');
        } else if (scope === 'event' && kind === '$items') value(v.$items, `${at}/$items`, 'item');
        else if (scope && kind === '$eventId') {
          if (v.$eventId !== true) add(`${at}/$eventId`, '{"$eventId": true} is the only form of the event id');
        } else if (kind === '$date') {
          if (v.$date !== 'now') add(`${at}/$date`, '{"$date": "now"} is the only form of a date');
        } else if (kind === '$global') {
          if (typeof v.$global !== 'string' || !NAME.test(v.$global))
            add(`${at}/$global`, '{"$global": name} names a global this setup block defines');
          else reads.push([v.$global, `${at}/$global`]);
        } else if (kind === '$consent') {
          consentValues++;
          const list = [v.$consent].flat();
          const known = [...CATEGORIES, 'sale'];
          if (!list.length || list.some((c) => !known.includes(c)))
            add(`${at}/$consent`, `{"$consent": …} names one or more of ${known.join(', ')}`);
          for (const word of ['granted', 'denied'])
            if (word in v && (typeof v[word] !== 'string' || /[{}$]/.test(v[word])))
              add(`${at}/${word}`, `"${word}" is the plain word the vendor expects, such as "grant" or "revoke"`);
        } else if (scope === 'item' && kind === '$items')
          add(
            `${at}/$items`,
            `"$items" is allowed only at the top of an event's value, not inside "$items": a value here is one of ${kinds}`,
          );
        else add(`${at}/${kind}`, `"${kind}" is not a value here: a value is one of ${kinds}`);
        return;
      }
      for (const [k, x] of Object.entries(v)) {
        if (PROTO.has(k)) add(`${at}/${k}`, `"${k}" is not allowed as a key`);
        value(x, `${at}/${k}`, scope);
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
  for (const [g, v] of Object.entries(setup.merge || {})) {
    const at = `/setup/merge/${g}`;
    name(g, at);
    if (!v || typeof v !== 'object' || Array.isArray(v) || Object.keys(v).some((k) => k.startsWith('$')))
      add(at, 'merge gives an object of keys to add to the merchant\'s object: {"app_id": "{appId}"}');
    value(v, at);
  }
  /** Constructed once the script has loaded: their methods are the vendor's, so any may be called. */
  const built = new Set(Object.keys(setup.onload?.new || {}));
  const callList = (list, base, scope) => {
    for (const [i, call] of (list || []).entries()) {
      const at = `${base}/${i}`;
      const [target, ...args] = call;
      const [g, method, extra] = typeof target === 'string' ? target.split('.') : [];
      if (!g || extra !== undefined || (method !== undefined && !NAME.test(method)))
        add(`${at}/0`, 'the first item names what is called: "stub", "stub.method" or "arrayGlobal.push"');
      else if (!defined.has(g)) add(`${at}/0`, `"${g}" is not a global or stub defined by this setup block`);
      else if (method !== undefined && INHERITED.has(method))
        add(`${at}/0`, `"${method}" is what every object or function inherits, not a method of the vendor's`);
      else if (base === '/setup/onload/calls' && built.has(g)) {
        // The vendor's own object, constructed above: its methods are the vendor's.
      } else {
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
      for (const [j, a] of args.entries()) value(a, `${at}/${j + 1}`, scope);
    }
  };
  callList(setup.calls, '/setup/calls');
  for (const [g, made] of Object.entries(setup.onload?.new || {})) {
    const at = `/setup/onload/new/${g}`;
    if (!defined.has(g)) add(at, `"${g}" is not a global or stub defined by this setup block: only those are replaced`);
    const [ctor, ...args] = Array.isArray(made) ? made : [];
    if (typeof ctor !== 'string' || !NAME.test(ctor))
      add(`${at}/0`, 'the first item names the constructor, a global the vendor\'s script defines: ["UET", {...}]');
    else if (OWNED.has(ctor) || PROTO.has(ctor))
      add(`${at}/0`, `"${ctor}" belongs to the browser (or to utt): only the vendor's own constructor may be used`);
    for (const [j, a] of args.entries()) value(a, `${at}/${j + 1}`);
  }
  callList(setup.onload?.calls, '/setup/onload/calls');
  const before = consentValues;
  callList(setup.onConsent, '/setup/onConsent');
  // A change is told by comparing two fills of these calls: a date or a global would differ every time.
  const moving = (v, at) => {
    if (!v || typeof v !== 'object') return;
    if ('$date' in v || '$global' in v)
      add(at, 'a consent change call holds only plain values and {"$consent": …}: no date, no global');
    else for (const [k, x] of Object.entries(v)) moving(x, `${at}/${k}`);
  };
  for (const [i, call] of (setup.onConsent || []).entries()) moving(call, `/setup/onConsent/${i}`);
  if (setup.onConsent && consentValues === before)
    add(
      '/setup/onConsent',
      'these calls run when a {"$consent": …} value in them changes: they have none, so they never run',
    );
  for (const [g, at] of reads)
    if (!defined.has(g)) add(at, `"${g}" is not a global or stub defined by this setup block`);
  // Each event's calls go into what the setup block defines, as its first calls do.
  for (const [name, calls] of Object.entries(entry.events || {})) {
    if (!EVENTS.includes(name))
      add(
        `/events/${name}`,
        `"${name}" is not an event of the vocabulary (build/vocabulary.mjs): ${EVENTS.join(', ')}`,
      );
    callList(calls, `/events/${name}`, 'event');
  }
}

/**
 * A value as the runtime fills it (src/compiled.ts, Value): a string, number or boolean as itself;
 * anything else an array led by its kind, so that no key of the vendor's reaches the bundle as a
 * property name (where the minifier could rename it) and the runtime reads no property an object could inherit.
 * `integers`: the entry's integer identifiers, whose lone placeholder gives a number.
 */
const compileValue = (v, integers, item = false, optional = new Set()) => {
  const c = (x) => compileValue(x, integers, item, optional);
  if (typeof v === 'string') {
    const lone = /^\{(\w+)\}$/.exec(v);
    // An optional identifier (events only): src/events.ts fills it, or skips the mapping without it.
    if (lone && optional.has(lone[1])) return [10, lone[1]];
    return lone && integers.has(lone[1]) ? [3, lone[1]] : v;
  }
  if (Array.isArray(v)) return [0, ...v.map(c)];
  if (!v || typeof v !== 'object') return v;
  if ('$date' in v) return [2];
  // An event's parameter with its conversion (an index of CONVERSIONS: its type's unless `as` says),
  // each item through a template, the event id: src/events.ts fills them.
  if ('$param' in v) return [6, v.$param, CONVERSIONS.indexOf(v.as ?? (item ? ITEM_PARAMS : PARAMS)[v.$param])];
  if ('$items' in v) return [7, compileValue(v.$items, integers, true, optional)];
  if ('$eventId' in v) return [8];
  if ('$global' in v) return [4, v.$global];
  if ('$consent' in v) {
    const list = [v.$consent].flat();
    // Bits of CATEGORIES, and 16 for "sale"; the words only where they are not "granted" and "denied".
    const bits = list.reduce((sum, x) => sum | (x === 'sale' ? 16 : 1 << CATEGORIES.indexOf(x)), 0);
    return v.granted || v.denied ? [5, bits, v.granted ?? 'granted', v.denied ?? 'denied'] : [5, bits];
  }
  return [1, ...Object.entries(v).flatMap(([k, x]) => [k, c(x)])];
};

/** Whether a compiled block uses the steps or values that only `__SETUP_MORE__` builds carry (src/setup.ts). */
export const usesMore = (compiled) => {
  const more = (v) => Array.isArray(v) && (v[0] >= 3 || v.some(more));
  return compiled.length > 3 || more(compiled) || !!compiled[0]?.some?.((g) => g[2]);
};

/**
 * The runtime's table form (src/compiled.ts, Setup): [globals, stubs, calls, after, onConsent],
 * with globals [name, value, merge][], stubs [name, queue or array global, flags, props, methods, forward,
 * aliases][], calls [global, method, args][] (after: also [constructor, '', args, global] for `new`),
 * in the order the snippet runs them. `identifiers`: the entry's, whose integers are filled as numbers.
 */
export function compileSetup(setup, identifiers = {}) {
  const integers = new Set(Object.keys(identifiers).filter((n) => identifiers[n].type === 'integer'));
  const value = (v) => compileValue(v, integers);
  const out = [];
  const globalsList = Object.entries(setup.globals || {}).map(([g, v]) => [g, value(v)]);
  // A merge is a global with a flag: set when absent, else its missing keys are added.
  for (const [g, v] of Object.entries(setup.merge || {})) globalsList.push([g, value(v), 1]);
  // An array global that a stub records into, and that the block does not set itself, starts empty.
  for (const stub of Object.values(setup.stubs || {}))
    if (stub.into && !setup.globals?.[stub.into]) globalsList.push([stub.into, [0]]);
  if (globalsList.length) out[0] = globalsList;
  const stubs = Object.entries(setup.stubs || {}).map(([name, s]) => {
    const flags =
      (s.store === 'array' ? ARRAY_CALLS : 0) | (s.into ? INTO_GLOBAL : 0) | (!s.queue && !s.into ? ARRAY_STUB : 0);
    const row = [
      name,
      s.queue || s.into || '',
      flags,
      Object.entries(s.props || {}).map(([k, v]) => [k, value(v)]),
      s.methods || [],
      s.forward || '',
      s.aliases || [],
    ];
    // Trailing defaults are left out: the runtime reads missing ones as empty.
    while (row.length > 3 && (row[row.length - 1] === '' || row[row.length - 1].length === 0)) row.pop();
    return row;
  });
  if (stubs.length) out[1] = stubs;
  const calls = (list) =>
    list?.length &&
    list.map(([target, ...args]) => {
      const [g, method = ''] = target.split('.');
      return [g, method, args.map(value)];
    });
  out[2] = calls(setup.calls);
  // Once the script has loaded: each construction as a call that assigns, then the calls.
  const after = [
    ...Object.entries(setup.onload?.new || {}).map(([g, [ctor, ...args]]) => [ctor, '', args.map(value), g]),
    ...(calls(setup.onload?.calls) || []),
  ];
  if (after.length) out[3] = after;
  out[4] = calls(setup.onConsent);
  // Holes read as nothing at run time (JSON gives them as null, which reads the same); trailing ones go.
  while (out.length && !out[out.length - 1]) out.pop();
  return Array.from(out, (x) => x || 0);
}

/**
 * A compiled `events` block (src/compiled.ts, EventMap): [event, calls, once, optional][], each call [global,
 * method, args] as setup's. `once`: 1 when no call names an identifier of the integration, so that every
 * integration of the partner would make the same call: the runtime makes it for the first one only.
 * `optional`: the wire form (`wireId(name)`) of each optional identifier the calls name, which the
 * runtime checks against the integration's values, skipping the mapping when one is not set.
 */
export function compileEvents(events, identifiers = {}, wireId = (name) => [name]) {
  const integers = new Set(Object.keys(identifiers).filter((n) => identifiers[n].type === 'integer'));
  const optional = new Set(Object.keys(identifiers).filter((n) => identifiers[n].optional));
  return Object.entries(events).map(([name, list]) => {
    const calls = list.map(([target, ...args]) => {
      const [g, method = ''] = target.split('.');
      return [g, method, args.map((a) => compileValue(a, integers, false, optional))];
    });
    const named = [...JSON.stringify(list).matchAll(/\{(\w+)\}/g)].map(([, n]) => n);
    const needs = [...new Set(named.filter((n) => optional.has(n)))].map(wireId);
    // Every field, so that the runtime reads none an array could inherit.
    return [name, calls, needs.length || named.length ? 0 : 1, needs.length ? needs : null];
  });
}
