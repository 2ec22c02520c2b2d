import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { countTrials, DesignTrials } from '../../src/engine/experiment/design';
import type { ExperimentDesign } from '../../src/engine/experiment/design';
import { sweepBreakevens } from '../../src/engine/experiment/sensitivity';
import { ENGINE_VERSION, runTrial, trialIdentity } from '../../src/engine/experiment/trial';
import type { TrialResult } from '../../src/engine/experiment/trial';
import { figureData } from '../../src/shared/figures/charts';
import type { FigureData } from '../../src/shared/figures/charts';
import { notebookFigures } from '../../src/shared/figures/notebookFigures';
import { entryPartial } from '../../src/shared/figures/partial';
import { sensitivityFigureData } from '../../src/shared/figures/sensitivity';
import { EXPERIMENT_FIGURE_KINDS } from '../../src/shared/figures/spec';
import {
  experimentSweepData,
  summaryBreakevens,
  summaryFigureData,
  SUMMARIZED_NOTE,
} from '../../src/shared/figures/summarized';
import type { ExperimentEntry, NotebookDocument } from '../../src/shared/hostApi';
import { TRIAL_CANCELLED } from '../../src/shared/hostApi';
import {
  experimentCounts,
  INLINE_TRIALS,
  keepsTrialsInline,
  pointSummaries,
  summarizeTrials,
  SummaryBuilder,
} from '../../src/shared/notebook/summary';
import { upgradeNotebook } from '../../src/shared/notebook/upgrade';
import { parseNotebookDocument } from '../../src/shared/schemas/notebook';
import { notebookReport } from '../../src/shared/report/report';
import { experimentTables } from '../../src/shared/tables/notebook';
import { summaryTable, summaryTableOf } from '../../src/shared/tables/summary';
import { smallDesign } from '../helpers/designs';

/** Every trial of a design, run in this process (Minprog runs in milliseconds). */
function runAll(design: ExperimentDesign): TrialResult[] {
  const trials = new DesignTrials(design);
  return Array.from({ length: trials.length }, (_, at) => runTrial(trials.at(at)));
}

const close = (a: number | null | undefined, b: number | null | undefined): void => {
  if (a === null || a === undefined || b === null || b === undefined) expect(a ?? null).toBe(b ?? null);
  else expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(a), Math.abs(b)));
};

/** Two figures draw the same numbers (the summary's means and intervals are the trials'). */
function sameFigure(a: FigureData, b: FigureData): void {
  expect(a.title).toBe(b.title);
  expect(a.subtitle).toBe(b.subtitle);
  expect(a.categories).toEqual(b.categories);
  expect(a.bars.map((bar) => bar.label)).toEqual(b.bars.map((bar) => bar.label));
  a.bars.forEach((bar, index) => {
    const other = b.bars[index]!;
    bar.values.forEach((value, at) => close(value, other.values[at]));
    (bar.errors ?? []).forEach((value, at) => close(value, other.errors?.[at]));
    expect(bar.errors === undefined).toBe(other.errors === undefined);
  });
  expect(a.lines.length).toBe(b.lines.length);
  a.lines.forEach((line, index) => {
    const other = b.lines[index]!;
    expect(line.label).toBe(other.label);
    line.points.forEach((point, at) => {
      close(point.x, other.points[at]!.x);
      close(point.y, other.points[at]!.y);
    });
  });
  expect(a.markers?.map((marker) => marker.label)).toEqual(b.markers?.map((marker) => marker.label));
}

describe('which experiments keep their trials inline', () => {
  it('keeps up to INLINE_TRIALS trials inline, summarizes larger ones', () => {
    // smallDesign: 3 trials a repetition.
    const at = smallDesign({ repetitions: INLINE_TRIALS / 2 });
    expect(countTrials(at)).toBeGreaterThan(INLINE_TRIALS);
    expect(keepsTrialsInline(at)).toBe(false);
    expect(keepsTrialsInline(smallDesign({ repetitions: Math.floor(INLINE_TRIALS / 3) }))).toBe(true);
    expect(countTrials(smallDesign({ repetitions: Math.floor(INLINE_TRIALS / 3) }))).toBeLessThanOrEqual(
      INLINE_TRIALS,
    );
  });
});

describe('a summarized experiment', () => {
  const design = smallDesign({ repetitions: 4 });
  const results = runAll(design);
  const summary = summarizeTrials(design, results, 'study.results.duckdb');

  it('keeps n, mean and the 95% interval of each metric per design point, the first replications for figures', () => {
    expect(summary.trials).toBe(results.length);
    expect(summary.failed).toBe(0);
    expect(summary.points).toHaveLength(3);
    expect(summary.points.every((point) => point.n === 4)).toBe(true);
    // The same numbers the summary table computes from the trials.
    // (Running moments may differ from two-pass sums in the last bits; the text is the same.)
    const fromSummary = summaryTableOf(pointSummaries(summary)).rows;
    const fromTrials = summaryTable(results).rows;
    expect(fromSummary.map((row) => row.map((cell) => cell.text))).toEqual(
      fromTrials.map((row) => row.map((cell) => cell.text)),
    );
    fromSummary.forEach((row, r) =>
      row.forEach((cell, c) => {
        const other = fromTrials[r]![c]!.value;
        if (typeof cell.value === 'number' && typeof other === 'number') close(cell.value, other);
        else expect(cell.value).toEqual(other);
      }),
    );
    expect(summary.figureTrials.map((result) => result.replication)).toEqual([0, 0, 0]);
    // A cancelled trial is no result; a failed one is counted.
    const cancelled = { ...results[0]!, ok: false, error: TRIAL_CANCELLED };
    const failed = { ...results[1]!, ok: false, error: 'worker crashed' };
    const other = summarizeTrials(design, [cancelled, failed, ...results.slice(2)], 'x');
    expect(other.trials).toBe(results.length - 1);
    expect(other.failed).toBe(1);
    expect(experimentCounts({ results: [], summary: other })).toEqual({ ok: results.length - 2, failed: 1 });
  });

  it('takes back a failure a retry replaces: the same summary as the retry alone', () => {
    const builder = new SummaryBuilder(design, 'x');
    const failed = { ...results[1]!, ok: false, error: 'worker crashed' };
    for (const result of results) {
      if (result.id === failed.id) {
        expect(builder.withdrawFailure(failed)).toBe(false);
        builder.add(failed);
        expect(builder.finish()).toMatchObject({ failed: 1 });
        expect(builder.withdrawFailure(result)).toBe(true);
      }
      builder.add(result);
    }
    expect(builder.withdrawFailure(failed)).toBe(false);
    expect(builder.finish()).toEqual(summarizeTrials(design, results, 'x'));
  });

  it('draws every figure kind from the summary as from the trials (loss risk and fault latency say what they count)', () => {
    for (const kind of EXPERIMENT_FIGURE_KINDS) {
      const fromTrials = figureData({ kind }, results);
      const fromSummary = summaryFigureData({ kind }, summary);
      if (kind === 'loss-risk' || kind === 'fault-latency') {
        expect(fromSummary.subtitle).toContain(SUMMARIZED_NOTE);
        continue;
      }
      sameFigure(fromSummary, fromTrials);
    }
  });

  it('draws a sensitivity sweep and its breakeven from the summary as from the trials', () => {
    const sweepDesign = smallDesign({
      strategies: ['pure-copy', 'pure-iou'],
      prefetchValues: [0],
      repetitions: 3,
      sensitivity: {
        parameter: 'network-bits-per-second',
        values: [100_000, 1_000_000, 10_000_000, 100_000_000],
        compare: ['pure-copy', 'pure-iou pf0'],
        metric: 'endToEndSeconds',
      },
    });
    const sweep = sweepDesign.sensitivity!;
    const trials = runAll(sweepDesign);
    const summarized = summarizeTrials(sweepDesign, trials, 'x');
    const entry = { results: [], summary: summarized };
    sameFigure(experimentSweepData(sweep, entry), sensitivityFigureData(sweep, trials));
    const expected = sweepBreakevens(sweep, trials);
    const found = summaryBreakevens(sweep, summarized);
    expect(found.map((one) => one.description)).toEqual(expected.map((one) => one.description));
    found.forEach((one, index) => close(one.breakeven, expected[index]!.breakeven));
  });

  it('is a valid notebook entry, marked partial by what ran, with tables, figures and a report', async () => {
    const entry: ExperimentEntry = {
      kind: 'experiment',
      id: 'big',
      design,
      results: [],
      engineVersion: ENGINE_VERSION,
      summary: summarizeTrials(design, results.slice(0, 7), 'study.results.duckdb'),
    };
    const doc: NotebookDocument = {
      formatVersion: 3,
      name: 'summarized',
      provenance: { engineVersion: ENGINE_VERSION, createdBy: 'test' },
      entries: [
        entry,
        { kind: 'figure', id: 'f', experimentId: 'big', figure: { kind: 'bytes' }, caption: '' },
      ],
    };
    const parsed = parseNotebookDocument(JSON.parse(JSON.stringify(doc)));
    expect(parsed.entries[0]).toEqual(entry);
    expect(entryPartial(entry)).toEqual({ done: 7, total: results.length });
    const [trialsTable, table] = experimentTables(entry, 'big');
    expect(trialsTable!.caption).toContain('study.results.duckdb');
    expect(table!.rows.length).toBe(3);
    const figures = notebookFigures(doc);
    expect(figures.length).toBeGreaterThan(0);
    expect(figures.every((figure) => figure.data.subtitle.startsWith('partial: 7 of 12 trials'))).toBe(true);
    const html = await notebookReport(doc, {
      renderNote: (markdown) => markdown,
      drawFigure: async () => '<svg width="10" height="10"></svg>',
      generator: 'test',
    });
    expect(html).toContain('every trial is in the results store study.results.duckdb');
    expect(html).toContain('7 trials');
  });
});

describe('SummaryBuilder memory', () => {
  /** Every trial of a design with one real run's metrics per variant (the builder reads only those). */
  function trialsOf(design: ExperimentDesign): TrialResult[] {
    const trials = new DesignTrials(design);
    const metricsOf = new Map<string, TrialResult['metrics']>();
    return Array.from({ length: trials.length }, (_, at) => {
      const spec = trials.at(at);
      const variant = `${spec.strategy} ${spec.prefetch}`;
      if (!metricsOf.has(variant)) metricsOf.set(variant, runTrial(spec).metrics);
      return { ...trialIdentity(spec), ok: true, metrics: metricsOf.get(variant)! };
    });
  }

  it('holds entries by design point, not by trial, with or without pure-copy to pair with', () => {
    // A pure-IOU campaign: nothing pairs (each trial was kept waiting for a pure-copy one).
    const iou = smallDesign({ strategies: ['pure-iou'], prefetchValues: [0, 1, 2, 3], repetitions: 500 });
    const iouBuilder = new SummaryBuilder(iou, 'x');
    for (const result of trialsOf(iou)) iouBuilder.add(result);
    expect(iouBuilder.heldEntries).toBe(4);
    expect(iouBuilder.finish().points.every((point) => point.n === 500 && !point.speedup)).toBe(true);

    // With pure-copy, in trial order: every pairing closes within its replication.
    const paired = smallDesign({ repetitions: 500 });
    const results = trialsOf(paired);
    const inOrder = new SummaryBuilder(paired, 'x');
    for (const result of results) inOrder.add(result);
    expect(inOrder.heldEntries).toBe(3);
    const summary = inOrder.finish();
    const speedups = summary.points.filter((point) => point.strategy !== 'pure-copy');
    expect(speedups.map((point) => point.speedup?.n)).toEqual([500, 500]);
    // In reverse order the trials wait for their pure-copy one, and pair the same.
    const reversed = new SummaryBuilder(paired, 'x');
    for (const result of [...results].reverse()) reversed.add(result);
    expect(reversed.heldEntries).toBe(3);
    const again = reversed.finish().points.filter((point) => point.strategy !== 'pure-copy');
    expect(again).toHaveLength(2);
    for (const point of again) {
      const same = speedups.find((other) => other.prefetch === point.prefetch)!;
      expect(point.speedup?.n).toBe(500);
      close(point.speedup?.mean, same.speedup?.mean);
    }
  });
});

describe('upgrade path', () => {
  it('opens a notebook with inline trials unchanged (no summary is made on open)', () => {
    const raw = JSON.parse(
      readFileSync(new URL('../../resources/notebooks/beyond-1987.accentlab', import.meta.url), 'utf8'),
    ) as NotebookDocument;
    const opened = upgradeNotebook(raw, '0.1.0');
    expect(opened).toEqual(raw);
    for (const entry of opened.entries)
      if (entry.kind === 'experiment') expect(entry.summary).toBeUndefined();
  });

  it('refuses a summary that is not one, naming the field', () => {
    const design = smallDesign();
    const doc = {
      formatVersion: 3,
      name: 'bad',
      provenance: { engineVersion: ENGINE_VERSION, createdBy: 'test' },
      entries: [
        {
          kind: 'experiment',
          id: 'e',
          design,
          results: [],
          engineVersion: ENGINE_VERSION,
          summary: { trials: 3, failed: 0, store: '', points: [], figureTrials: [] },
        },
      ],
    };
    expect(() => upgradeNotebook(doc, '0.1.0')).toThrow(/entries\[0\]\.summary\.store/);
  });
});
