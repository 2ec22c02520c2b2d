import { summarize, summaryFromMoments } from '../../engine/experiment/statistics';
import type { Moments, Summary } from '../../engine/experiment/statistics';
import type { TrialMetrics, TrialResult } from '../../engine/experiment/trial';
import { ignoresPrefetch, STRATEGIES, variantName } from '../../engine/model/migration';
import type { StrategyName } from '../../engine/model/migration';
import { REPRESENTATIVES } from '../../engine/workloads/representatives';
import type { DesignPointSummary, ExperimentSummary } from '../hostApi';
import { makeFigure, type FigureData } from './data';
import { COMPARISON_METRICS } from './comparison';
import { colour, formatSwept } from './format';
import type { StoredPairsAnswer } from './storedPairs';

/**
 * Experiments of a notebook compared (Perq against 1 Gb/s, say): one metric drawn per design
 * point with one bar per experiment, and the differences to a baseline with intervals
 * (../tables/pairedDifferences.ts). A design point here is what both experiments can share:
 * workload, strategy with its prefetch and, in a sensitivity sweep, the parameter value; the
 * hardware is what the experiments usually differ in, so it is not part of it.
 *
 * A summarized experiment (its trials in a results store, only its summary in the notebook) is
 * compared from its summary: per design point n, mean and standard deviation, which give the same
 * means and 95% intervals its trials give, and Welch's t for differences (pairing replications
 * needs the single trials; see ../tables/pairedDifferences.ts).
 */
export interface ComparedExperiment {
  id: string;
  /** Shown in the legend and the table: the design's name. */
  name: string;
  /** Its trials (empty for a summarized experiment). */
  results: readonly TrialResult[];
  /** A summarized experiment's summary: compared from its design points, not from trials. */
  summary?: ExperimentSummary | undefined;
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
 * The fields of a summary's design point a compared metric is read from: one metric, or (message
 * time) the sum of two, whose mean is the sum of their means; its spread is not in a summary
 * (it needs the two metrics' covariance), so that mean comes without an interval.
 */
const SUMMARY_FIELDS: Record<CompareMetricKey, readonly (keyof TrialMetrics)[]> = {
  bytes: ['bytesTotal'],
  'message-time': ['messageSecondsSource', 'messageSecondsDest'],
  'end-to-end': ['endToEndSeconds'],
  downtime: ['downtimeSeconds'],
  'source-release': ['sourceReleaseSeconds'],
};

/** One metric at one design point from a summary: n, mean and sd (NaN where a summary has no spread). */
export type PointMoments = Moments;

/** A compared metric at a summary's design point; null where the point has no value of it. */
export function summaryMoments(point: DesignPointSummary, key: CompareMetricKey): PointMoments | null {
  const fields = SUMMARY_FIELDS[key].map((field) => point.metrics[field]);
  if (fields.some((found) => found === undefined || found.n === 0 || !Number.isFinite(found.mean)))
    return null;
  const found = fields as { n: number; mean: number; sd: number }[];
  if (found.length === 1) return { n: found[0]!.n, mean: found[0]!.mean, sd: found[0]!.sd };
  return {
    n: Math.min(...found.map((field) => field.n)),
    mean: found.reduce((sum, field) => sum + field.mean, 0),
    sd: Number.NaN,
  };
}

/**
 * What a comparison is based on, one phrase per experiment: "Perq: 40 trials", "Big: summary of
 * 200,000 trials (store big.results.duckdb)", and with `stored` (see ./storedPairs.ts) the
 * summarized experiments whose trials were paired from their stores: "Big against Perq: paired
 * trials from big.results.duckdb (199,800 of 200,000 pairs)", or why not ("… Welch t from
 * summaries: the results store big.results.duckdb is missing").
 */
export function comparisonBasis(
  experiments: readonly ComparedExperiment[],
  stored: readonly StoredPairsAnswer[] = [],
): string[] {
  const nameOf = (id: string): string => experiments.find((experiment) => experiment.id === id)?.name ?? id;
  const pairs = stored.map((answer) => {
    const names = `${nameOf(answer.experimentId)} against ${nameOf(answer.baselineId)}`;
    if (!answer.pairs)
      return `${names}: Welch t from summaries, not paired from the store: ${answer.reason ?? 'unknown'}`;
    const { baselineStore, experimentStore, found, expected } = answer.pairs;
    const stores =
      baselineStore === experimentStore ? baselineStore : `${baselineStore} and ${experimentStore}`;
    return (
      `${names}: paired trials from ${stores} (${found.toLocaleString('en-US')} of ` +
      `${expected.toLocaleString('en-US')} pairs)`
    );
  });
  return [...basisOf(experiments), ...pairs];
}

function basisOf(experiments: readonly ComparedExperiment[]): string[] {
  return experiments.map((experiment) => {
    const summary = experiment.summary;
    if (!summary) {
      const count = experiment.results.length;
      return `${experiment.name}: ${count.toLocaleString('en-US')} trial${count === 1 ? '' : 's'}`;
    }
    return (
      `${experiment.name}: summary of ${summary.trials.toLocaleString('en-US')} trials ` +
      `(n, mean and sd per design point; trials in the store ${summary.store})`
    );
  });
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
  /**
   * Per experiment (in the order given), its values at this point; empty where it has none and
   * for a summarized experiment (see `moments`).
   */
  samples: PointSample[];
  /** Per experiment: a summarized one's n, mean and sd here; null for the others or without a value. */
  moments: (PointMoments | null)[];
}

const workloadRank = (name: string): number => {
  const at = REPRESENTATIVES.findIndex((workload) => workload.name === name);
  return at < 0 ? REPRESENTATIVES.length : at;
};

function pointOf(
  result: Pick<TrialResult, 'workload' | 'strategy' | 'prefetch' | 'parameterValue'>,
): SharedPoint {
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

/** Two summaries' moments of one point as one (two design points that compare as one). */
function pooled(a: PointMoments, b: PointMoments): PointMoments {
  const n = a.n + b.n;
  const mean = (a.n * a.mean + b.n * b.mean) / n;
  const squares =
    (a.n - 1) * a.sd ** 2 + (b.n - 1) * b.sd ** 2 + a.n * (a.mean - mean) ** 2 + b.n * (b.mean - mean) ** 2;
  return { n, mean, sd: n > 1 ? Math.sqrt(squares / (n - 1)) : 0 };
}

const pointKey = (point: SharedPoint): string =>
  `${point.workload}\u0000${point.strategy}\u0000${point.prefetch}\u0000${point.parameterValue ?? ''}`;

/**
 * Every design point of any of the experiments, in design order (the paper's workloads first,
 * then strategy, prefetch and parameter value), with each experiment's finished values of
 * `metric` there (a summarized experiment's n, mean and sd). Trials without the metric (results
 * saved before it existed) are left out.
 */
export function comparedPoints(
  experiments: readonly ComparedExperiment[],
  key: CompareMetricKey,
): ComparedPoint[] {
  const metric = compareMetric(key).pick;
  const points = new Map<string, ComparedPoint>();
  const at = (point: SharedPoint): ComparedPoint => {
    const id = pointKey(point);
    let found = points.get(id);
    if (!found) {
      found = { point, samples: experiments.map(() => new Map()), moments: experiments.map(() => null) };
      points.set(id, found);
    }
    return found;
  };
  experiments.forEach((experiment, index) => {
    if (experiment.summary) {
      for (const summarized of experiment.summary.points) {
        const moments = summarized.n > 0 ? summaryMoments(summarized, key) : null;
        if (!moments) continue;
        const found = at(pointOf(summarized));
        const before = found.moments[index];
        found.moments[index] = before ? pooled(before, moments) : moments;
      }
      return;
    }
    for (const result of experiment.results) {
      if (!result.ok || !result.metrics) continue;
      const value = metric(result.metrics);
      if (!Number.isFinite(value)) continue;
      at(pointOf(result)).samples[index]!.set(result.replication, { seed: result.seed, value });
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

/** Whether the experiment at `index` has a value at the point. */
export const hasValue = (entry: ComparedPoint, index: number): boolean =>
  entry.samples[index]!.size > 0 || entry.moments[index] !== null;

/** Whether every experiment has a value at the point (the points a difference can be taken at). */
export const isShared = (entry: ComparedPoint): boolean =>
  entry.samples.every((_sample, index) => hasValue(entry, index));

/** One experiment's mean and 95% interval at a point (from its trials or its summary); null without a value. */
export function pointSummary(entry: ComparedPoint, index: number): Summary | null {
  const moments = entry.moments[index];
  if (moments) return summaryFromMoments(moments);
  const values = [...entry.samples[index]!.values()].map((sample) => sample.value);
  return values.length > 0 ? summarize(values) : null;
}

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
  const all = comparedPoints(experiments, key);
  const points = options.sharedOnly ? all.filter(isShared) : all;
  const summaries = experiments.map((_experiment, index) =>
    points.map((entry) => pointSummary(entry, index)),
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
  const summarized = experiments
    .filter((experiment) => experiment.summary)
    .map((experiment) => experiment.name);
  const subtitle =
    `${names.join(' against ')}: mean over replications per design point` +
    (options.sharedOnly ? ' all of them ran' : '') +
    (logarithmic ? ' (log scale)' : '') +
    (withErrors ? '; error bars: 95% confidence interval' : '') +
    (summarized.length > 0
      ? `; ${summarized.join(', ')} from ${summarized.length === 1 ? 'its' : 'their'} summary`
      : '');
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
