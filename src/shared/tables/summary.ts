import { summarizeByDesignPoint } from '../../engine/experiment/statistics';
import type { PointSummary, Summary } from '../../engine/experiment/statistics';
import type { TrialMetrics, TrialResult } from '../../engine/experiment/trial';
import { STRATEGIES, variantName } from '../../engine/model/migration';
import { REPRESENTATIVES } from '../../engine/workloads/representatives';
import { formatSwept } from '../figures/format';
import { cell, type Table, type TableCell, type TableColumn } from './table';

/** A metric of the summary table: seconds, bytes or a count. */
export interface SummaryMetric {
  key: string;
  label: string;
  metric: keyof TrialMetrics;
  unit: 'seconds' | 'bytes' | 'count';
}

/** The summary's metrics: the paper's, then downtime and source release (beyond 1987). */
export const SUMMARY_METRICS: readonly SummaryMetric[] = [
  { key: 'endToEnd', label: 'End-to-end', metric: 'endToEndSeconds', unit: 'seconds' },
  { key: 'remoteExec', label: 'Remote exec', metric: 'remoteExecSeconds', unit: 'seconds' },
  { key: 'transfer', label: 'Transfer', metric: 'transferSeconds', unit: 'seconds' },
  { key: 'downtime', label: 'Downtime', metric: 'downtimeSeconds', unit: 'seconds' },
  { key: 'sourceRelease', label: 'Source release', metric: 'sourceReleaseSeconds', unit: 'seconds' },
  { key: 'bytes', label: 'Bytes', metric: 'bytesTotal', unit: 'bytes' },
  { key: 'faults', label: 'Imag. faults', metric: 'imaginaryFaults', unit: 'count' },
];

/** A column's scale: its values divided by `factor` read in `symbol`. */
export interface Scale {
  factor: number;
  symbol: string;
}

const SECOND_SCALES: Scale[] = [
  { factor: 1, symbol: 's' },
  { factor: 1e-3, symbol: 'ms' },
  { factor: 1e-6, symbol: 'µs' },
];
const BYTE_SCALES: Scale[] = [
  { factor: 1e9, symbol: 'GB' },
  { factor: 1e6, symbol: 'MB' },
  { factor: 1e3, symbol: 'KB' },
  { factor: 1, symbol: 'B' },
];

/** One unit for a whole column, fitted to its median magnitude (so rows compare at a glance). */
export function scaleFor(unit: SummaryMetric['unit'], values: number[]): Scale {
  if (unit === 'count') return { factor: 1, symbol: '' };
  const sizes = values
    .map(Math.abs)
    .filter((value) => value > 0)
    .sort((a, b) => a - b);
  const median = sizes[Math.floor(sizes.length / 2)] ?? 1;
  const scales = unit === 'seconds' ? SECOND_SCALES : BYTE_SCALES;
  return scales.find((scale) => median >= scale.factor) ?? scales[scales.length - 1]!;
}

/**
 * Decimals for a mean and its interval: the half-width to two significant digits, the mean to
 * the same place; without an interval, the mean to four significant digits.
 */
export function decimalsFor(mean: number, halfWidth: number | null): number {
  const anchor = halfWidth !== null && halfWidth > 0 ? halfWidth : null;
  const digits = anchor === null ? 4 : 2;
  const size = anchor ?? Math.abs(mean);
  if (!(size > 0) || !Number.isFinite(size)) return 0;
  return Math.min(9, Math.max(0, digits - 1 - Math.floor(Math.log10(size))));
}

/** "-0.00" reads as "0.00". */
export const fixed = (value: number, decimals: number): string => {
  const text = value.toFixed(decimals);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
};

const workloadRank = (name: string): number => {
  const at = REPRESENTATIVES.findIndex((workload) => workload.name === name);
  return at < 0 ? REPRESENTATIVES.length : at;
};

/** Design points in design order: workload (the paper's order first), strategy, prefetch, hardware, value. */
export function compareDesignPoints(a: PointSummary, b: PointSummary): number {
  const x = a.point;
  const y = b.point;
  return (
    workloadRank(x.workload) - workloadRank(y.workload) ||
    x.workload.localeCompare(y.workload, undefined, { numeric: true }) ||
    STRATEGIES.indexOf(x.strategy) - STRATEGIES.indexOf(y.strategy) ||
    x.prefetch - y.prefetch ||
    x.hardware.localeCompare(y.hardware) ||
    (x.parameterValue ?? 0) - (y.parameterValue ?? 0)
  );
}

/**
 * Mean and 95% confidence half-width (Student's t) of every metric per design point, in design
 * order. Each metric has a mean column and a ± column in one unit (named in the header), the mean
 * rounded to the place of its interval.
 */
export function summaryTable(results: readonly TrialResult[]): Table {
  return summaryTableOf(
    summarizeByDesignPoint(results, { metrics: SUMMARY_METRICS.map((metric) => metric.metric) }),
  );
}

/** The summary table of design points already summarized (a summarized experiment's). */
export function summaryTableOf(points: readonly PointSummary[]): Table {
  const summaries = [...points].sort(compareDesignPoints);
  const swept = summaries.some((summary) => summary.point.parameterValue !== undefined);
  const hardware = new Set(summaries.map((summary) => summary.point.hardware)).size > 1;
  // Metrics no trial has (downtime in results saved before it existed) are left out.
  const metrics = SUMMARY_METRICS.filter((metric) =>
    summaries.some((summary) => summary.metrics[metric.metric] !== undefined),
  );
  const scales = metrics.map((metric) =>
    scaleFor(
      metric.unit,
      summaries.flatMap((summary) => {
        const found = summary.metrics[metric.metric];
        return found ? [found.mean] : [];
      }),
    ),
  );
  const columns: TableColumn[] = [
    { key: 'workload', label: 'Workload', numeric: false },
    { key: 'strategy', label: 'Strategy', numeric: false },
    ...(hardware ? [{ key: 'hardware', label: 'Hardware', numeric: false }] : []),
    ...(swept ? [{ key: 'parameter', label: 'Parameter', numeric: true }] : []),
    { key: 'n', label: 'n', numeric: true },
    ...metrics.flatMap((metric, index) => {
      const symbol = scales[index]!.symbol;
      const unit = symbol ? ` (${symbol})` : '';
      return [
        { key: metric.key, label: `${metric.label}${unit}`, numeric: true },
        { key: `${metric.key}CI`, label: `±95% CI${unit}`, numeric: true },
      ];
    }),
  ];
  const rows = summaries.map((summary): TableCell[] => [
    cell(summary.point.workload),
    cell(variantName(summary.point.strategy, summary.point.prefetch)),
    ...(hardware ? [cell(summary.point.hardware)] : []),
    ...(swept
      ? [
          summary.point.parameterValue === undefined
            ? cell('—', null)
            : cell(formatSwept(summary.point.parameterValue), summary.point.parameterValue),
        ]
      : []),
    cell(String(summary.replications.length), summary.replications.length),
    ...metrics.flatMap((metric, index) => meanCells(summary.metrics[metric.metric], scales[index]!)),
  ]);
  return {
    id: 'summary',
    title: 'Summary',
    caption: "mean and half-width of the 95% confidence interval (Student's t) over replications",
    columns,
    rows,
  };
}

function meanCells(summary: Summary | undefined, scale: Scale): TableCell[] {
  if (!summary) return [cell('—', null), cell('', null)];
  const interval = Number.isFinite(summary.halfWidth) ? summary.halfWidth : null;
  // Rounding noise between identical replications reads as ± 0.
  const width = interval !== null && interval <= 1e-9 * Math.abs(summary.mean) ? 0 : interval;
  const mean = summary.mean / scale.factor;
  const half = width === null ? null : width / scale.factor;
  const decimals = decimalsFor(mean, half);
  return [
    cell(fixed(mean, decimals), summary.mean),
    half === null ? cell('—', null) : cell(fixed(half, decimals), width),
  ];
}
