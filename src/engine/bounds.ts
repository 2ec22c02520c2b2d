/**
 * The bounds of a number the engine takes (a hardware parameter, a workload field): written once
 * in the engine's tables (./hardware/parameters.ts, ./workloads/bounds.ts) and read by the engine's
 * checks, the zod schemas (src/shared/schemas) and the designer's fields alike.
 */
export interface Bounds {
  /** The least value; with `aboveMin`, values must be above it. */
  min: number;
  aboveMin?: boolean;
  /** The greatest value (Infinity: none); with `belowMax`, values must be below it. */
  max: number;
  belowMax?: boolean;
  /** Counts: whole numbers only. */
  whole?: boolean;
}

const plain = (value: number): string => value.toLocaleString('en-US', { maximumFractionDigits: 6 });

/** Whether `value` is a finite number within the bounds. */
export function withinBounds(bounds: Bounds, value: unknown): value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  if (bounds.whole && !Number.isInteger(value)) return false;
  if (bounds.aboveMin ? value <= bounds.min : value < bounds.min) return false;
  return bounds.belowMax ? value < bounds.max : value <= bounds.max;
}

/** The bounds in words: "from 0 to 60,000", "above 0 and at most 1", "at least 1", "from 0 to below 1". */
export function boundsText(bounds: Bounds, unit = ''): string {
  const suffix = unit ? ` ${unit}` : '';
  const low = `${bounds.aboveMin ? 'above' : 'at least'} ${plain(bounds.min)}`;
  if (bounds.max === Infinity) return `${low}${suffix}`;
  const high = `${bounds.belowMax ? 'below' : 'at most'} ${plain(bounds.max)}`;
  if (!bounds.aboveMin && !bounds.belowMax)
    return `from ${plain(bounds.min)} to ${plain(bounds.max)}${suffix}`;
  return `${low} and ${high}${suffix}`;
}

/** What a value must be, in words: "a whole number from 1 to 1,000,000", "a number above 0". */
export function boundsRequirement(bounds: Bounds, unit = ''): string {
  return `${bounds.whole ? 'a whole number' : 'a number'} ${boundsText(bounds, unit)}`;
}

/**
 * What is wrong with `value` for a field named `name`, naming the bounds ("amapEntries must be a
 * whole number from 1 to 1,000,000 (got 0)"); null when it fits.
 */
export function boundsProblem(name: string, bounds: Bounds, value: unknown, unit = ''): string | null {
  if (withinBounds(bounds, value)) return null;
  const got = typeof value === 'number' ? plain(value) : String(value);
  return `${name} must be ${boundsRequirement(bounds, unit)} (got ${got})`;
}
