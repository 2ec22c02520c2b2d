import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pairedTTest, welchTTest } from '../../src/engine/experiment/statistics';
import type { TrialResult } from '../../src/engine/experiment/trial';
import type { ExperimentEntry, NotebookDocument } from '../../src/shared/hostApi';
import { comparisonBasis, experimentsFigure } from '../../src/shared/figures/compareExperiments';
import { summarizeTrials } from '../../src/shared/notebook/summary';
import { smallDesign } from '../helpers/designs';
import type { ComparedExperiment } from '../../src/shared/figures/compareExperiments';
import { pairedDifferenceTable, pairedDifferences } from '../../src/shared/tables/pairedDifferences';
import { formatTable } from '../../src/shared/tables/table';
import { madeUpResult } from '../helpers/trials';

/** Trials of one design point per value, replications 0.., with the given seed. */
function trials(
  values: number[],
  seed: number,
  strategy: TrialResult['strategy'] = 'pure-iou',
): TrialResult[] {
  return values.map((endToEndSeconds, replication) => ({
    ...madeUpResult({
      strategy,
      replication,
      metrics: { endToEndSeconds, bytesTotal: 1000 * (replication + 1) },
    }),
    seed,
  }));
}

describe('experiments compared', () => {
  const perq = [10, 12, 11, 13];
  const fast = [4, 5, 5.5, 6];

  it('pairs replications that ran the same process, and tests them with the paired t test', () => {
    const experiments: ComparedExperiment[] = [
      { id: 'a', name: 'Perq', results: [...trials(perq, 7), ...trials([3, 3], 7, 'pure-copy')] },
      { id: 'b', name: '1 Gb/s', results: [...trials(fast, 7), ...trials([1, 1], 7, 'pure-copy')] },
    ];
    const rows = pairedDifferences(experiments, 'end-to-end');
    expect(rows.map((row) => [row.point.label, row.method])).toEqual([
      ['W pure-copy', 'paired'],
      ['W pure-iou pf0', 'paired'],
    ]);
    const iou = rows[1]!;
    expect(iou.test).toEqual(pairedTTest(fast, perq));
    expect(iou.test.difference).toBeCloseTo(-6.375, 12);
    expect([iou.nBaseline, iou.nExperiment, iou.meanBaseline, iou.meanExperiment]).toEqual([
      4, 4, 11.5, 5.125,
    ]);
    // The same difference in both replications: an exact difference, p = 0.
    expect([rows[0]!.test.difference, rows[0]!.test.halfWidth, rows[0]!.test.p]).toEqual([-2, 0, 0]);

    const table = pairedDifferenceTable(experiments, 'end-to-end');
    expect(table.columns.map((column) => column.label)).toEqual([
      'Workload',
      'Strategy',
      'Test',
      'n',
      'Perq (s)',
      '1 Gb/s (s)',
      'Difference (s)',
      '95% CI low (s)',
      '95% CI high (s)',
      'p',
    ]);
    const shown = table.rows[1]!.map((item) => item.text);
    expect(shown.slice(0, 4)).toEqual(['W', 'pure-iou pf0', 'paired t', '4 pairs']);
    expect(table.rows[1]![6]!.value).toBe(iou.test.difference);
    expect(table.rows[1]![9]!.value).toBe(iou.test.p);
    // Exported like every table.
    expect(formatTable(table, 'latex')).toContain('\\toprule');
    expect(formatTable(table, 'markdown')).toContain('| W        | pure-iou pf0 | paired t');
  });

  it('uses Welch where the replications ran other processes (other seeds), and says so', () => {
    const experiments: ComparedExperiment[] = [
      { id: 'a', name: 'Perq', results: trials(perq, 1) },
      { id: 'b', name: 'Fast', results: trials(fast.slice(0, 3), 2) },
    ];
    const [row] = pairedDifferences(experiments, 'end-to-end');
    expect(row!.method).toBe('welch');
    expect(row!.test).toEqual(welchTTest(fast.slice(0, 3), perq));
    const table = pairedDifferenceTable(experiments, 'end-to-end');
    expect(table.rows[0]!.map((item) => item.text).slice(2, 4)).toEqual(['Welch t', '4 / 3']);
    // One trial a side: a difference, no interval, no test.
    const single = pairedDifferences(
      [
        { id: 'a', name: 'A', results: trials([2], 1) },
        { id: 'b', name: 'B', results: trials([5], 1) },
      ],
      'end-to-end',
    )[0]!;
    expect([single.method, single.test.difference, single.test.p]).toEqual(['none', 3, Number.NaN]);
  });

  it('draws one bar series per experiment, named after it, over every design point of either', () => {
    const experiments: ComparedExperiment[] = [
      { id: 'a', name: 'Perq', results: [...trials(perq, 7), ...trials([3, 3], 7, 'pure-copy')] },
      { id: 'b', name: '1 Gb/s', results: trials(fast, 7) },
    ];
    const figure = experimentsFigure(experiments, 'end-to-end');
    expect(figure.categories).toEqual(['W pure-copy', 'W pure-iou pf0']);
    expect(figure.bars.map((bar) => bar.label)).toEqual(['Perq', '1 Gb/s']);
    expect(figure.bars[0]!.values).toEqual([3, 11.5]);
    expect(figure.bars[1]!.values).toEqual([null, 5.125]);
    expect(figure.bars[1]!.errors![1]).toBeGreaterThan(0);
    expect(figure.bars[0]!.colour).not.toBe(figure.bars[1]!.colour);
    expect(figure.subtitle).toContain('Perq against 1 Gb/s');
    expect(figure.table[0]).toEqual(['design point', 'Perq', 'Perq ±95% CI', '1 Gb/s', '1 Gb/s ±95% CI']);
    expect(experimentsFigure(experiments, 'bytes', { logarithmic: true }).logarithmic).toBe(true);
    // Experiments with no design point in common: no difference to take.
    const elsewhere = {
      ...experiments[1]!,
      results: experiments[1]!.results.map((r) => ({ ...r, workload: 'V' })),
    };
    expect(pairedDifferences([experiments[0]!, elsewhere], 'end-to-end')).toEqual([]);
    // Only the points both ran: pure-copy ran on the Perq alone.
    expect(experimentsFigure(experiments, 'end-to-end', { sharedOnly: true }).categories).toEqual([
      'W pure-iou pf0',
    ]);
  });

  it("compares Beyond 1987's Perq and 1 Gb/s experiments: every design point, one pair each", () => {
    const doc = JSON.parse(
      readFileSync(resolve(import.meta.dirname, '../../resources/notebooks/beyond-1987.accentlab'), 'utf8'),
    ) as NotebookDocument;
    const experiments = doc.entries
      .filter((entry): entry is ExperimentEntry => entry.kind === 'experiment')
      .map((entry) => ({ id: entry.id, name: entry.design.name, results: entry.results }));
    const rows = pairedDifferences(experiments, 'end-to-end');
    expect(rows).toHaveLength(49);
    // One replication each, the same seed: a difference, without an interval.
    expect(new Set(rows.map((row) => row.method))).toEqual(new Set(['none']));
    for (const row of rows) {
      expect(row.test.difference).toBe(row.meanExperiment - row.meanBaseline);
      expect(row.test.p).toBeNaN();
    }
    expect(experimentsFigure(experiments, 'downtime').categories).toHaveLength(49);
  });

  describe('a summarized experiment (issue 17): compared from its summary', () => {
    /** Trials with both hosts' message times, so message-handling time has values. */
    const withMessages = (values: number[], seed: number): TrialResult[] =>
      trials(values, seed).map((result) => ({
        ...result,
        metrics: {
          ...result.metrics!,
          messageSecondsSource: 1,
          messageSecondsDest: result.metrics!.endToEndSeconds / 10,
        },
      }));
    const perqTrials = [...withMessages(perq, 1), ...trials([3, 3.5], 1, 'pure-copy')];
    const fastTrials = withMessages(fast, 2);
    const summarized = (name: string, results: TrialResult[]): ComparedExperiment => ({
      id: name,
      name,
      results: [],
      summary: summarizeTrials(smallDesign(), results, `${name}.results.duckdb`),
    });

    it("gives the means and 95% intervals its trials give, and differences by Welch's t from the summaries", () => {
      const fromTrials: ComparedExperiment[] = [
        { id: 'a', name: 'Perq', results: perqTrials },
        { id: 'b', name: 'Fast', results: fastTrials },
      ];
      const mixed: ComparedExperiment[] = [
        fromTrials[0]!,
        { ...summarized('Fast', fastTrials), name: 'Fast' },
      ];
      const both: ComparedExperiment[] = [summarized('Perq', perqTrials), summarized('Fast', fastTrials)];
      for (const experiments of [mixed, both]) {
        const figure = experimentsFigure(experiments, 'end-to-end');
        const expected = experimentsFigure(fromTrials, 'end-to-end');
        expect(figure.categories).toEqual(expected.categories);
        figure.bars.forEach((bar, at) => {
          bar.values.forEach((value, point) => {
            const want = expected.bars[at]!.values[point];
            if (want === null) expect(value).toBeNull();
            else expect(value).toBeCloseTo(want!, 12);
          });
          bar.errors!.forEach((error, point) => {
            const want = expected.bars[at]!.errors![point];
            if (want === null || want === undefined) expect(error ?? null).toBeNull();
            else expect(error).toBeCloseTo(want, 12);
          });
        });
        // The design point both ran (pure-iou): Welch's t from n, mean and sd, as from the values.
        const rows = pairedDifferences(experiments, 'end-to-end');
        expect(rows.map((row) => [row.point.label, row.method])).toEqual([['W pure-iou pf0', 'summary']]);
        const want = welchTTest(fast, perq);
        const got = rows[0]!.test;
        for (const field of ['difference', 'halfWidth', 'ciLow', 'ciHigh', 't', 'p', 'df'] as const)
          expect(got[field]).toBeCloseTo(want[field], 10);
        expect(got.n).toEqual({ a: 4, b: 4 });
        const table = pairedDifferenceTable(experiments, 'end-to-end');
        expect(table.rows[0]!.map((item) => item.text).slice(2, 4)).toEqual([
          'Welch t from summaries',
          '4 / 4',
        ]);
        expect(table.caption).toContain('compared from its summary');
      }
      // Where the replications would pair (the same seed), the summary's Welch interval is the wider one.
      const paired = pairedDifferences(
        [
          { id: 'a', name: 'A', results: trials(perq, 7) },
          { id: 'b', name: 'B', results: trials(fast, 7) },
        ],
        'end-to-end',
      )[0]!;
      const fromSummary = pairedDifferences(
        [summarized('A', trials(perq, 7)), summarized('B', trials(fast, 7))],
        'end-to-end',
      )[0]!;
      expect(paired.method).toBe('paired');
      expect(fromSummary.test.difference).toBeCloseTo(paired.test.difference, 12);
      expect(fromSummary.test.halfWidth).toBeGreaterThan(paired.test.halfWidth);
    });

    it('gives message-handling time (two metrics added) as a mean without an interval', () => {
      const experiments = [summarized('Perq', perqTrials), summarized('Fast', fastTrials)];
      const figure = experimentsFigure(experiments, 'message-time', { sharedOnly: true });
      expect(figure.bars[0]!.values[0]).toBeCloseTo(1 + 11.5 / 10, 12);
      expect(figure.bars.every((bar) => (bar.errors ?? [null]).every((error) => error === null))).toBe(true);
      const [row] = pairedDifferences(experiments, 'message-time');
      expect(row!.test.difference).toBeCloseTo((5.125 - 11.5) / 10, 12);
      expect([row!.test.halfWidth, row!.test.p]).toEqual([Number.NaN, Number.NaN]);
      expect(pairedDifferenceTable(experiments, 'message-time').caption).toContain('its mean only');
    });

    it('says what the comparison is based on', () => {
      const experiments = [{ id: 'a', name: 'Perq', results: perqTrials }, summarized('Big', fastTrials)];
      expect(comparisonBasis(experiments)).toEqual([
        'Perq: 6 trials',
        'Big: summary of 4 trials (n, mean and sd per design point; trials in the store Big.results.duckdb)',
      ]);
      expect(experimentsFigure(experiments, 'end-to-end').subtitle).toContain('Big from its summary');
    });
  });
});
