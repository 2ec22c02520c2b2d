import { summarize } from '../experiment/statistics';

/** How the report writes numbers: rounding, percentages and cells over replications. */

export const round = (value: number, digits: number): number => {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
};
export const decimalsOf = (value: number): number => (String(value).split('.')[1] ?? '').length;
/** "12.3%"; an error that rounds to zero reads "0.0%", never "-0.0%". */
export const percent = (value: number): string => {
  const text = (value * 100).toFixed(1);
  return `${text === '-0.0' ? '0.0' : text}%`;
};
export const average = (values: number[]): number =>
  values.reduce((sum, value) => sum + value, 0) / values.length;
/** A table cell over replications: the value when all agree (or one), else "mean ± 95% half-width". */
export const intervalCell = (values: readonly number[], digits: number): number | string => {
  const summary = summarize(values);
  if (values.every((v) => v === values[0]) || !Number.isFinite(summary.halfWidth)) {
    return round(summary.mean, digits);
  }
  return `${round(summary.mean, digits)} ± ${round(summary.halfWidth, digits)}`;
};
