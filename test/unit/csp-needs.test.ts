// Every CSP directive a vendor documents is declarable in its entry (font-src,
// style-src, media-src, frame-src, child-src, worker-src…, with https and wss
// hosts, data: and blob:), and each is checked with its fix by the one engine
// the runtime, verify mode and `utt csp-check` share. The fallback lists are data.
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { cspCheck } from '../../build/csp-check.mjs';
import { compileEntry, loadRegistry, PARTNERS_DIR } from '../../build/registry.mjs';
import type { Partner } from '../../src/compiled';
import { fallback, fallbackOf } from '../../src/csp/check';
import { checkMeta } from '../../src/csp/page';
import { attribute } from '../../src/csp/violations';
import { good, load } from './registry-fixture';

const { entries } = loadRegistry({ dirs: [PARTNERS_DIR, 'test/vendors/partners'], only: '' });
const entry = (key: string) => entries.find((e: any) => e.entry.key === key)!.entry;
/** The runtime's needs of an entry (src/compiled.ts, Partner). */
const needsOf = (key: string) => (compileEntry(entry(key)) as Partner)._needs;

describe('CSP needs beyond script-src', () => {
  it('falls back as CSP3 6.8.4 says, for every directive', () => {
    expect(fallback('script')).toEqual(['script-src-elem', 'script-src', 'default-src']);
    expect(fallback('style')).toEqual(['style-src-elem', 'style-src', 'default-src']);
    expect(fallback('worker')).toEqual(['worker-src', 'child-src', 'script-src', 'default-src']);
    expect(fallback('frame')).toEqual(['frame-src', 'child-src', 'default-src']);
    expect(fallback('font')).toEqual(['font-src', 'default-src']);
    expect(fallback('media')).toEqual(['media-src', 'default-src']);
    expect(fallbackOf('script-src-attr')).toEqual(['script-src-attr', 'script-src', 'default-src']);
    expect(fallbackOf('default-src')).toEqual(['default-src']);
  });

  it("compiles every directive of an entry but script-src into the runtime's needs", () => {
    const needs = needsOf('intercom')!;
    expect(new Set(needs.map(([type]) => type))).toEqual(
      new Set(['connect', 'img', 'font', 'media', 'frame', 'child']),
    );
    expect(needs).toContainEqual(['img', 'data:']);
    expect(needs).toContainEqual(['connect', 'wss://nexus-websocket-a.intercom.io']);
  });

  it('the runtime names each refused need with its fix (meta policies)', () => {
    const policy = "default-src 'self'; img-src 'self'; connect-src 'self' https://*.hotjar.com";
    const d = new JSDOM(`<!doctype html><head><meta http-equiv="Content-Security-Policy" content="${policy}"></head>`, {
      url: 'https://shop.example/',
    }).window.document;
    const [script, refused] = checkMeta(d, 'https://static.hotjar.com/c/hotjar-1.js?sv=6', null, needsOf('hotjar'));
    expect(script).toBe('default-src: add https://static.hotjar.com');
    expect(refused).toEqual([
      'connect-src: add https://*.hotjar.io',
      'connect-src: add wss://*.hotjar.com',
      'img-src: add https://*.hotjar.com',
      'default-src: add https://*.hotjar.com',
    ]);
    const [, more] = checkMeta(d, 'https://widget.intercom.io/widget/abc12345', null, needsOf('intercom'));
    expect(more).toEqual(expect.arrayContaining(['img-src: add data:', 'img-src: add blob:']));
  });

  it("a header policy's violation of a declared source is that partner's warning, on the directive holding the list", () => {
    const injected: [string, string, string, [string, string][]][] = [
      ['v', 'intercom', 'https://widget.intercom.io/widget/abc12345', needsOf('intercom')!],
    ];
    const violation = (effectiveDirective: string, blockedURI: string, originalPolicy: string) =>
      ({ effectiveDirective, blockedURI, originalPolicy, disposition: 'enforce' }) as SecurityPolicyViolationEvent;
    expect(
      attribute(violation('font-src', 'https://fonts.intercomcdn.com/a.woff2', "default-src 'self'"), injected),
    ).toEqual([['v', 'intercom', 'default-src: add https://fonts.intercomcdn.com', false]]);
    expect(
      attribute(
        violation('media-src', 'https://js.intercomcdn.com/ding.mp3', "default-src 'self'; media-src 'none'"),
        injected,
      ),
    ).toEqual([['v', 'intercom', 'media-src: add https://js.intercomcdn.com', false]]);
    expect(
      attribute(violation('connect-src', 'wss://nexus-websocket-a.intercom.io/x', "connect-src 'self'"), injected),
    ).toEqual([['v', 'intercom', 'connect-src: add wss://nexus-websocket-a.intercom.io', false]]);
  });

  it('utt csp-check gives each one its fix, and a corrected policy that allows them all', () => {
    const registry = loadRegistry({ dirs: ['test/vendors/partners'], only: '' }).entries.map(({ entry }: any) => entry);
    const base = {
      origin: 'https://shop.example',
      nonce: 'n',
      partner: { key: 'intercom', values: { appId: 'abc12345' } },
      registry,
    };
    const out = cspCheck({
      ...base,
      policies: ["default-src 'self'; script-src 'nonce-n' 'strict-dynamic'; img-src 'self'"],
    });
    const fixes = out.results
      .filter((r: any) => r.fix)
      .map((r: any) => `${r.type} ${r.fix.directive}: add ${r.fix.expression}`);
    expect(fixes).toContain('font default-src: add https://fonts.intercomcdn.com');
    expect(fixes).toContain('media default-src: add https://js.intercomcdn.com');
    expect(fixes).toContain('img img-src: add data:');
    expect(fixes).toContain('connect default-src: add wss://nexus-websocket-a.intercom.io');
    expect(cspCheck({ ...base, policies: [out.policies[0].corrected] }).ok).toBe(true);
  });

  it.each([
    ['font-src', 'https://fonts.acme.example', []],
    ['worker-src', 'blob:', []],
    ['connect-src', 'wss://*.acme.example', []],
    ['img-src', 'http://px.acme.example', ['must match pattern']],
    ['img-src', 'javascript:', ['must match pattern']],
    ['font-src', "'unsafe-inline'", ['must match pattern']],
    ['script-src', 'data:', ['must match pattern']],
    ['navigate-to', 'https://acme.example', ['unknown field "navigate-to"']],
  ])('an entry declaring %s %s: %j', (directive, source, expected) => {
    const e = good();
    const csp = { ...e.csp, [directive]: [source] };
    const problems = load({ 'acme.json': { ...e, csp } }).problems.filter((p: any) => p.severity !== 'warning');
    if (!expected.length) expect(problems).toEqual([]);
    else expect(problems.map((p: any) => p.message).join('\n')).toContain(expected[0]);
  });
});
