import type { MessagePort } from 'node:worker_threads';
import { runTrial } from '../../engine/experiment/trial';
import type { TrialResult, TrialSpec } from '../../engine/experiment/trial';

/** What the EnginePool sends a worker for one trial. Everything crosses by structured clone. */
export interface TrialTask {
  spec: TrialSpec;
  /** Transferred with the task when the caller wants progress; gets every TrialProgress. */
  progressPort?: MessagePort;
  /** Report progress after this many references (the engine's default when absent). */
  progressEvery?: number;
}

/**
 * The worker side of the EnginePool (default export, as piscina expects): runs one trial with the
 * pure engine and posts its progress on the task's port. An engine exception propagates, and the
 * pool turns it into a failed TrialResult for this trial only.
 */
export default function runTrialTask({ spec, progressPort, progressEvery }: TrialTask): TrialResult {
  try {
    return runTrial(spec, {
      ...(progressPort ? { onProgress: (progress) => progressPort.postMessage(progress) } : {}),
      ...(progressEvery !== undefined ? { progressEvery } : {}),
    });
  } finally {
    // Messages already posted still reach the other side; closing lets the main side's port go.
    progressPort?.close();
  }
}
