import type { ByteRateSeries, TrialProgress } from '../../../../engine/experiment/trial';

/** Network byte rate (bytes per simulated second) over the interval ending at `x`. */
export interface RatePoint {
  x: number;
  fault: number;
  other: number;
}

/** Points kept per trial; beyond it neighbouring intervals are merged (time-weighted). */
export const MAX_RATE_POINTS = 1_000;

/** A trial's cumulative bytes at its last progress report. */
export interface Cumulative {
  t: number;
  fault: number;
  other: number;
}

/** Halve the points: each pair of neighbouring intervals becomes one, weighted by its time. */
function mergePairs(points: RatePoint[]): RatePoint[] {
  const merged: RatePoint[] = [points[0]!];
  for (let at = 1; at < points.length; at += 2) {
    const a = points[at]!;
    const b = points[at + 1];
    if (!b) {
      merged.push(a);
      break;
    }
    const start = merged[merged.length - 1]!.x;
    const span = b.x - start;
    const wa = (a.x - start) / span;
    const wb = (b.x - a.x) / span;
    merged.push({ x: b.x, fault: a.fault * wa + b.fault * wb, other: a.other * wa + b.other * wb });
  }
  return merged;
}

/** A finished trial's byte-rate series as points, in the live points' form (rate up to x). */
export function seriesPoints(series: ByteRateSeries): RatePoint[] {
  const points: RatePoint[] = [{ x: 0, fault: 0, other: 0 }];
  series.fault.forEach((fault, bin) => {
    points.push({ x: (bin + 1) * series.binSeconds, fault, other: series.other[bin] ?? 0 });
  });
  return points.length > MAX_RATE_POINTS + 1 ? mergePairs(points) : points;
}

/**
 * The points after a progress report: one more interval, its rate from the bytes since `last`
 * (a new array; merged in pairs past MAX_RATE_POINTS). Null when no simulated time passed (bytes
 * at the same instant join the next interval).
 */
export function withProgress(
  points: readonly RatePoint[],
  last: Cumulative,
  progress: TrialProgress,
): RatePoint[] | null {
  const dt = progress.simulatedSeconds - last.t;
  if (dt <= 0) return null;
  const next = [
    ...points,
    {
      x: progress.simulatedSeconds,
      fault: Math.max(0, progress.bytesFault - last.fault) / dt,
      other: Math.max(0, progress.bytesOther - last.other) / dt,
    },
  ];
  return next.length > MAX_RATE_POINTS ? mergePairs(next) : next;
}
