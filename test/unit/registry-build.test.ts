import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rollup } from 'rollup';
import { describe, expect, it } from 'vitest';
import { compileEntry, compileRegistry, errorsOf, formatProblems, loadRegistry } from '../../build/registry.mjs';
import registryPlugin from '../../build/rollup-plugin-registry.mjs';
import { decode, decodeId, type WireEntry } from '../../src/partner';
import { good, load } from './registry-fixture';

/**
 * The entry's first error as `utt check` prints it, from the entry written with one
 * member a line; its line must be that of the first line holding `marker`.
 */
const located = (entry: unknown, marker: string) => {
  const dir = mkdtempSync(join(tmpdir(), 'utt-located-'));
  const text = JSON.stringify(entry, null, 2);
  writeFileSync(join(dir, 'acme.json'), text);
  const [problem] = errorsOf(loadRegistry({ dirs: [dir], only: '' }).problems);
  const line = text.split('\n').findIndex((l) => l.includes(marker)) + 1;
  const printed = formatProblems([problem]).replace(/^.*?acme\.json/, 'acme.json');
  expect(printed.startsWith(`acme.json:${line}:`), printed).toBe(true);
  return printed;
};

const problemsOf = (change: (e: any) => void, name = 'acme.json') => {
  const entry = good();
  change(entry);
  return errorsOf(load({ [name]: entry }).problems).map(
    (p: any) => `${p.file.split('/').pop()} ${p.path}: ${p.message}`,
  );
};

describe('registry patterns and integrity, as an attacker would write them', () => {
  it.each([
    ['^(a|a)+$', 'exponential'],
    ['^(\\w+\\s?)*$', 'exponential'],
    ['^a*a*b$', 'polynomial'],
  ])('refuses %s, which backtracks super-linearly (%s), with its location and the fix', (pattern, kind) => {
    const [problem] = problemsOf((e) => {
      e.identifiers.site.pattern = pattern;
      e.identifiers.site.example = 'ab';
    });
    expect(problem).toContain(`acme.json /identifiers/site/pattern: backtracks super-linearly (${kind}`);
    expect(problem).toContain('Fix: remove nested or overlapping repetition');
    const { problems } = load({
      'acme.json': { ...good(), identifiers: { site: { ...good().identifiers.site, pattern } } },
    });
    expect(formatProblems(problems)).toMatch(/acme\.json:\d+:\d+/);
  });

  it('accepts the shipped partners’ patterns, each proven linear', () => {
    expect(problemsOf(() => {})).toEqual([]);
    expect(errorsOf(loadRegistry({ only: '' }).problems)).toEqual([]);
  });

  it.each([
    ['sha384-YWJj', 'sha384'],
    [`sha256-${'A'.repeat(43)}`, 'sha256'],
    [`sha512-${'A'.repeat(84)}==`, 'sha512'],
  ])('refuses the integrity %s: not a digest of its algorithm’s length', (integrity, algorithm) => {
    const problems = problemsOf((e) => {
      e.integrity = integrity;
    });
    expect(problems).toEqual([
      expect.stringContaining(`acme.json /integrity: "${integrity}" is not a ${algorithm} digest`),
    ]);
  });

  it('accepts well-formed digests of each algorithm', () => {
    const digest = (bytes: number) => Buffer.alloc(bytes, 7).toString('base64');
    expect(
      problemsOf((e) => {
        e.integrity = `sha256-${digest(32)} sha384-${digest(48)} sha512-${digest(64)}`;
      }),
    ).toEqual([]);
  });
});

describe('registry build', () => {
  it('accepts a good entry and compiles it to the runtime form', () => {
    const { entries, problems } = load({ 'acme.json': good() });
    expect(errorsOf(problems)).toEqual([]);
    // The module, run: each entry in its wire form, which the runtime's decoder reads back as compiled.
    const source = compileRegistry(entries).replace('export default', 'return');
    const registry: Record<string, WireEntry> = new Function(source)();
    const [script, ids, wire] = registry.acme;
    const acme = decode(script, ids.map(decodeId), wire);
    expect(acme).toEqual(compileEntry(entries[0].entry));
    expect(acme).toMatchObject({
      _script: 'https://cdn.acme.example/t/{site}.js',
      _ids: [{ _name: 'site', _integer: 0, _min: null, _max: null, _tests: [['^[a-z]+$', 'pattern']] }],
      _integrity: null,
      _consent: { _cats: null, _sale: null, _tcf: null },
      _load: 0,
    });
  });

  it('ships valid partners covering every identifier kind', () => {
    const { entries, problems } = loadRegistry({ only: '' });
    // The one warning: impact.com's file name is its account's tag id, in the path by the vendor's design.
    expect(problems.map((p: any) => `${p.file} ${p.severity} ${p.path}`)).toEqual([
      'partners/impact-utt.json warning /script',
    ]);
    expect(entries.length).toBeGreaterThanOrEqual(5);
    const ids = entries.flatMap(({ entry }) => Object.values(entry.identifiers) as any[]);
    expect(ids.some((i) => i.format === 'hostname')).toBe(true);
    expect(ids.some((i) => i.format === 'uuid')).toBe(true);
    expect(ids.some((i) => i.type === 'integer')).toBe(true);
    expect(ids.some((i) => i.pattern)).toBe(true);
    expect(entries.some(({ entry }) => Object.keys(entry.identifiers).length >= 2)).toBe(true);
    // Fictional partners on .example hosts; the vendors modelled on real tags (a setup block) keep their real URLs.
    for (const { entry } of entries)
      if (!entry.setup) expect(new URL(entry.script.replace(/\{\w+\}/g, 'x')).hostname).toMatch(/\.example$/);
  });

  it('fails on a field it does not know', () => {
    expect(problemsOf((e) => (e.tracking = true))).toEqual([
      'acme.json /tracking: unknown field "tracking": remove it, or check its spelling against partners/schema.json',
    ]);
  });

  it('fails on a schema keyword outside the subset', () => {
    expect(problemsOf((e) => (e.identifiers.site.oneOf = []))).toEqual([
      'acme.json /identifiers/site/oneOf: unknown field "oneOf": remove it, or check its spelling against partners/schema.json',
    ]);
    expect(problemsOf((e) => (e.identifiers.site.format = 'email'))).toEqual([
      'acme.json /identifiers/site/format: must be one of "hostname", "uuid"',
    ]);
  });

  it('fails on a keyword that does not fit the type, and on a bad pattern', () => {
    expect(problemsOf((e) => (e.identifiers.site.minimum = 1))).toEqual([
      'acme.json /identifiers/site/minimum: "minimum" does not apply to type string',
    ]);
    expect(problemsOf((e) => (e.identifiers.site.pattern = '(')).join()).toMatch(
      /\/identifiers\/site\/pattern: not a valid regular expression/,
    );
  });

  it('fails on a template placeholder that is not a declared identifier', () => {
    expect(problemsOf((e) => (e.script = 'https://cdn.acme.example/t/{sit}.js'))).toEqual([
      'acme.json /identifiers/site: "site" is used nowhere: put {site} in the script URL or the setup block, or remove the identifier',
      'acme.json /script: placeholder {sit} is not a declared identifier (declared: site)',
    ]);
  });

  it('fails on a script URL that is not https', () => {
    expect(problemsOf((e) => (e.script = 'http://cdn.acme.example/t/{site}.js'))).toEqual([
      'acme.json /script: script URL must start with https://',
    ]);
  });

  it('fails on a placeholder in the host', () => {
    expect(problemsOf((e) => (e.script = 'https://{site}.acme.example/t.js'))).toEqual([
      'acme.json /script: placeholders may stand only in the path or the query, after the host',
    ]);
  });

  it('fails on a script origin that csp.script-src does not cover', () => {
    expect(problemsOf((e) => (e.csp['script-src'] = ['https://static.acme.example']))).toEqual([
      'acme.json /csp/script-src: does not cover the script origin https://cdn.acme.example: add "https://cdn.acme.example"',
    ]);
    expect(problemsOf((e) => (e.csp['script-src'] = ['https://*.acme.example']))).toEqual([]);
    expect(problemsOf((e) => (e.csp['script-src'] = ['https://*.cdn.acme.example'])).length).toBe(1);
    expect(problemsOf((e) => (e.csp['script-src'] = ['https://cdn.acme.example:8443'])).length).toBe(1);
  });

  it('fails on a key that differs from the file name', () => {
    expect(problemsOf(() => {}, 'acme-tags.json')).toEqual([
      'acme-tags.json /key: key "acme" must equal the file name "acme-tags"',
    ]);
  });

  it('fails on a duplicate key across registry folders', () => {
    const { problems } = load({ 'acme.json': good() }, { 'acme.json': good() });
    expect(errorsOf(problems).map((p: any) => `${p.path}: ${p.message}`)).toEqual([
      expect.stringMatching(/^\/key: duplicate key "acme", also in .*acme\.json$/),
    ]);
  });

  it('fails on an example that fails its own schema', () => {
    expect(problemsOf((e) => (e.identifiers.site.example = 'Shop'))).toEqual([
      'acme.json /identifiers/site/example: example "Shop" fails its own schema (pattern)',
    ]);
  });

  it('fails on a template whose examples give a URL outside normal form', () => {
    expect(problemsOf((e) => (e.script = 'https://CDN.acme.example/t/{site}.js')).join()).toMatch(/normal form/);
  });

  it('reports every problem of every file at once, naming file, JSON path and reason', () => {
    const bad = good() as any;
    bad.extra = 1;
    bad.identifiers.site.example = 5;
    const { problems } = load({ 'acme.json': good(), 'zeta.json': { ...good(), key: 'zeta', nope: 1 }, 'x.json': bad });
    expect(errorsOf(problems).map((p: any) => `${p.file.split('/').pop()} ${p.path}: ${p.message}`)).toEqual([
      'x.json /extra: unknown field "extra": remove it, or check its spelling against partners/schema.json',
      'x.json /key: key "acme" must equal the file name "x"',
      'x.json /identifiers/site/example: example 5 fails its own schema (type)',
      expect.stringMatching(/^x\.json \/key: duplicate key "acme", also in .*acme\.json$/),
      'zeta.json /nope: unknown field "nope": remove it, or check its spelling against partners/schema.json',
    ]);
  });

  it('makes the rollup build fail with the problems', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'utt-reg-'));
    writeFileSync(join(dir, 'acme.json'), JSON.stringify({ ...good(), key: 'other' }));
    const input = join(dir, 'entry.js');
    writeFileSync(input, "import r from 'utt:registry'; console.log(r);");
    await expect(rollup({ input, plugins: [registryPlugin({ dirs: [dir], only: '' })] })).rejects.toThrow(
      /partner registry has 1 problem\(s\):\n.*acme\.json:\d+:\d+: error \/key: key "other" must equal the file name "acme"/,
    );
  });

  it('points at each problem by LINE:COLUMN, as editors read it', () => {
    const entry = { ...good(), extra: true, key: 'nope' };
    const dir = mkdtempSync(join(tmpdir(), 'utt-reg-'));
    writeFileSync(join(dir, 'acme.json'), JSON.stringify(entry, null, 2));
    const out = formatProblems(loadRegistry({ dirs: [dir], only: '' }).problems);
    const lines = JSON.stringify(entry, null, 2).split('\n');
    const at = (text: string) => `${lines.findIndex((l) => l.includes(text)) + 1}:3`;
    expect(out).toContain(`acme.json:${at('"extra"')}: error /extra: unknown field "extra"`);
    expect(out).toContain(`acme.json:${at('"key"')}: error /key: key "nope" must equal the file name "acme"`);
    writeFileSync(join(dir, 'acme.json'), '{\n  "key": "acme",\n  oops\n}');
    expect(formatProblems(loadRegistry({ dirs: [dir], only: '' }).problems)).toMatch(
      /acme\.json:3:3: error \/: not valid JSON/,
    );
  });

  it('warns on risky entries without failing the build', () => {
    const entry = good() as any;
    entry.csp['img-src'] = ['https://*.com'];
    entry.script = 'https://cdn.acme.example/v1.2.0/{site}.js';
    entry.contact = 'acme team';
    const { entries, problems } = load({ 'acme.json': entry });
    expect(entries.length).toBe(1);
    expect(problems.map((p: any) => `${p.severity} ${p.path}: ${p.message.split(':')[0]}`)).toEqual([
      'warning /csp/img-src/0: "https',
      "warning /script: {site} in the path lets the merchant's value pick the file",
      'warning /script: a versioned script URL without "integrity"',
      'warning /contact: "acme team" is not an e-mail address',
    ]);
    // Constrained placeholders and a query placeholder are fine.
    const safe = good() as any;
    safe.identifiers.site = { type: 'string', enum: ['a', 'b'], label: 'Site', example: 'a' };
    expect(load({ 'acme.json': safe }).problems).toEqual([]);
  });

  it('keeps only the partners named in UTT_PARTNERS', () => {
    const { entries, problems } = loadRegistry({ only: 'bluejay-ads, lumen-chat' });
    expect(problems).toEqual([]);
    expect(entries.map(({ entry }) => entry.key)).toEqual(['bluejay-ads', 'lumen-chat']);
    expect(loadRegistry({ only: 'nope' }).problems[0].message).toMatch(/no partner "nope"/);
  });

  it('keeps the schema file valid JSON Schema that editors can load', () => {
    const schema = JSON.parse(readFileSync('partners/schema.json', 'utf8'));
    expect(schema.$schema).toMatch(/json-schema\.org/);
    for (const { entry } of loadRegistry({ only: '' }).entries) expect(entry.$schema).toBe('./schema.json');
  });
});

describe("a setup stub's names are the vendor's own, never JavaScript's", () => {
  const withStub = (stub: object) => (e: any) => {
    e.setup = { stubs: { acq: stub } };
  };
  // From the engine, not a list: the next name the language adds is covered too.
  const inherited = [
    ...new Set([...Object.getOwnPropertyNames(Object.prototype), ...Object.getOwnPropertyNames(Function.prototype)]),
  ];

  it.each(inherited)('refuses "%s" as a forward, a method and a prop of a function stub', (name) => {
    const found = problemsOf(withStub({ queue: 'q', forward: name, methods: [name], props: { [name]: 1 } }));
    for (const path of ['forward', 'methods/0', `props/${name}`])
      expect(found).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `^acme\\.json /setup/stubs/acq/${path.replace('$', '\\$')}: "${name.replace('$', '\\$')}" belongs to (Object\\.prototype|Function\\.prototype|the stub itself)`,
          ),
        ),
      );
  });

  it("refuses the stub's own prototype, name and length, a queue named like them, and Array.prototype's names on an array stub", () => {
    expect(problemsOf(withStub({ queue: 'q', props: { name: 'x' } }))).toContainEqual(
      expect.stringContaining('/setup/stubs/acq/props/name: "name" belongs to the stub itself'),
    );
    expect(problemsOf(withStub({ queue: 'call' }))).toEqual([
      'acme.json /setup/stubs/acq/queue: "call" belongs to Function.prototype: a stub\'s queue must be a name of the vendor\'s own',
    ]);
    expect(problemsOf(withStub({ methods: ['map'] }))).toEqual([
      'acme.json /setup/stubs/acq/methods/0: "map" belongs to Array.prototype: a stub\'s method must be a name of the vendor\'s own',
    ]);
    // The vendors' own names pass: Meta's fbq, TikTok's ttq.
    expect(
      problemsOf(
        withStub({ queue: 'queue', forward: 'callMethod', methods: ['page', 'track'], props: { loaded: true } }),
      ),
    ).toEqual([]);
  });

  it('points at the name by LINE:COLUMN', () => {
    const entry: any = good();
    entry.setup = { stubs: { acq: { queue: 'q', forward: 'constructor' } } };
    expect(located(entry, '"forward"')).toMatch(
      /^acme\.json:\d+:\d+: error \/setup\/stubs\/acq\/forward: "constructor"/,
    );
  });
});

describe('identifiers a merchant fills in: anchored, used, written', () => {
  it.each([
    ['acme_[0-9]{6}', '^acme_[0-9]{6}$'],
    ['^acme_[0-9]{6}', '^acme_[0-9]{6}$'],
    ['acme_[0-9]{6}$', '^acme_[0-9]{6}$'],
    ['^a$|^b$', '^(?:^a$|^b$)$'],
    ['^[a-z]+\\$', '^[a-z]+\\$$'],
  ])('refuses the unanchored pattern %s, with the anchored one to write: %s', (pattern, fix) => {
    expect(
      problemsOf((e) => {
        e.identifiers.site.pattern = pattern;
        e.identifiers.site.example = 'acme_123456';
      }).filter((p: string) => p.includes('/pattern')),
    ).toEqual([
      `acme.json /identifiers/site/pattern: "${pattern}" is not anchored: it accepts any value that merely contains a match. Write "${fix}"`,
    ]);
  });

  it('an unanchored pattern would let a value through that the anchored one refuses', () => {
    // The runtime tests a pattern as JSON Schema does: a match anywhere in the value.
    expect(/acme_[0-9]{6}/u.test('x acme_123456 &evil=1')).toBe(true);
    expect(/^acme_[0-9]{6}$/u.test('x acme_123456 &evil=1')).toBe(false);
  });

  it.each(['^(?:a|b)$', '^[|$]+$', '^a\\|b$', '^(a|b)(c|d)$', '^\\\\$'])(
    'accepts the anchored pattern %s',
    (pattern) => {
      expect(
        problemsOf((e) => {
          e.identifiers.site.pattern = pattern;
          e.identifiers.site.example = pattern === '^\\\\$' ? '\\' : 'a';
        }).filter((p: string) => p.includes('/pattern')),
      ).toEqual([]);
    },
  );

  it('refuses an identifier used nowhere, in neither the script URL nor the setup block, at its line and column', () => {
    const unused = (e: any) => {
      e.identifiers.region = { type: 'string', enum: ['eu', 'us'], label: 'Region', example: 'eu' };
    };
    expect(problemsOf(unused)).toEqual([
      'acme.json /identifiers/region: "region" is used nowhere: put {region} in the script URL or the setup block, or remove the identifier',
    ]);
    // Used in a setup value, it is fine; so is a use in the script's query.
    expect(
      problemsOf((e) => {
        unused(e);
        e.setup = { globals: { acme_cfg: { zone: 'x-{region}' } } };
      }),
    ).toEqual([]);
    expect(
      problemsOf((e) => {
        unused(e);
        e.script = 'https://cdn.acme.example/t/{site}.js?r={region}';
      }),
    ).toEqual([]);
    const entry: any = good();
    unused(entry);
    expect(located(entry, '"region"')).toMatch(
      /^acme\.json:\d+:5: error \/identifiers\/region: "region" is used nowhere/,
    );
  });

  it('refuses a TODO left from utt partner new, wherever it is', () => {
    expect(
      problemsOf((e) => {
        e.identifiers.site.description = 'TODO: where the merchant finds their site.';
        e.name = 'TODO';
      }),
    ).toEqual([
      'acme.json /name: still the scaffold\'s "TODO": write it for merchants',
      'acme.json /identifiers/site/description: still the scaffold\'s "TODO: where the merchant finds their site.": write it for merchants',
    ]);
    expect(problemsOf((e) => (e.identifiers.site.description = 'Todoist users: the site id'))).toEqual([]);
  });
});
