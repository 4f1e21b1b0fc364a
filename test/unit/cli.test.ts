import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const utt = (...args: string[]) => {
  const r = spawnSync('node', ['build/cli.mjs', ...args], { encoding: 'utf8' });
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
      '--id',
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
      '--id',
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
      '--id',
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
    [['--policy', 'script-src *', ...ORIGIN, '--partner', 'x', '--id', 'novalue']],
    [['--policy', 'script-src *', ...ORIGIN, '--manifest', '/no/such/file']],
    [['--bogus']],
  ])('exits 2 with a clear message on bad input: %j', (args) => {
    const r = utt('csp-check', ...args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^utt csp-check: .+\n\nusage:/);
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
    '--id',
    'site:string:shop-1',
    '--connect',
    'https://collect.acme.example',
  ];

  it('writes an entry with $schema that passes the check, and prints the next steps', () => {
    const dir = mkdtempSync(join(tmpdir(), 'utt-new-'));
    const r = utt('partner', 'new', 'acme-tags', ...flags, '--dir', dir);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/wrote .*acme-tags\.json/);
    expect(r.out).toMatch(/next steps:\n {2}1\. /);
    const entry = JSON.parse(readFileSync(join(dir, 'acme-tags.json'), 'utf8'));
    expect(entry).toMatchObject({
      $schema: './schema.json',
      key: 'acme-tags',
      csp: { 'script-src': ['https://cdn.acme.example'], 'connect-src': ['https://collect.acme.example'] },
      identifiers: { site: { type: 'string', example: 'shop-1' } },
    });
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
