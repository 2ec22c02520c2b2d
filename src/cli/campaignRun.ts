import type { TrialResult } from '../engine/experiment/trial';
import { DEFAULT_TRIAL_TIMEOUT_MS, EnginePool, isCancelled } from '../node/enginePool';
import type { ResultsStore } from '../node/resultsStore';
import type { CampaignPlan } from './campaignPlan';
import { defaultWorkerFile } from './packageRoot';
import { messageOf } from '../shared/messageOf';

export interface RunCampaignOptions {
  workers: number;
  trialTimeoutMs?: number;
  signal?: AbortSignal;
  workerFile?: string | URL;
  /** After each trial ends (cancelled ones excluded). */
  onTrialDone?: (result: TrialResult, done: number, total: number) => void;
  /** Run only the first `limit` trials of the plan (a calibration). */
  limit?: number;
  /** Skip this many trials of the plan first (they ran in a calibration). */
  skip?: number;
  /** Run on this pool (the caller's, left open) instead of a pool of its own. */
  pool?: EnginePool;
}

export interface CampaignRun {
  /** Trials that ended (ok or failed) and are now in the store. */
  ran: number;
  failed: { id: string; error?: string }[];
  cancelled: boolean;
  seconds: number;
  /**
   * Seconds each of the first trials took from taking a worker to its result, by the order they
   * started in (NaN for one that failed): a calibration's pace, free of the pool's start. The
   * first trial on each worker also waits for its worker thread to start.
   */
  trialSeconds: number[];
}

/**
 * Run the plan's trials on worker threads, each result streaming into the store as it ends (a
 * cancelled trial is not stored: it runs again next time). Memory holds the trials in flight, not
 * the results.
 */
export async function runCampaign(
  plan: CampaignPlan,
  store: ResultsStore,
  options: RunCampaignOptions,
): Promise<CampaignRun> {
  const start = performance.now();
  const skip = options.skip ?? 0;
  const indices = plan.toRun.subarray(skip, options.limit === undefined ? undefined : skip + options.limit);
  const outcome: CampaignRun = { ran: 0, failed: [], cancelled: false, seconds: 0, trialSeconds: [] };
  if (indices.length === 0) return outcome;
  const pool =
    options.pool ??
    new EnginePool({
      workerFile: options.workerFile ?? defaultWorkerFile(),
      workers: Math.max(1, Math.min(options.workers, indices.length)),
      trialTimeoutMs: options.trialTimeoutMs ?? DEFAULT_TRIAL_TIMEOUT_MS,
    });
  const startedAt = new Map<number, [order: number, at: number]>();
  let starts = 0;
  const controller = new AbortController();
  const outer = options.signal;
  const forward = (): void => controller.abort();
  if (outer?.aborted) forward();
  else outer?.addEventListener('abort', forward, { once: true });
  let writing: Promise<void> = Promise.resolve();
  let writeError: unknown = null;
  try {
    await pool.runEach(
      { length: plan.total, at: (index) => plan.at(index).spec },
      {
        signal: controller.signal,
        indices,
        onTrialStart: (index) => {
          if (starts < TIMED_TRIALS) startedAt.set(index, [starts, performance.now()]);
          starts += 1;
        },
        onResult: (index, result) => {
          const began = startedAt.get(index);
          if (began !== undefined) {
            startedAt.delete(index);
            outcome.trialSeconds[began[0]] = result.ok ? (performance.now() - began[1]) / 1000 : NaN;
          }
          if (isCancelled(result)) {
            outcome.cancelled = true;
            return;
          }
          const { experiment, local, spec } = plan.at(index);
          writing = writing
            .then(() =>
              store.append(plan.key(experiment, spec), experiment.entry.id, local, result, experiment.detail),
            )
            .catch((error: unknown) => {
              writeError ??= error;
              controller.abort();
            });
          outcome.ran += 1;
          if (!result.ok)
            outcome.failed.push({ id: result.id, ...(result.error ? { error: result.error } : {}) });
          options.onTrialDone?.(result, outcome.ran, indices.length);
        },
      },
    );
  } finally {
    outer?.removeEventListener('abort', forward);
    if (!options.pool) await pool.close();
    await writing;
    await store.flush();
  }
  if (writeError) throw new Error(`cannot write the results store ${store.path}: ${messageOf(writeError)}`);
  outcome.cancelled ||= controller.signal.aborted;
  outcome.seconds = (performance.now() - start) / 1000;
  return outcome;
}

/** Trials of a run whose time on their worker is kept (CampaignRun.trialSeconds). */
const TIMED_TRIALS = 1_000;
