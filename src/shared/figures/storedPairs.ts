import { DesignTrials } from '../../engine/experiment/designTrials';
import type { ExperimentDesign } from '../../engine/experiment/designSpace';
import { summaryFromMoments, twoSidedP } from '../../engine/experiment/statistics';
import type { DifferenceTest, Moments } from '../../engine/experiment/statistics';
import type { TrialResult, TrialSpec } from '../../engine/experiment/trial';
import { ignoresPrefetch } from '../../engine/model/migration';
import type { StrategyName } from '../../engine/model/migration';
import { COMPARE_METRICS } from './compareExperiments';
import type { CompareMetricKey } from './compareExperiments';
import { messageOf } from '../messageOf';
import { RunningMoments } from '../runningMoments';

/**
 * The paired test of two summarized experiments from their results stores (issue 17). A summary
 * keeps per design point n, mean and sd, so from summaries alone two experiments differ by Welch's
 * t; where their replications ran the same process (the same seed and replication: the engine's
 * common random numbers) a paired t on the single trials is the sharper test. Those trials are in
 * the experiments' stores: the host (or `accent-lab compare`) reads them by key a chunk at a time
 * (src/node/storedPairs.ts) and folds each pair into a PairAccumulator, so what comes back is a
 * few numbers per design point and metric, whatever the trials. The differences table
 * (../tables/pairedDifferences.ts) then shows "paired t from the store" where it has them.
 */

/** One metric at one design point over the pairs found: each side's mean and the differences' moments. */
export interface StoredPairMetric {
  /** Pairs. */
  n: number;
  meanBaseline: number;
  meanExperiment: number;
  /** Moments of experiment - baseline, pair by pair. */
  difference: Moments;
}

/** A design point both experiments ran (as compareExperiments' SharedPoint names it, less the label). */
export interface StoredPairPoint {
  workload: string;
  strategy: StrategyName;
  prefetch: number;
  parameterValue?: number;
  metrics: Partial<Record<CompareMetricKey, StoredPairMetric>>;
}

/** Two experiments paired from their stores. */
export interface StoredPairs {
  baselineId: string;
  experimentId: string;
  /** The stores the trials were read from, as the summaries name them. */
  baselineStore: string;
  experimentStore: string;
  /** Pairs looked up (shared design points times shared replications) and found in both stores. */
  expected: number;
  found: number;
  points: StoredPairPoint[];
}

/** The answer for one experiment against the baseline: its pairs, or why there are none (Welch then). */
export interface StoredPairsAnswer {
  baselineId: string;
  experimentId: string;
  pairs?: StoredPairs;
  /** Why no paired test from the store: "the store big.results.duckdb is missing", "their seeds differ". */
  reason?: string;
}

/** One side of a paired comparison from a store: a summarized experiment and the store its summary names. */
export interface StoredSide {
  id: string;
  design: ExperimentDesign;
  /** The engine version that ran its trials (their keys include it). */
  engineVersion: string;
  /** The store as its summary names it (relative to the notebook's folder, or absolute). */
  store: string;
}

/** What the host is asked: the baseline and the experiments compared with it, and the notebook's file. */
export interface StoredPairsRequest {
  /** The notebook's file (a relative store is beside it); null for an untitled notebook. */
  notebookPath: string | null;
  baseline: StoredSide;
  others: StoredSide[];
}

interface NamedPoint {
  workload: string;
  strategy: StrategyName;
  prefetch: number;
  parameterValue?: number | undefined;
}

const pointKey = (spec: NamedPoint): string =>
  `${spec.workload}\u0000${spec.strategy}\u0000${ignoresPrefetch(spec.strategy) ? 0 : spec.prefetch}\u0000${spec.parameterValue ?? ''}`;

const specKey = (spec: TrialSpec): string => pointKey({ ...spec, workload: spec.workload.name });

/**
 * Which trials pair: every design point of the baseline that the other experiment ran too
 * (workload, strategy with its prefetch, sweep value, as Compare matches them), at each
 * replication both ran. `at(n)` gives the n-th pair's two trials; null with the reason when
 * nothing can pair (their seeds differ: their replications ran different processes).
 */
export function pairingPlan(
  baseline: ExperimentDesign,
  experiment: ExperimentDesign,
): { count: number; at(n: number): [TrialSpec, TrialSpec] } | { reason: string } {
  if (baseline.seed !== experiment.seed)
    return { reason: `their seeds differ (${baseline.seed} and ${experiment.seed}): no replication pairs` };
  let a: DesignTrials;
  let b: DesignTrials;
  try {
    a = new DesignTrials(baseline);
    b = new DesignTrials(experiment);
  } catch (error) {
    return { reason: messageOf(error) };
  }
  const ofB = new Map<string, number>();
  for (let point = 0; point < b.pointCount; point += 1) {
    const key = specKey(b.at(b.indexOf(point, 0)));
    if (!ofB.has(key)) ofB.set(key, point);
  }
  const matched: [number, number][] = [];
  for (let point = 0; point < a.pointCount; point += 1) {
    const found = ofB.get(specKey(a.at(a.indexOf(point, 0))));
    if (found !== undefined) matched.push([point, found]);
  }
  const replications = Math.min(baseline.repetitions, experiment.repetitions);
  if (matched.length === 0 || replications === 0) return { reason: 'they share no design point' };
  return {
    count: matched.length * replications,
    at(n: number): [TrialSpec, TrialSpec] {
      const [pointA, pointB] = matched[Math.floor(n / replications)]!;
      const replication = n % replications;
      return [a.at(a.indexOf(pointA, replication)), b.at(b.indexOf(pointB, replication))];
    },
  };
}

interface PointRunning {
  point: Omit<StoredPairPoint, 'metrics'>;
  metrics: Map<
    CompareMetricKey,
    { baseline: RunningMoments; experiment: RunningMoments; difference: RunningMoments }
  >;
}

/** Pairs of trials folded into per-point, per-metric moments (memory: the design points, not the pairs). */
export class PairAccumulator {
  private readonly points = new Map<string, PointRunning>();
  found = 0;

  /** One pair: the baseline's trial and the other experiment's, of one design point and replication. */
  add(baseline: TrialResult, experiment: TrialResult): void {
    if (!baseline.ok || !experiment.ok || !baseline.metrics || !experiment.metrics) return;
    if (baseline.seed !== experiment.seed || baseline.replication !== experiment.replication) return;
    this.found += 1;
    const key = pointKey(baseline);
    let point = this.points.get(key);
    if (!point) {
      point = {
        point: {
          workload: baseline.workload,
          strategy: baseline.strategy,
          prefetch: ignoresPrefetch(baseline.strategy) ? 0 : baseline.prefetch,
          ...(baseline.parameterValue === undefined ? {} : { parameterValue: baseline.parameterValue }),
        },
        metrics: new Map(),
      };
      this.points.set(key, point);
    }
    for (const metric of COMPARE_METRICS) {
      const x = metric.pick(baseline.metrics);
      const y = metric.pick(experiment.metrics);
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      let found = point.metrics.get(metric.key);
      if (!found) {
        found = {
          baseline: new RunningMoments(),
          experiment: new RunningMoments(),
          difference: new RunningMoments(),
        };
        point.metrics.set(metric.key, found);
      }
      found.baseline.add(x);
      found.experiment.add(y);
      found.difference.add(y - x);
    }
  }

  finish(): StoredPairPoint[] {
    return [...this.points.values()].map(({ point, metrics }) => {
      const out: StoredPairPoint['metrics'] = {};
      for (const [key, found] of metrics) {
        out[key] = {
          n: found.difference.n,
          meanBaseline: found.baseline.mean,
          meanExperiment: found.experiment.mean,
          difference: found.difference.moments(),
        };
      }
      return { ...point, metrics: out };
    });
  }
}

/**
 * The paired t test from the differences' moments: a one-sample t on the pair differences, as
 * the engine's pairedTTest computes it from the values themselves.
 */
export function pairedFromMoments(difference: Moments): DifferenceTest {
  const summary = summaryFromMoments(difference);
  const df = difference.n - 1;
  let t = Number.NaN;
  let p = Number.NaN;
  if (df > 0) {
    const standardError = difference.sd / Math.sqrt(difference.n);
    if (standardError === 0) {
      // No spread: the same difference every time (deterministic metrics).
      if (difference.mean === 0) p = 1;
      else [t, p] = [difference.mean > 0 ? Infinity : -Infinity, 0];
    } else {
      t = difference.mean / standardError;
      p = twoSidedP(t, df);
    }
  }
  return {
    n: difference.n,
    difference: difference.mean,
    halfWidth: summary.halfWidth,
    ciLow: summary.ciLow,
    ciHigh: summary.ciHigh,
    df: df > 0 ? df : Number.NaN,
    t,
    p,
  };
}

/** The key of a design point as stored pairs name it (to find a compared point's pairs). */
export const storedPointKey = (point: NamedPoint): string => pointKey(point);
