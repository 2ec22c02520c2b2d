import type { HardwarePreset } from '../hardware/presets';
import type { StrategyOptions } from '../model/strategyOptions';
import type { StrategyName } from '../model/migration';
import type { PageReferenceString } from '../workloads/trace';
import type { GeneratedWorkload, WorkloadSpec } from '../workloads/spec';

export const ENGINE_VERSION = '0.5.0';

/** One workload x one strategy x one prefetch value x one hardware preset x one seed. */
export interface TrialSpec {
  id: string;
  workload: WorkloadSpec;
  strategy: StrategyName;
  prefetch: number;
  hardware: HardwarePreset;
  /** The experiment's seed. */
  seed: number;
  /** Replications of one design point draw from independent streams of the seed (default 0). */
  replication?: number;
  /** Parameters of the strategies beyond 1987 (defaults: DEFAULT_STRATEGY_OPTIONS). */
  strategyOptions?: Partial<StrategyOptions>;
  /**
   * Crash the source host (or its link) this many simulated seconds after the migration request.
   * A process whose state the source still holds then is lost (`processLost`).
   */
  sourceFailureSeconds?: number;
  /**
   * Run this many copies of the migration at once, each from its own source to its own
   * destination, all sharing one Ethernet (default 1). The metrics describe the first.
   */
  concurrentMigrations?: number;
  /** The sensitivity sweep's parameter value this trial runs at (sweeps only). */
  parameterValue?: number;
}

/** Every metric of section 4 for one trial. Times in seconds, sizes in bytes. */
export interface TrialMetrics {
  exciseSeconds: number;
  amapSeconds: number;
  rimasCollapseSeconds: number;
  insertSeconds: number;
  coreTransferSeconds: number;
  rimasTransferSeconds: number;
  /** Core + RIMAS transfer. */
  transferSeconds: number;
  /** First remote instruction to exit. */
  remoteExecSeconds: number;
  /** Transfer + remote execution (section 4.3.4). */
  endToEndSeconds: number;
  /** Migration request to exit: excise, transfer, insert and remote execution. */
  totalSeconds: number;
  bytesTotal: number;
  bytesFault: number;
  bytesHeaders: number;
  bytesInline: number;
  bytesPageData: number;
  messages: number;
  messagesSource: number;
  messagesDest: number;
  messageSecondsSource: number;
  messageSecondsDest: number;
  packets: number;
  imaginaryFaults: number;
  meanImaginaryFaultMs: number;
  diskFaults: number;
  meanDiskFaultMs: number;
  fillZeroFaults: number;
  prefetchedPages: number;
  prefetchHits: number;
  prefetchHitRatio: number;
  pagesShippedAtMigration: number;
  pagesDeliveredByFaults: number;
  /** Distinct RealMem pages referenced at the new host. */
  pagesTouchedRemote: number;
  realPages: number;
  realZeroPages: number;
  residentPages: number;
  amapEntries: number;
  references: number;
  /** Conservation checks: each must be 0. */
  pagesArrivedTwice: number;
  pagesTouchedNeverArrived: number;
  pagesWithWrongContents: number;
  simulatedEvents: number;
  // Beyond 1987 (docs/model.md): computed for every strategy. Optional only so that results saved
  // before they existed still load.
  /** The process frozen: from the freeze (the request, for the paper's strategies) to its resumption. */
  downtimeSeconds?: number;
  /** From the request until the process is at the destination and no more of its pages are on the way. */
  totalMigrationSeconds?: number;
  /** Pages sent to the destination more than once (pre-copy re-sends pages written after they were sent). */
  pagesResent?: number;
  /** From the request until the source owes nothing: its last owed page sent, or the segment dead. */
  sourceReleaseSeconds?: number;
  /** How long the process ran at the destination while still depending on the source. */
  residualDependencySeconds?: number;
  /** Pre-copy rounds run before the freeze (0 for strategies without rounds). */
  preCopyRounds?: number;
  /** 1 when a source failure lost the process, else 0. */
  processLost?: number;
  /** Migrations run at once over the shared Ethernet (present when more than one). */
  concurrentMigrations?: number;
  /** Mean total migration time over all the concurrent migrations. */
  concurrentMeanTotalMigrationSeconds?: number;
  /** Mean downtime over all the concurrent migrations. */
  concurrentMeanDowntimeSeconds?: number;
}

/** Network bytes per second over time from the migration request, fault traffic apart (Figure 4-5). */
export interface ByteRateSeries {
  binSeconds: number;
  fault: number[];
  other: number[];
}

export interface TrialResult {
  id: string;
  workload: string;
  strategy: StrategyName;
  prefetch: number;
  hardware: string;
  seed: number;
  replication: number;
  /** The sensitivity sweep's parameter value (sweeps only). */
  parameterValue?: number;
  ok: boolean;
  error?: string;
  metrics?: TrialMetrics;
  series?: ByteRateSeries;
  /** Remote-fault latencies, counted in FAULT_LATENCY_EDGES_MS buckets (the last is unbounded). */
  faultLatency?: FaultLatencyHistogram;
  /** With concurrent migrations: each one's times, the first being the one `metrics` describes. */
  concurrent?: ConcurrentMigrationTimes[];
}

export interface ConcurrentMigrationTimes {
  totalSeconds: number;
  downtimeSeconds: number;
  totalMigrationSeconds: number;
  sourceReleaseSeconds: number;
}

export interface FaultLatencyHistogram {
  edgesMs: number[];
  counts: number[];
}

export interface TrialProgress {
  simulatedSeconds: number;
  referencesDone: number;
  referencesTotal: number;
  phase: 'migrating' | 'executing' | 'done';
  /** Bytes on the wire so far, for live byte-rate charts (rate = difference over time). */
  bytesFault: number;
  bytesOther: number;
}

export interface RunTrialOptions {
  onProgress?: (progress: TrialProgress) => void;
  /** Report progress after this many simulation events (default 2,000). */
  progressEvery?: number;
  /** The page-reference string of a trace workload (the engine reads no files; the caller does). */
  pageReferences?: PageReferenceString;
  /**
   * The trial's workload already generated (`generateTrialWorkload(spec)`): the trial reads it and
   * changes nothing in it, so the same one can serve every strategy compared at one replication.
   */
  workload?: GeneratedWorkload;
}

/** Most migrations one trial can run at once over its shared Ethernet. */
export const MAX_CONCURRENT_MIGRATIONS = 64;

/** What names a trial in its result, whether or not it ran. */
export function trialIdentity(spec: TrialSpec): Omit<TrialResult, 'ok' | 'error' | 'metrics' | 'series'> {
  return {
    id: spec.id,
    workload: spec.workload.name,
    strategy: spec.strategy,
    prefetch: spec.prefetch,
    hardware: spec.hardware.name,
    seed: spec.seed,
    replication: spec.replication ?? 0,
    ...(spec.parameterValue === undefined ? {} : { parameterValue: spec.parameterValue }),
  };
}

/** Whether a metric is in every result ('required') or only in results from after it was added. */
export type MetricPresence<Metrics> = {
  readonly [Key in keyof Metrics]-?: undefined extends Metrics[Key] ? 'optional' : 'required';
};

/**
 * Every field of TrialMetrics, in its declaration order (the column order of trials.csv, of the
 * results store and of a result's metrics in a notebook file), with whether it is optional. Typed
 * over keyof TrialMetrics, so the compiler rejects a missing or a stale name, or a wrong presence,
 * when the metrics change; the zod schema of results (src/shared) is built from it.
 */
export const TRIAL_METRIC_PRESENCE: MetricPresence<TrialMetrics> = {
  exciseSeconds: 'required',
  amapSeconds: 'required',
  rimasCollapseSeconds: 'required',
  insertSeconds: 'required',
  coreTransferSeconds: 'required',
  rimasTransferSeconds: 'required',
  transferSeconds: 'required',
  remoteExecSeconds: 'required',
  endToEndSeconds: 'required',
  totalSeconds: 'required',
  bytesTotal: 'required',
  bytesFault: 'required',
  bytesHeaders: 'required',
  bytesInline: 'required',
  bytesPageData: 'required',
  messages: 'required',
  messagesSource: 'required',
  messagesDest: 'required',
  messageSecondsSource: 'required',
  messageSecondsDest: 'required',
  packets: 'required',
  imaginaryFaults: 'required',
  meanImaginaryFaultMs: 'required',
  diskFaults: 'required',
  meanDiskFaultMs: 'required',
  fillZeroFaults: 'required',
  prefetchedPages: 'required',
  prefetchHits: 'required',
  prefetchHitRatio: 'required',
  pagesShippedAtMigration: 'required',
  pagesDeliveredByFaults: 'required',
  pagesTouchedRemote: 'required',
  realPages: 'required',
  realZeroPages: 'required',
  residentPages: 'required',
  amapEntries: 'required',
  references: 'required',
  pagesArrivedTwice: 'required',
  pagesTouchedNeverArrived: 'required',
  pagesWithWrongContents: 'required',
  simulatedEvents: 'required',
  downtimeSeconds: 'optional',
  totalMigrationSeconds: 'optional',
  pagesResent: 'optional',
  sourceReleaseSeconds: 'optional',
  residualDependencySeconds: 'optional',
  preCopyRounds: 'optional',
  processLost: 'optional',
  concurrentMigrations: 'optional',
  concurrentMeanTotalMigrationSeconds: 'optional',
  concurrentMeanDowntimeSeconds: 'optional',
};
export const TRIAL_METRIC_NAMES = Object.keys(TRIAL_METRIC_PRESENCE) as (keyof TrialMetrics)[];
