// The per-account tag: `utt build-account` checks a manifest with the
// runtime's own rules and inlines it; the runtime then makes no manifest
// request and runs only the checks that need the page.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accountScript, compileAccount, PLACEHOLDER } from '../../build/account.mjs';
import { ACCOUNT_TEMPLATES, templateFor } from '../../build/account-templates.mjs';
import { COMPILE_HINT } from '../../build/compile-hint.mjs';
import { loadRegistry } from '../../build/registry.mjs';
import { integration as int, manifestOf, page, wait } from './page';

const { entries } = loadRegistry({ only: '' });
const NW = int('nw', 'northwind-analytics', { domain: 'shop.example' });
const BJ = int('bj', 'bluejay-ads', { accountId: 482913 });
const META = int('meta', 'meta-pixel', { pixelId: '123456789012345' });
const OFF = int('off', 'orbit-reviews', { storeId: 'acme-outdoor', region: 'eu' }, 'disabled');
const compile = (manifest: unknown, options?: { lenient?: boolean }): { problems: any[]; compiled?: any } =>
  compileAccount(typeof manifest == 'string' ? manifest : JSON.stringify(manifest, null, 2), entries, options);

describe('compileAccount: the manifest checked at build time', () => {
  it('inlines enabled integrations with their built URLs and checked values, disabled ones by id', () => {
    const { problems, compiled } = compile(manifestOf(NW, BJ, OFF));
    expect(problems).toEqual([]);
    const [account, version, list] = compiled;
    expect(account).toBe('A12345');
    expect(version).toMatch(/^[0-9a-f]{12}$/);
    expect(list.map((i: any[]) => i.slice(0, 4))).toEqual([
      ['nw', 'northwind-analytics', 'https://cdn.northwind.example/na.js?d=shop.example', { domain: 'shop.example' }],
      ['bj', 'bluejay-ads', 'https://tags.bluejay.example/v2/482913/tag.js', { accountId: '482913' }],
      ['off', 'orbit-reviews'],
    ]);
    // The version is the publish: the same integrations give the same hash, whatever the spacing.
    expect(compile(JSON.stringify(manifestOf(NW, BJ, OFF))).compiled[1]).toBe(version);
    expect(compile(manifestOf(NW, OFF)).compiled[1]).not.toBe(version);
  });

  it('refuses what the runtime would refuse, each problem at its JSON path', () => {
    const { problems, compiled } = compile(
      manifestOf(
        int('a', 'bluejay-ads', { accountId: 5 }),
        int('a', 'northwind-analytics', { domain: 'shop.example' }),
        int('b', 'nope', {}),
        { id: 'c', partner: 'lumen-chat', status: 'on', identifiers: {} },
        int('d', 'northwind-analytics', { domain: 'shop.example', extra: 1 }),
      ),
    );
    expect(compiled).toBeUndefined();
    expect(problems).toEqual([
      { path: '/integrations/0/identifiers/accountId', message: 'must be 1000 or more' },
      { path: '/integrations/1/id', message: 'integration id "a" is used twice' },
      { path: '/integrations/2/partner', message: 'partner "nope" is not in the registry' },
      { path: '/integrations/3/status', message: 'malformed "status"' },
      { path: '/integrations/4/identifiers/extra', message: '"extra" is not an identifier of northwind-analytics' },
    ]);
  });

  it.each([
    ['{oops', '', 'not valid JSON'],
    [JSON.stringify({ version: 2, account: 'A1', integrations: [] }), '/version', 'not a utt manifest (version)'],
    [JSON.stringify({ version: 1, account: 'bad id!', integrations: [] }), '/account', 'account id must be'],
    [JSON.stringify({ version: 1, account: 'A1', integrations: {} }), '/integrations', '(integrations)'],
  ])('refuses a bad envelope: %s', (text, path, message) => {
    const { problems } = compile(text);
    expect(problems[0].path).toBe(path);
    expect(problems[0].message).toContain(message);
  });

  it("lenient (the demo hub): an invalid integration is inlined to report invalid with the runtime's reason", () => {
    const { problems, compiled } = compile(manifestOf(int('lc', 'lumen-chat', { widgetKey: 'lc_tooshort' })), {
      lenient: true,
    });
    expect(problems).toEqual([]);
    expect(compiled[2]).toEqual([['lc', 'lumen-chat', '', 'widgetKey: pattern']]);
  });

  it('fills the template once, with < escaped, and a comment naming the account and version', () => {
    const { compiled } = compile(manifestOf(int('x', 'northwind-analytics', { domain: 'shop.example' })));
    const js = accountScript(`a;${PLACEHOLDER};b`, [compiled[0], compiled[1], [['</script>', 'k']]]);
    expect(js).toBe(`/*! utt A12345 ${compiled[1]} */a;["A12345","${compiled[1]}",[["\\u003c/script>","k"]]];b`);
    expect(() => accountScript('no placeholder', compiled)).toThrow(/placeholder/);
  });

  it("keeps the template's compile hint on the first line, the comment after it", () => {
    const { compiled } = compile(manifestOf(int('x', 'northwind-analytics', { domain: 'shop.example' })));
    const js = accountScript(`${COMPILE_HINT}a;${PLACEHOLDER};b`, compiled);
    expect(js.startsWith(`${COMPILE_HINT}/*! utt A12345 ${compiled[1]} */a;["A12345"`)).toBe(true);
    // Every built template carries it, and so does utt.js: both run whole while the page loads.
    for (const file of [...ACCOUNT_TEMPLATES.map((t) => t.file), 'utt.js'])
      expect(readFileSync(join('dist', file), 'utf8').startsWith(COMPILE_HINT)).toBe(true);
  });
});

describe('the per-account runtime', () => {
  it('makes no manifest request, loads its partners, and reports its version', async () => {
    const { compiled } = compile(manifestOf(NW, BJ, OFF));
    const p = page({ attrs: {}, compiled });
    await p.settled();
    expect(p.requests).toEqual([]);
    expect(p.injected().map((s) => s.src)).toEqual([
      'https://cdn.northwind.example/na.js?d=shop.example',
      'https://tags.bluejay.example/v2/482913/tag.js',
    ]);
    for (const s of p.injected()) p.fire(s.src, 'load');
    const [outcomes, manifest] = await p.report();
    expect(outcomes.map((o) => [o.id, o.status])).toEqual([
      ['nw', 'loaded'],
      ['bj', 'loaded'],
      ['off', 'disabled'],
    ]);
    expect(manifest).toMatchObject({ account: 'A12345', status: 'ok', version: compiled[1] });
  });

  it('still decides consent (a TCF CMP answers first) and runs a vendor setup block', async () => {
    const { compiled } = compile(manifestOf(NW, META));
    const p = page({
      attrs: {},
      compiled,
      before: (w: any) => {
        w.__tcfapi = (command: string, _v: number, cb: (d: unknown, ok: boolean) => void) =>
          command === 'addEventListener' &&
          setTimeout(() =>
            cb(
              {
                eventStatus: 'tcloaded',
                gdprApplies: true,
                purpose: { consents: {}, legitimateInterests: {} },
                vendor: { consents: {}, legitimateInterests: {} },
              },
              true,
            ),
          );
      },
    });
    await p.settled();
    await wait(10);
    const [outcomes] = await p.report();
    expect(outcomes.map((o) => [o.id, o.status, o.reason])).toEqual([
      ['nw', 'denied-consent', 'tcf: purpose 1'],
      ['meta', 'failed', 'timeout'],
    ]);
    expect(Array.from((p.w as any).fbq.queue[0])).toEqual(['init', '123456789012345']);
  });

  it('the page still decides duplicates: a script the page already has is not injected again', async () => {
    const { compiled } = compile(manifestOf(NW));
    const p = page({
      attrs: {},
      compiled,
      before: (w) => {
        const s = w.document.createElement('script');
        s.src = 'https://cdn.northwind.example/na.js?d=shop.example';
        w.document.head.append(s);
      },
    });
    await p.settled();
    const [outcomes] = await p.report();
    expect(outcomes.map((o) => [o.id, o.status])).toEqual([['nw', 'duplicate']]);
  });
});

describe('the template for an account: just the stages its integrations use', () => {
  const LUMEN = int('chat', 'lumen-chat', { widgetKey: 'lc_9fK2mQ7xL4pR8tV1' });
  const pick = (...list: object[]) => {
    const { compiled, problems } = compile(manifestOf(...list));
    expect(problems).toEqual([]);
    return templateFor(compiled);
  };

  it('load timing only if an enabled integration waits, setup only if a partner has a setup block', () => {
    expect(pick(NW, BJ)).toBe('utt.account.lean.js');
    expect(pick(NW, LUMEN)).toBe('utt.account.timing.js');
    expect(pick(NW, { ...LUMEN, load: 'now' })).toBe('utt.account.lean.js');
    expect(pick(NW, { ...LUMEN, status: 'disabled' })).toBe('utt.account.lean.js');
    expect(pick(BJ, { ...NW, load: 'idle' })).toBe('utt.account.timing.js');
    expect(pick(NW, META)).toBe('utt.account.setup.js');
    expect(pick(META, LUMEN)).toBe('utt.account.js');
  });

  it('each built template keeps exactly its stages', () => {
    // timing.ts listens for pointerdown; setup.ts fills a {"d":1} value with a new Date.
    for (const { file, timing, setup } of ACCOUNT_TEMPLATES) {
      const js = readFileSync(`dist/${file}`, 'utf8');
      expect([js.includes('pointerdown'), js.includes('new Date')], file).toEqual([timing, setup]);
    }
  });
});

describe('utt build-account', () => {
  const cli = (...args: string[]) =>
    spawnSync('node', ['build/cli.mjs', 'build-account', ...args], { encoding: 'utf8' });

  it('writes <account>.js from a good manifest; a bad one gets file:line:column errors and exit 1; usage errors exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'utt-account-'));
    const good = join(dir, 'A12345.json');
    writeFileSync(good, JSON.stringify(manifestOf(NW, BJ), null, 2));
    const out = execFileSync(
      'node',
      ['build/cli.mjs', 'build-account', '--manifest', good, '--out', join(dir, 'out')],
      {
        encoding: 'utf8',
      },
    );
    expect(out).toMatch(
      /A12345\.js: 2 integration\(s\), 2 enabled, version [0-9a-f]{12}, \d+ bytes \(from utt\.account\.lean\.js\)/,
    );
    const js = readFileSync(join(dir, 'out', 'A12345.js'), 'utf8');
    // V8's compile hint first (build/compile-hint.mjs), then the publish's comment.
    expect(js.startsWith(`${COMPILE_HINT}/*! utt A12345 `)).toBe(true);
    expect(js).not.toContain('__UTT_ACCOUNT__');

    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify(manifestOf(int('a', 'bluejay-ads', { accountId: 5 })), null, 2));
    const failed = cli('--manifest', bad, '--out', join(dir, 'out2'));
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(
      /bad\.json:\d+:\d+: error \/integrations\/0\/identifiers\/accountId: must be 1000 or more/,
    );
    expect(cli('--manifest', bad).status).toBe(2);
    expect(cli('--nope').status).toBe(2);
    expect(cli('--help').stdout).toContain('usage: utt build-account');
  });
});
