// The package as a user gets it, from a fresh clone: `git clone` of this
// repository's last commit into a temporary folder, `npm ci`, `npm pack` (whose
// `prepack` builds dist/), then the tarball installed into an empty project
// and used from there as README and docs/ show it: the `utt` command, the ESM
// import (run in Node and type-checked with tsc), and the script-tag files.
// It reaches the npm registry (npm ci, npm install), so it runs in its own
// vitest project, `package`, after the others: `npx vitest run --project package`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = resolve('.');
const temp = mkdtempSync(join(tmpdir(), 'utt-pack-'));
const clone = join(temp, 'clone');
const project = join(temp, 'shop');
const run = (cmd: string, args: string[], cwd = project) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const npx = (...args: string[]) => run('npx', ['--no-install', ...args]);
const utt = (...args: string[]) => npx('utt', ...args);
const quiet = ['--no-audit', '--no-fund', '--prefer-offline'];
/** The clone had no dist/ before `npm pack`: what a fresh clone starts from. */
let builtByPack = false;

beforeAll(() => {
  run('git', ['clone', '--quiet', repo, clone], temp);
  run('npm', ['ci', ...quiet], clone);
  builtByPack = !existsSync(join(clone, 'dist'));
  const tarball = run('npm', ['pack', '--silent', '--pack-destination', temp], clone).trim().split('\n').pop()!;
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'shop', private: true, type: 'module' }));
  run('npm', ['install', ...quiet, '--ignore-scripts', join(temp, tarball)]);
  // A partner engineer's own registry folder in their project.
  mkdirSync(join(project, 'partners'));
  const entry = JSON.parse(readFileSync('partners/bluejay-ads.json', 'utf8'));
  writeFileSync(
    join(project, 'partners', 'bluejay-ads.json'),
    JSON.stringify({ ...entry, $schema: undefined }, null, 2),
  );
  // A manifest where README puts one.
  mkdirSync(join(project, 'manifests'));
  writeFileSync(
    join(project, 'manifests/A12345.json'),
    JSON.stringify({
      version: 1,
      account: 'A12345',
      integrations: [{ id: 'b', partner: 'bluejay-ads', status: 'enabled', identifiers: { accountId: 482913 } }],
    }),
  );
}, 900_000);
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('the packed package, installed', () => {
  it('the clone had no dist/: npm pack built it (prepack), and the tarball ships it, not the sources', () => {
    expect(builtByPack).toBe(true);
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

  it('npx utt --help and --version', () => {
    expect(utt('--help')).toMatch(/^usage: utt <command>[\s\S]*check[\s\S]*csp-check[\s\S]*build-account/);
    expect(utt('--version').trim()).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
  });

  it("utt check: the project's own partners/, and nothing of the package's", () => {
    const out = spawnSync('npx', ['--no-install', 'utt', 'check'], { cwd: project, encoding: 'utf8' });
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/^partner registry: 1 entries, no errors/);
    expect(out.stderr).toBe('');
  });

  it('utt csp-check, as docs/csp.md shows it: blocked is exit 1, with the fix', () => {
    const csp = (...more: string[]) =>
      spawnSync(
        'npx',
        ['--no-install', 'utt', 'csp-check', '--policy', "script-src 'self'; connect-src 'self'"]
          .concat(['--origin', 'https://shop.example', '--manifest', 'manifests/A12345.json'])
          .concat(more),
        { cwd: project, encoding: 'utf8' },
      );
    const table = csp();
    expect(table.status).toBe(1);
    expect(table.stdout).toMatch(/^VERDICT +TARGET/);
    expect(table.stdout).toContain('script-src: add https://tags.bluejay.example');
    const json = csp('--json');
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout).results[0]).toMatchObject({
      target: 'b (bluejay-ads)',
      verdict: 'block',
      fix: { directive: 'script-src', expression: 'https://tags.bluejay.example' },
    });
  });

  it('utt build-account, as README shows it: the file, and with --inline the tag to write into the page', () => {
    expect(utt('build-account', '--manifest', 'manifests/A12345.json', '--out', 'public/utt/')).toMatch(
      /public\/utt\/A12345\.js: 1 integration/,
    );
    expect(readFileSync(join(project, 'public/utt/A12345.js'), 'utf8')).toMatch(
      /^\/\/# allFunctionsCalledOnLoad\n\/\*! utt A12345 [0-9a-f]{12} \*\//,
    );
    expect(
      utt(
        'build-account',
        '--manifest',
        'manifests/A12345.json',
        '--out',
        'public/utt/',
        '--inline',
        'https://cdn.example.com/utt/',
      ),
    ).toMatch(/CSP: script-src 'sha256-[\w+/]{43}='/);
    expect(readFileSync(join(project, 'public/utt/A12345.html'), 'utf8')).toMatch(
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
