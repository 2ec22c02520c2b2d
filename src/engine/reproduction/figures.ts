import type { TrialMetrics, TrialResult } from '../experiment/trial';
import { PAPER_PREFETCH_VALUES } from './designs';
import { speedup, VARIANTS } from './evaluation';
import type { Evaluation } from './evaluation';
import { intervalCell } from './format';
import type { ReproductionTable } from './report';

/** Figures 4-1 to 4-5 of the paper as tables (the charts are drawn from the trials elsewhere). */

/** Figures 4-1 to 4-4 as tables: remote execution, speedup, bytes, message time. */
export function figures4_1to4_4(e: Evaluation): ReproductionTable[] {
  const columnsByStrategy = [
    'Copy',
    ...PAPER_PREFETCH_VALUES.map((n) => `IOU PF${n}`),
    ...PAPER_PREFETCH_VALUES.map((n) => `RS PF${n}`),
  ];
  type Cell = (m: TrialMetrics, copy: TrialMetrics) => number;
  const figureRows = (
    value: Cell,
    format: (value: (r: number) => number) => string | number,
    includeCopy = true,
  ) =>
    e.names.map((name) => {
      const copy = (r: number): TrialMetrics => e.get(name, 'pure-copy', 0, r);
      const row: (string | number)[] = [name];
      if (includeCopy) row.push(format((r) => value(copy(r), copy(r))));
      for (const strategy of ['pure-iou', 'resident-set'] as const) {
        for (const prefetch of PAPER_PREFETCH_VALUES) {
          row.push(format((r) => value(e.get(name, strategy, prefetch, r), copy(r))));
        }
      }
      return row;
    });
  const messageTimes = (m: TrialMetrics): [number, number] => [m.messageSecondsSource, m.messageSecondsDest];
  return [
    {
      id: 'figure4_1',
      title: 'Figure 4-1: Remote execution times in seconds',
      columns: ['Representative', ...columnsByStrategy],
      rows: figureRows(
        (m) => m.remoteExecSeconds,
        (value) => e.cell(value, 2),
      ),
    },
    {
      id: 'figure4_2',
      title: 'Figure 4-2: Percent end-to-end speedup over pure-copy (transfer + remote execution)',
      columns: ['Representative', ...columnsByStrategy.slice(1)],
      rows: figureRows(speedup, (value) => e.cell(value, 1), false),
    },
    {
      id: 'figure4_3',
      title: 'Figure 4-3: Bytes transferred during trials',
      columns: ['Representative', ...columnsByStrategy],
      rows: figureRows(
        (m) => m.bytesTotal,
        (value) => e.cell(value, 0),
      ),
    },
    {
      id: 'figure4_4',
      title: 'Figure 4-4: Total message-handling time in seconds, source / destination',
      columns: ['Representative', ...columnsByStrategy],
      rows: e.names.map((name) => [
        name,
        ...VARIANTS.map(([strategy, prefetch]) => {
          const [source, dest] = [0, 1].map((side) =>
            e.mean((r) => messageTimes(e.get(name, strategy, prefetch, r))[side]!),
          );
          return `${source!.toFixed(1)} / ${dest!.toFixed(1)}`;
        }),
      ]),
    },
  ];
}

/**
 * Figure 4-5 as a table: Lisp-Del's byte rates at prefetch 0, mean ± 95% interval over the
 * replications (the series of the first replication are in results.json).
 */
export function figure4_5(paperResults: readonly TrialResult[]): ReproductionTable {
  const lispDel = paperResults.filter((r) => r.workload === 'Lisp-Del' && r.prefetch === 0 && r.ok);
  const strategies = [...new Set(lispDel.map((r) => r.strategy))];
  return {
    id: 'figure4_5',
    title:
      'Figure 4-5: Byte transfer rates for Lisp-Del, no prefetch, mean ± 95% interval over replications (series in results.json)',
    columns: ['Strategy', 'Duration (s)', 'Peak rate (B/s)', 'Mean rate (B/s)', 'Fault bytes', 'Other bytes'],
    rows: strategies.map((strategy) => {
      const runs = lispDel.filter((r) => r.strategy === strategy);
      const of = (value: (r: TrialResult) => number, digits: number): number | string =>
        intervalCell(runs.map(value), digits);
      return [
        strategy,
        of((r) => r.metrics!.totalSeconds, 1),
        // The series counts bytes per bin; a rate is per second whatever the bin. A stored notebook
        // may keep the series of some replications only.
        peak(runs),
        of((r) => r.metrics!.bytesTotal / r.metrics!.totalSeconds, 0),
        of((r) => r.metrics!.bytesFault, 0),
        of((r) => r.metrics!.bytesTotal - r.metrics!.bytesFault, 0),
      ];
    }),
  };
}

/** The largest byte rate (B/s) over the trials that carry a series, mean ± interval; "-" if none does. */
function peak(runs: readonly TrialResult[]): number | string {
  const peaks = runs
    .filter((r) => r.series)
    .map((r) => {
      const series = r.series!;
      return Math.max(...series.fault.map((fault, i) => fault + series.other[i]!)) / series.binSeconds;
    });
  return peaks.length > 0 ? intervalCell(peaks, 0) : '-';
}
