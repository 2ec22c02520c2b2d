import { setMaxListeners } from 'node:events';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { receiveMessageOnPort } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { footprintProblem } from '../engine/experiment/footprint';
import { trialIdentity } from '../engine/experiment/trial';
import type { TrialProgress, TrialResult, TrialSpec } from '../engine/experiment/trial';
import { TRIAL_CANCELLED } from '../shared/hostApi';
import { PROGRESS_PORT } from './progressPort';
import type { ProgressMessage } from './progressPort';
import type { TrialTask, TrialWorkerData } from './trialWorker';

export interface EnginePoolOptions {
  /** The worker module (JavaScript): its default export runs one TrialTask (see ./trialWorker). */
  workerFile: string | URL;
  /** Worker threads (default os.availableParallelism()). They are started with the pool. */
  workers?: number;
  /**
   * V8 old-generation limit per worker, in MB (default DEFAULT_MAX_OLD_GENERATION_SIZE_MB); a
   * worker that goes over it fails its own trial and is replaced.
   */
  maxOldGenerationSizeMb?: number;
  /**
   * Time budget of one trial, in ms, counted from when a worker picks it up (default: none). A
   * trial still running after it fails with trialTimeoutMessage(ms) and its worker is replaced.
   */
  trialTimeoutMs?: number;
  /**
   * Niceness (0..19) of the worker threads on Linux, where it applies per thread (default 0). The
   * app's host sets it so a sweep that fills every core leaves the window's frames on time; on
   * other systems a process-wide priority would slow the host too, so it is left alone there.
   */
  workerNice?: number;
}

/** The per-worker heap limit when none is given: far above any paper trial, well below a host's RAM. */
export const DEFAULT_MAX_OLD_GENERATION_SIZE_MB = 1024;

/**
 * The time budget of one trial that the app and the CLI give when none is asked for: the paper's
 * trials take seconds, a large custom workload minutes; ten minutes stops only a runaway.
 */
export const DEFAULT_TRIAL_TIMEOUT_MS = 10 * 60_000;

/** The error of a trial stopped for running past its time budget. */
export function trialTimeoutMessage(ms: number): string {
  return `the trial exceeded its time budget of ${ms} ms`;
}

export interface RunTrialPoolOptions {
  signal?: AbortSignal;
  /** Progress posted by the worker while the trial runs. Must not throw. */
  onProgress?: (progress: TrialProgress) => void;
  /** Report progress after this many simulation events (the engine's default when absent). */
  progressEvery?: number;
  /** Called once when a worker picks the trial up (not for a trial cancelled while queued). */
  onStart?: () => void;
}

export interface RunAllOptions {
  signal?: AbortSignal;
  /** After each trial ends (also for failed and cancelled ones), in the order they end. */
  onTrialDone?: (result: TrialResult, done: number, total: number) => void;
  /** Progress of the trial at `index` in the specs. Must not throw. */
  onTrialProgress?: (index: number, progress: TrialProgress) => void;
  progressEvery?: number;
}

export { TRIAL_CANCELLED };

/** Trials by index, built when asked for (see EnginePool.runEach); DesignTrials is one. */
export interface TrialSource {
  readonly length: number;
  at(index: number): TrialSpec;
}

export interface RunEachOptions {
  signal?: AbortSignal;
  /** Each trial's result, as it ends. Must not throw. */
  onResult: (index: number, result: TrialResult) => void;
  /** Progress of the trial at `index`. Must not throw. */
  onTrialProgress?: (index: number, progress: TrialProgress) => void;
  /** When a worker picks the trial at `index` up. Must not throw. */
  onTrialStart?: (index: number) => void;
  progressEvery?: number;
  /** Run only these indices of the source, in this order. */
  indices?: ArrayLike<number>;
  /** Trials submitted beyond one per worker, so a worker never waits for the next (default workers). */
  lookahead?: number;
}

interface Waiter {
  resolve: (granted: boolean) => void;
  signal: AbortSignal | undefined;
  /** Cancelled while queued: release() skips it. */
  dropped: boolean;
}

/** A FIFO of waiters with O(1) shift (an array's shift is O(n)). */
class WaitQueue {
  private items: Waiter[] = [];
  private head = 0;

  push(waiter: Waiter): void {
    this.items.push(waiter);
  }

  shift(): Waiter | undefined {
    if (this.head >= this.items.length) return undefined;
    const waiter = this.items[this.head]!;
    this.head += 1;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return waiter;
  }

  /** Forget the dropped waiters. */
  compact(): void {
    this.items = this.items.slice(this.head).filter((waiter) => !waiter.dropped);
    this.head = 0;
  }
}

export function isCancelled(result: TrialResult): boolean {
  return !result.ok && result.error === TRIAL_CANCELLED;
}

/** A TrialResult for a trial that produced none: ok:false, no metrics. */
export function failedTrialResult(spec: TrialSpec, error: string): TrialResult {
  return { ...trialIdentity(spec), ok: false, error };
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const message = error.message || error.name;
    return typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
  }
  return String(error);
}

function workerPath(workerFile: string | URL): string {
  if (workerFile instanceof URL) return fileURLToPath(workerFile);
  return workerFile.startsWith('file:') ? fileURLToPath(workerFile) : workerFile;
}

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
  /** Trials handed to piscina: at most one per worker, so piscina never queues (see acquire). */
  private running = 0;
  /** Trials waiting for a worker, first come first served. */
  private readonly waiting = new WaitQueue();
  /** The waiting trials of each signal, which has one 'abort' listener of ours. */
  private readonly waitersBySignal = new Map<AbortSignal, Set<Waiter>>();
  /** Each live worker's progress port (one per worker for its life: see trialWorker.ts). */
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
    if (!(await this.acquire(signal))) return failedTrialResult(spec, TRIAL_CANCELLED);
    try {
      onStart?.();
      return await this.runOnWorker(spec, onProgress, progressEvery, signal);
    } finally {
      this.release();
    }
  }

  /**
   * Wait for a free worker; false when the signal fires first. The pool keeps its own FIFO queue
   * and gives piscina one trial per worker, so trials start in the order they were submitted
   * (piscina's own queue reorders tasks that carry an AbortSignal) and a queued trial is
   * cancelled without piscina. However many trials wait on one signal, the signal has one
   * listener of the pool's: adding a listener per queued trial grew superlinearly (80,000 queued
   * trials took 47 s to add theirs) and hung the host.
   */
  private acquire(signal: AbortSignal | undefined): Promise<boolean> {
    if (signal?.aborted) return Promise.resolve(false);
    if (this.running < this.workers) {
      this.running += 1;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      // The slot is handed over by release(): `running` stays as it is.
      const waiter: Waiter = { resolve, signal, dropped: false };
      this.waiting.push(waiter);
      if (signal) {
        let waiters = this.waitersBySignal.get(signal);
        if (!waiters) {
          const mine = new Set<Waiter>();
          waiters = mine;
          this.waitersBySignal.set(signal, mine);
          signal.addEventListener('abort', () => this.dropWaiters(signal), { once: true });
        }
        waiters.add(waiter);
      }
    });
  }

  /** The signal fired: its queued trials resolve as cancelled and leave the queue. */
  private dropWaiters(signal: AbortSignal): void {
    const waiters = this.waitersBySignal.get(signal);
    this.waitersBySignal.delete(signal);
    if (!waiters || waiters.size === 0) return;
    for (const waiter of waiters) {
      waiter.dropped = true;
      waiter.resolve(false);
    }
    this.waiting.compact();
  }

  private release(): void {
    for (let next = this.waiting.shift(); next; next = this.waiting.shift()) {
      if (next.dropped) continue;
      if (next.signal) this.waitersBySignal.get(next.signal)?.delete(next);
      next.resolve(true);
      return;
    }
    this.running -= 1;
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
