import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { ExperimentDesign } from '../../engine/experiment/design';
import {
  countTrials,
  designProblems,
  DesignTrials,
  LARGE_DESIGN_TRIALS,
} from '../../engine/experiment/design';
import type { TrialProgress, TrialResult, TrialSpec } from '../../engine/experiment/trial';
import { LISTED_SWEEP_TRIALS } from '../../shared/hostApi';
import type {
  ExperimentSummary,
  HostEvent,
  StartSweepOptions,
  SweepStarted,
  TrialSummary,
} from '../../shared/hostApi';
import type { EnginePool } from '../../node/enginePool';
import { failedTrialResult, isCancelled } from '../../node/enginePool';
import { INLINE_BYTES } from '../../shared/estimate';
import { CANCELLED, FAILED, OK, QUEUED, RUNNING, trialSummary } from './sweepState';
import type { Sweep, SweepSnapshot } from './sweepState';
import { replayStored, storeResult, storeWarning, SweepStores, sweepSummary } from './sweepStores';
import { messageOf } from '../../shared/messageOf';

// The sweep's parts live beside it: sweepState.ts (a sweep's record, trial states, snapshot) and
// sweepStores.ts (results stores: what a store holds, writing to it, replay, the summary).
// Their public names are re-exported here, so importers of this module are unchanged.
export { trialSummary } from './sweepState';
export type { SweepSnapshot } from './sweepState';
export { defaultStorePath } from './sweepStores';

export interface SweepServiceOptions {
  /** Where events go (the adapters forward them to the renderer). Must not throw. */
  emit: (event: HostEvent) => void;
  /** Least time between two 'trial-progress' events of one trial (default 100 ms). */
  progressIntervalMs?: number;
  /** Report progress after this many simulation events (the engine's default when absent). */
  progressEvery?: number;
  /** Sweep ids (default random UUIDs). */
  newId?: () => string;
  /** Finished sweeps kept for retries and results(), the newest first (default 16). */
  keepFinished?: number;
  /** At most this many trial results kept over the finished sweeps (default 10,000). */
  keepFinishedResults?: number;
  /**
   * Results stores (the CLI's, src/node/resultsStore.ts): every finished trial streams into the
   * store of the sweep's notebook (`<notebook>.results.duckdb` beside it), or into `untitled` for
   * a sweep without a saved notebook; a trial the store holds is not run again. Without this
   * option sweeps keep no store.
   */
  stores?: { untitled: string };
  /** A listed sweep whose trials take more than this as JSON is summarized (default INLINE_BYTES). */
  inlineBytes?: number;
}

/** Finished sweeps kept (see SweepServiceOptions.keepFinished). */
export const KEEP_FINISHED_SWEEPS = 16;
/** Trial results kept over the finished sweeps (see SweepServiceOptions.keepFinishedResults). */
export const KEEP_FINISHED_RESULTS = 10_000;

/**
 * Runs experiment designs on the EnginePool and reports them as HostEvents.
 *
 * Order of events for one sweep: 'sweep-started' (after startSweep has returned, so an adapter's
 * reply goes out first), then per trial 'trial-started' when a worker picks it up, any number of
 * 'trial-progress' (at most one per progressIntervalMs per trial, the final phase 'done' always
 * sent) and 'trial-finished'; at last one 'sweep-finished' with the number of trials that ended
 * ok (`done`) and that failed for a reason other than cancellation (`failed`). A cancelled sweep
 * sends 'trial-finished' (ok:false, error 'cancelled') for the trials that were running; the
 * trials it never started send nothing ('sweep-finished' says cancelled).
 *
 * The design expands lazily (DesignTrials) and only a few trials more than there are workers are
 * submitted at a time, so a design of a million trials starts at once and stops at once.
 *
 * Retries: retryTrial runs one finished trial again (a running or queued one is refused). While
 * the sweep still runs, the retry counts toward it ('sweep-finished' waits for it); afterwards it
 * emits only its own trial events. The last result of every trial of a listed sweep is kept
 * (see results()).
 */
export class SweepService {
  private readonly sweeps = new Map<string, Sweep>();
  private readonly emit: (event: HostEvent) => void;
  private readonly progressIntervalMs: number;
  private readonly progressEvery: number | undefined;
  private readonly newId: () => string;
  /** Finished sweeps still kept, oldest first. */
  private readonly finishedIds: string[] = [];
  private readonly keepFinished: number;
  private readonly keepFinishedResults: number;
  /** The results stores, when sweeps keep them (SweepServiceOptions.stores). */
  readonly stores: SweepStores | undefined;
  private readonly inlineBytes: number;

  constructor(
    private readonly pool: EnginePool,
    options: SweepServiceOptions,
  ) {
    this.emit = options.emit;
    this.progressIntervalMs = options.progressIntervalMs ?? 100;
    this.progressEvery = options.progressEvery;
    this.newId = options.newId ?? randomUUID;
    this.keepFinished = options.keepFinished ?? KEEP_FINISHED_SWEEPS;
    this.keepFinishedResults = options.keepFinishedResults ?? KEEP_FINISHED_RESULTS;
    this.stores = options.stores ? new SweepStores(options.stores.untitled) : undefined;
    this.inlineBytes = options.inlineBytes ?? INLINE_BYTES;
  }

  /** Close the results stores (after cancelAll). */
  async closeStores(): Promise<void> {
    await this.stores?.closeAll();
  }

  /**
   * Check a design and start running it. Throws (nothing started) when the design has problems,
   * or expands to more than LARGE_DESIGN_TRIALS trials and the user did not confirm it.
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
    const copy = structuredClone(design);
    const trials = new DesignTrials(copy);
    const id = this.newId();
    const controller = new AbortController();
    setMaxListeners(0, controller.signal);
    let resolveDone!: () => void;
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    const listed = trials.length <= LISTED_SWEEP_TRIALS;
    const sweep: Sweep = {
      id,
      design: copy,
      trials,
      listed,
      states: new Uint8Array(trials.length),
      results: listed ? new Map() : null,
      index: listed ? null : new Map(),
      controller,
      cancelled: false,
      finished: false,
      options: { ...options },
      store: null,
      done,
      resolveDone,
      retries: new Set(),
    };
    this.sweeps.set(id, sweep);
    const summaries: TrialSummary[] = [];
    if (listed) for (let at = 0; at < trials.length; at += 1) summaries.push(trialSummary(trials.at(at)));
    // Start after returning, so the caller's reply precedes the sweep's events.
    setImmediate(() => void this.runFirst(sweep));
    return { sweepId: id, trialCount: trials.length, trials: summaries };
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
    const index = this.indexOf(sweep, trialId);
    if (index === undefined) throw new Error(`sweep ${sweepId} has no trial "${trialId}"`);
    const state = sweep.states[index];
    if (state === RUNNING || (state === QUEUED && !sweep.finished && !sweep.cancelled)) {
      throw new Error(
        `trial "${trialId}" is still ${state === RUNNING ? 'running' : 'queued'}; it can be retried once it has ended`,
      );
    }
    // A cancellation stops what was running then; a retry afterwards runs under a fresh signal.
    if (sweep.controller.signal.aborted) {
      sweep.controller = new AbortController();
      setMaxListeners(0, sweep.controller.signal);
    }
    sweep.states[index] = QUEUED;
    const retry = this.runRetry(sweep, index);
    sweep.retries.add(retry);
    void retry.finally(() => sweep.retries.delete(retry));
  }

  /** The sweep's design and the last result of each of its trials (listed sweeps only). */
  results(sweepId: string): SweepSnapshot {
    const sweep = this.sweep(sweepId);
    const results: (TrialResult | null)[] = [];
    if (sweep.results) {
      for (let at = 0; at < sweep.trials.length; at += 1) results.push(sweep.results.get(at) ?? null);
    }
    return {
      sweepId,
      design: structuredClone(sweep.design),
      finished: sweep.finished,
      cancelled: sweep.cancelled,
      results,
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
    if (!sweep) {
      throw new Error(
        `unknown sweep "${sweepId}" (a finished sweep is kept for retries until ${this.keepFinished} newer ones have finished; run its design again)`,
      );
    }
    return sweep;
  }

  private indexOf(sweep: Sweep, trialId: string): number | undefined {
    if (!sweep.index) {
      sweep.index = new Map();
      for (let at = 0; at < sweep.trials.length; at += 1) sweep.index.set(sweep.trials.at(at).id, at);
    }
    return sweep.index.get(trialId);
  }

  /** The first run of every trial, then 'sweep-finished' once retries started meanwhile end. */
  private async runFirst(sweep: Sweep): Promise<void> {
    const lastSent = new Map<number, number>();
    const planned = this.stores ? await this.stores.open(sweep) : null;
    const held = planned && 'held' in planned ? planned.held : new Uint32Array(0);
    this.emit({
      type: 'sweep-started',
      sweepId: sweep.id,
      trialCount: sweep.trials.length,
      ...(planned && 'held' in planned ? { stored: held.length } : {}),
      ...(planned && 'error' in planned ? { storeError: planned.error } : {}),
      ...(planned && 'held' in planned ? storeWarning(sweep, held.length) : {}),
    });
    if (held.length > 0) await replayStored(sweep, held, (event) => this.emit(event));
    try {
      await this.pool.runEach(sweep.trials, {
        ...(planned && 'missing' in planned ? { indices: planned.missing } : {}),
        signal: sweep.controller.signal,
        onTrialStart: (index) => this.started(sweep, index),
        onTrialProgress: (index, progress) => {
          const now = performance.now();
          if (progress.phase !== 'done' && now - (lastSent.get(index) ?? -Infinity) < this.progressIntervalMs)
            return;
          lastSent.set(index, now);
          this.emit({
            type: 'trial-progress',
            sweepId: sweep.id,
            trialId: sweep.trials.at(index).id,
            progress,
          });
        },
        onResult: (index, result) => {
          lastSent.delete(index);
          storeResult(sweep, index, result);
          this.ended(sweep, index, result);
        },
        ...(this.progressEvery !== undefined ? { progressEvery: this.progressEvery } : {}),
      });
    } catch (error) {
      // Only misuse rejects (a closed pool): what did not run reads as cancelled.
      sweep.cancelled = true;
      void error;
    }
    while (sweep.retries.size > 0) await Promise.allSettled([...sweep.retries]);
    await this.finish(sweep);
  }

  private started(sweep: Sweep, index: number): void {
    sweep.states[index] = RUNNING;
    this.emit({ type: 'trial-started', sweepId: sweep.id, trialId: sweep.trials.at(index).id });
  }

  private ended(sweep: Sweep, index: number, result: TrialResult): void {
    sweep.states[index] = result.ok ? OK : isCancelled(result) ? CANCELLED : FAILED;
    if (sweep.results) sweep.results.set(index, result);
    else if (!result.ok) sweep.index!.set(result.id, index);
    this.emit({ type: 'trial-finished', sweepId: sweep.id, result });
  }

  private async runRetry(sweep: Sweep, index: number): Promise<void> {
    const spec: TrialSpec = sweep.trials.at(index);
    let lastSent = -Infinity;
    const onProgress = (progress: TrialProgress): void => {
      const now = performance.now();
      if (progress.phase !== 'done' && now - lastSent < this.progressIntervalMs) return;
      lastSent = now;
      this.emit({ type: 'trial-progress', sweepId: sweep.id, trialId: spec.id, progress });
    };
    let result: TrialResult;
    try {
      result = await this.pool.runTrial(spec, {
        signal: sweep.controller.signal,
        onStart: () => this.started(sweep, index),
        onProgress,
        ...(this.progressEvery !== undefined ? { progressEvery: this.progressEvery } : {}),
      });
    } catch (error) {
      // Only misuse rejects (a closed pool): report it as this trial's failure.
      result = failedTrialResult(spec, messageOf(error));
    }
    storeResult(sweep, index, result, true);
    this.ended(sweep, index, result);
  }

  private async finish(sweep: Sweep): Promise<void> {
    if (sweep.finished) return;
    let summary: ExperimentSummary | undefined;
    try {
      await sweep.store?.writing;
      await sweep.store?.store.flush();
      summary = await sweepSummary(sweep, this.inlineBytes);
    } catch (error) {
      console.error(`results store: no summary of sweep ${sweep.id}: ${messageOf(error)}`);
    }
    if (sweep.finished) return;
    sweep.finished = true;
    let done = 0;
    let failed = 0;
    for (const state of sweep.states) {
      if (state === OK) done += 1;
      else if (state === FAILED) failed += 1;
    }
    this.emit({
      type: 'sweep-finished',
      sweepId: sweep.id,
      done,
      failed,
      cancelled: sweep.cancelled,
      ...(summary ? { summary } : {}),
    });
    sweep.resolveDone();
    this.finishedIds.push(sweep.id);
    this.forgetOldSweeps();
  }

  /**
   * Finished sweeps are freed, oldest first, once more than keepFinished of them are kept or they
   * hold more than keepFinishedResults results (the renderer has every result from its events);
   * the newest and any with a retry under way stay.
   */
  private forgetOldSweeps(): void {
    const results = (id: string): number => this.sweeps.get(id)?.results?.size ?? 0;
    let held = this.finishedIds.reduce((sum, id) => sum + results(id), 0);
    let at = 0;
    while (
      at < this.finishedIds.length - 1 &&
      (this.finishedIds.length > this.keepFinished || held > this.keepFinishedResults)
    ) {
      const id = this.finishedIds[at]!;
      if ((this.sweeps.get(id)?.retries.size ?? 0) > 0) {
        at += 1;
        continue;
      }
      held -= results(id);
      this.sweeps.delete(id);
      this.finishedIds.splice(at, 1);
    }
  }
}
