// The setup stage: what a vendor's paste-in snippet does around its script,
// done from the registry's data (build/setup.mjs compiles it): set globals
// that are absent, add missing keys to the merchant's settings object, create
// command-queue stubs, queue the first calls with the merchant's checked
// identifiers; once the script has loaded, construct and call; when the
// visitor's consent changes, tell the vendor. Runs after consent and CSP allow
// the partner, just before its script goes in. No code string exists in the
// format: values are data (see Value in src/compiled.ts).
import type { Setup, Value } from './compiled';
import { own } from './own';

// Stub flags (build/setup.mjs): calls stored as arrays, not `arguments`; recorded into an array global; the stub is an array.
const ARRAY_CALLS = 1;
const INTO_GLOBAL = 2;
const ARRAY_STUB = 4;

/** utt's decision for these consent categories (bits of CATEGORIES; 16: the visitor's opt-out of sale): '' when met. */
export type Decide = (bits: number) => string;

/** Makes an integration's calls ([global, method, args][]) with its identifiers: its setup's, and its events' (src/events.ts). */
export type Run = (list: Setup[2]) => void;

/**
 * Runs one partner's setup on `w`. Returns, for a block with steps after it, what runs once the script
 * has loaded (`step(1)`) and whenever a consent signal changes (`step()`); in a build with events,
 * [step, run], `run` making an event's calls (src/events.ts). Throws only if the page's own
 * globals of those names, or the vendor's functions, throw.
 */
export function setup(
  w: Window,
  [globals, stubs, calls, after, onConsent]: Setup,
  values: Record<string, string>,
  decide: Decide,
): ((loaded?: 1) => void) | [(loaded?: 1) => void, Run] | undefined {
  const g = w as unknown as Record<string, any>;
  // A global is there only as an own property of window: an element or a frame named like it (named
  // access, on window's prototype chain) is not the vendor's object, and utt's own property shadows it.
  const absent = (name: string) => own(w, name) === undefined;
  /** A compiled value, filled: Value in src/compiled.ts. Only own properties of `values` and `w` are read. */
  const fill = (v: Value): unknown =>
    typeof v == 'string'
      ? v.replace(/\{(\w+)\}/g, (_, name) => own(values, name) as string)
      : !Array.isArray(v)
        ? v
        : v[0] == 1
          ? v.reduce((o, x, i) => (i & 1 ? ((o[x as string] = fill(v[i + 1])), o) : o), {} as Record<string, unknown>)
          : v[0] == 2
            ? new Date()
            : __SETUP_MORE__ && v[0] == 3
              ? +(own(values, v[1] as string) as string)
              : __SETUP_MORE__ && v[0] == 4
                ? own(w, v[1] as string)
                : __SETUP_MORE__ && v[0] == 5
                  ? word(v)
                  : // An event's data (src/events.ts): a literal, given as it is.
                    __EVENTS__ && v[0] == 9
                    ? v[1]
                    : v.slice(1).map(fill);
  // Destructured: a consent value without its own words reads no inherited index.
  const word = ([, bits, granted = 'granted', denied = 'denied']: Value[]) =>
    decide(bits as number) ? denied : granted;
  // Each call: `window[name][method](...args)`; with `assign`, `window[assign] = new window[name](...args)`.
  const run = (list: Setup[2]) => {
    for (const [name, method, args, assign] of list || []) {
      const target = own(w, name) as any;
      const filled = args.map(fill);
      if (__SETUP_MORE__ && assign) g[assign] = new target(...filled);
      else method ? target[method].apply(target, filled) : target.apply(w, filled);
    }
  };
  for (const [name, v, merge] of globals || []) {
    const into = own(w, name) as Record<string, unknown>;
    if (into === undefined) g[name] = fill(v);
    // A merge: the merchant's object keeps every key it has; only missing ones are added (to
    // something that is not an object, they throw, and the integration fails).
    else if (__SETUP_MORE__ && merge) {
      const add = fill(v) as Record<string, unknown>;
      for (const k of Object.keys(add)) if (own(into, k) === undefined) into[k] = add[k];
    }
  }
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
            // Only the vendor's own method: a polluted Function or Object prototype is not a forward.
            // biome-ignore lint/suspicious/noPrototypeBuiltins: ES2019 target
            const to = forward && {}.hasOwnProperty.call(stub, forward) && stub[forward];
            to ? to.apply(stub, args) : record(flags & ARRAY_CALLS ? [].slice.call(args) : args);
          };
    if (queue && !(flags & INTO_GLOBAL)) stub[queue] = [];
    for (const m of methods || [])
      stub[m] = function () {
        // biome-ignore lint/complexity/noArguments: [method, ...arguments], as the vendors' snippets record it
        record([m].concat([].slice.call(arguments)));
      };
    for (const [k, v] of props || []) stub[k] = v == '$self' ? stub : fill(v);
    g[name] = stub;
    for (const alias of aliases || []) if (absent(alias)) g[alias] = stub;
  }
  run(calls);
  if (__SETUP_MORE__) {
    // The change calls run only when their filling differs from the last one (build/setup.mjs lets them
    // hold no date and no global, so only a consent value can change it); the first fill is the baseline.
    let last: string | undefined;
    const step = (loaded?: 1) => {
      if (loaded) return run(after);
      const key = JSON.stringify(onConsent && onConsent.map((call) => call[2].map(fill)));
      if (last && key != last) run(onConsent);
      last = key;
    };
    step();
    return __EVENTS__ ? [step, run] : step;
  }
}
