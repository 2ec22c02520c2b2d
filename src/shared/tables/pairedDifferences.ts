import { pairedTTest, summarize, welchFromMoments, welchTTest } from '../../engine/experiment/statistics';
import type { DifferenceTest } from '../../engine/experiment/statistics';
import { variantName } from '../../engine/model/migration';
import { comparedPoints, compareMetric, hasValue } from '../figures/compareExperiments';
import type {
  CompareMetric,
  CompareMetricKey,
  ComparedExperiment,
  ComparedPoint,
  PointMoments,
  PointSample,
  SharedPoint,
} from '../figures/compareExperiments';
import { formatSwept } from '../figures/format';
import { pairedFromMoments, storedPointKey } from '../figures/storedPairs';
import type { StoredPairs } from '../figures/storedPairs';
import { decimalsFor, fixed, scaleFor, type Scale } from './summary';
import { cell, type Table, type TableCell, type TableColumn } from './table';

/**
 * How two experiments' values at a design point were compared: `paired` when their replications
 * ran the same process (the same seed and replication: common random numbers, as the engine
 * draws them), `welch` when they cannot be paired but each side has two values or more, `none`
 * with a single value on a side (a difference without an interval), `summary` when a side is a
 * summarized experiment: Welch's t from each side's n, mean and sd (the single trials a pairing
 * needs are in its results store, not the notebook; where the replications would pair, this
 * interval is the wider, conservative one), `stored` when both are summarized and their trials,
 * read from their results stores, pair: the paired t from the store (../figures/storedPairs.ts).
 */
export type DifferenceMethod = 'paired' | 'welch' | 'none' | 'summary' | 'stored';

export const METHOD_NAMES: Record<DifferenceMethod, string> = {
  paired: 'paired t',
  welch: 'Welch t',
  none: 'one trial a side: no test',
  summary: 'Welch t from summaries',
  stored: 'paired t from the store',
};

export interface PairedDifference {
  point: SharedPoint;
  /** The experiment compared with the baseline (the first one given). */
  experiment: string;
  baseline: string;
  method: DifferenceMethod;
  /** Trials used on each side (paired: the pairs, the same on both). */
  nBaseline: number;
  nExperiment: number;
  meanBaseline: number;
  meanExperiment: number;
  /** experiment - baseline, with its interval and test. */
  test: DifferenceTest;
}

const meanOf = (values: readonly number[]): number =>
  values.reduce((sum, value) => sum + value, 0) / values.length;

/**
 * One experiment's values against the baseline's at one point: paired by replication where the
 * two trials share their seed (unmatched replications are left out of a paired test), else Welch.
 */
export function differenceAt(
  baseline: PointSample,
  other: PointSample,
): {
  method: DifferenceMethod;
  a: number[];
  b: number[];
  test: DifferenceTest;
} {
  const pairs = [...other.entries()]
    .filter(([replication, sample]) => baseline.get(replication)?.seed === sample.seed)
    .sort(([x], [y]) => x - y);
  if (pairs.length >= 2) {
    const b = pairs.map(([replication]) => baseline.get(replication)!.value);
    const a = pairs.map(([, sample]) => sample.value);
    return { method: 'paired', a, b, test: pairedTTest(a, b) };
  }
  const a = [...other.values()].map((sample) => sample.value);
  const b = [...baseline.values()].map((sample) => sample.value);
  const test = welchTTest(a, b);
  return { method: a.length >= 2 && b.length >= 2 ? 'welch' : 'none', a, b, test };
}

/** A side's moments at a point: a summarized experiment's, or its trials' values'. */
function sideMoments(entry: ComparedPoint, index: number): PointMoments {
  return entry.moments[index] ?? summarize([...entry.samples[index]!.values()].map((sample) => sample.value));
}

/** The pairs read from the stores for `experiment` against `baseline`, by design point. */
function storedFor(
  stored: readonly StoredPairs[],
  baseline: ComparedExperiment,
  experiment: ComparedExperiment,
): Map<string, StoredPairs['points'][number]> | null {
  const found = stored.find(
    (pairs) => pairs.baselineId === baseline.id && pairs.experimentId === experiment.id,
  );
  return found ? new Map(found.points.map((point) => [storedPointKey(point), point])) : null;
}

/**
 * For every other experiment and every design point it shares with the baseline (the first
 * experiment): the mean difference (experiment - baseline) of `key`, its 95% interval and the
 * p-value of "no difference", by the paired t test where the replications pair and Welch's where
 * they do not; with a summarized experiment on either side, Welch's from the summaries, unless
 * `stored` has the two experiments' trials paired from their results stores (the host's
 * pairedFromStores): then the paired t from those, at every design point with two pairs or more.
 */
export function pairedDifferences(
  experiments: readonly ComparedExperiment[],
  key: CompareMetricKey,
  stored: readonly StoredPairs[] = [],
): PairedDifference[] {
  if (experiments.length < 2) return [];
  const points = comparedPoints(experiments, key);
  const [baseline, ...others] = experiments;
  return others.flatMap((experiment, index) => {
    const fromStore = storedFor(stored, baseline!, experiment);
    return points.flatMap((entry): PairedDifference[] => {
      if (!hasValue(entry, 0) || !hasValue(entry, index + 1)) return [];
      const pairs = fromStore?.get(storedPointKey(entry.point))?.metrics[key];
      if (pairs && pairs.n >= 2) {
        return [
          {
            point: entry.point,
            experiment: experiment.name,
            baseline: baseline!.name,
            method: 'stored',
            nBaseline: pairs.n,
            nExperiment: pairs.n,
            meanBaseline: pairs.meanBaseline,
            meanExperiment: pairs.meanExperiment,
            test: pairedFromMoments(pairs.difference),
          },
        ];
      }
      if (baseline!.summary || experiment.summary) {
        const b = sideMoments(entry, 0);
        const a = sideMoments(entry, index + 1);
        return [
          {
            point: entry.point,
            experiment: experiment.name,
            baseline: baseline!.name,
            method: 'summary',
            nBaseline: b.n,
            nExperiment: a.n,
            meanBaseline: b.mean,
            meanExperiment: a.mean,
            test: welchFromMoments(a, b),
          },
        ];
      }
      const { method, a, b, test } = differenceAt(entry.samples[0]!, entry.samples[index + 1]!);
      return [
        {
          point: entry.point,
          experiment: experiment.name,
          baseline: baseline!.name,
          method,
          nBaseline: b.length,
          nExperiment: a.length,
          meanBaseline: meanOf(b),
          meanExperiment: meanOf(a),
          test,
        },
      ];
    });
  });
}

/** "0.0031", "< 0.0001"; the CSV keeps the number. */
export function formatP(p: number): string {
  if (Number.isNaN(p)) return '—';
  if (p < 0.0001) return '< 0.0001';
  return p >= 0.01 ? p.toFixed(2) : String(Number(p.toPrecision(2)));
}

/** What the columns of a differences table show: the experiment (several), the parameter (swept). */
interface DifferenceLayout {
  several: boolean;
  swept: boolean;
  scale: Scale;
}

/**
 * The paired differences as a table (sortable, and exported as CSV, LaTeX or Markdown): means
 * and the difference in one unit per table (named in the headers), the interval's bounds, the
 * test used and its p-value.
 */
export function pairedDifferenceTable(
  experiments: readonly ComparedExperiment[],
  key: CompareMetricKey,
  stored: readonly StoredPairs[] = [],
): Table {
  const metric = compareMetric(key);
  const rows = pairedDifferences(experiments, key, stored);
  const layout: DifferenceLayout = {
    several: experiments.length > 2,
    swept: rows.some((row) => row.point.parameterValue !== undefined),
    scale: scaleFor(
      metric.unit,
      rows.flatMap((row) => [row.meanBaseline, row.meanExperiment]),
    ),
  };
  const baseline = experiments[0]?.name ?? '';
  return {
    id: `differences-${metric.key}`,
    title: `${metric.title}: differences to ${baseline}`,
    caption: differenceCaption(rows, metric),
    columns: differenceColumns(experiments, layout),
    rows: rows.map((row) => differenceRow(row, layout)),
  };
}

/** The headers, with the table's unit in those of the means, the difference and its interval. */
function differenceColumns(
  experiments: readonly ComparedExperiment[],
  layout: DifferenceLayout,
): TableColumn[] {
  const { several, swept, scale } = layout;
  const unit = scale.symbol ? ` (${scale.symbol})` : '';
  const baseline = experiments[0]?.name ?? '';
  return [
    ...(several ? [{ key: 'experiment', label: 'Experiment', numeric: false }] : []),
    { key: 'workload', label: 'Workload', numeric: false },
    { key: 'strategy', label: 'Strategy', numeric: false },
    ...(swept ? [{ key: 'parameter', label: 'Parameter', numeric: true }] : []),
    { key: 'test', label: 'Test', numeric: false },
    { key: 'n', label: 'n', numeric: true },
    { key: 'baseline', label: `${baseline}${unit}`, numeric: true },
    {
      key: 'other',
      label: `${several ? 'Experiment' : (experiments[1]?.name ?? '')}${unit}`,
      numeric: true,
    },
    { key: 'difference', label: `Difference${unit}`, numeric: true },
    { key: 'low', label: `95% CI low${unit}`, numeric: true },
    { key: 'high', label: `95% CI high${unit}`, numeric: true },
    { key: 'p', label: 'p', numeric: true },
  ];
}

/** One design point's difference: the difference and its bounds to the interval's precision. */
function differenceRow(row: PairedDifference, layout: DifferenceLayout): TableCell[] {
  const { several, swept, scale } = layout;
  const { test } = row;
  const interval = Number.isFinite(test.halfWidth) ? test.halfWidth / scale.factor : null;
  const decimals = decimalsFor(test.difference / scale.factor, interval);
  const shown = (value: number): TableCell =>
    Number.isFinite(value) ? cell(fixed(value / scale.factor, decimals), value) : cell('—', null);
  // A mean to four significant digits of its own (the interval is the difference's).
  const mean = (value: number): TableCell =>
    cell(fixed(value / scale.factor, decimalsFor(value / scale.factor, null)), value);
  const n =
    row.method === 'paired' || row.method === 'stored'
      ? cell(`${row.nExperiment} pairs`, row.nExperiment)
      : cell(`${row.nBaseline} / ${row.nExperiment}`, Math.min(row.nBaseline, row.nExperiment));
  return [
    ...(several ? [cell(row.experiment)] : []),
    cell(row.point.workload),
    cell(variantName(row.point.strategy, row.point.prefetch)),
    ...(swept
      ? [
          row.point.parameterValue === undefined
            ? cell('—', null)
            : cell(formatSwept(row.point.parameterValue), row.point.parameterValue),
        ]
      : []),
    cell(METHOD_NAMES[row.method], row.method),
    n,
    mean(row.meanBaseline),
    mean(row.meanExperiment),
    shown(test.difference),
    shown(test.ciLow),
    shown(test.ciHigh),
    Number.isNaN(test.p) ? cell('—', null) : cell(formatP(test.p), test.p),
  ];
}

/** How the differences were taken, and what a summarized experiment changes in that. */
function differenceCaption(rows: readonly PairedDifference[], metric: CompareMetric): string {
  const fromSummaries = rows.some((row) => row.method === 'summary');
  const fromStores = rows.some((row) => row.method === 'stored');
  return (
    'each experiment minus the baseline at every design point both ran; paired t where the replications ' +
    "share their seed (the same process), Welch's t where they cannot be paired; 95% interval, two-sided p" +
    (fromSummaries
      ? "; a summarized experiment is compared from its summary (n, mean and sd per design point) by Welch's t, " +
        'which is wider than a paired test where the replications share their seed' +
        (metric.key === 'message-time'
          ? '; message-handling time adds two metrics whose joint spread a summary does not keep: its mean only'
          : '')
      : '') +
    (fromStores
      ? '; paired t from the store: two summarized experiments whose trials, read from their results stores, ' +
        'pair by seed and replication'
      : '')
  );
}
