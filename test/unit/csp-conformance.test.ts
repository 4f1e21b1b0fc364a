import { describe, expect, it } from 'vitest';
import { CHROMIUM, SPEC } from '../../src/csp/match';
import { CASES, type Case } from '../csp/cases';
import { engines } from '../csp/engines';

const outcome = (engines: number, bit: number) => (engines & bit ? 'allow' : 'block');

describe('CSP conformance table', () => {
  it('has at least 80 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(80);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  it.each(CASES.map((c) => [c.name, c]))('%s', (_, c) => {
    const e = engines(c as Case);
    expect(outcome(e, SPEC), 'spec').toBe((c as Case).spec);
    expect(outcome(e, CHROMIUM), 'chromium').toBe((c as Case).chromium ?? (c as Case).spec);
  });
});
