import type { HardwarePreset } from '../hardware/presets';
import type { StrategyOptions } from '../model/strategyOptions';
import type { StrategyName } from '../model/migration';
import { ignoresPrefetch, variantName } from '../model/migration';
import { representative } from '../workloads/representatives';
import type { WorkloadSpec } from '../workloads/spec';
import { workloadForPageSize } from '../workloads/workload';
import type { SensitivitySweep } from './sensitivity';
import { hardwareAt, workloadAt } from './sensitivity';

// What an experiment design is and what it spans: its workloads, strategy variants, sweep points
// and number of trials, counted without expanding it. designProblems.ts checks a design,
// designTrials.ts expands it; design.ts gathers them.

/**
 * An experiment: lists of values to sweep. It expands to trials, one per
 * workload x strategy x prefetch value x repetition on one hardware preset.
 * Pure-copy ignores prefetch, so it runs once per workload and repetition.
 */
export interface ExperimentDesign {
  name: string;
  /** Names of representatives (section 4.1) to run. */
  representatives: string[];
  /** Workloads of the user's own, run beside the representatives. */
  customWorkloads: WorkloadSpec[];
  strategies: StrategyName[];
  prefetchValues: number[];
  hardware: HardwarePreset;
  seed: number;
  repetitions: number;
  /** Parameters of the strategies beyond 1987; absent ones take their defaults. */
  strategyOptions?: Partial<StrategyOptions>;
  /** Crash the source this many seconds after each trial's migration request (docs/model.md). */
  sourceFailureSeconds?: number;
  /** Migrations run at once in each trial, sharing one Ethernet (default 1). */
  concurrentMigrations?: number;
  /**
   * A sensitivity sweep: the whole design runs once per value of one parameter, and the
   * breakeven between two strategy variants is sought (./sensitivity.ts). Absent: no sweep.
   */
  sensitivity?: SensitivitySweep;
}

/** Above this many trials a design must be confirmed before it runs. */
export const LARGE_DESIGN_TRIALS = 100_000;

/**
 * No design may expand to more trials than this, confirmed or not: a design over it is refused
 * at once. Sweeps expand lazily and keep a byte of state per trial, so this many cost about
 * 10 MB before they run; the audit's 502,000,000-trial design is refused.
 */
export const MAX_DESIGN_TRIALS = 10_000_000;

/** Most repetitions (replications) of every trial a design may ask for. */
export const MAX_REPETITIONS = 10_000;

/** The design's workloads at a hardware's page size: its representatives, then its own (copies). */
export function workloadsOf(design: ExperimentDesign, hardware: HardwarePreset): WorkloadSpec[] {
  const page = hardware.pageSizeBytes;
  return [
    ...design.representatives.map((name) => workloadForPageSize(representative(name), page)),
    ...design.customWorkloads.map((workload) => structuredClone(workload)),
  ];
}

/** One run of the whole design: the design's own, or one per value of its sensitivity sweep. */
export interface SweepPoint {
  parameterValue?: number;
  hardware: HardwarePreset;
  /** A workload as it runs at this point. */
  adjust: (workload: WorkloadSpec) => WorkloadSpec;
}

export function sweepPoints(design: ExperimentDesign): SweepPoint[] {
  const sweep = design.sensitivity;
  if (!sweep) return [{ hardware: design.hardware, adjust: (workload) => workload }];
  return sweep.values.map((value) => ({
    parameterValue: value,
    hardware: hardwareAt(design.hardware, sweep.parameter, value),
    adjust: (workload) => workloadAt(workload, sweep.parameter, value),
  }));
}

/** The strategy variants a design runs: "pure-copy", "pure-iou pf0", ... */
export function designVariants(design: Pick<ExperimentDesign, 'strategies' | 'prefetchValues'>): string[] {
  return design.strategies.flatMap((strategy) =>
    (ignoresPrefetch(strategy) ? [0] : design.prefetchValues).map((prefetch) =>
      variantName(strategy, prefetch),
    ),
  );
}

/** The prefetch values a strategy runs at in a design (one, 0, for a strategy that ignores prefetch). */
export function prefetchesFor(design: ExperimentDesign, strategy: StrategyName): number[] {
  return ignoresPrefetch(strategy) ? [0] : design.prefetchValues;
}

/** How many trials a design expands to, without expanding it. */
export function countTrials(design: ExperimentDesign): number {
  const workloads = design.representatives.length + design.customWorkloads.length;
  const perWorkload = design.strategies.reduce(
    (sum, strategy) => sum + prefetchesFor(design, strategy).length,
    0,
  );
  // A repetition count that cannot run (-3, 2.5) runs no trials, rather than a made-up number.
  const repetitions =
    Number.isInteger(design.repetitions) && design.repetitions >= 1 ? design.repetitions : 0;
  return workloads * perWorkload * repetitions * (design.sensitivity?.values.length ?? 1);
}
