import { z } from 'zod';
import type { SyntheticWorkloadSpec, TraceWorkloadSpec, WorkloadSpec } from '../../engine/workloads/spec';
import {
  bytes,
  finite,
  fraction,
  label,
  nonEmptyLabel,
  nonNegative,
  positive,
  sameShape,
  wholeNonNegative,
  wholePositive,
} from './fields';
import type { Same } from './fields';
import { pageSizeSchema } from './hardware';

/** Workloads: synthetic ones with their touch pattern, and those recorded from a trace. */

const touchPatternSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('clustered'),
      continueProbability: finite()
        .min(0, { error: 'must be at least 0 and below 1' })
        .lt(1, { error: 'must be at least 0 and below 1' }),
      order: z.enum(['random', 'ascending'], { error: 'must be "random" or "ascending"' }),
    }),
    z.strictObject({
      kind: z.literal('sequential'),
      density: finite()
        .gt(0, { error: 'must be above 0 and at most 1' })
        .max(1, { error: 'must be above 0 and at most 1' }),
      extentPages: wholePositive(),
    }),
    z.strictObject({
      kind: z.literal('dirty-rate'),
      workingSetBytes: bytes(),
      dirtyBytesPerSecond: nonNegative(),
      order: z.enum(['cyclic', 'random'], { error: 'must be "cyclic" or "random"' }),
    }),
  ],
  { error: 'must be a clustered, a sequential or a dirty-rate pattern' },
);

/** A workload recorded from a real program: the notebook keeps the trace's path and hash, not its references. */
export const traceWorkloadSourceSchema = z.strictObject({
  path: nonEmptyLabel(4096),
  sha256: z
    .string({ error: 'must be text' })
    .regex(/^[0-9a-f]{64}$/, { error: 'must be a SHA-256 in 64 lowercase hex digits' }),
  pageSizeBytes: pageSizeSchema,
  migrateAt: z.union(
    [
      z.strictObject({ fraction: fraction() }),
      z.strictObject({ instructions: wholeNonNegative().max(Number.MAX_SAFE_INTEGER) }),
    ],
    { error: 'must be { fraction } (0 to 1) or { instructions } (a whole number)' },
  ),
  instructionsPerSecond: positive(),
  residentLimitPages: wholeNonNegative().optional(),
});

/** What every workload states: its parameters if synthetic, its measured summary if a trace. */
const summaryFields = {
  name: nonEmptyLabel(100),
  description: label(2000),
  realBytes: bytes().positive({ error: 'must be greater than 0' }),
  realZeroBytes: bytes(),
  residentBytes: bytes(),
  amapEntries: wholePositive().max(1_000_000, { error: 'must be at most 1,000,000' }),
  memoryObjects: wholeNonNegative(),
  portRights: wholeNonNegative(),
};
const residentRunPages = finite().min(1, { error: 'must be at least 1' });
const rereferencesPerPage = nonNegative().max(1_000_000, { error: 'must be at most 1,000,000' });

// The keys of both shapes are in the order files have always had them (parsing puts keys in the
// schema's order, and a notebook must save back byte for byte).
export const syntheticWorkloadSpecSchema = z.strictObject({
  ...summaryFields,
  residentRunPages,
  touchedFractionOfReal: fraction(),
  touchedResidentFractionOfReal: fraction(),
  pattern: touchPatternSchema,
  zeroFillPages: wholeNonNegative(),
  computeSeconds: nonNegative(),
  rereferencesPerPage,
  writeFraction: fraction().optional(),
  extraReferences: z
    .array(wholeNonNegative().max(2 ** 31 - 1, { error: 'must be a page number below 2^31' }))
    .max(100_000, { error: 'must have at most 100,000 entries' })
    .optional(),
  trace: z.undefined().optional(),
});

export const traceWorkloadSpecSchema = z.strictObject({
  ...summaryFields,
  residentRunPages: residentRunPages.optional(),
  touchedFractionOfReal: fraction(),
  touchedResidentFractionOfReal: fraction().optional(),
  pattern: touchPatternSchema.optional(),
  zeroFillPages: wholeNonNegative().optional(),
  computeSeconds: nonNegative(),
  rereferencesPerPage: rereferencesPerPage.optional(),
  trace: traceWorkloadSourceSchema,
});

/**
 * A workload of a design: a trace workload when it has `trace`, else a synthetic one, each checked
 * against its own shape so an error names the field of that kind (a union would only say "Invalid
 * input" when both shapes fail). A trace workload saved before the two were told apart could carry
 * `writeFraction` or `extraReferences`, which never did anything to a trace (its writes and
 * references are the trace's): they are dropped on reading so such a notebook still opens.
 */
export const workloadSpecSchema = z.unknown().transform((value, context) => {
  const trace = isTraceWorkload(value);
  const result = trace
    ? traceWorkloadSpecSchema.safeParse(withoutWhatATraceIgnores(value))
    : syntheticWorkloadSpecSchema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues)
    context.issues.push({ code: 'custom', message: issue.message, path: issue.path, input: value });
  return z.NEVER;
});

function isTraceWorkload(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && (value as { trace?: unknown }).trace !== undefined;
}

function withoutWhatATraceIgnores(value: Record<string, unknown>): Record<string, unknown> {
  if (!('writeFraction' in value) && !('extraReferences' in value)) return value;
  const { writeFraction: _writeFraction, extraReferences: _extraReferences, ...kept } = value;
  return kept;
}

sameShape<Same<z.output<typeof syntheticWorkloadSpecSchema>, SyntheticWorkloadSpec>>();
sameShape<Same<z.output<typeof traceWorkloadSpecSchema>, TraceWorkloadSpec>>();
sameShape<Same<z.output<typeof workloadSpecSchema>, WorkloadSpec>>();
