// The per-account tag: `utt build-account` checks a manifest with the
// runtime's own rules and inlines it; the runtime then makes no manifest
// request and runs only the checks that need the page.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { accountScript, baseURL, compileAccount, inlineTag, PLACEHOLDER } from '../../build/account.mjs';
import { ACCOUNT_TEMPLATES, templateFor } from '../../build/account-templates.mjs';
import { COMPILE_HINT } from '../../build/compile-hint.mjs';
import { loadRegistry } from '../../build/registry.mjs';
import { advance, fakeClock, integration as int, manifestOf, page } from './page';

fakeClock();

const { entries } = loadRegistry({ only: '' });
const NW = int('nw', 'northwind-analytics', { domain: 'shop.example' });
const BJ = int('bj', 'bluejay-ads', { accountId: 482913 });
const META = int('meta', 'meta-pixel', { pixelId: '123456789012345' });
/** A partner with no setup block, hence no events: the lean template's. */
const OR = int('or', 'orbit-reviews', { storeId: 'acme-outdoor', region: 'eu' });
const TP = int('tp', 'tidepool-personalize', { workspace: '3f2c8a1e-9b7d-4c5e-8f10-2a6b4d9e7c31' });
const OFF = int('off', 'orbit-reviews', { storeId: 'acme-outdoor', region: 'eu' }, 'disabled');
const compile = (manifest: unknown, options?: { lenient?: boolean }): { problems: any[]; compiled?: any } =>
  compileAccount(typeof manifest === 'string' ? manifest : JSON.stringify(manifest, null, 2), entries, options);

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
        // An optional identifier may be left out, but one given must match.
        int('e', 'linkedin-insight', { partnerId: '123456', purchaseConversionId: 'abc' }),
        int('f', 'linkedin-insight', { partnerId: '654321' }),
      ),
    );
    expect(compiled).toBeUndefined();
    expect(problems).toEqual([
      { path: '/integrations/0/identifiers/accountId', message: 'must be 1000 or more' },
      { path: '/integrations/1/id', message: 'integration id "a" is used twice' },
      { path: '/integrations/2/partner', message: 'partner "nope" is not in the registry' },
      { path: '/integrations/3/status', message: 'malformed "status"' },
      { path: '/integrations/4/identifiers/extra', message: '"extra" is not an identifier of northwind-analytics' },
      { path: '/integrations/5/identifiers/purchaseConversionId', message: 'must be a whole number' },
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
    expect(compiled[2]).toEqual([['lc', 'lumen-chat', 'invalid', 'widgetKey: pattern']]);
  });

  it('lenient (the demo hub): a partner gone from the registry is inlined to report unknown-partner', () => {
    const strict = compile(manifestOf(int('gone', 'acme-retired', {})));
    expect(strict.problems[0]).toMatchObject({ path: '/integrations/0/partner' });
    const { problems, compiled } = compile(manifestOf(int('gone', 'acme-retired', {})), { lenient: true });
    expect(problems).toEqual([]);
    expect(compiled[2]).toEqual([['gone', 'acme-retired', 'unknown-partner', 'acme-retired']]);
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

  it('inserts its partners first: no event, listener, timer or other script of utt comes before them in its first task', async () => {
    const { compiled } = compile(manifestOf(NW, BJ, OFF));
    // What utt does to the page, in order, from the moment the tag reads the snippet's queue.
    const log: string[] = [];
    let booted = false;
    const record = (line: string) => booted && log.push(line);
    const p = page({
      attrs: { 'data-costs': '' },
      compiled,
      before: (w) => {
        // jsdom's selector engine adds listeners of its own on its first query: made here, before.
        w.document.querySelector('head');
        const { appendChild } = w.Node.prototype;
        w.Node.prototype.appendChild = function (this: Node, node: Node) {
          const scripts = node.nodeName === 'SCRIPT' ? [node] : Array.from(node.childNodes);
          // Into the page (not into utt's fragment), with how many timers utt has set by then
          // (the clock is fake: none runs inside this task).
          if (this.isConnected)
            record(
              `insert ${scripts.map((s) => (s as HTMLScriptElement).src).join(' ')} (${vi.getTimerCount()} timers)`,
            );
          return appendChild.call(this, node) as never;
        } as never;
        const { addEventListener, dispatchEvent } = w.EventTarget.prototype;
        w.EventTarget.prototype.addEventListener = function (
          this: EventTarget,
          ...args: Parameters<EventTarget['addEventListener']>
        ) {
          record(`listen ${args[0]}`);
          return addEventListener.apply(this, args);
        };
        w.EventTarget.prototype.dispatchEvent = function (this: EventTarget, e: Event) {
          record(`event ${e.type}`);
          return dispatchEvent.call(this, e);
        };
        // The snippet's stub, with the merchant's listener queued before the tag came.
        const stub: any = function () {
          // biome-ignore lint/complexity/noArguments: the snippet queues the arguments object itself
          stub.q.push(arguments);
        };
        stub.q = [];
        stub('on', 'integration', (o: { id: string }) => log.push(`heard ${o.id}`));
        Object.defineProperty(w, 'utt', {
          configurable: true,
          get: () => {
            booted = true;
            return stub;
          },
        });
      },
    });
    // The tag's task has returned: what it did before then, and the end of that task (its microtasks).
    const task = log.length;
    await Promise.resolve();
    const first = log.findIndex((l) => l.startsWith('insert https://cdn.northwind'));
    expect(first).toBeGreaterThanOrEqual(0);
    expect(log[first]).toBe(
      'insert https://cdn.northwind.example/na.js?d=shop.example https://tags.bluejay.example/v2/482913/tag.js (0 timers)',
    );
    // Nothing of utt's before the partners.
    expect(log.slice(0, first)).toEqual([]);
    // Then, in the same task: load and error listeners, the violation listener, utt.cost.js (data-costs).
    expect(log.slice(first + 1, task)).toEqual([
      'listen load',
      'listen error',
      'listen securitypolicyviolation',
      // Two timers by then: the partners' timeout, and the chunk's.
      'insert https://cdn.utt.example/v1/utt.cost.js (2 timers)',
    ]);
    // At its end, the page hears: the manifest, then each integration in order, events and listeners alike.
    expect(log.slice(task)).toEqual([
      'event utt:manifest',
      'event utt:manifest',
      'event utt:integration',
      'heard nw',
      'event utt:integration',
      'heard bj',
      'event utt:integration',
      'heard off',
    ]);
    expect(p.events.map((o) => [o.id, o.status])).toEqual([
      ['nw', 'injected'],
      ['bj', 'injected'],
      ['off', 'disabled'],
    ]);
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
    await advance(10);
    const [outcomes] = await p.report();
    expect(outcomes.map((o) => [o.id, o.status, o.reason])).toEqual([
      ['nw', 'denied-consent', 'tcf: purpose 1'],
      ['meta', 'failed', 'timeout'],
    ]);
    expect(Array.from((p.w as any).fbq.queue[1])).toEqual(['init', '123456789012345']);
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

describe('the per-account tag written into the page (no src)', () => {
  const CMP = (w: any) => {
    w.__tcfapi = () => {};
  };
  const chunks = (p: { d: Document }) =>
    Array.from(p.d.querySelectorAll('script'))
      .map((s) => s.src)
      .filter((src) => /utt\.\w+\.js$/.test(src));

  it("loads utt's own files from the folder data-base names, and its partners as from a file", async () => {
    const { compiled } = compile(manifestOf(NW));
    const p = page({ attrs: { 'data-base': 'https://cdn.utt.example/v1/' }, src: '', compiled, before: CMP });
    await p.settled();
    expect(p.requests).toEqual([]);
    expect(chunks(p)).toEqual(['https://cdn.utt.example/v1/utt.iab.js']);
  });

  it("without data-base, from the page's own folder; a data-base that is no URL fails like a chunk that does not load", async () => {
    const { compiled } = compile(manifestOf(NW));
    const plain = page({ attrs: {}, src: '', compiled, before: CMP });
    await plain.settled();
    expect(chunks(plain)).toEqual(['https://shop.example/product/utt.iab.js']);

    const broken = page({ attrs: { 'data-base': 'https://[' }, src: '', compiled, before: CMP });
    await broken.settled();
    expect(chunks(broken)).toEqual([]);
    // The CMP is then as silent as one that never answers: no partner that needs consent under TCF loads.
    const [outcomes] = await broken.report();
    expect(outcomes.map((o) => [o.id, o.status])).toEqual([['nw', 'denied-consent']]);
  });

  it("a tag served from the merchant's own server takes utt's files from data-base too, or else from beside itself", async () => {
    const { compiled } = compile(manifestOf(NW));
    const self = { src: 'https://shop.example/js/A12345.js', compiled, before: CMP };
    const p = page({ ...self, attrs: { 'data-base': 'https://cdn.utt.example/v1/' } });
    await p.settled();
    expect(chunks(p)).toEqual(['https://cdn.utt.example/v1/utt.iab.js']);
    const beside = page({ ...self, attrs: {} });
    await beside.settled();
    expect(chunks(beside)).toEqual(['https://shop.example/js/utt.iab.js']);
  });
});

describe('the template for an account: just the stages its integrations use', () => {
  const LUMEN = int('chat', 'lumen-chat', { widgetKey: 'lc_9fK2mQ7xL4pR8tV1' });
  const pick = (...list: object[]) => {
    const { compiled, problems } = compile(manifestOf(...list));
    expect(problems).toEqual([]);
    return templateFor(compiled);
  };

  it('load timing only if an enabled integration waits, setup only if a partner has a setup block, events only if one maps an event', () => {
    const LINKEDIN = int('li', 'linkedin-insight', { partnerId: '123456' });
    expect(pick(OR, TP)).toBe('utt.account.lean.js');
    expect(pick(OR, LUMEN)).toBe('utt.account.timing.js');
    expect(pick(OR, { ...LUMEN, load: 'now' })).toBe('utt.account.lean.js');
    expect(pick(OR, { ...LUMEN, status: 'disabled' })).toBe('utt.account.lean.js');
    expect(pick(TP, { ...OR, load: 'idle' })).toBe('utt.account.timing.js');
    expect(pick(OR, LINKEDIN)).toBe('utt.account.setup.basic.js');
    // Its mappings name optional conversion ids: with one set, that mapping (and the events code) comes along.
    expect(pick(OR, int('li', 'linkedin-insight', { partnerId: '123456', purchaseConversionId: 42 }))).toBe(
      'utt.account.setup.events.js',
    );
    expect(pick(OR, META)).toBe('utt.account.setup.events.js');
    // The demo's own ads and analytics partners map events too.
    expect(pick(OR, BJ)).toBe('utt.account.setup.events.js');
    expect(pick(NW, { ...BJ, status: 'disabled' })).toBe('utt.account.setup.events.js');
    expect(pick(TP, { ...NW, status: 'disabled' })).toBe('utt.account.lean.js');
    expect(pick(META, LUMEN)).toBe('utt.account.events.js');
    expect(pick(LINKEDIN, LUMEN)).toBe('utt.account.basic.js');
    expect(pick({ ...META, status: 'disabled' }, LUMEN)).toBe('utt.account.timing.js');
  });

  it('each built template keeps exactly its stages', () => {
    // timing.ts listens for pointerdown; setup.ts fills a {"d":1} value with a new Date; the events stage
    // is utt.events.js, which the tag's `track` (and its dataLayer listener) loads.
    for (const { file, timing, setup, events } of ACCOUNT_TEMPLATES) {
      const js = readFileSync(`dist/${file}`, 'utf8');
      expect([js.includes('pointerdown'), js.includes('new Date'), js.includes('dataLayer')], file).toEqual([
        timing,
        setup,
        events,
      ]);
      expect(js.includes('no-mapping'), `${file} carries no events stage of its own`).toBe(false);
    }
  });
});

describe('inlineTag and baseURL: the tag written into the page', () => {
  it('wraps the JS whole, gives the CSP hash of exactly that text, and escapes its attributes', () => {
    const js = 'var a = "\\u00e9";\n';
    const { html, hash } = inlineTag(js, 'https://cdn.example/u/?a=1&b="', {
      nonce: 'n"<>é😀',
      'data-consent': 'required',
    });
    expect(html).toBe(
      `<script data-base="https://cdn.example/u/?a=1&#38;b=&#34;" nonce="n&#34;&#60;&#62;&#233;&#128512;" data-consent="required">${js}</script>`,
    );
    expect(hash).toBe(`'sha256-${createHash('sha256').update(Buffer.from(js, 'utf8')).digest('base64')}'`);
  });

  it.each(['a="</script>"', 'a="</SCRIPT "', 'a="<!--"', 'a="<script>"', 'a="é"', 'a="\u2028"'])(
    'refuses JS the HTML parser would cut short or hold open: %s',
    (js) => {
      expect(() => inlineTag(js, 'https://cdn.example/')).toThrow(/cannot be inlined/);
    },
  );

  it('a built tag can always be inlined: the data escapes < and every non-ASCII character, and no template holds one of those', () => {
    const { compiled } = compile(manifestOf(int('x', 'northwind-analytics', { domain: 'shop.example' })));
    const data = [compiled[0], compiled[1], [['</script><!--', 'k', '', { note: 'café\u2028\u2029ノ😀' }]]];
    for (const { file } of ACCOUNT_TEMPLATES) {
      const js = accountScript(readFileSync(join('dist', file), 'utf8'), data);
      expect(() => inlineTag(js, 'https://cdn.example/')).not.toThrow();
      // Each code unit as \uXXXX, which reads back as the exact value.
      const escaped = '"caf\\u00e9\\u2028\\u2029\\u30ce\\ud83d\\ude00"';
      expect(js).toContain(escaped);
      expect(JSON.parse(escaped)).toBe('café\u2028\u2029ノ😀');
    }
  });

  it.each([
    ['https://cdn.utt.example/v1/', undefined],
    ['http://localhost:8080/', undefined],
    ['http://shop.localhost:1/utt/', undefined],
    ['http://cdn.utt.example/', 'must be https'],
    ['https://cdn.utt.example/utt.js', 'must name a folder'],
    ['https://cdn.utt.example/?v=1', 'must name a folder'],
    ['https://user:pw@cdn.utt.example/', 'credentials'],
    ['/utt/', 'not an absolute URL'],
    ['javascript:alert(1)//', 'must be https'],
  ])('baseURL(%s)', (text, problem) => {
    const got = baseURL(text);
    if (problem) expect(got.problem).toContain(problem);
    else expect(got).toEqual({ href: text });
  });
});

describe('utt build-account', () => {
  const cli = (...args: string[]) =>
    spawnSync('node', ['build/cli.mjs', 'build-account', ...args], { encoding: 'utf8' });

  it('writes <account>.js from a good manifest; a bad one gets file:line:column errors and exit 1; usage errors exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'utt-account-'));
    const good = join(dir, 'A12345.json');
    writeFileSync(good, JSON.stringify(manifestOf(OR, TP), null, 2));
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
    // It says where the chunks it loads on demand come from.
    expect(out).toContain('  serve utt.csp.js, utt.iab.js and utt.cost.js (from dist) beside it: it loads them');
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

    // --inline: the same tag as <account>.html, with the CSP hash of its script printed.
    const inline = cli('--manifest', good, '--out', join(dir, 'in'), '--inline', 'https://cdn.utt.example/v1/');
    expect(inline.status).toBe(0);
    const html = readFileSync(join(dir, 'in', 'A12345.html'), 'utf8');
    const inner = readFileSync(join(dir, 'in', 'A12345.js'), 'utf8');
    expect(html).toBe(`<script data-base="https://cdn.utt.example/v1/">${inner}</script>\n`);
    expect(inner).not.toContain('sourceMappingURL');
    const hash = createHash('sha256').update(inner).digest('base64');
    expect(inline.stdout).toContain(
      `A12345.html: the tag to write into the page's HTML, utt's files from https://cdn.utt.example/v1/`,
    );
    expect(inline.stdout).toContain(
      `CSP: script-src 'sha256-${hash}' (this publish only), or the page's nonce on the <script>`,
    );
    const plainHttp = cli('--manifest', good, '--out', join(dir, 'in2'), '--inline', 'http://cdn.utt.example/');
    expect([plainHttp.status, plainHttp.stderr.split('\n')[0]]).toEqual([
      2,
      'utt build-account: --inline http://cdn.utt.example/: must be https (http only on localhost)',
    ]);
    expect(cli('--nope').status).toBe(2);
    expect(cli('--help').stdout).toContain('usage: utt build-account');
  });
});
