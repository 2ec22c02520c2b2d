import type { ByteRateSeries } from '../../engine/experiment/trial';

/**
 * A byte-rate series with at most `maxBins` bins: k neighbouring bins merge into one k times as
 * wide holding their mean rate, so the bytes each merged bin stands for (rate x width) are the sum
 * of its parts and the series' total bytes do not change. A last, partial group counts the missing
 * bins as silent (the trial had ended).
 */
export function downsampleSeries(series: ByteRateSeries, maxBins: number): ByteRateSeries {
  const bins = Math.max(series.fault.length, series.other.length);
  if (bins <= maxBins)
    return { binSeconds: series.binSeconds, fault: [...series.fault], other: [...series.other] };
  const factor = Math.ceil(bins / maxBins);
  const merge = (values: readonly number[]): number[] => {
    const merged: number[] = [];
    for (let start = 0; start < bins; start += factor) {
      let sum = 0;
      for (let i = start; i < start + factor && i < values.length; i += 1) sum += values[i]!;
      merged.push(sum / factor);
    }
    return merged;
  };
  return { binSeconds: series.binSeconds * factor, fault: merge(series.fault), other: merge(series.other) };
}

/** Bytes a series stands for: the sum of rate x bin width. */
export function seriesBytes(series: ByteRateSeries): { fault: number; other: number } {
  const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);
  return { fault: sum(series.fault) * series.binSeconds, other: sum(series.other) * series.binSeconds };
}
