/**
 * Estimates of a run before it runs: its time from a short calibration (a few of its own trials,
 * timed on their workers) and its size. The CLI's `run` and the app's designer use the same.
 */

/**
 * An experiment of at most this many trials is "small": it keeps its trials inline in the
 * notebook, and the results store keeps each of them whole (series and all). A larger one keeps
 * per-design-point summaries in the notebook and, in the store, its metrics and the first
 * replication's downsampled series per design point.
 */
export const INLINE_TRIALS = 10_000;

/**
 * Beside the trial count, a byte limit: an experiment whose trials take more than this as JSON
 * (40 MiB) is summarized too, however few they are (long trials with long series), so that no
 * experiment alone takes a notebook near its 100 MiB cap. 10,000 ordinary trials (3.2-3.4 KB
 * each) stay under it.
 */
export const INLINE_BYTES = 40 * 1024 * 1024;

/**
 * Bytes a large experiment's trial takes in a store (its row of metrics), measured: 249 B a
 * trial over 20,000 short trials of 100 design points (docs/benchmarks.md, "Store size").
 */
export const STORE_BYTES_PER_TRIAL = 250;

/**
 * Bytes a large experiment's design point adds for its first replication's byte-rate series
 * (downsampled to 300 bins), measured: about 4,300 B a point on the paper's 77 points.
 */
export const STORE_BYTES_PER_POINT = 4_400;

/**
 * A small experiment's trial is stored whole, as JSON: its store bytes are this many times its
 * JSON's, measured from 0.74 (20,000 short Minprog trials) to 1.92 (the paper's 770 trials).
 */
export const STORE_WHOLE_PER_JSON_BYTE = 2;

/**
 * Bytes `trials` trials of `points` design points take in a results store. An experiment of at
 * most INLINE_TRIALS trials is stored whole: from `jsonBytesPerTrial` (a calibration's) when
 * known; otherwise, and for larger ones, its rows and its points' series.
 */
export function storeBytes(trials: number, points: number, jsonBytesPerTrial?: number | null): number {
  if (trials <= INLINE_TRIALS && jsonBytesPerTrial !== undefined && jsonBytesPerTrial !== null) {
    return Math.round(trials * jsonBytesPerTrial * STORE_WHOLE_PER_JSON_BYTE);
  }
  return trials * STORE_BYTES_PER_TRIAL + Math.min(points, trials) * STORE_BYTES_PER_POINT;
}

export interface CampaignEstimate {
  trials: number;
  seconds: number;
  bytes: number;
}

/**
 * Time (from a calibration's pace) and disk size of running `trials` more trials, of `points`
 * design points (default: as many as trials), a trial's JSON `jsonBytesPerTrial` bytes when a
 * calibration measured it (see storeBytes).
 */
export function estimateCampaign(
  trials: number,
  trialsPerSecond: number,
  points: number = trials,
  jsonBytesPerTrial?: number | null,
): CampaignEstimate {
  return {
    trials,
    seconds: trialsPerSecond > 0 ? trials / trialsPerSecond : NaN,
    bytes: storeBytes(trials, points, jsonBytesPerTrial),
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
