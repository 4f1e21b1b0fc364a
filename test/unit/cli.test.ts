import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError } from '../../build/cli-error.mjs';
import { cspCheck } from '../../build/csp-check.mjs';
import { loadRegistry } from '../../build/registry.mjs';

const CLI = resolve('build/cli.mjs');
const utt = (...args: string[]) => uttIn('.', ...args);
const uttIn = (cwd: string, ...args: string[]) => {
  const r = spawnSync('node', [CLI, ...args], { encoding: 'utf8', cwd });
  return { code: r.status, out: r.stdout, err: r.stderr, json: () => JSON.parse(r.stdout) };
};
const ORIGIN = ['--origin', 'https://shop.example'];

describe('utt csp-check', () => {
  it('allows, exit 0', () => {
    const r = utt(
      'csp-check',
      '--policy',
      'script-src https://a.example',
      ...ORIGIN,
      '--url',
      'https://a.example/x.js',
      '--json',
    );
    expect(r.code).toBe(0);
    expect(r.json().results[0]).toMatchObject({ verdict: 'allow', directive: 'script-src' });
  });

  it('blocks with the source expression to add and the corrected policy, exit 1', () => {
    const r = utt(
      'csp-check',
      '--policy',
      "default-src 'none'",
      ...ORIGIN,
      '--url',
      'https://a.example/p.gif',
      '--type',
      'img',
      '--json',
    );
    expect(r.code).toBe(1);
    expect(r.json().results[0]).toMatchObject({
      verdict: 'block',
      directive: 'default-src',
      fix: { directive: 'default-src', expression: 'https://a.example' },
    });
    expect(r.json().policies[0].corrected).toBe('default-src https://a.example');
  });

  it('reports varies with per-engine verdicts and the fix that works everywhere', () => {
    const r = utt(
      'csp-check',
      '--policy',
      'script-src https://127.0.0.1',
      ...ORIGIN,
      '--url',
      'https://127.0.0.1/x.js',
      '--json',
    );
    expect(r.code).toBe(1);
    const [result] = r.json().results;
    expect(result.verdict).toBe('varies');
    expect(result.engines).toEqual({ spec: 'block', chromium: 'allow', firefox: 'allow', webkit: 'allow' });
    expect(result.fix.expression).toBe('https:');
  });

  it('checks a partner as utt would load it, nonce included, and its declared needs', () => {
    const policy = "script-src 'nonce-abc'; img-src 'self'";
    const r = utt(
      'csp-check',
      '--policy',
      policy,
      ...ORIGIN,
      '--nonce',
      'abc',
      '--partner',
      'bluejay-ads',
      '--value',
      'accountId=482913',
      '--json',
    );
    expect(r.code).toBe(1);
    expect(r.json().results.map((x: any) => [x.type, x.verdict, x.fix?.expression])).toEqual([
      ['script', 'allow', undefined],
      ['img', 'block', 'https://px.bluejay.example'],
    ]);
  });

  it("under 'strict-dynamic' asks for the nonce on utt's tag, never a host", () => {
    const r = utt(
      'csp-check',
      '--policy',
      "script-src 'nonce-abc' 'strict-dynamic'",
      ...ORIGIN,
      '--partner',
      'northwind-analytics',
      '--value',
      'domain=shop.example',
      '--json',
    );
    // The verdict and the per-engine answers agree: no engine loads what an untrusted tag inserts.
    expect(r.json().results[0]).toMatchObject({
      verdict: 'block',
      engines: { spec: 'block', chromium: 'block', firefox: 'block', webkit: 'block' },
      fix: { nonce: true },
    });
    const ok = utt(
      'csp-check',
      '--policy',
      "script-src 'nonce-abc' 'strict-dynamic'",
      ...ORIGIN,
      '--nonce',
      'abc',
      '--partner',
      'northwind-analytics',
      '--value',
      'domain=shop.example',
    );
    expect(ok.out).toMatch(/^ALLOW .*script/m);
  });

  it('reads raw response headers, several policies, and report-only ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'utt-cli-'));
    const file = join(dir, 'headers.txt');
    writeFileSync(
      file,
      "HTTP/1.1 200 OK\r\nContent-Security-Policy: script-src https:, script-src https://a.example\r\nContent-Security-Policy-Report-Only: script-src 'none'\r\n",
    );
    const r = utt('csp-check', '--header-file', file, ...ORIGIN, '--url', 'https://b.example/x.js', '--json');
    const [result] = r.json().results;
    expect(result).toMatchObject({
      verdict: 'block',
      policy: 1,
      reportOnly: [0],
      fix: { expression: 'https://b.example' },
    });
  });

  it('checks every enabled integration of a manifest, table output', () => {
    const r = utt('csp-check', '--policy', "script-src 'self'", ...ORIGIN, '--manifest', 'demo/sample-manifest.json');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      /^BLOCK +int_1 \(northwind-analytics\) +script .* script-src: add https:\/\/cdn\.northwind\.example$/m,
    );
    expect(r.out).toMatch(/^INVALID +int_5 \(lumen-chat\) .*identifier widgetKey: pattern$/m);
    expect(r.out).not.toMatch(/int_4/);
    expect(r.out).toMatch(
      /corrected policy 1:\n {2}script-src 'self' https:\/\/cdn\.northwind\.example https:\/\/tags\.bluejay\.example https:\/\/static\.orbit\.example/,
    );
  });

  it.each([
    [['--url', 'https://a.example/x.js', ...ORIGIN]],
    [['--policy', 'script-src *', '--url', 'https://a.example/x.js']],
    [['--policy', 'script-src *', ...ORIGIN]],
    [['--policy', 'script-src *', ...ORIGIN, '--url', 'nope']],
    [['--policy', 'script-src *', ...ORIGIN, '--url', 'https://a.example/', '--type', 'font']],
    [['--policy', 'script-src *', ...ORIGIN, '--partner', 'x', '--value', 'novalue']],
    [['--policy', 'script-src *', ...ORIGIN, '--partner', 'x', '--id', 'x=1']],
    [['--bogus']],
  ])('exits 2 with a clear message on bad input: %j', (args) => {
    const r = utt('csp-check', ...args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^utt csp-check: .+\n(\nusage:|$)/);
  });
});

describe('utt', () => {
  it('checks the registry', () => {
    const r = utt('check');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/partner registry: \d+ entries, no errors/);
  });
  it('refuses an unknown command with exit 2', () => {
    expect(utt('frobnicate').code).toBe(2);
  });
});

describe('utt partner new', () => {
  const flags = [
    '--name',
    'Acme Tags',
    '--contact',
    'dev@acme.example',
    '--script',
    'https://cdn.acme.example/t.js?site={site}',
    '--identifier',
    'site:string:shop-1',
    '--connect',
    'https://collect.acme.example',
  ];

  it('writes an entry with $schema, whose TODOs fail utt check until they are written, and prints the next steps', () => {
    const dir = mkdtempSync(join(tmpdir(), 'utt-new-'));
    const r = utt('partner', 'new', 'acme-tags', ...flags, '--partners', dir);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/wrote .*acme-tags\.json/);
    expect(r.out).toMatch(/next steps:\n {2}1\. /);
    const entry = JSON.parse(readFileSync(join(dir, 'acme-tags.json'), 'utf8'));
    // The package's schema, from wherever the entry was written.
    expect(resolve(dir, entry.$schema)).toBe(resolve('partners/schema.json'));
    expect(entry).toMatchObject({
      key: 'acme-tags',
      csp: { 'script-src': ['https://cdn.acme.example'], 'connect-src': ['https://collect.acme.example'] },
      identifiers: { site: { type: 'string', example: 'shop-1' } },
    });
    // The scaffold is written, and says what is left: utt check refuses it, at the TODO's line and column.
    expect(r.out).toMatch(
      /acme-tags\.json:\d+:\d+: error \/identifiers\/site\/description: still the scaffold's "TODO/,
    );
    const line =
      readFileSync(join(dir, 'acme-tags.json'), 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('TODO')) + 1;
    const check = utt('check', '--partners', dir);
    expect(check.code).toBe(1);
    expect(check.err).toMatch(
      new RegExp(`acme-tags\\.json:${line}:\\d+: error /identifiers/site/description: still the scaffold's`),
    );
    entry.identifiers.site.description = 'Settings > Site ID in the Acme console.';
    writeFileSync(join(dir, 'acme-tags.json'), JSON.stringify(entry, null, 2));
    expect(utt('check', '--partners', dir).code).toBe(0);
  });

  it('refuses a key that exists or is not a valid key', () => {
    expect(utt('partner', 'new', 'bluejay-ads', ...flags)).toMatchObject({
      code: 2,
      err: expect.stringMatching(/already exists/),
    });
    expect(utt('partner', 'new', 'Bad_Key', ...flags)).toMatchObject({
      code: 2,
      err: expect.stringMatching(/not a valid key/),
    });
  });

  it('says which value is missing when it cannot ask', () => {
    const r = utt('partner', 'new', 'acme-two', '--name', 'Acme');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/missing --contact/);
  });
});

describe('every subcommand, one way', () => {
  const COMMANDS = [['check'], ['csp-check'], ['build-account'], ['partner', 'new']];

  it.each(COMMANDS)('%s %s --help: its usage, with --partners, exit 0', (...command) => {
    for (const flag of ['--help', '-h']) {
      const r = utt(...command, flag);
      expect([r.code, r.err]).toEqual([0, '']);
      expect(r.out).toMatch(new RegExp(`^usage: utt ${command.join(' ')} `));
      expect(r.out).toContain('--partners <dir>');
    }
  });

  it.each(COMMANDS)('%s %s: an unknown option is exit 2, one line and the usage', (...command) => {
    const r = utt(...command, '--nope');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`^utt ${command.join(' ')}: Unknown option '--nope'.*\n\nusage: `));
  });

  const dir = mkdtempSync(join(tmpdir(), 'utt-files-'));
  writeFileSync(join(dir, 'bad.json'), '{\n  "version": 1,\n  oops\n}');
  writeFileSync(join(dir, 'not-a-folder'), '');
  const csp = ['csp-check', '--policy', "script-src 'self'", ...ORIGIN];
  it.each([
    [
      ['build-account', '--manifest', join(dir, 'missing.json'), '--out', dir],
      /--manifest .*missing\.json: cannot read it \(it does not exist\)$/,
    ],
    [['build-account', '--manifest', dir, '--out', dir], /--manifest .*: cannot read it \(a folder, not a file\)$/],
    [
      ['build-account', '--manifest', join(dir, 'bad.json'), '--out', dir],
      /--manifest .*bad\.json:3:3: not valid JSON/,
    ],
    [[...csp, '--manifest', join(dir, 'missing.json')], /--manifest .*missing\.json: cannot read it/],
    [[...csp, '--manifest', join(dir, 'bad.json')], /--manifest .*bad\.json:3:3: not valid JSON/],
    [
      [...csp, '--header-file', join(dir, 'missing.txt'), '--url', 'https://a.example/'],
      /--header-file .*: cannot read it/,
    ],
    [['check', '--partners', join(dir, 'nope')], /--partners .*nope: cannot read it \(it does not exist\)$/],
    [['check', '--partners', join(dir, 'not-a-folder')], /--partners .*: cannot read it \(not a folder\)$/],
    [[...csp, '--partner', 'bluejay-ads', '--partners', join(dir, 'nope')], /--partners .*nope: cannot read it/],
    [
      ['build-account', '--manifest', join(dir, 'bad.json'), '--out', dir, '--partners', join(dir, 'nope')],
      /--partners .*nope: cannot read it/,
    ],
  ])('a file it cannot use is one line and exit 2, never a stack: %j', (args, message) => {
    const r = utt(...args);
    expect(r.code).toBe(2);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    expect(r.err.trimEnd()).toMatch(new RegExp(`^utt ${args[0]}: ${message.source}`));
  });
});

describe('--partners: one rule for where partners live', () => {
  const entry = JSON.parse(readFileSync('partners/bluejay-ads.json', 'utf8'));
  /** A project folder: with its own partners/ (one entry, Bluejay renamed), or without. */
  const project = (withPartners: boolean) => {
    const dir = mkdtempSync(join(tmpdir(), 'utt-project-'));
    if (withPartners) {
      mkdirSync(join(dir, 'partners'));
      writeFileSync(
        join(dir, 'partners/acme-ads.json'),
        JSON.stringify({ ...entry, $schema: undefined, key: 'acme-ads', name: 'Acme Ads' }, null, 2),
      );
    }
    writeFileSync(
      join(dir, 'A1.json'),
      JSON.stringify({
        version: 1,
        account: 'A1',
        integrations: [{ id: 'a', partner: 'acme-ads', status: 'enabled', identifiers: { accountId: 482913 } }],
      }),
    );
    return dir;
  };
  const csp = ['csp-check', '--policy', "script-src 'self'", ...ORIGIN];

  it('./partners when it exists: check, csp-check and build-account all read it, and only it', () => {
    const dir = project(true);
    expect(uttIn(dir, 'check')).toMatchObject({ code: 0, err: '', out: 'partner registry: 1 entries, no errors\n' });
    const checked = uttIn(dir, ...csp, '--partner', 'acme-ads', '--value', 'accountId=482913', '--json');
    expect(checked.json().results[0]).toMatchObject({ target: 'acme-ads (acme-ads)', verdict: 'block' });
    expect(uttIn(dir, ...csp, '--partner', 'bluejay-ads', '--json').json().results[0].error).toBe(
      'unknown partner "bluejay-ads"',
    );
    const built = uttIn(dir, 'build-account', '--manifest', 'A1.json', '--out', 'out');
    expect([built.code, built.out]).toEqual([0, expect.stringMatching(/^out\/A1\.js: 1 integration/)]);
  });

  it("the package's own when there is none: no warning about its entries, which are not this project's", () => {
    const dir = project(false);
    const r = uttIn(dir, 'check');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toMatch(/^partner registry \(the package's own: no \.\/partners here\): \d+ entries, no errors\n$/);
    // The same entries for every subcommand: acme-ads is not the package's.
    expect(uttIn(dir, 'build-account', '--manifest', 'A1.json', '--out', 'out').err).toMatch(
      /A1\.json:\d+:\d+: error \/integrations\/0\/partner: partner "acme-ads" is not in the registry/,
    );
  });

  it('--partners <dir> wins over ./partners, for every subcommand', () => {
    const dir = project(true);
    const other = project(true);
    rmSync(join(other, 'partners/acme-ads.json'));
    expect(uttIn(dir, 'check', '--partners', join(other, 'partners')).out).toMatch(/^partner registry: 0 entries/);
    expect(
      uttIn(dir, 'build-account', '--manifest', 'A1.json', '--out', 'out', '--partners', join(other, 'partners')).code,
    ).toBe(1);
  });

  it('partner new writes to ./partners of the project it runs in, never into node_modules', () => {
    const dir = project(false);
    const flags = ['--name', 'Acme', '--contact', 'a@acme.example', '--script', 'https://cdn.acme.example/t.js?s={s}'];
    const r = uttIn(dir, 'partner', 'new', 'acme-new', ...flags, '--identifier', 's:string:x1');
    expect(r.out).toMatch(/^wrote partners\/acme-new\.json/);
    expect(existsSync(join(dir, 'partners/acme-new.json'))).toBe(true);
    const installed = join(dir, 'node_modules/utt-runtime/partners');
    mkdirSync(installed, { recursive: true });
    const refused = uttIn(
      dir,
      'partner',
      'new',
      'acme-two',
      ...flags,
      '--identifier',
      's:string:x1',
      '--partners',
      installed,
    );
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/^utt partner new: .*node_modules.* is inside node_modules/);
    expect(existsSync(join(installed, 'acme-two.json'))).toBe(false);
  });
});

describe('cspCheck: the core of utt csp-check, called with objects', () => {
  it('takes policies, response headers (an object or raw text), a manifest object and a registry', () => {
    const entries = loadRegistry({ only: 'bluejay-ads' }).entries.map(({ entry }) => entry);
    const manifest = {
      integrations: [{ id: 'b', partner: 'bluejay-ads', status: 'enabled', identifiers: { accountId: 482913 } }],
    };
    const result = cspCheck({
      headers: {
        'Content-Security-Policy': ["script-src 'self'"],
        'content-security-policy-report-only': "img-src 'none'",
      },
      origin: 'https://shop.example',
      manifest,
      registry: entries,
    });
    expect(result.ok).toBe(false);
    expect(result.results.map((r: any) => [r.type, r.verdict, r.fix?.expression ?? null, r.reportOnly])).toEqual([
      ['script', 'block', 'https://tags.bluejay.example', []],
      ['img', 'allow', null, [0]],
    ]);
    expect(result.policies[0].corrected).toBe("script-src 'self' https://tags.bluejay.example");
    const raw = cspCheck({
      headers: "HTTP/1.1 200 OK\r\nContent-Security-Policy: script-src 'self'\r\n",
      origin: 'https://shop.example',
      manifest,
      registry: entries,
    });
    expect(raw.results).toEqual(result.results.map((r: any) => ({ ...r, reportOnly: [] })));
    expect(() => cspCheck({ origin: 'https://shop.example', url: 'https://a.example/' })).toThrow(CliError);
  });
});
