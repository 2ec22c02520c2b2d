/**
 * Estimates of a run before it runs: its time from a short calibration (a few of its own trials,
 * timed on their workers) and its size. The CLI's `run` and the app's designer use the same.
 */

/** Bytes a stored trial takes on disk, measured (docs/benchmarks.md): for the estimate before a run. */
export const STORE_BYTES_PER_TRIAL = 600;

export interface CampaignEstimate {
  trials: number;
  seconds: number;
  bytes: number;
}

/** Time (from a calibration's pace) and disk size of running `trials` more trials. */
export function estimateCampaign(trials: number, trialsPerSecond: number): CampaignEstimate {
  return {
    trials,
    seconds: trialsPerSecond > 0 ? trials / trialsPerSecond : NaN,
    bytes: trials * STORE_BYTES_PER_TRIAL,
  };
}

/**
 * Trials a second on `workers` workers from the times calibration trials took (CampaignRun's
 * trialSeconds): the workers over the median time, leaving out the first trial of each worker
 * (it also waited for its thread to start) when others were timed. NaN without any timed trial.
 */
export function calibratedPace(trialSeconds: readonly number[], workers: number): number {
  const timed = (list: readonly number[]): number[] =>
    list.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  const warm = timed(trialSeconds.slice(workers));
  const sorted = warm.length > 0 ? warm : timed(trialSeconds);
  if (sorted.length === 0) return NaN;
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return workers / Math.max(median, 1e-6);
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'unknown';
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}
