// The matcher against every column of the conformance table: the spec's, and
// each engine's (test/engines/csp-conformance checks those columns against the
// engines themselves).
import { describe, expect, it } from 'vitest';
import { addSource, check } from '../../src/csp/check';
import { ENGINE_NAMES } from '../../src/csp/match';
import { parsePolicies } from '../../src/csp/parse';
import { CASES, type Case, type EngineName, outcomeIn } from '../csp/cases';
import { engines } from '../csp/engines';

describe('CSP conformance table', () => {
  it('has at least 80 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(80);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_, c: Case) => {
    const e = engines(c);
    for (const [name, bit] of ENGINE_NAMES)
      expect(e & bit ? 'allow' : 'block', name).toBe(name === 'spec' ? c.spec : outcomeIn(c, name as EngineName));
  });
});

describe('the fix check() proposes: one rule for the runtime, verify mode and utt csp-check', () => {
  const self = new URL('https://shop.example/');
  const url = new URL('https://tags.partner.example/t.js');

  it("adds the URL's origin to the directive that decided, dropping a lone 'none'", () => {
    const [policy] = parsePolicies("script-src 'none'; img-src 'self'");
    const { fix } = check([policy], [], { url, type: 'script', self });
    expect(fix).toEqual({
      directive: 'script-src',
      expression: 'https://tags.partner.example',
      policy: "script-src https://tags.partner.example; img-src 'self'",
      nonce: false,
    });
    expect(addSource(policy, 'img-src', 'https://a.example')['img-src']).toEqual(["'self'", 'https://a.example']);
  });

  it("under 'strict-dynamic', an untrusted insertion gets the nonce fix, never a host", () => {
    const [policy] = parsePolicies("script-src 'nonce-abc' 'strict-dynamic'");
    const { verdict, fix } = check([policy], [], { url, type: 'script', self, untrusted: true });
    expect(verdict).toBe('block');
    expect(fix).toMatchObject({ directive: 'script-src', expression: '', nonce: true });
    // utt's own insertions are trusted (the runtime, verify mode): nothing to fix.
    expect(check([policy], [], { url, type: 'script', self }).fix).toBeUndefined();
  });
});
