import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { ExperimentDesign } from '../../engine/experiment/design';
import {
  countTrials,
  designProblems,
  expandDesign,
  LARGE_DESIGN_TRIALS,
} from '../../engine/experiment/design';
import type { TrialProgress, TrialResult, TrialSpec } from '../../engine/experiment/trial';
import type { HostEvent, StartSweepOptions, SweepStarted, TrialSummary } from '../../shared/hostApi';
import type { EnginePool } from '../../node/enginePool';
import { failedTrialResult, isCancelled } from '../../node/enginePool';

export interface SweepServiceOptions {
  /** Where events go (the adapters forward them to the renderer). Must not throw. */
  emit: (event: HostEvent) => void;
  /** Least time between two 'trial-progress' events of one trial (default 100 ms). */
  progressIntervalMs?: number;
  /** Report progress after this many simulation events (the engine's default when absent). */
  progressEvery?: number;
  /** Sweep ids (default random UUIDs). */
  newId?: () => string;
}

type TrialState = 'queued' | 'running' | 'finished';

interface Sweep {
  id: string;
  design: ExperimentDesign;
  specs: TrialSpec[];
  index: Map<string, number>;
  /** The last result of each trial (null until it first finishes). */
  results: (TrialResult | null)[];
  states: TrialState[];
  /** Aborts everything of this sweep still queued or running, retries included. */
  controller: AbortController;
  cancelled: boolean;
  /** Trials (first runs and retries) not yet settled. */
  pending: number;
  finished: boolean;
  /** Settles when the first runs (and retries started meanwhile) are all done. */
  done: Promise<void>;
  resolveDone: () => void;
  /** Retries running after the sweep finished. */
  retries: Set<Promise<void>>;
}

/** What a sweep's results look like once it is over (see SweepService.results). */
export interface SweepSnapshot {
  sweepId: string;
  design: ExperimentDesign;
  finished: boolean;
  cancelled: boolean;
  /** In run order; null for a trial that has not finished yet. */
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

/**
 * Runs experiment designs on the EnginePool and reports them as HostEvents.
 *
 * Order of events for one sweep: 'sweep-started' (after startSweep has returned, so an adapter's
 * reply goes out first), then per trial 'trial-started' when a worker picks it up, any number of
 * 'trial-progress' (at most one per progressIntervalMs per trial, the final phase 'done' always
 * sent) and 'trial-finished'; at last one 'sweep-finished' with the number of trials that ended
 * ok (`done`) and that failed for a reason other than cancellation (`failed`). A trial cancelled
 * while queued gets only its 'trial-finished' (ok:false, error 'cancelled').
 *
 * Retries: retryTrial runs one finished trial again (a running or queued one is refused). While
 * the sweep still runs, the retry counts toward it ('sweep-finished' waits for it); afterwards it
 * emits only its own trial events. The last result of every trial is kept (see results()).
 */
export class SweepService {
  private readonly sweeps = new Map<string, Sweep>();
  private readonly emit: (event: HostEvent) => void;
  private readonly progressIntervalMs: number;
  private readonly progressEvery: number | undefined;
  private readonly newId: () => string;

  constructor(
    private readonly pool: EnginePool,
    options: SweepServiceOptions,
  ) {
    this.emit = options.emit;
    this.progressIntervalMs = options.progressIntervalMs ?? 100;
    this.progressEvery = options.progressEvery;
    this.newId = options.newId ?? randomUUID;
  }

  /**
   * Check and expand a design and start running it. Throws (nothing started) when the design has
   * problems, or expands to more than LARGE_DESIGN_TRIALS trials and the user did not confirm it.
   */
  startSweep(design: ExperimentDesign, options: StartSweepOptions = {}): SweepStarted {
    const problems = designProblems(design);
    if (problems.length > 0) {
      throw new Error(`experiment "${design.name}" cannot run: ${problems.join('; ')}`);
    }
    const count = countTrials(design);
    if (count > LARGE_DESIGN_TRIALS && !options.confirmLarge) {
      throw new Error(
        `experiment "${design.name}" expands to ${count.toLocaleString('en-US')} trials, more than the ` +
          `${LARGE_DESIGN_TRIALS.toLocaleString('en-US')} a sweep runs without asking; confirm to run it ` +
          'anyway, or use fewer workloads, prefetch values or repetitions',
      );
    }
    const specs = expandDesign(design);
    const id = this.newId();
    const controller = new AbortController();
    // Every queued trial listens on the signal: no listener-count warning.
    setMaxListeners(0, controller.signal);
    let resolveDone!: () => void;
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    const sweep: Sweep = {
      id,
      design: structuredClone(design),
      specs,
      index: new Map(specs.map((spec, i) => [spec.id, i])),
      results: specs.map(() => null),
      states: specs.map(() => 'queued'),
      controller,
      cancelled: false,
      pending: specs.length,
      finished: false,
      done,
      resolveDone,
      retries: new Set(),
    };
    this.sweeps.set(id, sweep);
    // Start after returning, so the caller's reply precedes the sweep's events.
    setImmediate(() => {
      this.emit({ type: 'sweep-started', sweepId: id, trialCount: specs.length });
      if (specs.length === 0) {
        this.finish(sweep);
        return;
      }
      specs.forEach((_, index) => void this.runOne(sweep, index));
    });
    return { sweepId: id, trialCount: specs.length, trials: specs.map(trialSummary) };
  }

  /** Stop a sweep: running trials are stopped, queued ones dropped (retries too). */
  cancelSweep(sweepId: string): void {
    const sweep = this.sweep(sweepId);
    if (!sweep.finished) sweep.cancelled = true;
    sweep.controller.abort();
  }

  /**
   * Run one finished trial of a sweep again (typically a failed or cancelled one). Returns once the
   * retry is queued; its events follow.
   */
  retryTrial(sweepId: string, trialId: string): void {
    const sweep = this.sweep(sweepId);
    const index = sweep.index.get(trialId);
    if (index === undefined) throw new Error(`sweep ${sweepId} has no trial "${trialId}"`);
    if (sweep.states[index] !== 'finished') {
      throw new Error(
        `trial "${trialId}" is still ${sweep.states[index]}; it can be retried once it has ended`,
      );
    }
    // A cancellation stops what was running then; a retry afterwards runs under a fresh signal.
    if (sweep.controller.signal.aborted) {
      sweep.controller = new AbortController();
      setMaxListeners(0, sweep.controller.signal);
    }
    sweep.states[index] = 'queued';
    if (!sweep.finished) {
      sweep.pending += 1;
      void this.runOne(sweep, index);
      return;
    }
    const retry = this.runTrial(sweep, index);
    sweep.retries.add(retry);
    void retry.finally(() => sweep.retries.delete(retry));
  }

  /** The sweep's design and the last result of each of its trials. */
  results(sweepId: string): SweepSnapshot {
    const sweep = this.sweep(sweepId);
    return {
      sweepId,
      design: structuredClone(sweep.design),
      finished: sweep.finished,
      cancelled: sweep.cancelled,
      results: [...sweep.results],
    };
  }

  /** Settles when the sweep has finished and any retry of it has ended. */
  async settled(sweepId: string): Promise<void> {
    const sweep = this.sweep(sweepId);
    await sweep.done;
    while (sweep.retries.size > 0) await Promise.allSettled([...sweep.retries]);
  }

  /** Cancel every sweep and wait for them to end. The pool stays open (its owner closes it). */
  async cancelAll(): Promise<void> {
    for (const sweep of this.sweeps.values()) {
      if (!sweep.finished) sweep.cancelled = true;
      sweep.controller.abort();
    }
    await Promise.allSettled([...this.sweeps.keys()].map((id) => this.settled(id)));
  }

  private sweep(sweepId: string): Sweep {
    const sweep = this.sweeps.get(sweepId);
    if (!sweep) throw new Error(`unknown sweep "${sweepId}"`);
    return sweep;
  }

  private async runOne(sweep: Sweep, index: number): Promise<void> {
    try {
      await this.runTrial(sweep, index);
    } finally {
      sweep.pending -= 1;
      if (sweep.pending === 0) this.finish(sweep);
    }
  }

  private async runTrial(sweep: Sweep, index: number): Promise<void> {
    const spec = sweep.specs[index]!;
    const sweepId = sweep.id;
    let lastSent = -Infinity;
    const onProgress = (progress: TrialProgress): void => {
      const now = performance.now();
      if (progress.phase !== 'done' && now - lastSent < this.progressIntervalMs) return;
      lastSent = now;
      this.emit({ type: 'trial-progress', sweepId, trialId: spec.id, progress });
    };
    let result: TrialResult;
    try {
      result = await this.pool.runTrial(spec, {
        signal: sweep.controller.signal,
        onStart: () => {
          sweep.states[index] = 'running';
          this.emit({ type: 'trial-started', sweepId, trialId: spec.id });
        },
        onProgress,
        ...(this.progressEvery !== undefined ? { progressEvery: this.progressEvery } : {}),
      });
    } catch (error) {
      // Only misuse rejects (a closed pool): report it as this trial's failure.
      result = failedTrialResult(spec, error instanceof Error ? error.message : String(error));
    }
    sweep.results[index] = result;
    sweep.states[index] = 'finished';
    this.emit({ type: 'trial-finished', sweepId, result });
  }

  private finish(sweep: Sweep): void {
    if (sweep.finished) return;
    sweep.finished = true;
    let done = 0;
    let failed = 0;
    for (const result of sweep.results) {
      if (!result) continue;
      if (result.ok) done += 1;
      else if (!isCancelled(result)) failed += 1;
    }
    this.emit({ type: 'sweep-finished', sweepId: sweep.id, done, failed, cancelled: sweep.cancelled });
    sweep.resolveDone();
  }
}
