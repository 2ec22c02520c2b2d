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
import type { HostEvent, StartSweepOptions, SweepStarted, TrialSummary } from '../../shared/hostApi';
import type { EnginePool } from '../../node/enginePool';
import { failedTrialResult, isCancelled } from '../../node/enginePool';
import type { ResultsStore, StoreDetail } from '../../node/resultsStore';
import { TrialKeys } from '../../node/trialKeys';
import { INLINE_BYTES, INLINE_TRIALS } from '../../shared/estimate';
import { exceedsInlineBytes, summarizeTrials, SummaryBuilder } from '../../shared/notebook/summary';
import type { ExperimentSummary } from '../../shared/hostApi';
import { mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';

/** The store beside a notebook: `<notebook>.results.duckdb` (as the CLI's default). */
export function defaultStorePath(notebookFile: string): string {
  const file = resolve(notebookFile);
  return join(dirname(file), `${basename(file, extname(file))}.results.duckdb`);
}

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

/** A sweep's results store and what it knows of the sweep's trials. */
interface SweepStore {
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

/** Finished sweeps kept (see SweepServiceOptions.keepFinished). */
export const KEEP_FINISHED_SWEEPS = 16;
/** Trial results kept over the finished sweeps (see SweepServiceOptions.keepFinishedResults). */
export const KEEP_FINISHED_RESULTS = 10_000;

/** A trial's state in a sweep, one byte per trial (a million-trial sweep keeps 1 MB of them). */
const QUEUED = 0;
const RUNNING = 1;
const OK = 2;
const FAILED = 3;
const CANCELLED = 4;

interface Sweep {
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
  private readonly stores: { untitled: string } | undefined;
  private readonly openStores = new Map<string, Promise<ResultsStore>>();
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
    this.stores = options.stores;
    this.inlineBytes = options.inlineBytes ?? INLINE_BYTES;
  }

  /** Close the results stores (after cancelAll). */
  async closeStores(): Promise<void> {
    const stores = [...this.openStores.values()];
    this.openStores.clear();
    for (const store of await Promise.allSettled(stores)) {
      if (store.status === 'fulfilled') await store.value.close();
    }
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

  /**
   * Open the sweep's store and find the trials it already holds (by key, a chunk at a time so the
   * host answers meanwhile). Null without stores or when the store cannot be used (`error`).
   */
  private async openStore(
    sweep: Sweep,
  ): Promise<{ held: Uint32Array; missing: Uint32Array } | { error: string } | null> {
    const stores = this.stores;
    if (!stores) return null;
    const notebook = sweep.options.notebookPath;
    const path = notebook ? defaultStorePath(notebook) : stores.untitled;
    try {
      const store = await this.openStoreFile(path);
      const keys = new TrialKeys();
      sweep.store = {
        store,
        label: notebook && dirname(path) === dirname(resolve(notebook)) ? basename(path) : path,
        keys,
        experiment: sweep.options.experiment ?? sweep.design.name,
        detail: sweep.trials.length <= INLINE_TRIALS ? 'whole' : 'figures',
        writing: Promise.resolve(),
        failed: false,
      };
      // Failed trials run again (a failure may have been the machine's), as the CLI's do.
      await store.dropFailed();
      const ok = await store.okKeys();
      const trials = sweep.trials;
      const held = new Uint32Array(ok.size === 0 ? 0 : trials.length);
      const missing = new Uint32Array(trials.length);
      let heldCount = 0;
      let missingCount = 0;
      let yieldedAt = performance.now();
      for (let at = 0; at < trials.length; at += 1) {
        if (ok.size > 0 && ok.has(keys.key(trials.at(at)))) held[heldCount++] = at;
        else missing[missingCount++] = at;
        if ((at & 1023) === 0 && performance.now() - yieldedAt > 20) {
          await new Promise((next) => setImmediate(next));
          yieldedAt = performance.now();
          if (sweep.controller.signal.aborted) break;
        }
      }
      return { held: held.subarray(0, heldCount), missing: missing.subarray(0, missingCount) };
    } catch (error) {
      return { error: `the results store ${path} cannot be used: ${(error as Error).message}` };
    }
  }

  /**
   * A warning when the store lacks trials the experiment's summary counts: the summary names a
   * store that is missing or is another one, or the store holds fewer of its trials.
   */
  private storeWarning(sweep: Sweep, held: number): { storeWarning?: string } {
    const summarized = sweep.options.summarized;
    const target = sweep.store;
    if (!summarized || !target || held >= summarized.trials) return {};
    const notebook = sweep.options.notebookPath;
    const named = isAbsolute(summarized.store)
      ? summarized.store
      : notebook
        ? resolve(dirname(notebook), summarized.store)
        : summarized.store;
    const why =
      named !== target.store.path
        ? `this experiment's summary names the results store ${summarized.store}, ` +
          (existsSync(named) ? `but this sweep's store is ${target.label}` : 'which is missing')
        : `the results store ${target.label} holds ${held.toLocaleString('en-US')} of the ${summarized.trials.toLocaleString('en-US')} trials this experiment's summary counts`;
    return {
      storeWarning:
        `${why}: ${(summarized.trials - Math.min(held, summarized.trials)).toLocaleString('en-US')} of its trials run again. ` +
        'To use that store, cancel and put it back beside the notebook; otherwise the summary this sweep ends with counts only what this store holds',
    };
  }

  /** One open store per file, kept open (DuckDB locks it): sweeps of one notebook share it. */
  private openStoreFile(path: string): Promise<ResultsStore> {
    let found = this.openStores.get(path);
    if (!found) {
      found = (async () => {
        await mkdir(dirname(path), { recursive: true });
        const { ResultsStore } = await import('../../node/resultsStore');
        return ResultsStore.open(path);
      })();
      this.openStores.set(path, found);
      found.catch(() => this.openStores.delete(path));
    }
    return found;
  }

  /** Store a finished trial (not a cancelled one: it runs again next time). */
  private storeResult(sweep: Sweep, index: number, result: TrialResult, replace = false): void {
    const target = sweep.store;
    if (!target || target.failed || isCancelled(result)) return;
    const key = target.keys.key(sweep.trials.at(index));
    target.writing = target.writing
      .then(async () => {
        // A retried trial replaces what its first run stored.
        if (replace) await target.store.query('DELETE FROM trials WHERE key = $key', { key });
        await target.store.append(key, target.experiment, index, result, target.detail);
      })
      .catch((error: unknown) => {
        target.failed = true;
        console.error(`results store ${target.label}: ${(error as Error).message}`);
      });
  }

  /** The first run of every trial, then 'sweep-finished' once retries started meanwhile end. */
  private async runFirst(sweep: Sweep): Promise<void> {
    const lastSent = new Map<number, number>();
    const planned = await this.openStore(sweep);
    const held = planned && 'held' in planned ? planned.held : new Uint32Array(0);
    this.emit({
      type: 'sweep-started',
      sweepId: sweep.id,
      trialCount: sweep.trials.length,
      ...(planned && 'held' in planned ? { stored: held.length } : {}),
      ...(planned && 'error' in planned ? { storeError: planned.error } : {}),
      ...(planned && 'held' in planned ? this.storeWarning(sweep, held.length) : {}),
    });
    if (held.length > 0) await this.replayStored(sweep, held);
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
          this.storeResult(sweep, index, result);
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

  /**
   * Trials the store held before the sweep: a listed sweep's come out as 'trial-finished' with
   * their stored results (kept whole for such sweeps); a larger one's are only marked done.
   */
  private async replayStored(sweep: Sweep, held: Uint32Array): Promise<void> {
    const target = sweep.store!;
    for (const index of held) sweep.states[index] = OK;
    if (!sweep.listed) return;
    for await (const chunk of target.store.trialsByKeys(held.length, (n) =>
      target.keys.key(sweep.trials.at(held[n]!)),
    )) {
      for (const row of chunk) {
        const index = held[row.index]!;
        // A trial another experiment stored has that experiment's id: this sweep's is its own.
        const result = { ...row.result, id: sweep.trials.at(index).id };
        sweep.results?.set(index, result);
        this.emit({ type: 'trial-finished', sweepId: sweep.id, result });
      }
    }
  }

  /**
   * A large sweep's summary, from every trial of its design the store holds; a listed sweep's
   * when its trials take more than INLINE_BYTES as JSON (from the results it keeps, all of which
   * its store holds whole). Undefined for a sweep whose trials stay inline, or without a store.
   */
  private async summaryOf(sweep: Sweep): Promise<ExperimentSummary | undefined> {
    const target = sweep.store;
    if (!target || target.failed) return undefined;
    if (sweep.results) {
      const inOrder = [...sweep.results.entries()].sort((a, b) => a[0] - b[0]).map(([, result]) => result);
      return exceedsInlineBytes(inOrder, this.inlineBytes)
        ? summarizeTrials(sweep.design, inOrder, target.label)
        : undefined;
    }
    await target.writing;
    const builder = new SummaryBuilder(sweep.design, target.label);
    // The trials that ended (run now or stored before): a cancelled sweep reads only those.
    let ended = 0;
    for (const state of sweep.states) if (state === OK || state === FAILED) ended += 1;
    const indices = new Uint32Array(ended);
    for (let at = 0, n = 0; at < sweep.states.length; at += 1) {
      const state = sweep.states[at];
      if (state === OK || state === FAILED) indices[n++] = at;
    }
    for await (const chunk of target.store.trialsByKeys(indices.length, (n) =>
      target.keys.key(sweep.trials.at(indices[n]!)),
    )) {
      for (const row of chunk) builder.add(row.result);
    }
    return builder.finish();
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
      result = failedTrialResult(spec, error instanceof Error ? error.message : String(error));
    }
    this.storeResult(sweep, index, result, true);
    this.ended(sweep, index, result);
  }

  private async finish(sweep: Sweep): Promise<void> {
    if (sweep.finished) return;
    let summary: ExperimentSummary | undefined;
    try {
      await sweep.store?.writing;
      await sweep.store?.store.flush();
      summary = await this.summaryOf(sweep);
    } catch (error) {
      console.error(`results store: no summary of sweep ${sweep.id}: ${(error as Error).message}`);
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
