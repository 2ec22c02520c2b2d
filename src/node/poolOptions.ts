import { fileURLToPath } from 'node:url';
import { trialIdentity } from '../engine/experiment/trial';
import type { TrialProgress, TrialResult, TrialSpec } from '../engine/experiment/trial';
import { TRIAL_CANCELLED } from '../shared/hostApi';

// The EnginePool's options and what it says of a trial that gave no result of its own
// (cancelled, failed, past its time budget). enginePool.ts re-exports them.

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

export function isCancelled(result: TrialResult): boolean {
  return !result.ok && result.error === TRIAL_CANCELLED;
}

/** A TrialResult for a trial that produced none: ok:false, no metrics. */
export function failedTrialResult(spec: TrialSpec, error: string): TrialResult {
  return { ...trialIdentity(spec), ok: false, error };
}

/** A thrown error in words, with its code when the message lacks it. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const message = error.message || error.name;
    return typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
  }
  return String(error);
}

/** The worker file as a path (it may be given as a file: URL). */
export function workerPath(workerFile: string | URL): string {
  if (workerFile instanceof URL) return fileURLToPath(workerFile);
  return workerFile.startsWith('file:') ? fileURLToPath(workerFile) : workerFile;
}
