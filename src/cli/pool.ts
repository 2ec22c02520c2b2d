import type { TrialResult, TrialSpec } from '../engine/experiment/trial';
import { DEFAULT_TRIAL_TIMEOUT_MS, EnginePool, isCancelled } from '../node/enginePool';
import { defaultWorkerFile } from './packageRoot';

export interface RunExperimentsOptions {
  workers: number;
  /** A trial's time budget (default DEFAULT_TRIAL_TIMEOUT_MS); a trial over it fails. */
  trialTimeoutMs?: number;
  signal?: AbortSignal;
  onTrialDone?: (result: TrialResult, done: number, total: number) => void;
  workerFile?: string | URL;
  /** Folder that relative trace paths are relative to (the notebook's). */
  baseDirectory?: string;
  /** Each worker's heap limit (MB); the pool's default when absent. */
  maxOldGenerationSizeMb?: number;
}

/** Run designs on an EnginePool; results per design, in spec order. */
export async function runDesigns(
  specsByExperiment: readonly TrialSpec[][],
  options: RunExperimentsOptions,
): Promise<{ results: TrialResult[][]; cancelled: boolean }> {
  const all = specsByExperiment.flat();
  const pool = new EnginePool({
    workerFile: options.workerFile ?? defaultWorkerFile(),
    // No more threads than trials: each would only start, load the engine and wait.
    workers: Math.max(1, Math.min(options.workers, all.length)),
    trialTimeoutMs: options.trialTimeoutMs ?? DEFAULT_TRIAL_TIMEOUT_MS,
    ...(options.maxOldGenerationSizeMb ? { maxOldGenerationSizeMb: options.maxOldGenerationSizeMb } : {}),
  });
  let flat: TrialResult[];
  try {
    flat = await pool.runAll(all, {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onTrialDone ? { onTrialDone: options.onTrialDone } : {}),
    });
  } finally {
    await pool.close();
  }
  const results: TrialResult[][] = [];
  let at = 0;
  for (const specs of specsByExperiment) {
    results.push(flat.slice(at, at + specs.length));
    at += specs.length;
  }
  return { results, cancelled: flat.some(isCancelled) };
}
