import type { StrategyName } from '../model/migration';
import { ignoresPrefetch } from '../model/migration';
import type { WorkloadSpec } from '../workloads/spec';
import type { TrialSpec } from './trial';
import { designProblems } from './designProblems';
import { countTrials, prefetchesFor, sweepPoints, workloadsOf } from './designSpace';
import type { ExperimentDesign, SweepPoint } from './designSpace';

export function trialIdFor(
  workload: string,
  strategy: StrategyName,
  prefetch: number,
  repetition: number,
): string {
  const base = ignoresPrefetch(strategy)
    ? `${workload}/${strategy}`
    : `${workload}/${strategy}/pf${prefetch}`;
  return repetition === 0 ? base : `${base}/r${repetition}`;
}

/**
 * A design's trials, expanded lazily: `at(index)` builds the index-th trial (in the fixed order
 * of expandDesign) when it is its turn, so a design of a million trials costs nothing until its
 * trials run. The order is: sweep point, repetition, workload, strategy, prefetch (innermost).
 * Throws with the design's problems if it cannot run.
 */
export class DesignTrials {
  readonly design: ExperimentDesign;
  readonly length: number;
  private readonly points: SweepPoint[];
  /** The workloads of each sweep point as they run there (built on first use). */
  private readonly workloads: (WorkloadSpec[] | undefined)[];
  private readonly variants: { strategy: StrategyName; prefetch: number }[];
  private readonly workloadCount: number;

  constructor(design: ExperimentDesign) {
    const problems = designProblems(design);
    if (problems.length > 0)
      throw new Error(`experiment "${design.name}" cannot run: ${problems.join('; ')}`);
    this.design = design;
    this.points = sweepPoints(design);
    this.workloads = this.points.map(() => undefined);
    this.variants = design.strategies.flatMap((strategy) =>
      prefetchesFor(design, strategy).map((prefetch) => ({ strategy, prefetch })),
    );
    this.workloadCount = design.representatives.length + design.customWorkloads.length;
    this.length = countTrials(design);
  }

  private workloadsAt(point: number): WorkloadSpec[] {
    let list = this.workloads[point];
    if (!list) {
      const at = this.points[point]!;
      list = workloadsOf(this.design, at.hardware).map(at.adjust);
      this.workloads[point] = list;
    }
    return list;
  }

  /**
   * Design points: everything of a trial but its replication. There are `pointCount`, numbered
   * 0..pointCount-1; the trials of a point differ only in replication.
   */
  get pointCount(): number {
    return this.variants.length * this.workloadCount * this.points.length;
  }

  /** The design point of the index-th trial. */
  pointOf(index: number): number {
    const perRepetition = this.variants.length * this.workloadCount;
    const within = index % perRepetition;
    const pointAt = Math.floor(index / (perRepetition * this.design.repetitions));
    return within + perRepetition * pointAt;
  }

  /** The replication of the index-th trial. */
  replicationOf(index: number): number {
    return Math.floor(index / (this.variants.length * this.workloadCount)) % this.design.repetitions;
  }

  /** The index of a design point's trial of the given replication. */
  indexOf(point: number, replication: number): number {
    const perRepetition = this.variants.length * this.workloadCount;
    const within = point % perRepetition;
    const pointAt = Math.floor(point / perRepetition);
    return within + perRepetition * (replication + this.design.repetitions * pointAt);
  }

  /** The index-th trial (0 <= index < length). */
  at(index: number): TrialSpec {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.length) {
      throw new RangeError(`trial index ${index} is outside 0..${this.length - 1}`);
    }
    const design = this.design;
    const variantCount = this.variants.length;
    const { strategy, prefetch } = this.variants[index % variantCount]!;
    let rest = Math.floor(index / variantCount);
    const workloadAt = rest % this.workloadCount;
    rest = Math.floor(rest / this.workloadCount);
    const repetition = rest % design.repetitions;
    const pointAt = Math.floor(rest / design.repetitions);
    const point = this.points[pointAt]!;
    const workload = this.workloadsAt(pointAt)[workloadAt]!;
    // "network-bits-per-second=1000000/Minprog/pure-iou/pf1/r1" in a sweep.
    const prefix =
      point.parameterValue === undefined ? '' : `${design.sensitivity!.parameter}=${point.parameterValue}/`;
    return {
      id: prefix + trialIdFor(workload.name, strategy, prefetch, repetition),
      workload,
      strategy,
      prefetch,
      hardware: point.hardware,
      seed: design.seed,
      replication: repetition,
      ...(point.parameterValue === undefined ? {} : { parameterValue: point.parameterValue }),
      ...(design.strategyOptions ? { strategyOptions: { ...design.strategyOptions } } : {}),
      ...(design.sourceFailureSeconds !== undefined
        ? { sourceFailureSeconds: design.sourceFailureSeconds }
        : {}),
      ...(design.concurrentMigrations !== undefined
        ? { concurrentMigrations: design.concurrentMigrations }
        : {}),
    };
  }
}

/** Every trial of a design, in a fixed order. Throws with the design's problems if it cannot run. */
export function expandDesign(design: ExperimentDesign): TrialSpec[] {
  const trials = new DesignTrials(design);
  return Array.from({ length: trials.length }, (_, index) => trials.at(index));
}
