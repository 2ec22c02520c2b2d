import { platform, setPriority } from 'node:os';
import { workerData } from 'node:worker_threads';
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

/** What the EnginePool gives each worker when it starts. */
export interface TrialWorkerData {
  /** Niceness of this worker thread (Linux only: elsewhere it would apply to the whole process). */
  nice: number;
}

const startup = workerData as Partial<TrialWorkerData> | null | undefined;
if (platform() === 'linux' && startup?.nice) {
  try {
    // pid 0 is the calling thread on Linux: only this worker yields to the window and host.
    setPriority(0, startup.nice);
  } catch {
    // A container may forbid it; the trial runs the same at normal priority.
  }
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
