// dist/utt.js builds the CSP engine with __FULL_CSP__ false. That lean build
// must answer "does some engine allow this?" exactly as the full one does,
// on every case of the conformance table.
import replace from '@rollup/plugin-replace';
import typescript from '@rollup/plugin-typescript';
import { rollup } from 'rollup';
import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/csp/check';
import { ENGINES } from '../../src/csp/match';
import { parsePolicies } from '../../src/csp/parse';
import { CASES } from '../csp/cases';
import { requestOf } from '../csp/engines';

let lean: { check: typeof check };
let leanSource = '';

beforeAll(async () => {
  const bundle = await rollup({
    input: 'src/csp/check.ts',
    plugins: [
      replace({ preventAssignment: true, values: { __FULL_CSP__: 'false' } }),
      typescript({ tsconfig: './tsconfig.json', include: ['src/**'], compilerOptions: { noEmit: false } }),
    ],
    onwarn() {},
  });
  const { output } = await bundle.generate({ format: 'cjs' });
  leanSource = output[0].code;
  // Test code only: the lean bundle is evaluated as CommonJS to get at its exports.
  const module = { exports: {} as typeof lean };
  new Function('module', 'exports', leanSource)(module, module.exports);
  lean = module.exports;
}, 30_000);

describe('the lean CSP build of dist/utt.js', () => {
  it('drops the spec-only code', () => {
    expect(leanSource).not.toMatch(/specPath/);
    expect(leanSource).toMatch(/enginePath/);
  });

  it.each(CASES.map((c) => [c.name, c]))('agrees with the full build on whether some engine allows: %s', (_, c) => {
    const request = requestOf(c);
    const policies = parsePolicies(c.policy);
    const full = check(policies, [], request).engines & ENGINES;
    const leanResult = lean.check(policies, [], request).engines & ENGINES;
    expect(!!leanResult).toBe(!!full);
  });
});
