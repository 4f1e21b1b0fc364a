// The security invariant, as a property over hostile manifests, on the real
// built bundle (dist/index.mjs) and on the sources: whatever the manifest,
// utt only ever inserts scripts at registry origins and template paths, and
// never throws. Each run is a fresh runtime on a minimal fake page.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadRegistry } from '../../build/registry.mjs';
import { boot as bootSource } from '../../src/index';

const { entries } = loadRegistry();
const templates = entries.map(({ entry }) => entry.script as string);
const keys = entries.map(({ entry }) => entry.key as string);
const names = [...new Set(entries.flatMap(({ entry }) => Object.keys(entry.identifiers)))];
// Valid values too, so that many runs do inject and the property is not vacuous.
const examples = entries.flatMap(({ entry }) => Object.values(entry.identifiers).map((i: any) => i.example));

/**
 * The oracle, written from the registry's templates and not from script-url.ts:
 * the URL the browser would fetch (the src resolved against the page, as the
 * URL parser resolves `.`, `..` and `%2e%2e`) is a template with each
 * placeholder filled by one run of RFC 3986 unreserved characters and percent
 * escapes, so no value added a path segment, a query, a fragment, a port or a host.
 */
const filled = templates.map(
  (t) =>
    new RegExp(
      `^${t
        .split(/\{\w+\}/)
        .map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('(?:[A-Za-z0-9._~-]|%[0-9A-F]{2})+')}$`,
    ),
);
const allowed = (src: string) => {
  try {
    const fetched = new URL(src, 'https://shop.example/').href;
    return filled.some((pattern) => pattern.test(fetched));
  } catch {
    return false;
  }
};

/** A page just rich enough for utt: it records every element appended. */
function fakePage(body: string) {
  const appended: any[] = [];
  const encoded = new TextEncoder().encode(body);
  const element = () => ({ setAttribute() {}, getAttribute: () => null });
  // utt inserts its partner scripts a fragment at a time: the fragment's children are what lands.
  const head = { appendChild: (el: any) => appended.push(...(el.children ?? [el])) };
  const fragment = () => {
    const children: any[] = [];
    return { children, appendChild: (el: any) => children.push(el) };
  };
  // As in a browser, the document's API is getters and methods on its prototype
  // (utt reads it there, past named elements).
  const d: any = Object.create({
    get URL() {
      return 'https://shop.example/';
    },
    get baseURI() {
      return 'https://shop.example/';
    },
    get scripts() {
      return appended;
    },
    get head() {
      return head;
    },
    createElement: element,
    createDocumentFragment: fragment,
    querySelectorAll: () => [],
    addEventListener() {},
  });
  const w: any = {
    navigator: {},
    EventTarget: { prototype: { dispatchEvent() {}, addEventListener() {} } },
    fetch: () =>
      Promise.resolve({
        ok: true,
        status: 200,
        headers: { get: (h: string) => (h === 'content-type' ? 'application/json' : null) },
        // A one-chunk stream: what utt reads of a Response body.
        body: {
          getReader: () => {
            let sent = false;
            return {
              read: () => {
                const chunk = sent ? { done: true } : { done: false, value: encoded };
                sent = true;
                return Promise.resolve(chunk);
              },
              cancel: () => Promise.resolve(),
            };
          },
        },
      }),
  };
  return { w, d, appended };
}

/** Any JSON-ish value, kept small so that 10,000 runs stay quick. */
const small = fc.jsonValue({ maxDepth: 1 });
const hostileValue = fc.oneof(
  fc.constantFrom(...examples),
  fc.string({ maxLength: 30 }),
  fc.constantFrom(
    '../../evil',
    '%2e%2e/x',
    '//evil.example',
    '@evil.example',
    '?x',
    '#x',
    'a/b',
    '\ud800',
    'x'.repeat(3000),
  ),
  fc.integer(),
  fc.double(),
  fc.constant(null),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);
const generic = fc.record(
  {
    id: fc.oneof(fc.stringMatching(/^[a-z0-9_]{1,12}$/), fc.string({ maxLength: 8 }), fc.constant('__proto__')),
    partner: fc.oneof(
      fc.constantFrom(...keys),
      fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString'),
      fc.string({ maxLength: 10 }),
    ),
    status: fc.oneof(fc.constant('enabled'), fc.constant('disabled'), small),
    identifiers: fc.oneof(fc.dictionary(fc.constantFrom(...names, '__proto__', 'constructor'), hostileValue), small),
  },
  { requiredKeys: [] },
);
/** An integration of a real partner whose values are its examples or hostile ones: often valid, never trusted. */
const aimed = fc.oneof(
  ...entries.map(({ entry }: any) =>
    fc.record({
      id: fc.stringMatching(/^[a-z0-9_]{1,12}$/),
      partner: fc.constant(entry.key),
      status: fc.constant('enabled'),
      identifiers: fc.record(
        Object.fromEntries(
          Object.entries(entry.identifiers).map(([name, spec]: [string, any]) => [
            name,
            fc.oneof({ arbitrary: fc.constant(spec.example), weight: 3 }, hostileValue),
          ]),
        ),
      ),
    }),
  ),
);
const integration = fc.oneof({ arbitrary: aimed, weight: 3 }, generic);
const manifest = fc.oneof(
  {
    arbitrary: fc
      .record({ version: fc.constant(1), integrations: fc.array(integration, { maxLength: 6 }) })
      .map((m) => JSON.stringify(m)),
    weight: 6,
  },
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 50 }),
);

/** Lets the fetch, the body and the pipeline run: microtasks only, so 10,000 runs stay fast. */
const settle = async () => {
  for (let i = 0; i < 12; i++) await Promise.resolve();
};

describe.each([
  ['the sources', async () => bootSource],
  [
    'the built bundle dist/index.mjs',
    // A path TypeScript does not resolve: the typecheck runs before the build.
    async () =>
      (await import(/* @vite-ignore */ pathToFileURL(resolve('dist/index.mjs')).href)).boot as typeof bootSource,
  ],
])('on %s', (_, load) => {
  it('no manifest inserts a script outside the registry, or throws (10,000 runs)', async () => {
    const boot = await load();
    const runs = Number(process.env.RUNS) || 10_000;
    let injected = 0;
    await fc.assert(
      fc.asyncProperty(manifest, async (body) => {
        const { w, d, appended } = fakePage(body);
        boot(w, d, null)('init', { manifest: 'https://cdn.utt.example/m.json' });
        await settle();
        if (appended.length) injected++;
        for (const el of appended) expect(allowed(String(el.src)), String(el.src)).toBe(true);
      }),
      { numRuns: runs },
    );
    expect(injected, 'runs that inserted at least one partner').toBeGreaterThan(runs / 5);
  }, 120_000);
});
