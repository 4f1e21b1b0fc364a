// The bench's verdicts (test/bench/run.mjs, ab.mjs) rest on one statistic: the
// median of paired differences and its sign-test interval. A wrong index or a
// wrong binomial would turn "within the noise" into "met": checked here against
// the definition, with exact arithmetic.
import { describe, expect, it } from 'vitest';
import { machine, paired, settled, showPaired, signTest } from '../bench/measure.mjs';

const ones = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const zeros = (n: number) => new Array(n).fill(0);

/** P(Binomial(n, 1/2) <= k), exactly. */
const cdf = (n: number, k: number) => {
  let sum = BigInt(0);
  let c = BigInt(1);
  for (let i = 0; i <= k; i++) {
    sum += c;
    c = (c * BigInt(n - i)) / BigInt(i + 1);
  }
  return Number(sum) / 2 ** n;
};

describe('paired: median of paired differences, sign-test interval', () => {
  it('11 pairs: the 2nd and 10th differences, at 98.8%', () => {
    expect(paired(ones(11), zeros(11))).toEqual([6, 2, 10, 1 - (2 * 12) / 2048]);
  });

  it('21 pairs: the 6th and 16th differences, at 97.3%', () => {
    const [m, low, high, confidence] = paired(ones(21), zeros(21));
    expect([m, low, high]).toEqual([11, 6, 16]);
    expect(confidence).toBeCloseTo(1 - 2 * cdf(21, 5), 12);
  });

  it('for 6 to 80 pairs, the narrowest interval at 95% or more', () => {
    for (let n = 6; n <= 80; n++) {
      const [, low, , confidence] = paired(ones(n), zeros(n));
      const k = low; // the k-th smallest of 1..n is k
      expect(confidence).toBeCloseTo(1 - 2 * cdf(n, k - 1), 12);
      expect(confidence).toBeGreaterThanOrEqual(0.95);
      // One step narrower falls below 95%.
      expect(1 - 2 * cdf(n, k)).toBeLessThan(0.95);
    }
  });

  it('fewer than 6 pairs: no interval, and no verdict', () => {
    const p = paired(ones(5), zeros(5));
    expect(p[0]).toBe(3);
    expect(p.slice(1, 3).every(Number.isNaN)).toBe(true);
    expect(settled(p, 100)).toBe('unsettled');
  });

  it('leaves out a round where either load could not measure', () => {
    const xs = [...ones(11), Number.NaN];
    const ys = [...zeros(11), 0];
    expect(paired(xs, ys)).toEqual(paired(ones(11), zeros(11)));
    expect(paired([Number.NaN, ...ones(11)], [0, ...zeros(11)])).toEqual(paired(ones(11), zeros(11)));
  });

  it('pairs round by round: what moved both loads of a round cancels', () => {
    // The machine's load moves both by up to 90 ms; one is always 3 ms slower.
    const ys = [50, 140, 60, 130, 70, 120, 80, 110, 90, 100, 95];
    const xs = ys.map((y) => y + 3);
    expect(paired(xs, ys).slice(0, 3)).toEqual([3, 3, 3]);
    expect(settled(paired(xs, ys), 2)).toBe('missed');
    expect(settled(paired(xs, ys), 3)).toBe('met');
  });

  it('signTest: the interval depends only on how many values there are', () => {
    expect(signTest(11)).toEqual([2, 1 - (2 * 12) / 2048]);
    expect(signTest(5)).toEqual([0, 0]);
    for (let n = 6; n <= 40; n++) expect(signTest(n)[1]).toBe(paired(ones(n), zeros(n))[3]);
  });

  it('showPaired: the median and its interval, or says there is none', () => {
    expect(showPaired(paired(ones(11), zeros(11)))).toBe('6.0 (2.0 to 10.0)');
    expect(showPaired(paired(ones(5), zeros(5)))).toBe('3.0 (no interval under 6 rounds)');
    expect(showPaired(paired(ones(11), zeros(11)), ' ms')).toBe('6.0 ms (2.0 to 10.0)');
  });

  it('settled: met only when the whole interval is within the limit, missed only when none of it is', () => {
    expect(settled([5, 1, 4, 0.95], 4)).toBe('met');
    expect(settled([5, 1, 4.1, 0.95], 4)).toBe('unsettled');
    expect(settled([5, 4, 9, 0.95], 4)).toBe('unsettled');
    expect(settled([5, 4.1, 9, 0.95], 4)).toBe('missed');
  });
});

describe('machine: a quiet run from a busy one', () => {
  const steady = Array.from({ length: 21 }, (_, i) => 10 + (i % 3) * 0.5);
  it('quiet: little other load before the run, and the empty page steady', () => {
    expect(machine({ loadPerCore: 0.1, emptyTask: steady }).quiet).toBe(true);
  });
  it('busy: other work on the machine, or an empty page that wanders', () => {
    expect(machine({ loadPerCore: 1.5, emptyTask: steady }).quiet).toBe(false);
    const wandering = steady.map((x, i) => (i % 2 ? x * 2 : x));
    expect(machine({ loadPerCore: 0.1, emptyTask: wandering }).quiet).toBe(false);
    expect(machine({ loadPerCore: 0.1, emptyTask: [] }).quiet).toBe(false);
  });
  it('says why, in figures', () => {
    expect(machine({ loadPerCore: 1.5, emptyTask: steady }).why).toMatch(/load average 1\.50 per core.*spread \d+%/);
  });
});
