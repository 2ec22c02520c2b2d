import { setMaxListeners } from 'node:events';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { receiveMessageOnPort } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { footprintProblem } from '../engine/experiment/footprint';
import type { TrialProgress, TrialResult, TrialSpec } from '../engine/experiment/trial';
import { TRIAL_CANCELLED } from '../shared/hostApi';
import { PROGRESS_PORT } from './progressPort';
import type { ProgressMessage } from './progressPort';
import {
  DEFAULT_MAX_OLD_GENERATION_SIZE_MB,
  errorMessage,
  failedTrialResult,
  trialTimeoutMessage,
  workerPath,
} from './poolOptions';
import type {
  EnginePoolOptions,
  RunAllOptions,
  RunEachOptions,
  RunTrialPoolOptions,
  TrialSource,
} from './poolOptions';
import type { TrialTask, TrialWorkerData } from './trialWorker';
import { WorkerSlots } from './workerSlots';

// The pool's options and its words for a trial without a result of its own are in poolOptions.ts,
// the fair queue for its workers in workerSlots.ts; re-exported here, so importers are unchanged.
export {
  DEFAULT_MAX_OLD_GENERATION_SIZE_MB,
  DEFAULT_TRIAL_TIMEOUT_MS,
  failedTrialResult,
  isCancelled,
  TRIAL_CANCELLED,
  trialTimeoutMessage,
} from './poolOptions';
export type {
  EnginePoolOptions,
  RunAllOptions,
  RunEachOptions,
  RunTrialPoolOptions,
  TrialSource,
} from './poolOptions';

/**
 * A pool of worker threads running engine trials (Node only, no Electron).
 *
 * Contract, in short:
 * - A trial's own problems never reject: a model-level failure (the engine's ok:false), an engine
 *   exception, a worker that crashes or exits, or a worker over its memory limit all come back as
 *   a TrialResult with ok:false and the error message. piscina replaces the dead worker and the
 *   other trials go on. Only misuse rejects (running on a closed pool).
 * - Limits: every worker has a heap limit (maxOldGenerationSizeMb, default 1024 MB); a trial whose
 *   estimated footprint (engine/experiment/footprint.ts) is over it fails at once, unrun, with
 *   the reason. With
 *   trialTimeoutMs a trial that runs longer fails with "the trial exceeded its time budget of N ms"
 *   (trialTimeoutMessage); its worker is terminated and replaced like a crashed one.
 * - Cancellation: when the AbortSignal fires, a queued trial is dropped and a running one is
 *   stopped mid-loop (piscina terminates its worker and starts a fresh one). Either resolves to
 *   ok:false with error === TRIAL_CANCELLED (see isCancelled). runAll resolves too, with the
 *   finished trials kept, so partial results stay usable.
 * - Determinism: the engine is pure and each trial runs alone in its worker, and runAll returns
 *   the results in the order of its specs, so the results do not depend on the number of workers
 *   or on the order the trials finish in.
 */
export class EnginePool {
  readonly workers: number;
  readonly trialTimeoutMs: number | undefined;
  /** Each worker's heap limit, in MB: a trial estimated to need more is refused before it runs. */
  readonly maxOldGenerationSizeMb: number;
  private readonly piscina: Piscina<TrialTask, TrialResult>;
  private closing: Promise<void> | null = null;
  /** Trials submitted and not yet settled; close() waits for them. */
  private readonly inFlight = new Set<Promise<void>>();
  /** One slot per worker: trials start in the order they were submitted (see WorkerSlots). */
  private readonly slots: WorkerSlots;
  /** Each live worker's progress port (one per worker for its life: see progressPort.ts). */
  private readonly progressPorts = new Set<MessagePort>();
  /** The running trials that want progress, by the progressId their task carries. */
  private readonly progressListeners = new Map<number, (progress: TrialProgress) => void>();
  private nextProgressId = 0;

  constructor(options: EnginePoolOptions) {
    const workers = options.workers ?? availableParallelism();
    if (!Number.isSafeInteger(workers) || workers < 1) {
      throw new RangeError(`EnginePool: workers must be a positive integer, got ${workers}`);
    }
    const limit = options.maxOldGenerationSizeMb ?? DEFAULT_MAX_OLD_GENERATION_SIZE_MB;
    if (!(Number.isFinite(limit) && limit > 0)) {
      throw new RangeError(`EnginePool: maxOldGenerationSizeMb must be a positive number, got ${limit}`);
    }
    const timeout = options.trialTimeoutMs;
    if (timeout !== undefined && !(Number.isFinite(timeout) && timeout > 0 && timeout <= 2 ** 31 - 1)) {
      throw new RangeError(`EnginePool: trialTimeoutMs must be a positive number of ms, got ${timeout}`);
    }
    const nice = options.workerNice ?? 0;
    if (!(Number.isInteger(nice) && nice >= 0 && nice <= 19)) {
      throw new RangeError(`EnginePool: workerNice must be an integer from 0 to 19, got ${nice}`);
    }
    const filename = workerPath(options.workerFile);
    // Caught here rather than as one "cannot find module" failure per trial.
    if (!existsSync(filename)) throw new Error(`EnginePool: worker file not found: ${filename}`);
    this.workers = workers;
    this.slots = new WorkerSlots(workers);
    this.trialTimeoutMs = timeout;
    this.maxOldGenerationSizeMb = limit;
    this.piscina = new Piscina<TrialTask, TrialResult>({
      filename,
      minThreads: workers,
      maxThreads: workers,
      // One trial per worker at a time: trials are synchronous and CPU-bound.
      concurrentTasksPerWorker: 1,
      resourceLimits: { maxOldGenerationSizeMb: limit },
      workerData: { nice, maxOldGenerationSizeMb: limit, progressPort: true } satisfies TrialWorkerData,
    });
    // piscina emits 'error' for a worker that dies while idle (a task's own failure goes to that
    // task). The worker is replaced, and any trial it would have run reports the error itself;
    // without a listener the event would crash the host process.
    this.piscina.on('error', () => {});
    // A worker's first message is its progress port; a replaced worker's new one comes the same way.
    this.piscina.on('message', (message: unknown) => {
      const port = (message as { [PROGRESS_PORT]?: MessagePort } | null)?.[PROGRESS_PORT];
      if (!port) return;
      this.progressPorts.add(port);
      port.on('message', (sent: ProgressMessage) => this.deliverProgress(sent));
      // The port must not keep the process alive: the workers do while the pool is open.
      port.unref();
      port.once('close', () => this.progressPorts.delete(port));
    });
  }

  /** Progress ports open: one per live worker, however many trials have run (tests check it). */
  get progressPortCount(): number {
    return this.progressPorts.size;
  }

  private deliverProgress(sent: ProgressMessage): void {
    this.progressListeners.get(sent.progressId)?.(sent.progress);
  }

  /**
   * Deliver the progress already queued on the workers' ports. A worker posts a trial's progress
   * before its result, so when the result is in, the trial's progress is queued: delivered here,
   * in order, before the caller sees the result.
   */
  private drainProgress(): void {
    for (const port of this.progressPorts) {
      for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
        this.deliverProgress(m.message as ProgressMessage);
      }
    }
  }

  /** Run one trial in a worker. Resolves for every outcome of the trial (see the contract above). */
  runTrial(spec: TrialSpec, options: RunTrialPoolOptions = {}): Promise<TrialResult> {
    if (this.closing) return Promise.reject(new Error('EnginePool is closed'));
    return this.track(this.run(spec, options));
  }

  /** Count a submission as in flight until it settles (close() waits for it). */
  private track<T>(running: Promise<T>): Promise<T> {
    const settled = running.then(
      () => undefined,
      () => undefined,
    );
    this.inFlight.add(settled);
    void settled.finally(() => this.inFlight.delete(settled));
    return running;
  }

  private async run(spec: TrialSpec, options: RunTrialPoolOptions): Promise<TrialResult> {
    const { signal, onProgress, progressEvery, onStart } = options;
    // A trial its worker cannot hold is refused here, at once: an overflow is not always contained
    // by the worker's heap limit and can take the process down (trace trials are checked again in
    // the worker, once the trace's size is known).
    const tooLarge = footprintProblem(spec, this.maxOldGenerationSizeMb);
    if (tooLarge) return failedTrialResult(spec, tooLarge);
    if (!(await this.slots.acquire(signal))) return failedTrialResult(spec, TRIAL_CANCELLED);
    try {
      onStart?.();
      return await this.runOnWorker(spec, onProgress, progressEvery, signal);
    } finally {
      this.slots.release();
    }
  }

  private async runOnWorker(
    spec: TrialSpec,
    onProgress: ((progress: TrialProgress) => void) | undefined,
    progressEvery: number | undefined,
    signal: AbortSignal | undefined,
  ): Promise<TrialResult> {
    const progressId = onProgress ? this.nextProgressId++ : undefined;
    if (progressId !== undefined && onProgress) this.progressListeners.set(progressId, onProgress);
    const task: TrialTask = {
      spec,
      ...(progressId !== undefined ? { progressId } : {}),
      ...(progressEvery !== undefined ? { progressEvery } : {}),
    };
    // The time budget aborts the task like a cancellation does: piscina terminates the worker and
    // starts a fresh one.
    const budget = this.trialTimeoutMs;
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    let stop: AbortSignal | undefined = signal;
    let forward: (() => void) | undefined;
    if (budget !== undefined) {
      const controller = new AbortController();
      forward = () => controller.abort(signal?.reason);
      if (signal?.aborted) forward();
      else signal?.addEventListener('abort', forward, { once: true });
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort(new Error(trialTimeoutMessage(budget)));
      }, budget);
      stop = controller.signal;
    }
    try {
      return await this.piscina.run(task, stop ? { signal: stop } : {});
    } catch (error) {
      if (signal?.aborted) return failedTrialResult(spec, TRIAL_CANCELLED);
      if (timedOut && budget !== undefined) return failedTrialResult(spec, trialTimeoutMessage(budget));
      return failedTrialResult(spec, errorMessage(error));
    } finally {
      if (timer) clearTimeout(timer);
      if (forward) signal?.removeEventListener('abort', forward);
      if (progressId !== undefined) {
        this.drainProgress();
        this.progressListeners.delete(progressId);
      }
    }
  }

  /**
   * Run every spec; the results come back in the order of `specs`, whatever order the trials
   * finish in. Never rejects for a trial's failure or cancellation (see the contract above).
   */
  async runAll(specs: readonly TrialSpec[], options: RunAllOptions = {}): Promise<TrialResult[]> {
    const results: TrialResult[] = new Array<TrialResult>(specs.length);
    const { onTrialDone } = options;
    let done = 0;
    await this.runEach(
      { length: specs.length, at: (index) => specs[index]! },
      {
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onTrialProgress ? { onTrialProgress: options.onTrialProgress } : {}),
        ...(options.progressEvery !== undefined ? { progressEvery: options.progressEvery } : {}),
        onResult: (index, result) => {
          results[index] = result;
          done += 1;
          onTrialDone?.(result, done, specs.length);
        },
      },
    );
    // Trials never started (the signal fired first) read as cancelled.
    for (let index = 0; index < specs.length; index += 1) {
      if (!results[index]) {
        const result = failedTrialResult(specs[index]!, TRIAL_CANCELLED);
        results[index] = result;
        done += 1;
        onTrialDone?.(result, done, specs.length);
      }
    }
    return results;
  }

  /**
   * Run trials from a lazy source: a trial's spec is built (`source.at(index)`) only when a worker
   * is about to be free for it, and at most `workers + lookahead` trials are submitted at a time,
   * so a design of a million trials holds a handful of specs, promises and listeners at once.
   * `onResult` gets each result as it ends (not in order) and must not throw; nothing is kept.
   * With `indices`, only those trials run, in that order. When the signal fires, running trials
   * are stopped and the ones not yet started are skipped (no onResult for them); resolves with
   * the number of trials that got a result.
   */
  runEach(source: TrialSource, options: RunEachOptions): Promise<number> {
    if (this.closing) return Promise.reject(new Error('EnginePool is closed'));
    // A runEach counts as submitted as a whole: close() lets it run to its end.
    return this.track(this.each(source, options));
  }

  private async each(source: TrialSource, options: RunEachOptions): Promise<number> {
    const { onResult, onTrialProgress, onTrialStart, progressEvery } = options;
    // The running trials listen on the signal (piscina and the time budget do): give them a
    // signal of our own, free of the listener-count warning, that follows the caller's.
    const inner = new AbortController();
    setMaxListeners(0, inner.signal);
    const outer = options.signal;
    const forward = (): void => inner.abort(outer?.reason);
    if (outer?.aborted) forward();
    else outer?.addEventListener('abort', forward, { once: true });
    const signal = inner.signal;
    const order = options.indices;
    const total = order ? order.length : source.length;
    const window = this.workers + Math.max(1, options.lookahead ?? this.workers);
    let next = 0;
    let reported = 0;
    let failure: { error: unknown } | null = null;
    try {
      await new Promise<void>((resolve) => {
        let active = 0;
        const pump = (): void => {
          while (active < window && next < total && !signal.aborted && !failure) {
            const index = order ? order[next]! : next;
            next += 1;
            let spec: TrialSpec;
            try {
              spec = source.at(index);
            } catch (error) {
              // A source that cannot build its trial is a bug of the caller's: stop, then reject.
              failure = { error };
              inner.abort(error);
              break;
            }
            active += 1;
            void this.run(spec, {
              signal,
              ...(onTrialProgress ? { onProgress: (p: TrialProgress) => onTrialProgress(index, p) } : {}),
              ...(onTrialStart ? { onStart: () => onTrialStart(index) } : {}),
              ...(progressEvery !== undefined ? { progressEvery } : {}),
            })
              .catch((error: unknown) => failedTrialResult(spec, errorMessage(error)))
              .then((result) => {
                active -= 1;
                reported += 1;
                onResult(index, result);
                pump();
              });
          }
          if (active === 0 && (next >= total || signal.aborted || failure)) resolve();
        };
        pump();
      });
    } finally {
      outer?.removeEventListener('abort', forward);
    }
    if (failure) throw (failure as { error: unknown }).error;
    return reported;
  }

  /**
   * Stop taking trials, let the ones already submitted (running or queued) finish, then end the
   * workers. To stop early, abort the trials' signal first. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
      await this.piscina.destroy();
    })();
    return this.closing;
  }
}
