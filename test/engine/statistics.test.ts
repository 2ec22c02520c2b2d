import { describe, expect, it } from 'vitest';
import {
  logGamma,
  mean,
  pairedComparison,
  pairedDifference,
  pairedTTest,
  sampleStandardDeviation,
  studentTCdf,
  studentTQuantile,
  summarize,
  summarizeByDesignPoint,
  welchTTest,
} from '../../src/engine/experiment/statistics';
import type { TrialResult } from '../../src/engine/experiment/trial';
import { madeUpResult } from '../helpers/trials';

describe("Student's t quantiles", () => {
  it('match the printed table (two-sided 95%: the 0.975 quantile)', () => {
    // Any statistics text's t table, three decimals.
    const table: [number, number][] = [
      [1, 12.706],
      [2, 4.303],
      [4, 2.776],
      [9, 2.262],
      [29, 2.045],
      [120, 1.98],
    ];
    for (const [df, t] of table) expect(studentTQuantile(0.975, df)).toBeCloseTo(t, 3);
    expect(studentTQuantile(0.975, 1e7)).toBeCloseTo(1.96, 3);
    // Other levels: the 0.95 and 0.995 quantiles.
    expect(studentTQuantile(0.95, 5)).toBeCloseTo(2.015, 3);
    expect(studentTQuantile(0.995, 10)).toBeCloseTo(3.169, 3);
  });

  it('are symmetric and invert the CDF', () => {
    expect(studentTQuantile(0.025, 7)).toBeCloseTo(-studentTQuantile(0.975, 7), 10);
    expect(studentTQuantile(0.5, 3)).toBe(0);
    expect(studentTCdf(studentTQuantile(0.9, 6.5), 6.5)).toBeCloseTo(0.9, 10);
    // df 1 is the Cauchy distribution: P(T <= 1) = 3/4.
    expect(studentTCdf(1, 1)).toBeCloseTo(0.75, 12);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 13);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 13);
    expect(() => studentTQuantile(1, 3)).toThrow(/strictly between 0 and 1/);
    expect(() => studentTQuantile(0.9, 0)).toThrow(/degrees of freedom/);
  });
});

describe('summaries', () => {
  it('give the mean, sample sd and t interval of a hand-worked example', () => {
    // 1..5: mean 3, s = sqrt(2.5) = 1.5811, half-width = 2.776 * 1.5811 / sqrt(5) = 1.963.
    const summary = summarize([1, 2, 3, 4, 5]);
    expect(summary.n).toBe(5);
    expect(summary.mean).toBe(3);
    expect(summary.sd).toBeCloseTo(Math.sqrt(2.5), 12);
    expect(summary.halfWidth).toBeCloseTo(1.963, 3);
    expect(summary.ciLow).toBeCloseTo(3 - 1.963, 3);
    expect(summary.ciHigh).toBeCloseTo(3 + 1.963, 3);
  });

  it('have no interval for one value', () => {
    const one = summarize([4]);
    expect(one.sd).toBe(0);
    expect(one.halfWidth).toBeNaN();
    expect(() => mean([])).toThrow(/no values/);
    expect(() => sampleStandardDeviation([])).toThrow(/no values/);
  });

  it('reproduce the paired-observation example of Jain (1991), Example 13.4', () => {
    // Six workloads on systems A and B; 90% interval of the mean difference is (-7.75, 7.11).
    const a = [5.4, 16.6, 0.6, 1.4, 0.6, 7.3];
    const b = [19.1, 3.5, 3.4, 2.5, 3.6, 1.7];
    const difference = pairedDifference(a, b, 0.9);
    expect(difference.mean).toBeCloseTo(-0.32, 2);
    expect(difference.sd).toBeCloseTo(9.03, 2);
    // The book rounds the mean and the standard error before multiplying: two decimals apart.
    expect(Math.abs(difference.ciLow - -7.75)).toBeLessThan(0.01);
    expect(Math.abs(difference.ciHigh - 7.11)).toBeLessThan(0.01);
    expect(() => pairedDifference([1], [1, 2])).toThrow(/differ in length/);
  });
});

describe('t tests of a difference', () => {
  // Student's (1908) sleep data, as R ships it: extra hours of sleep under two drugs, ten patients.
  const drug1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
  const drug2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

  it('paired: R t.test(drug1, drug2, paired = TRUE) gives t = -4.0621, df = 9, p = 0.002833', () => {
    const test = pairedTTest(drug1, drug2);
    expect(test.n).toBe(10);
    expect(test.difference).toBeCloseTo(-1.58, 10);
    expect(test.t).toBeCloseTo(-4.0621, 4);
    expect(test.df).toBe(9);
    expect(test.p).toBeCloseTo(0.002833, 6);
    expect(test.ciLow).toBeCloseTo(-2.4598858, 6);
    expect(test.ciHigh).toBeCloseTo(-0.7001142, 6);
  });

  it('Welch: R t.test(drug1, drug2) gives t = -1.8608, df = 17.776, p = 0.07939', () => {
    const test = welchTTest(drug1, drug2);
    expect(test.n).toEqual({ a: 10, b: 10 });
    expect(test.t).toBeCloseTo(-1.8608, 4);
    expect(test.df).toBeCloseTo(17.776, 3);
    expect(test.p).toBeCloseTo(0.07939, 5);
    expect(test.ciLow).toBeCloseTo(-3.3654832, 6);
    expect(test.ciHigh).toBeCloseTo(0.2054832, 6);
  });

  it('say what they cannot: one value a side has no interval; no spread is all or nothing', () => {
    const single = welchTTest([3], [1, 2]);
    expect(single.difference).toBe(1.5);
    expect(single.halfWidth).toBeNaN();
    expect(single.p).toBeNaN();
    // Every pair differs by exactly 2: certain, with an interval of width 0.
    const exact = pairedTTest([5, 6, 7], [3, 4, 5]);
    expect([exact.difference, exact.halfWidth, exact.p, exact.t]).toEqual([2, 0, 0, Infinity]);
    expect(pairedTTest([5, 6], [5, 6]).p).toBe(1);
    expect(welchTTest([4, 4], [4, 4]).p).toBe(1);
  });
});

function result(
  strategy: TrialResult['strategy'],
  replication: number,
  endToEndSeconds: number,
  ok = true,
): TrialResult {
  const metrics = { endToEndSeconds, bytesTotal: 10 * endToEndSeconds };
  return madeUpResult({ strategy, replication, metrics, ok });
}

describe('design-point summaries and paired comparisons', () => {
  const results = [
    result('pure-copy', 0, 10),
    result('pure-iou', 0, 7),
    result('pure-copy', 1, 12),
    result('pure-iou', 1, 8),
    result('pure-copy', 2, 11),
    result('pure-iou', 2, 9),
    result('pure-iou', 3, 0, false),
  ];

  it('group replications by design point and summarize every metric', () => {
    const summaries = summarizeByDesignPoint(results);
    expect(summaries.map((summary) => summary.label)).toEqual([
      'W pure-copy perq-1987',
      'W pure-iou pf0 perq-1987',
    ]);
    const copy = summaries[0]!;
    expect(copy.replications).toEqual([0, 1, 2]);
    expect(copy.metrics.endToEndSeconds!.mean).toBe(11);
    expect(copy.metrics.endToEndSeconds!.sd).toBe(1);
    // t(0.975, 2) = 4.303; 4.303 * 1 / sqrt(3) = 2.484
    expect(copy.metrics.endToEndSeconds!.halfWidth).toBeCloseTo(2.484, 3);
    expect(copy.metrics.bytesTotal!.mean).toBe(110);
    // Only the metrics asked for, at another level: t(0.95, 2) = 2.920.
    const [few] = summarizeByDesignPoint(results, { metrics: ['bytesTotal'], confidence: 0.9 });
    expect(Object.keys(few!.metrics)).toEqual(['bytesTotal']);
    expect(few!.metrics.bytesTotal!.halfWidth).toBeCloseTo((2.92 * 10) / Math.sqrt(3), 2);
  });

  it('pair strategies replication by replication', () => {
    const copy = results.filter((r) => r.strategy === 'pure-copy');
    const iou = results.filter((r) => r.strategy === 'pure-iou');
    const paired = pairedComparison(copy, iou, (m) => m.endToEndSeconds);
    // differences 3, 4, 2: mean 3, sd 1; the failed replication 3 is left out.
    expect(paired.replications).toEqual([0, 1, 2]);
    expect(paired.mean).toBe(3);
    expect(paired.halfWidth).toBeCloseTo(2.484, 3);
    expect(() => pairedComparison(copy, [], (m) => m.endToEndSeconds)).toThrow(/no replication/);
  });
});
