import { expandDesign } from '../experiment/design';
import type { ExperimentDesign } from '../experiment/design';
import type { TrialSpec } from '../experiment/trial';
import { PERQ_1987 } from '../hardware/presets';
import { PAPER_PREFETCH_VALUES } from '../model/migration';
import { REPRESENTATIVES, syntheticWorkload } from '../workloads/representatives';

/**
 * The paper's evaluation (section 4) as experiment designs: the one place the reproduction's trials
 * are defined. The CLI's `reproduce`, the built-in notebook and the tests all expand these.
 */

export { PAPER_PREFETCH_VALUES };
export const BREAKEVEN_FRACTIONS = [
  0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6,
] as const;
export const DEFAULT_SEED = 1987;
/** Replications the reproduction runs by default: checks are judged on the mean over them. */
export const DEFAULT_REPLICATIONS = 10;

/** 7 representatives x {pure-copy; pure-IOU and resident set at prefetch 0, 1, 3, 7, 15}: 77 trials a replication. */
export function paperDesign(seed: number = DEFAULT_SEED, replications = 1): ExperimentDesign {
  return {
    name: 'Zayas 1987, section 4: the representatives',
    representatives: REPRESENTATIVES.map((workload) => workload.name),
    customWorkloads: [],
    strategies: ['pure-copy', 'pure-iou', 'resident-set'],
    prefetchValues: [...PAPER_PREFETCH_VALUES],
    hardware: structuredClone(PERQ_1987),
    seed,
    repetitions: replications,
  };
}

/** Section 4.3.4's breakeven: a synthetic process touching a growing share of its RealMem. */
export function breakevenDesign(seed: number = DEFAULT_SEED, replications = 1): ExperimentDesign {
  return {
    name: 'Zayas 1987, section 4.3.4: breakeven sweep',
    representatives: [],
    customWorkloads: BREAKEVEN_FRACTIONS.map((fraction) => syntheticWorkload(fraction)),
    strategies: ['pure-copy', 'pure-iou'],
    prefetchValues: [0],
    hardware: structuredClone(PERQ_1987),
    seed,
    repetitions: replications,
  };
}

/**
 * The paper's trials. Every strategy of a representative and replication draws the same process
 * (common random numbers: the streams depend on the seed and the replication only).
 */
export function paperTrials(seed: number = DEFAULT_SEED, replications = 1): TrialSpec[] {
  return expandDesign(paperDesign(seed, replications));
}

/** The breakeven workload's share of RealMem touched, from its name ("Synthetic-25%" -> 0.25). */
export function breakevenFractionOf(workload: string): number | undefined {
  return BREAKEVEN_FRACTIONS.find((fraction) => syntheticWorkload(fraction).name === workload);
}

/**
 * The breakeven sweep's trials. The reproduction's files have always named them by share
 * ("breakeven/25%/pure-iou"), so the ids say so; the report finds them by workload and strategy.
 */
export function breakevenTrials(seed: number = DEFAULT_SEED, replications = 1): TrialSpec[] {
  return expandDesign(breakevenDesign(seed, replications)).map((trial) => {
    const fraction = breakevenFractionOf(trial.workload.name)!;
    const replication = trial.replication ? `/r${trial.replication}` : '';
    return { ...trial, id: `breakeven/${Math.round(fraction * 100)}%/${trial.strategy}${replication}` };
  });
}
