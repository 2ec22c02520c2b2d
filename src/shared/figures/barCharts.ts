import type { TrialMetrics, TrialResult } from '../../engine/experiment/trial';
import { FAULT_LATENCY_EDGES_MS } from '../../engine/model/liveMigration';
import { categoryOf, compare, variantOf } from './comparison';
import type { Comparison } from './comparison';
import { makeFigure, type BarSeries, type FigureData, type FigureUnit } from './data';
import { colour, variantColours } from './format';
import type { FigureKind, FigureSpec } from './spec';
import { FIGURE_TITLES } from './spec';

/** The bar figures: a metric per workload and strategy variant, message time, fault latency, a reference. */

/** The kinds that draw one metric per workload and strategy variant. */
type MetricBarKind = Exclude<
  FigureKind,
  'message-time' | 'byte-rate' | 'loss-risk' | 'fault-latency' | 'reference'
>;

interface MetricBar extends BarSettings {
  /** The trial's value; null leaves the trial out (speedup: no pure-copy to compare with). */
  pick: (metrics: TrialMetrics, copy: TrialMetrics | undefined) => number | null;
}

const METRIC_BARS: Record<MetricBarKind, MetricBar> = {
  'remote-exec': {
    pick: (m) => m.remoteExecSeconds,
    subtitle: 'first remote instruction to exit, mean over trials (log scale)',
    yLabel: 'remote execution time (seconds)',
    unit: 'seconds',
    logarithmic: true,
  },
  speedup: {
    pick: (m, copy) =>
      copy ? (100 * (copy.endToEndSeconds - m.endToEndSeconds)) / copy.endToEndSeconds : null,
    subtitle: 'end to end (transfer + remote execution) against pure-copy; above 0 is faster',
    yLabel: 'speedup over pure-copy (%)',
    unit: 'percent',
    logarithmic: false,
    skipCopy: true,
  },
  bytes: {
    pick: (m) => m.bytesTotal,
    subtitle: 'bytes on the network during the trial, mean over trials (log scale)',
    yLabel: 'bytes transferred',
    unit: 'bytes',
    logarithmic: true,
  },
  'end-to-end': {
    pick: (m) => m.endToEndSeconds,
    subtitle: 'transfer + remote execution, mean over trials (log scale)',
    yLabel: 'end-to-end time (seconds)',
    unit: 'seconds',
    logarithmic: true,
  },
  completion: {
    pick: (m) => m.totalSeconds,
    subtitle: 'migration request to exit, wherever the process ran, mean over trials (log scale)',
    yLabel: 'completion time (seconds)',
    unit: 'seconds',
    logarithmic: true,
  },
  downtime: {
    pick: (m) => m.downtimeSeconds ?? null,
    subtitle: 'from the freeze to the first instruction at the destination, mean over trials (log scale)',
    yLabel: 'downtime (seconds)',
    unit: 'seconds',
    logarithmic: true,
  },
  'total-migration': {
    pick: (m) => m.totalMigrationSeconds ?? null,
    subtitle: 'request to the last page at the destination, mean over trials (log scale)',
    yLabel: 'total migration time (seconds)',
    unit: 'seconds',
    logarithmic: true,
  },
  'source-release': {
    pick: (m) => m.sourceReleaseSeconds ?? null,
    subtitle: 'request until the source owes nothing, mean over trials (log scale)',
    yLabel: 'time to release the source (seconds)',
    unit: 'seconds',
    logarithmic: true,
  },
  'pages-resent': {
    pick: (m) => m.pagesResent ?? null,
    subtitle: 'pages sent to the destination more than once, mean over trials',
    yLabel: 'pages re-sent',
    unit: 'count',
    logarithmic: false,
  },
};

/** A metric's figure: its mean per workload and strategy variant, with 95% error bars when replicated. */
export function metricBarFigure(
  spec: FigureSpec,
  kind: MetricBarKind,
  results: readonly TrialResult[],
): FigureData {
  const { pick, ...settings } = METRIC_BARS[kind];
  return barFigure(spec, results, pick, settings);
}

interface BarSettings {
  subtitle: string;
  yLabel: string;
  unit: FigureUnit;
  logarithmic: boolean;
  /** Leave pure-copy's own trials out (a comparison against it). */
  skipCopy?: boolean;
}

function barFigure(
  spec: FigureSpec,
  results: readonly TrialResult[],
  pick: (metrics: TrialMetrics, copy: TrialMetrics | undefined) => number | null,
  settings: BarSettings,
): FigureData {
  // Pure-copy of the same workload and replication: with common random numbers, the same process.
  const copyKey = (result: TrialResult): string => `${categoryOf(result)}\u0000${result.replication}`;
  const copies = new Map<string, TrialMetrics>();
  for (const result of results) {
    if (result.ok && result.metrics && result.strategy === 'pure-copy')
      copies.set(copyKey(result), result.metrics);
  }
  const eligible = results.filter((result) => !(settings.skipCopy && result.strategy === 'pure-copy'));
  // Per-trial values; `compare` averages repetitions. A null pick (no pure-copy to compare) drops the trial.
  const values = new Map<TrialResult, number>();
  for (const result of eligible) {
    if (!result.ok || !result.metrics) continue;
    const value = pick(result.metrics, copies.get(copyKey(result)));
    if (value !== null && Number.isFinite(value)) values.set(result, value);
  }
  const kept = eligible.filter((result) => values.has(result));
  // Each trial's value by its metrics object (the first trial holding it, as a search would find).
  const byMetrics = new Map<TrialMetrics, number>();
  for (const result of kept) {
    if (!byMetrics.has(result.metrics!)) byMetrics.set(result.metrics!, values.get(result)!);
  }
  const comparison = compare(kept, (metrics) => byMetrics.get(metrics)!);
  return comparisonBarFigure(spec, comparison, settings);
}

/**
 * A bar figure of a comparison (means and 95% half-widths per category and variant): from trials
 * (barFigure) or from a summarized experiment's design points (./summarized.ts).
 */
export function comparisonBarFigure(
  spec: FigureSpec,
  comparison: Comparison,
  settings: { subtitle: string; yLabel: string; unit: FigureUnit; logarithmic: boolean },
): FigureData {
  const colours = variantColours(comparison.series.map((series) => series.label));
  // Error bars only where some mean rests on two or more replications.
  const withErrors = comparison.series.some((series) => series.halfWidths.some((width) => width !== null));
  const bars = comparison.series.map((series, index) => ({
    label: series.label,
    values: series.values.map((value) =>
      value === null || (settings.logarithmic && value <= 0) ? null : value,
    ),
    colour: colours[index]!,
    ...(withErrors ? { errors: [...series.halfWidths] } : {}),
  }));
  const table: (string | number)[][] = [
    [
      'workload',
      ...comparison.series.flatMap((series) =>
        withErrors ? [series.label, `${series.label} ±95% CI`] : [series.label],
      ),
    ],
    ...comparison.workloads.map((workload, row) => [
      workload,
      ...comparison.series.flatMap((series) =>
        withErrors ? [series.values[row] ?? '', series.halfWidths[row] ?? ''] : [series.values[row] ?? ''],
      ),
    ]),
  ];
  return makeFigure(spec, {
    subtitle: withErrors ? `${settings.subtitle}; error bars: 95% confidence interval` : settings.subtitle,
    type: 'bar',
    xLabel: 'workload',
    yLabel: settings.yLabel,
    unit: settings.unit,
    logarithmic: settings.logarithmic,
    categories: comparison.workloads,
    bars,
    table,
    empty: comparison.workloads.length === 0,
  });
}

export function messageTimeFigure(spec: FigureSpec, results: readonly TrialResult[]): FigureData {
  return messageTimeBars(
    spec,
    compare(results, (m) => m.messageSecondsSource),
    compare(results, (m) => m.messageSecondsDest),
  );
}

/** The message-time figure of two comparisons, source and destination (means only). */
export function messageTimeBars(spec: FigureSpec, source: Comparison, dest: Comparison): FigureData {
  const colours = variantColours(source.series.map((series) => series.label));
  const bars: BarSeries[] = [];
  source.series.forEach((series, index) => {
    bars.push({
      label: series.label,
      values: [...series.values],
      colour: colours[index]!,
      stack: series.label,
    });
    bars.push({
      label: `${series.label} (destination)`,
      values: [...dest.series[index]!.values],
      colour: colours[index]!.replace(
        /hsl\((\d+), (\d+)%, (\d+)%\)/,
        (_all, h, s, l) => `hsla(${h}, ${s}%, ${l}%, 0.45)`,
      ),
      stack: series.label,
      hideInLegend: true,
    });
  });
  const table: (string | number)[][] = [
    [
      'workload',
      ...source.series.flatMap((series) => [`${series.label} source`, `${series.label} destination`]),
    ],
    ...source.workloads.map((workload, row) => [
      workload,
      ...source.series.flatMap((series, index) => [
        series.values[row] ?? '',
        dest.series[index]!.values[row] ?? '',
      ]),
    ]),
  ];
  return makeFigure(spec, {
    subtitle: 'each bar: source host (solid) under destination host (pale), mean over trials',
    type: 'bar',
    xLabel: 'workload',
    yLabel: 'message-handling time (seconds)',
    unit: 'seconds',
    categories: source.workloads,
    bars,
    table,
    empty: source.workloads.length === 0,
  });
}

const REFERENCE_SETTINGS: Record<
  NonNullable<FigureSpec['reference']>['metric'],
  { yLabel: string; unit: FigureUnit; what: string }
> = {
  totalMigrationSeconds: {
    yLabel: 'total migration time (seconds)',
    unit: 'seconds',
    what: 'total migration time',
  },
  downtimeSeconds: { yLabel: 'downtime (seconds)', unit: 'seconds', what: 'downtime' },
  bytesPageData: { yLabel: 'page bytes sent', unit: 'bytes', what: 'page bytes sent' },
};

/**
 * The experiment's trials beside reference values of one metric, per workload (the first
 * replication's trial of each workload; one strategy and prefetch per experiment is the use).
 */
export function referenceFigure(spec: FigureSpec, results: readonly TrialResult[]): FigureData {
  const reference = spec.reference;
  const metric = reference?.metric ?? 'totalMigrationSeconds';
  const settings = REFERENCE_SETTINGS[metric];
  const ours = new Map<string, number>();
  for (const result of results) {
    const value = result.ok && result.metrics ? result.metrics[metric] : undefined;
    if (value !== undefined && result.replication === 0 && !ours.has(result.workload))
      ours.set(result.workload, value);
  }
  const categories = (reference?.values ?? []).map((entry) => entry.workload);
  const theirs = (reference?.values ?? []).map((entry) => entry.value);
  const mine = categories.map((workload) => ours.get(workload) ?? null);
  const label = reference?.label ?? 'reference';
  return makeFigure(spec, {
    title: spec.title ?? `${FIGURE_TITLES.reference}: ${settings.what}`,
    subtitle: `this engine beside ${label}, per workload (log scale)`,
    type: 'bar',
    xLabel: 'workload',
    yLabel: settings.yLabel,
    unit: settings.unit,
    logarithmic: true,
    categories,
    bars: [
      {
        label: 'this engine',
        values: mine.map((value) => (value !== null && value > 0 ? value : null)),
        colour: colour(0),
      },
      { label, values: theirs.map((value) => (value > 0 ? value : null)), colour: colour(1) },
    ],
    table: [
      ['workload', 'this engine', label, 'relative difference'],
      ...categories.map((workload, row) => {
        const a = mine[row];
        const b = theirs[row]!;
        return [workload, a ?? '', b, a !== null && a !== undefined && b !== 0 ? (a - b) / b : ''];
      }),
    ],
    empty: categories.length === 0 || mine.every((value) => value === null),
  });
}

/** Remote faults per latency bucket, summed over each variant's trials. */
export function faultLatencyFigure(spec: FigureSpec, results: readonly TrialResult[]): FigureData {
  const edges = FAULT_LATENCY_EDGES_MS;
  const categories = [
    `< ${edges[0]} ms`,
    ...edges.slice(1).map((edge, index) => `${edges[index]}-${edge} ms`),
    `>= ${edges[edges.length - 1]} ms`,
  ];
  const withHistogram = results.filter((result) => result.ok && result.faultLatency);
  const variants = compare(withHistogram, () => 0).series.map((series) => series.label);
  const colours = variantColours(variants);
  const bars: BarSeries[] = variants.map((variant, index) => {
    const sums = new Array<number>(categories.length).fill(0);
    for (const result of withHistogram) {
      if (variantOf(result) !== variant) continue;
      result.faultLatency!.counts.forEach((count, bucket) => (sums[bucket]! += count));
    }
    return { label: variant, values: sums, colour: colours[index]! };
  });
  const used = categories.map((_, bucket) => bars.some((bar) => (bar.values[bucket] ?? 0) > 0));
  const first = Math.max(0, used.indexOf(true));
  const last = Math.max(first, used.lastIndexOf(true));
  const keep = (values: (number | null)[]): (number | null)[] => values.slice(first, last + 1);
  const shown = categories.slice(first, last + 1);
  const table: (string | number)[][] = [
    ['latency', ...variants],
    ...shown.map((category, row) => [category, ...bars.map((bar) => keep(bar.values)[row] ?? 0)]),
  ];
  return makeFigure(spec, {
    subtitle: 'remote (imaginary) faults by latency, summed over trials',
    type: 'bar',
    xLabel: 'fault latency',
    yLabel: 'remote faults',
    unit: 'count',
    categories: shown,
    bars: bars.map((bar) => ({ ...bar, values: keep(bar.values) })),
    table,
    empty: bars.every((bar) => bar.values.every((value) => !value)),
  });
}
