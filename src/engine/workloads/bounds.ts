import { boundsProblem } from '../bounds';
import type { Bounds } from '../bounds';
import type { GenerationFields, SyntheticWorkloadSpec, TouchPattern, WorkloadSummary } from './spec';

/**
 * The bounds of every number of a workload, in one table: the engine's checks
 * (syntheticWorkloadProblems), the zod schema of notebooks and host calls
 * (src/shared/schemas/workload.ts) and the designer's fields read them from here. How the fields
 * must agree with each other (resident within RealMem, whole pages, the hard size limits of
 * ./spec.ts) is checked in ./syntheticProblems.ts.
 */

/** Any size in bytes: 1 TiB at most. */
export const MAX_WORKLOAD_BYTES = 2 ** 40;

const BYTES: Bounds = { min: 0, max: MAX_WORKLOAD_BYTES };
const COUNT: Bounds = { min: 0, max: Infinity, whole: true };
const SHARE: Bounds = { min: 0, max: 1 };
const NON_NEGATIVE: Bounds = { min: 0, max: Infinity };

/** The keys of T whose values are numbers (optional ones included). */
type NumberKeys<T> = {
  [Key in keyof T]-?: [NonNullable<T[Key]>] extends [never]
    ? never
    : NonNullable<T[Key]> extends number
      ? Key
      : never;
}[keyof T];

/** The numbers every workload states, and those of a synthetic one. */
export const WORKLOAD_FIELD_BOUNDS: {
  readonly [Key in NumberKeys<WorkloadSummary & GenerationFields & SyntheticWorkloadSpec>]: Bounds;
} = {
  realBytes: { ...BYTES, aboveMin: true },
  realZeroBytes: BYTES,
  residentBytes: BYTES,
  amapEntries: { min: 1, max: 1_000_000, whole: true },
  memoryObjects: COUNT,
  portRights: COUNT,
  touchedFractionOfReal: SHARE,
  computeSeconds: NON_NEGATIVE,
  residentRunPages: { min: 1, max: Infinity },
  touchedResidentFractionOfReal: SHARE,
  zeroFillPages: COUNT,
  rereferencesPerPage: { min: 0, max: 1_000_000 },
  writeFraction: SHARE,
};

type PatternOf<Kind extends TouchPattern['kind']> = Extract<TouchPattern, { kind: Kind }>;

/** The numbers of each touch pattern. */
export const TOUCH_PATTERN_BOUNDS: {
  readonly [Kind in TouchPattern['kind']]: { readonly [Key in NumberKeys<PatternOf<Kind>>]: Bounds };
} = {
  clustered: { continueProbability: { min: 0, max: 1, belowMax: true } },
  sequential: {
    density: { min: 0, aboveMin: true, max: 1 },
    extentPages: { min: 1, max: Infinity, whole: true },
  },
  'dirty-rate': { workingSetBytes: BYTES, dirtyBytesPerSecond: NON_NEGATIVE },
};

/** Pages a synthetic workload may reference after everything else: page numbers below 2^31, 100,000 at most. */
export const EXTRA_REFERENCE_BOUNDS: Bounds = { min: 0, max: 2 ** 31 - 1, whole: true };
export const MAX_EXTRA_REFERENCES = 100_000;

/** Each number of a synthetic workload against its bounds, naming the field and the bounds. */
export function workloadFieldProblems(spec: SyntheticWorkloadSpec): string[] {
  const problems: string[] = [];
  for (const [key, bounds] of Object.entries(WORKLOAD_FIELD_BOUNDS)) {
    const value = (spec as unknown as Record<string, unknown>)[key];
    if (value === undefined && key === 'writeFraction') continue;
    const problem = boundsProblem(key, bounds, value);
    if (problem) problems.push(problem);
  }
  const pattern = spec.pattern as unknown as Record<string, unknown>;
  const patternBounds: Record<string, Bounds> | undefined = TOUCH_PATTERN_BOUNDS[spec.pattern.kind];
  for (const [key, bounds] of Object.entries(patternBounds ?? {})) {
    const problem = boundsProblem(`pattern.${key}`, bounds, pattern[key]);
    if (problem) problems.push(problem);
  }
  const extra = spec.extraReferences ?? [];
  if (extra.length > MAX_EXTRA_REFERENCES)
    problems.push(
      `extraReferences must have at most ${MAX_EXTRA_REFERENCES.toLocaleString('en-US')} entries`,
    );
  for (const page of extra) {
    if (boundsProblem('', EXTRA_REFERENCE_BOUNDS, page))
      problems.push(`extra reference ${page} is not a page number`);
  }
  return problems;
}
