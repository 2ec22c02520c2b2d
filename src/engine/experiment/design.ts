import type { HardwarePreset } from '../hardware/presets';
import { hardwareProblems } from '../hardware/presets';
import { strategyOptionsProblems } from '../model/liveMigration';
import type { StrategyOptions } from '../model/liveMigration';
import type { StrategyName } from '../model/migration';
import { STRATEGIES, ignoresPrefetch } from '../model/migration';
import { REPRESENTATIVES, representative } from '../workloads/representatives';
import type { WorkloadSpec } from '../workloads/workload';
import { workloadForPageSize, workloadProblems } from '../workloads/workload';
import type { TrialSpec } from './trial';
import { MAX_CONCURRENT_MIGRATIONS } from './trial';

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
}

/** Above this many trials a design must be confirmed before it runs. */
export const LARGE_DESIGN_TRIALS = 100_000;

/** The simple knobs of a custom workload, as the designer offers them. */
export interface CustomWorkloadParameters {
  name: string;
  realBytes: number;
  realZeroBytes: number;
  residentBytes: number;
  /** Share of RealMem touched after migration, 0..1. */
  touchedFraction: number;
  /** Probability that a touched page's neighbour is touched too, 0 (none) .. 0.95 (long runs). */
  locality: number;
  computeSeconds: number;
}

/** Turn the designer's knobs into a full workload (resident pages touched in proportion). */
export function customWorkload(parameters: CustomWorkloadParameters): WorkloadSpec {
  const residentShare = parameters.realBytes > 0 ? parameters.residentBytes / parameters.realBytes : 0;
  return {
    name: parameters.name,
    description: 'A workload of the user\u2019s own',
    realBytes: parameters.realBytes,
    realZeroBytes: parameters.realZeroBytes,
    residentBytes: parameters.residentBytes,
    amapEntries: 9,
    memoryObjects: 4,
    portRights: 10,
    residentRunPages: 4,
    touchedFractionOfReal: parameters.touchedFraction,
    touchedResidentFractionOfReal: parameters.touchedFraction * residentShare,
    pattern: { kind: 'clustered', continueProbability: parameters.locality, order: 'random' },
    zeroFillPages: 0,
    computeSeconds: parameters.computeSeconds,
    rereferencesPerPage: 4,
  };
}

function workloadsOf(design: ExperimentDesign): WorkloadSpec[] {
  const page = design.hardware.pageSizeBytes;
  return [
    ...design.representatives.map((name) => workloadForPageSize(representative(name), page)),
    ...design.customWorkloads.map((workload) => structuredClone(workload)),
  ];
}

function prefetchesFor(design: ExperimentDesign, strategy: StrategyName): number[] {
  return ignoresPrefetch(strategy) ? [0] : design.prefetchValues;
}

/** How many trials a design expands to, without expanding it. */
export function countTrials(design: ExperimentDesign): number {
  const workloads = design.representatives.length + design.customWorkloads.length;
  const perWorkload = design.strategies.reduce(
    (sum, strategy) => sum + prefetchesFor(design, strategy).length,
    0,
  );
  return workloads * perWorkload * design.repetitions;
}

/** What is wrong with a design, in words a user can act on; empty when it can run. */
export function designProblems(design: ExperimentDesign): string[] {
  const problems: string[] = [];
  if (!design.name.trim()) problems.push('the experiment needs a name');
  if (design.representatives.length + design.customWorkloads.length === 0)
    problems.push('choose at least one workload');
  const known = new Set(REPRESENTATIVES.map((workload) => workload.name));
  for (const name of design.representatives)
    if (!known.has(name)) problems.push(`unknown representative "${name}"`);
  if (design.strategies.length === 0) problems.push('choose at least one strategy');
  for (const strategy of design.strategies) {
    if (!STRATEGIES.includes(strategy)) problems.push(`unknown strategy "${strategy}"`);
  }
  if (
    design.strategies.some((strategy) => !ignoresPrefetch(strategy)) &&
    design.prefetchValues.length === 0
  ) {
    problems.push('choose at least one prefetch value');
  }
  for (const prefetch of design.prefetchValues) {
    if (!Number.isInteger(prefetch) || prefetch < 0 || prefetch > 1024) {
      problems.push(`prefetch ${prefetch} must be a whole number of pages from 0 to 1024`);
    }
  }
  if (!Number.isSafeInteger(design.seed)) problems.push('the seed must be a whole number');
  problems.push(...strategyOptionsProblems(design.strategyOptions ?? {}));
  const failAt = design.sourceFailureSeconds;
  if (failAt !== undefined && !(Number.isFinite(failAt) && failAt >= 0)) {
    problems.push('sourceFailureSeconds must be a finite number of seconds, at least 0');
  }
  const concurrent = design.concurrentMigrations;
  if (
    concurrent !== undefined &&
    !(Number.isInteger(concurrent) && concurrent >= 1 && concurrent <= MAX_CONCURRENT_MIGRATIONS)
  ) {
    problems.push(`concurrentMigrations must be a whole number from 1 to ${MAX_CONCURRENT_MIGRATIONS}`);
  }
  if ((concurrent ?? 1) > 1 && failAt !== undefined) {
    problems.push('a source failure can be injected only with one migration at a time');
  }
  if (!Number.isInteger(design.repetitions) || design.repetitions < 1 || design.repetitions > 10_000) {
    problems.push('repetitions must be a whole number from 1 to 10,000');
  }
  const page = design.hardware.pageSizeBytes;
  const hardware = hardwareProblems(design.hardware);
  problems.push(...hardware);
  if (hardware.length === 0) {
    for (const workload of design.customWorkloads) {
      for (const problem of workloadProblems(workload, page)) problems.push(`${workload.name}: ${problem}`);
    }
  }
  return problems;
}

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

/** Every trial of a design, in a fixed order. Throws with the design's problems if it cannot run. */
export function expandDesign(design: ExperimentDesign): TrialSpec[] {
  const problems = designProblems(design);
  if (problems.length > 0) throw new Error(`experiment "${design.name}" cannot run: ${problems.join('; ')}`);
  const trials: TrialSpec[] = [];
  for (let repetition = 0; repetition < design.repetitions; repetition += 1) {
    for (const workload of workloadsOf(design)) {
      for (const strategy of design.strategies) {
        for (const prefetch of prefetchesFor(design, strategy)) {
          trials.push({
            id: trialIdFor(workload.name, strategy, prefetch, repetition),
            workload,
            strategy,
            prefetch,
            hardware: design.hardware,
            seed: design.seed,
            replication: repetition,
            ...(design.strategyOptions ? { strategyOptions: { ...design.strategyOptions } } : {}),
            ...(design.sourceFailureSeconds !== undefined
              ? { sourceFailureSeconds: design.sourceFailureSeconds }
              : {}),
            ...(design.concurrentMigrations !== undefined
              ? { concurrentMigrations: design.concurrentMigrations }
              : {}),
          });
        }
      }
    }
  }
  return trials;
}
