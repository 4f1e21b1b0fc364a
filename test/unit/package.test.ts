// The package as a user gets it: `npm pack`, installed into an empty project
// (the npm registry is the only network it needs), then used from there: the
// `utt` command, the ESM import (run in Node and type-checked with tsc), and
// the script-tag files.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const repo = resolve('.');
const project = mkdtempSync(join(tmpdir(), 'utt-pack-'));
const run = (cmd: string, args: string[], cwd = project) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const utt = (...args: string[]) => run(join(project, 'node_modules/.bin/utt'), args);

beforeAll(() => {
  const tarball = run('npm', ['pack', '--silent', '--pack-destination', project], repo).trim().split('\n').pop()!;
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'shop', private: true, type: 'module' }));
  run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', join(project, tarball)]);
  // A partner engineer's own registry folder in their project.
  mkdirSync(join(project, 'partners'));
  const entry = JSON.parse(readFileSync('partners/bluejay-ads.json', 'utf8'));
  writeFileSync(
    join(project, 'partners', 'bluejay-ads.json'),
    JSON.stringify({ ...entry, $schema: undefined }, null, 2),
  );
}, 600_000);

describe('the packed package, installed', () => {
  it('ships the built files and the registry, not the sources or the build scripts', () => {
    const root = join(project, 'node_modules/utt-runtime');
    for (const f of [
      'dist/utt.js',
      'dist/utt.csp.js',
      'dist/utt.iab.js',
      'dist/utt.account.js',
      'dist/utt.account.lean.js',
      'dist/cli.mjs',
      'dist/index.mjs',
      'dist/index.d.ts',
      'partners/schema.json',
    ])
      expect(existsSync(join(root, f)), f).toBe(true);
    for (const f of ['src', 'build', 'test', 'demo', 'dist/utt.js.map'])
      expect(existsSync(join(root, f)), f).toBe(false);
  });

  it('the utt command: help, --version, csp-check, check on the project’s partners, build-account', () => {
    expect(utt('help')).toMatch(/^usage: utt <command>[\s\S]*check[\s\S]*csp-check[\s\S]*build-account/);
    expect(utt('--version').trim()).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
    // Blocked: exit 1, and the fix in the JSON.
    const blocked = spawnSync(
      join(project, 'node_modules/.bin/utt'),
      ['csp-check', '--policy', "script-src 'self'", '--origin', 'https://shop.example'].concat([
        '--url',
        'https://tags.bluejay.example/a.js',
        '--json',
      ]),
      { cwd: project, encoding: 'utf8' },
    );
    expect(blocked.status).toBe(1);
    const out = JSON.parse(blocked.stdout);
    expect(out.results[0]).toMatchObject({
      verdict: 'block',
      fix: { directive: 'script-src', expression: 'https://tags.bluejay.example' },
    });
    expect(utt('check')).toMatch(/^partner registry: 1 entries, no errors/);
    writeFileSync(
      join(project, 'A1.json'),
      JSON.stringify({
        version: 1,
        account: 'A1',
        integrations: [{ id: 'b', partner: 'bluejay-ads', status: 'enabled', identifiers: { accountId: 482913 } }],
      }),
    );
    expect(utt('build-account', '--manifest', 'A1.json', '--out', 'out')).toMatch(/out\/A1\.js: 1 integration/);
    expect(readFileSync(join(project, 'out/A1.js'), 'utf8')).toMatch(
      /^\/\/# allFunctionsCalledOnLoad\n\/\*! utt A1 [0-9a-f]{12} \*\//,
    );
    // Written into the page: the same tag inline, and the hash of this publish.
    expect(
      utt('build-account', '--manifest', 'A1.json', '--out', 'out', '--inline', 'https://cdn.example.com/utt/'),
    ).toMatch(/CSP: script-src 'sha256-[\w+/]{43}='/);
    expect(readFileSync(join(project, 'out/A1.html'), 'utf8')).toMatch(
      /^<script data-base="https:\/\/cdn\.example\.com\/utt\/">\/\/# allFunctionsCalledOnLoad\n[\s\S]*<\/script>\n$/,
    );
  });

  it("import { boot } from 'utt-runtime' runs in Node and type-checks with tsc; utt-runtime/utt.js resolves", () => {
    expect(
      run('node', [
        '--input-type=module',
        '-e',
        "import { boot } from 'utt-runtime'; console.log(typeof boot);",
      ]).trim(),
    ).toBe('function');
    expect(
      run('node', [
        '--input-type=module',
        '-e',
        "import { createRequire } from 'node:module'; console.log(createRequire(import.meta.url).resolve('utt-runtime/utt.js'));",
      ]).trim(),
    ).toBe(join(project, 'node_modules/utt-runtime/dist/utt.js'));
    writeFileSync(
      join(project, 'use.ts'),
      "import { boot, type Outcome, type Utt } from 'utt-runtime';\nconst utt: Utt = boot(window, document);\nutt('on', 'integration', (o: Outcome) => o.status);\n",
    );
    const tsc = (file: string) =>
      spawnSync(
        join(repo, 'node_modules/.bin/tsc'),
        ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--lib', 'es2019,dom', file],
        { cwd: project, encoding: 'utf8' },
      );
    expect(tsc('use.ts').stdout).toBe('');
    // And it fails where it should: a command utt does not have is a type error.
    writeFileSync(join(project, 'bad.ts'), "import { boot } from 'utt-runtime';\nboot(window, document)('nope', 1);\n");
    expect(tsc('bad.ts').status).not.toBe(0);
  });
});
