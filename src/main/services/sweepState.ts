import type { ExperimentDesign, DesignTrials } from '../../engine/experiment/design';
import type { TrialResult, TrialSpec } from '../../engine/experiment/trial';
import type { StartSweepOptions, TrialSummary } from '../../shared/hostApi';
import type { ResultsStore, StoreDetail } from '../../node/resultsStore';
import type { TrialKeys } from '../../node/trialKeys';

/** A sweep's results store and what it knows of the sweep's trials. */
export interface SweepStore {
  store: ResultsStore;
  /** The store as a summary names it: relative to the notebook's folder, or absolute. */
  label: string;
  keys: TrialKeys;
  experiment: string;
  detail: StoreDetail;
  /** Appends in order; the first failure stops storing (the sweep goes on). */
  writing: Promise<void>;
  failed: boolean;
}

/** A trial's state in a sweep, one byte per trial (a million-trial sweep keeps 1 MB of them). */
export const QUEUED = 0;
export const RUNNING = 1;
export const OK = 2;
export const FAILED = 3;
export const CANCELLED = 4;

/** One sweep as the SweepService keeps it. */
export interface Sweep {
  id: string;
  design: ExperimentDesign;
  /** The design's trials, built one at a time when their turn comes. */
  trials: DesignTrials;
  /** Whether SweepStarted listed every trial (and results() keeps every result). */
  listed: boolean;
  states: Uint8Array;
  /** The last result of each trial, for listed sweeps only (others keep none in memory). */
  results: Map<number, TrialResult> | null;
  /**
   * Trial id -> index: every trial of a listed sweep (built on first need); for a large sweep the
   * trials that ended not ok, the ones that can be retried.
   */
  index: Map<string, number> | null;
  /** Aborts everything of this sweep still queued or running, retries included. */
  controller: AbortController;
  cancelled: boolean;
  finished: boolean;
  /** Settles when the first runs (and retries started meanwhile) are all done. */
  done: Promise<void>;
  /** What startSweep was asked (where the store is). */
  options: StartSweepOptions;
  store: SweepStore | null;
  resolveDone: () => void;
  /** Retries not yet settled. */
  retries: Set<Promise<void>>;
}

/** What a sweep's results look like once it is over (see SweepService.results). */
export interface SweepSnapshot {
  sweepId: string;
  design: ExperimentDesign;
  finished: boolean;
  cancelled: boolean;
  /**
   * In run order; null for a trial that has not finished yet. Empty for a sweep of more than
   * LISTED_SWEEP_TRIALS trials: its results are not kept in memory (they stream out as events).
   */
  results: (TrialResult | null)[];
}

export function trialSummary(spec: TrialSpec): TrialSummary {
  return {
    id: spec.id,
    workload: spec.workload.name,
    strategy: spec.strategy,
    prefetch: spec.prefetch,
    replication: spec.replication ?? 0,
  };
}
