import type { HardwarePreset } from '../hardware/presets';
import { hardwareProblems } from '../hardware/presets';
import { strategyOptionsProblems } from '../model/strategyOptions';
import type { StrategyOptions } from '../model/strategyOptions';
import type { StrategyName } from '../model/migration';
import { MAX_PREFETCH_PAGES, STRATEGIES, ignoresPrefetch, variantName } from '../model/migration';
import { REPRESENTATIVES, representative } from '../workloads/representatives';
import type { SyntheticWorkloadSpec, WorkloadSpec } from '../workloads/spec';
import { workloadForPageSize, workloadProblems } from '../workloads/workload';
import type { SensitivitySweep } from './sensitivity';
import {
  hardwareAt,
  MAX_SWEEP_VALUES,
  SENSITIVITY_METRICS,
  SENSITIVITY_PARAMETERS,
  workloadAt,
} from './sensitivity';
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
  /**
   * A VM-like writer instead (TouchPattern 'dirty-rate'): it writes its working set at this rate
   * while it runs; touchedFraction, locality and the zero-filled memory then do not apply.
   */
  dirtyRate?: { workingSetBytes: number; dirtyBytesPerSecond: number; order: 'cyclic' | 'random' };
}

/** Turn the designer's knobs into a full workload (resident pages touched in proportion). */
export function customWorkload(parameters: CustomWorkloadParameters): SyntheticWorkloadSpec {
  const residentShare = parameters.realBytes > 0 ? parameters.residentBytes / parameters.realBytes : 0;
  const writer = parameters.dirtyRate;
  if (writer) {
    // All of a VM's memory is data (one RealMem range); the touched share is the working set.
    const real = parameters.realBytes > 0 ? parameters.realBytes : 1;
    return {
      name: parameters.name,
      description: 'A workload of the user\u2019s own that writes its working set at a set rate',
      realBytes: parameters.realBytes,
      realZeroBytes: 0,
      residentBytes: parameters.residentBytes,
      amapEntries: 1,
      memoryObjects: 1,
      portRights: 10,
      residentRunPages: 1,
      touchedFractionOfReal: Math.min(1, writer.workingSetBytes / real),
      touchedResidentFractionOfReal: Math.min(
        1,
        Math.min(writer.workingSetBytes, parameters.residentBytes) / real,
      ),
      pattern: { kind: 'dirty-rate', ...writer },
      zeroFillPages: 0,
      computeSeconds: parameters.computeSeconds,
      rereferencesPerPage: 0,
    };
  }
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

function workloadsOf(design: ExperimentDesign, hardware: HardwarePreset): WorkloadSpec[] {
  const page = hardware.pageSizeBytes;
  return [
    ...design.representatives.map((name) => workloadForPageSize(representative(name), page)),
    ...design.customWorkloads.map((workload) => structuredClone(workload)),
  ];
}

/** One run of the whole design: the design's own, or one per value of its sensitivity sweep. */
interface SweepPoint {
  parameterValue?: number;
  hardware: HardwarePreset;
  /** A workload as it runs at this point. */
  adjust: (workload: WorkloadSpec) => WorkloadSpec;
}

function sweepPoints(design: ExperimentDesign): SweepPoint[] {
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
  // A repetition count that cannot run (-3, 2.5) runs no trials, rather than a made-up number.
  const repetitions =
    Number.isInteger(design.repetitions) && design.repetitions >= 1 ? design.repetitions : 0;
  return workloads * perWorkload * repetitions * (design.sensitivity?.values.length ?? 1);
}

function sensitivityProblems(design: ExperimentDesign, sweep: SensitivitySweep): string[] {
  const problems: string[] = [];
  const info = SENSITIVITY_PARAMETERS.find((candidate) => candidate.key === sweep.parameter);
  if (!info) {
    problems.push(`sensitivity: unknown parameter "${sweep.parameter}"`);
  } else {
    if (sweep.values.length < 2) problems.push('sensitivity: give at least two parameter values');
    if (sweep.values.length > MAX_SWEEP_VALUES)
      problems.push(`sensitivity: give at most ${MAX_SWEEP_VALUES} parameter values`);
    if (new Set(sweep.values).size !== sweep.values.length)
      problems.push('sensitivity: the parameter values must differ');
    for (const value of sweep.values) {
      const problem = info.problem(value);
      if (problem) problems.push(`sensitivity: ${info.label} ${problem}`);
    }
  }
  if (sweep.parameter === 'touched-fraction') {
    // A trace's references come from the trace: the share it touches is what it is.
    for (const workload of design.customWorkloads) {
      if (workload.trace)
        problems.push(
          `sensitivity: the touched fraction of the trace workload ${workload.name} cannot be varied`,
        );
    }
  }
  const variants = designVariants(design);
  const [first, second] = sweep.compare;
  for (const variant of sweep.compare) {
    if (!variants.includes(variant))
      problems.push(`sensitivity: "${variant}" is not a strategy the design runs (${variants.join(', ')})`);
  }
  if (first === second) problems.push('sensitivity: compare two different strategies');
  if (!(SENSITIVITY_METRICS as readonly string[]).includes(sweep.metric))
    problems.push(`sensitivity: unknown metric "${sweep.metric}"`);
  return problems;
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
    if (!Number.isInteger(prefetch) || prefetch < 0 || prefetch > MAX_PREFETCH_PAGES) {
      problems.push(`prefetch ${prefetch} must be a whole number of pages from 0 to ${MAX_PREFETCH_PAGES}`);
    }
  }
  if (!Number.isInteger(design.seed)) problems.push('the seed must be a whole number');
  else if (!Number.isSafeInteger(design.seed))
    problems.push(
      'the seed must be a whole number of at most 15 digits (from -9,007,199,254,740,991 to 9,007,199,254,740,991): larger ones cannot be kept exactly',
    );
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
  if (
    !Number.isInteger(design.repetitions) ||
    design.repetitions < 1 ||
    design.repetitions > MAX_REPETITIONS
  ) {
    problems.push(`repetitions must be a whole number from 1 to ${MAX_REPETITIONS.toLocaleString('en-US')}`);
  }
  const trials = countTrials(design);
  if (!(trials <= MAX_DESIGN_TRIALS)) {
    problems.push(
      `the design expands to ${trials.toLocaleString('en-US')} trials, over the limit of ` +
        `${MAX_DESIGN_TRIALS.toLocaleString('en-US')}: run fewer workloads, strategies, prefetch values or repetitions`,
    );
  }
  const hardware = hardwareProblems(design.hardware);
  problems.push(...hardware);
  if (design.sensitivity) {
    const sweepIssues = sensitivityProblems(design, design.sensitivity);
    problems.push(...sweepIssues);
    if (sweepIssues.length > 0 || hardware.length > 0) return problems;
  }
  if (hardware.length === 0) {
    // Every point of a sweep must run: the hardware and the custom workloads at each value.
    const seen = new Set<string>();
    for (const point of sweepPoints(design)) {
      const at = point.parameterValue === undefined ? '' : ` at ${point.parameterValue}`;
      for (const problem of hardwareProblems(point.hardware)) problems.push(`hardware${at}: ${problem}`);
      for (const workload of design.customWorkloads.map(point.adjust)) {
        for (const problem of workloadProblems(workload, point.hardware.pageSizeBytes)) {
          const line = `${workload.name}${at}: ${problem}`;
          if (!seen.has(line)) problems.push(line);
          seen.add(line);
        }
      }
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
