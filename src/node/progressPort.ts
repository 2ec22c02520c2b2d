import type { TrialProgress } from '../engine/experiment/trial';

/**
 * How a trial's progress crosses from an EnginePool worker to the pool. Each worker makes one
 * MessageChannel for its whole life and posts one end on its parentPort as it starts
 * (`{ [PROGRESS_PORT]: port }`; piscina passes a worker's own messages on as the pool's 'message'
 * events). A trial that wants progress carries a number (TrialTask.progressId), and its progress
 * comes back on that port as ProgressMessages with that number.
 *
 * Why not a port per trial, sent with its task (as before): it grew the process by about 5 KB a
 * trial, native memory of the ports retained in the workers (measured: the host's RSS 325 ->
 * 422 MB over a 20,000-trial app sweep, 1,308 MB at the end of a 200,000-trial one; without
 * progress it stayed flat).
 */
export const PROGRESS_PORT = 'accentLabProgressPort';

/** A trial's progress on its worker's progress port. */
export interface ProgressMessage {
  progressId: number;
  progress: TrialProgress;
}
