import { summarize } from '../../engine/experiment/statistics';
import type { TrialMetrics, TrialResult } from '../../engine/experiment/trial';
import { ignoresPrefetch, STRATEGIES, variantName } from '../../engine/model/migration';
import type { StrategyName } from '../../engine/model/migration';
import { REPRESENTATIVES } from '../../engine/workloads/representatives';
import { makeFigure, type FigureData } from './data';
import { COMPARISON_METRICS } from './comparison';
import { colour, formatSwept } from './format';

/**
 * Experiments of a notebook compared (Perq against 1 Gb/s, say): one metric drawn per design
 * point with one bar per experiment, and the differences to a baseline with intervals
 * (../tables/pairedDifferences.ts). A design point here is what both experiments can share:
 * workload, strategy with its prefetch and, in a sensitivity sweep, the parameter value; the
 * hardware is what the experiments usually differ in, so it is not part of it.
 */
export interface ComparedExperiment {
  id: string;
  /** Shown in the legend and the table: the design's name. */
  name: string;
  results: readonly TrialResult[];
}

export type CompareMetric = (typeof COMPARISON_METRICS)[number];
export type CompareMetricKey = CompareMetric['key'];
export const COMPARE_METRICS: readonly CompareMetric[] = COMPARISON_METRICS;

export function compareMetric(key: CompareMetricKey): CompareMetric {
  const found = COMPARE_METRICS.find((metric) => metric.key === key);
  if (!found) throw new Error(`no metric "${String(key)}" to compare`);
  return found;
}

/**
 * Why a summarized experiment (its trials in a results store, only a summary in the notebook)
 * cannot be compared, in words: the comparison pairs single trials by replication, which a
 * summary does not keep. Null for an experiment whose trials are in the notebook.
 */
export function cannotCompareReason(entry: {
  summary?: { trials: number; store: string } | undefined;
}): string | null {
  if (!entry.summary) return null;
  return (
    `it is summarized: its ${entry.summary.trials.toLocaleString('en-US')} trials are in the results store ` +
    `${entry.summary.store}, not in the notebook, and comparing pairs single trials replication by ` +
    "replication; its summary table gives each design point's mean and 95% interval, and " +
    '`accent-lab export --parquet` gives every trial'
  );
}

/** A design point shared across experiments. */
export interface SharedPoint {
  workload: string;
  strategy: StrategyName;
  prefetch: number;
  parameterValue?: number;
  /** "Chess pure-iou pf1", with " @ 1 G" in a sweep. */
  label: string;
}

/** One experiment's finished trials at a point: replication -> (seed, value). */
export type PointSample = Map<number, { seed: number; value: number }>;

export interface ComparedPoint {
  point: SharedPoint;
  /** Per experiment (in the order given), its values at this point; empty where it has none. */
  samples: PointSample[];
}

const workloadRank = (name: string): number => {
  const at = REPRESENTATIVES.findIndex((workload) => workload.name === name);
  return at < 0 ? REPRESENTATIVES.length : at;
};

function pointOf(result: TrialResult): SharedPoint {
  const prefetch = ignoresPrefetch(result.strategy) ? 0 : result.prefetch;
  const at = result.parameterValue === undefined ? '' : ` @ ${formatSwept(result.parameterValue)}`;
  return {
    workload: result.workload,
    strategy: result.strategy,
    prefetch,
    ...(result.parameterValue === undefined ? {} : { parameterValue: result.parameterValue }),
    label: `${result.workload} ${variantName(result.strategy, prefetch)}${at}`,
  };
}

const pointKey = (point: SharedPoint): string =>
  `${point.workload}\u0000${point.strategy}\u0000${point.prefetch}\u0000${point.parameterValue ?? ''}`;

/**
 * Every design point of any of the experiments, in design order (the paper's workloads first,
 * then strategy, prefetch and parameter value), with each experiment's finished values of
 * `metric` there. Trials without the metric (results saved before it existed) are left out.
 */
export function comparedPoints(
  experiments: readonly ComparedExperiment[],
  metric: (metrics: TrialMetrics) => number,
): ComparedPoint[] {
  const points = new Map<string, ComparedPoint>();
  experiments.forEach((experiment, index) => {
    for (const result of experiment.results) {
      if (!result.ok || !result.metrics) continue;
      const value = metric(result.metrics);
      if (!Number.isFinite(value)) continue;
      const point = pointOf(result);
      const key = pointKey(point);
      let found = points.get(key);
      if (!found) {
        found = { point, samples: experiments.map(() => new Map()) };
        points.set(key, found);
      }
      found.samples[index]!.set(result.replication, { seed: result.seed, value });
    }
  });
  return [...points.values()].sort((x, y) => {
    const a = x.point;
    const b = y.point;
    return (
      workloadRank(a.workload) - workloadRank(b.workload) ||
      a.workload.localeCompare(b.workload, undefined, { numeric: true }) ||
      STRATEGIES.indexOf(a.strategy) - STRATEGIES.indexOf(b.strategy) ||
      a.prefetch - b.prefetch ||
      (a.parameterValue ?? 0) - (b.parameterValue ?? 0)
    );
  });
}

/** Whether every experiment has a value at the point (the points a difference can be taken at). */
export const isShared = (entry: ComparedPoint): boolean => entry.samples.every((sample) => sample.size > 0);

/** Colours of the experiments, in order: the figure palette (apart on white and on dark). */
export const experimentColours = (count: number): string[] =>
  Array.from({ length: count }, (_unused, index) => colour(index));

/**
 * The experiments' means of one metric per design point, one bar series per experiment (named
 * after it in the legend), with 95% error bars where a mean rests on two replications or more.
 * `logarithmic` draws the values on a log scale (bytes that span orders of magnitude);
 * `sharedOnly` keeps the design points every experiment ran.
 */
export function experimentsFigure(
  experiments: readonly ComparedExperiment[],
  key: CompareMetricKey,
  options: { logarithmic?: boolean; sharedOnly?: boolean } = {},
): FigureData {
  const metric = compareMetric(key);
  const logarithmic = options.logarithmic ?? false;
  const all = comparedPoints(experiments, metric.pick);
  const points = options.sharedOnly ? all.filter(isShared) : all;
  const summaries = experiments.map((_experiment, index) =>
    points.map((entry) => {
      const values = [...entry.samples[index]!.values()].map((sample) => sample.value);
      return values.length > 0 ? summarize(values) : null;
    }),
  );
  const withErrors = summaries.some((series) =>
    series.some((summary) => summary !== null && Number.isFinite(summary.halfWidth)),
  );
  const colours = experimentColours(experiments.length);
  const names = experiments.map((experiment) => experiment.name);
  const bars = experiments.map((experiment, index) => ({
    label: experiment.name,
    values: summaries[index]!.map((summary) =>
      summary === null || (logarithmic && summary.mean <= 0) ? null : summary.mean,
    ),
    colour: colours[index]!,
    ...(withErrors
      ? {
          errors: summaries[index]!.map((summary) =>
            summary !== null && Number.isFinite(summary.halfWidth) ? summary.halfWidth : null,
          ),
        }
      : {}),
  }));
  const table: (string | number)[][] = [
    ['design point', ...names.flatMap((name) => (withErrors ? [name, `${name} ±95% CI`] : [name]))],
    ...points.map((entry, row) => [
      entry.point.label,
      ...summaries.flatMap((series) => {
        const summary = series[row] ?? null;
        const mean = summary?.mean ?? '';
        if (!withErrors) return [mean];
        return [mean, summary && Number.isFinite(summary.halfWidth) ? summary.halfWidth : ''];
      }),
    ]),
  ];
  const subtitle =
    `${names.join(' against ')}: mean over replications per design point` +
    (options.sharedOnly ? ' all of them ran' : '') +
    (logarithmic ? ' (log scale)' : '') +
    (withErrors ? '; error bars: 95% confidence interval' : '');
  return makeFigure(
    { kind: metric.key, title: `${metric.title}, by experiment` },
    {
      subtitle,
      type: 'bar',
      xLabel: 'design point',
      yLabel: metric.unit === 'bytes' ? 'bytes' : `${metric.title.toLowerCase()} (seconds)`,
      unit: metric.unit,
      logarithmic,
      categories: points.map((entry) => entry.point.label),
      bars,
      table,
      empty: points.length === 0 || experiments.length === 0,
    },
  );
}
