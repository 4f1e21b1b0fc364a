// The setup stage: what a vendor's paste-in snippet does before its script
// loads, done from the registry's data (build/setup.mjs compiles it): set
// globals that are absent, create command-queue stubs, then queue the first
// calls with the merchant's checked identifiers. Runs after consent and CSP
// allow the partner, just before its script goes in. No code string exists
// in the format: values are strings, numbers, booleans, arrays, objects and dates.
import type { Setup, Value } from './compiled';

// Stub flags (build/setup.mjs): calls stored as arrays, not `arguments`; recorded into an array global; the stub is an array.
const ARRAY_CALLS = 1;
const INTO_GLOBAL = 2;
const ARRAY_STUB = 4;

/** A compiled value with `{name}` placeholders filled from the checked identifiers. */
const fill = (v: Value, values: Record<string, string>): unknown =>
  typeof v == 'string'
    ? v.replace(/\{(\w+)\}/g, (_, name) => values[name])
    : Array.isArray(v)
      ? v.map((x) => fill(x, values))
      : v && typeof v == 'object'
        ? v.d
          ? new Date()
          : v.o!.reduce((o, [k, x]) => ((o[k] = fill(x, values)), o), {} as Record<string, unknown>)
        : v;

/** Runs one partner's setup on `w`. Throws only if the page's own globals of those names throw. */
export function setup(w: Window, [globals, stubs, calls]: Setup, values: Record<string, string>): void {
  const g = w as unknown as Record<string, any>;
  // Only if absent: the merchant's own snippet, or an earlier integration of the same vendor, stands.
  const absent = (name: string) => g[name] === undefined;
  for (const [name, v] of globals || []) if (absent(name)) g[name] = fill(v, values);
  for (const [name, queue, flags, props, methods, forward, aliases] of stubs || []) {
    if (!absent(name)) continue;
    const record = (call: unknown) => {
      const target = flags & INTO_GLOBAL ? g[queue] : queue ? stub[queue] : stub;
      target.push(call);
    };
    const stub: any =
      flags & ARRAY_STUB
        ? []
        : // A function, not an arrow: vendors read the `arguments` object it receives.
          function (this: unknown) {
            // biome-ignore lint/complexity/noArguments: vendors replay the arguments object itself
            const args = arguments;
            const to = forward && stub[forward];
            to ? to.apply(stub, args) : record(flags & ARRAY_CALLS ? [].slice.call(args) : args);
          };
    if (queue && !(flags & INTO_GLOBAL)) stub[queue] = [];
    for (const m of methods || [])
      stub[m] = function () {
        // biome-ignore lint/complexity/noArguments: [method, ...arguments], as the vendors' snippets record it
        record([m].concat([].slice.call(arguments)));
      };
    for (const [k, v] of props || []) stub[k] = v == '$self' ? stub : fill(v, values);
    g[name] = stub;
    for (const alias of aliases || []) if (absent(alias)) g[alias] = stub;
  }
  for (const [name, method, args] of calls || []) {
    const target = g[name];
    const filled = args.map((a) => fill(a, values));
    method ? target[method].apply(target, filled) : target.apply(w, filled);
  }
}
