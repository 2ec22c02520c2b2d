import type { Bounds } from '../../../../engine/bounds';

/** Whether the checkbox of a change event is checked. */
export const checked = (event: Event): boolean => (event.target as HTMLInputElement).checked;

/** A number field's value on change: null when it was emptied. */
export function numberOrNull(event: Event): number | null {
  const text = (event.target as HTMLInputElement).value.trim();
  return text === '' ? null : Number(text);
}

/** An `<input type="number">`'s min, max and step (no max where a number has none). */
export interface NumberInputBounds {
  min: number;
  max?: number;
  step: number | 'any';
}

/** The input bounds, leaving max out where there is none (Infinity, or Number.MAX_VALUE). */
export function numberInput(min: number, max: number, step: number | 'any'): NumberInputBounds {
  return Number.isFinite(max) && max < Number.MAX_VALUE ? { min, max, step } : { min, step };
}

/**
 * An input's bounds from the engine's bounds of its number (its one home). A number that must stay
 * below its max (`belowMax`) gets the last step below it; one above its min (`aboveMin`) keeps min,
 * as an input cannot say "above": the engine's check names it.
 */
export function inputBoundsOf(
  bounds: Bounds,
  step: number | 'any' = bounds.whole ? 1 : 'any',
): NumberInputBounds {
  const max = bounds.belowMax && typeof step === 'number' ? bounds.max - step : bounds.max;
  return numberInput(bounds.min, max, step);
}

/** Bytes per KB: the custom workload form asks for sizes in KB. */
export const BYTES_PER_KB = 1024;

/** Bounds of a number in bytes, in KB (the form's unit). */
export const kbBounds = (bounds: Bounds): Bounds => ({
  ...bounds,
  min: bounds.min / BYTES_PER_KB,
  max: bounds.max / BYTES_PER_KB,
});

/** A number the form took in KB (or KB/s), in bytes (or bytes/s). */
export const bytesOfKb = (kb: number): number => kb * BYTES_PER_KB;
