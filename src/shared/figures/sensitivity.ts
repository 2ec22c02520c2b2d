import type { SensitivityMetric, SensitivitySweep } from '../../engine/experiment/sensitivity';
import { isGeometric, sensitivityParameter, sweepBreakevens } from '../../engine/experiment/sensitivity';
import { variantName } from '../../engine/model/migration';
import type { Breakeven } from '../../engine/experiment/sensitivity';
import { summarize } from '../../engine/experiment/statistics';
import type { Summary } from '../../engine/experiment/statistics';
import type { TrialResult } from '../../engine/experiment/trial';
import { makeFigure, type FigureData, type FigureUnit, type LineSeries } from './data';
import { formatPlain, variantColours } from './format';

/** How each sweep metric reads on an axis. */
export const SENSITIVITY_METRIC_LABELS: Record<SensitivityMetric, { label: string; unit: FigureUnit }> = {
  endToEndSeconds: { label: 'end-to-end time', unit: 'seconds' },
  totalSeconds: { label: 'total time (request to exit)', unit: 'seconds' },
  transferSeconds: { label: 'transfer time', unit: 'seconds' },
  remoteExecSeconds: { label: 'remote execution time', unit: 'seconds' },
  bytesTotal: { label: 'bytes on the network', unit: 'bytes' },
  messages: { label: 'messages', unit: 'count' },
};

/** "breakeven 2.3 M bits/s" (with the workload when the sweep has several). */
function markerLabel(breakeven: Breakeven, unit: string, several: boolean): string {
  const text = `breakeven ${formatPlain(breakeven.breakeven!)} ${unit}`;
  return several ? `${breakeven.workload}: ${text}` : text;
}

/**
 * A sensitivity sweep as a figure: the metric against the parameter, one line per workload and
 * strategy variant with 95% error bars, and the breakeven of the two compared variants as a
 * dashed vertical line with its value.
 */
export function sensitivityFigureData(sweep: SensitivitySweep, results: readonly TrialResult[]): FigureData {
  const finished = results.filter(
    (result) => result.ok && result.metrics && result.parameterValue !== undefined,
  );
  const workloads = [...new Set(finished.map((result) => result.workload))];
  const variants = [...new Set(finished.map((result) => variantName(result.strategy, result.prefetch)))];
  const cell = (workload: string, variant: string, value: number): Summary | null => {
    const sample = finished
      .filter(
        (result) =>
          result.workload === workload &&
          result.parameterValue === value &&
          variantName(result.strategy, result.prefetch) === variant,
      )
      .map((result) => result.metrics![sweep.metric]);
    return sample.length === 0 ? null : summarize(sample);
  };
  const breakevens = finished.length > 0 ? sweepBreakevens(sweep, finished) : [];
  return sweepFigure(sweep, workloads, variants, cell, breakevens);
}

type TableRow = (string | number)[];
type Cell = (workload: string, variant: string, value: number) => Summary | null;

/**
 * One line per workload and variant with its error bars (dashed after the first workload), and
 * one table row per point, in workload, variant, value order.
 */
function sweepLines(
  values: readonly number[],
  workloads: readonly string[],
  variants: readonly string[],
  cell: Cell,
): { lines: LineSeries[]; rows: TableRow[] } {
  const colours = variantColours(variants);
  const lines: LineSeries[] = [];
  const rows: TableRow[] = [];
  workloads.forEach((workload, workloadIndex) => {
    variants.forEach((variant, variantIndex) => {
      const points: { x: number; y: number }[] = [];
      const errors: (number | null)[] = [];
      for (const value of values) {
        const summary = cell(workload, variant, value);
        if (!summary) continue;
        const width = Number.isFinite(summary.halfWidth) ? summary.halfWidth : null;
        points.push({ x: value, y: summary.mean });
        errors.push(width);
        rows.push([
          value,
          workload,
          variant,
          summary.n,
          summary.mean,
          width === null ? '' : summary.ciLow,
          width === null ? '' : summary.ciHigh,
        ]);
      }
      if (points.length === 0) return;
      lines.push({
        label: workloads.length > 1 ? `${workload} · ${variant}` : variant,
        points,
        colour: colours[variantIndex]!,
        showPoints: true,
        ...(workloadIndex > 0 ? { dashed: true } : {}),
        ...(errors.some((width) => width !== null) ? { errors } : {}),
      });
    });
  });
  return { lines, rows };
}

/**
 * The table rows of the breakevens: first the paired differences each rests on, with their
 * paired-t intervals, then one row per workload with its breakeven value (or "none").
 */
function breakevenRows(sweep: SensitivitySweep, breakevens: readonly Breakeven[]): TableRow[] {
  const rows: TableRow[] = [];
  for (const found of breakevens) {
    for (const point of found.differences) {
      const interval = Number.isFinite(point.difference.halfWidth);
      rows.push([
        point.value,
        found.workload,
        `difference ${sweep.compare[0]} - ${sweep.compare[1]}`,
        point.difference.n,
        point.difference.mean,
        interval ? point.difference.ciLow : '',
        interval ? point.difference.ciHigh : '',
      ]);
    }
  }
  for (const found of breakevens)
    rows.push([
      'breakeven',
      found.workload,
      sweep.compare.join(' vs '),
      '',
      found.breakeven ?? 'none',
      '',
      '',
    ]);
  return rows;
}

/** One workload: the whole verdict; several: each one's breakeven value, to fit one line. */
function breakevenVerdict(breakevens: readonly Breakeven[]): string[] {
  if (breakevens.length <= 1) return breakevens.map((found) => found.description);
  return [
    `breakeven ${breakevens
      .map(
        (found) =>
          `${found.workload} ${found.breakeven === null ? 'none in range' : formatPlain(found.breakeven)}`,
      )
      .join(', ')}`,
  ];
}

/**
 * The sweep figure from each workload's, variant's and value's summary of the metric and the
 * breakevens: from trials (sensitivityFigureData) or a summarized experiment's design points.
 */
export function sweepFigure(
  sweep: SensitivitySweep,
  workloads: readonly string[],
  variants: readonly string[],
  cell: Cell,
  breakevens: readonly Breakeven[],
): FigureData {
  const parameter = sensitivityParameter(sweep.parameter);
  const metric = SENSITIVITY_METRIC_LABELS[sweep.metric];
  const values = [...new Set(sweep.values)].sort((a, b) => a - b);
  const { lines, rows } = sweepLines(values, workloads, variants, cell);
  const table: TableRow[] = [
    [parameter.key, 'workload', 'strategy', 'n', 'mean', 'ciLow', 'ciHigh'],
    ...rows,
    ...breakevenRows(sweep, breakevens),
  ];
  const several = breakevens.length > 1;
  const markers = breakevens
    .filter((found) => found.breakeven !== null)
    .map((found) => ({ x: found.breakeven!, label: markerLabel(found, parameter.unit, several) }));
  const verdict = breakevenVerdict(breakevens);
  return makeFigure(
    { kind: 'end-to-end', title: `${metric.label} against ${parameter.label}` },
    {
      title: `${metric.label[0]!.toUpperCase()}${metric.label.slice(1)} against ${parameter.label}`,
      subtitle: `${sweep.compare[0]} vs ${sweep.compare[1]}: ${verdict.join('; ') || 'no finished trials'}; mean with 95% confidence interval`,
      type: 'line',
      xLabel: `${parameter.label} (${parameter.unit})`,
      yLabel: `${metric.label} (${metric.unit})`,
      unit: metric.unit,
      lines,
      table,
      empty: lines.length === 0,
      xUnit: 'number',
      ...(isGeometric(values) ? { logarithmicX: true } : {}),
      markers,
    },
  );
}
