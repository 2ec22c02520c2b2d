import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { compare, variantOf } from '../../src/shared/figures/comparison';
import { useResultsStore } from '../../src/renderer/src/stores/results';
import { okResult } from './fakeHost';

describe('results store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('keeps one result per trial, the latest', () => {
    const results = useResultsStore();
    results.add({ ...okResult('a', 'Chess', 'pure-copy', 0), ok: false, error: 'boom' });
    results.add(okResult('b', 'Chess', 'pure-iou', 1));
    results.add(okResult('a', 'Chess', 'pure-copy', 0));
    expect(results.results.map((result) => [result.id, result.ok])).toEqual([
      ['a', true],
      ['b', true],
    ]);
    expect(results.failed).toEqual([]);
  });
});

describe('results store statistics', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('knows when trials repeat (the Results tab then shows means with intervals)', () => {
    const results = useResultsStore();
    results.load([okResult('a', 'Chess', 'pure-copy', 0, { endToEndSeconds: 4 })]);
    expect(results.repeated).toBe(false);
    results.add(okResult('b', 'Chess', 'pure-copy', 0, { endToEndSeconds: 6 }, 1));
    expect(results.repeated).toBe(true);
    results.add({ ...okResult('b', 'Chess', 'pure-copy', 0, {}, 1), ok: false, error: 'x' });
    expect(results.repeated).toBe(false);
  });

  it('remembers the sensitivity sweep the results belong to', () => {
    const results = useResultsStore();
    const sweep = {
      parameter: 'disk-read-ms' as const,
      values: [5, 50],
      compare: ['pure-copy', 'pure-iou pf0'] as [string, string],
      metric: 'endToEndSeconds' as const,
    };
    results.load([], sweep);
    expect(results.sensitivity).toEqual(sweep);
    expect(results.sensitivity).not.toBe(sweep);
    results.clear();
    expect(results.sensitivity).toBeNull();
  });
});

describe('comparison of strategies', () => {
  it('averages a metric per workload and strategy variant, over repetitions', () => {
    const comparison = compare(
      [
        okResult('1', 'Chess', 'pure-iou', 1, { bytesTotal: 10 }),
        okResult('2', 'Chess', 'pure-copy', 0, { bytesTotal: 100 }),
        okResult('3', 'Minprog', 'pure-copy', 0, { bytesTotal: 30 }),
        okResult('4', 'Chess', 'pure-iou', 1, { bytesTotal: 20 }, 1),
        { ...okResult('5', 'Minprog', 'pure-iou', 1), ok: false, error: 'x' },
      ],
      (metrics) => metrics.bytesTotal,
    );
    expect(comparison.workloads).toEqual(['Chess', 'Minprog']);
    // Chess pure-iou pf1 rests on two replications, 10 and 20: t(0.975, 1) * 7.07 / sqrt(2) = 63.53.
    expect(comparison.series).toEqual([
      { label: 'pure-copy', values: [100, 30], halfWidths: [null, null] },
      { label: 'pure-iou pf1', values: [15, null], halfWidths: [expect.closeTo(63.53, 2), null] },
    ]);
  });

  it('names variants by strategy and prefetch', () => {
    expect(variantOf({ strategy: 'pure-copy', prefetch: 0 })).toBe('pure-copy');
    expect(variantOf({ strategy: 'resident-set', prefetch: 7 })).toBe('resident-set pf7');
  });
});
