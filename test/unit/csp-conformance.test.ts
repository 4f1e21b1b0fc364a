// The matcher against every column of the conformance table: the spec's, and
// each engine's (test/engines/csp-conformance checks those columns against the
// engines themselves).
import { describe, expect, it } from 'vitest';
import { ENGINE_NAMES } from '../../src/csp/match';
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
      expect(e & bit ? 'allow' : 'block', name).toBe(name == 'spec' ? c.spec : outcomeIn(c, name as EngineName));
  });
});
