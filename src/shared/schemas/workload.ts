import { z } from 'zod';
import type { SyntheticWorkloadSpec, TraceWorkloadSpec, WorkloadSpec } from '../../engine/workloads/spec';
import {
  EXTRA_REFERENCE_BOUNDS,
  MAX_EXTRA_REFERENCES,
  TOUCH_PATTERN_BOUNDS,
  WORKLOAD_FIELD_BOUNDS,
} from '../../engine/workloads/bounds';
import { bounded, fraction, label, nonEmptyLabel, positive, sameShape, wholeNonNegative } from './fields';
import type { Same } from './fields';
import { pageSizeSchema } from './hardware';

/**
 * Workloads: synthetic ones with their touch pattern, and those recorded from a trace. Each number's
 * bounds come from the engine's table (engine/workloads/bounds.ts).
 */

const field = (key: keyof typeof WORKLOAD_FIELD_BOUNDS) => bounded(WORKLOAD_FIELD_BOUNDS[key]);

const touchPatternSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('clustered'),
      continueProbability: bounded(TOUCH_PATTERN_BOUNDS.clustered.continueProbability),
      order: z.enum(['random', 'ascending'], { error: 'must be "random" or "ascending"' }),
    }),
    z.strictObject({
      kind: z.literal('sequential'),
      density: bounded(TOUCH_PATTERN_BOUNDS.sequential.density),
      extentPages: bounded(TOUCH_PATTERN_BOUNDS.sequential.extentPages),
    }),
    z.strictObject({
      kind: z.literal('dirty-rate'),
      workingSetBytes: bounded(TOUCH_PATTERN_BOUNDS['dirty-rate'].workingSetBytes),
      dirtyBytesPerSecond: bounded(TOUCH_PATTERN_BOUNDS['dirty-rate'].dirtyBytesPerSecond),
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
  realBytes: field('realBytes'),
  realZeroBytes: field('realZeroBytes'),
  residentBytes: field('residentBytes'),
  amapEntries: field('amapEntries'),
  memoryObjects: field('memoryObjects'),
  portRights: field('portRights'),
};

// The keys of both shapes are in the order files have always had them (parsing puts keys in the
// schema's order, and a notebook must save back byte for byte).
export const syntheticWorkloadSpecSchema = z.strictObject({
  ...summaryFields,
  residentRunPages: field('residentRunPages'),
  touchedFractionOfReal: field('touchedFractionOfReal'),
  touchedResidentFractionOfReal: field('touchedResidentFractionOfReal'),
  pattern: touchPatternSchema,
  zeroFillPages: field('zeroFillPages'),
  computeSeconds: field('computeSeconds'),
  rereferencesPerPage: field('rereferencesPerPage'),
  writeFraction: field('writeFraction').optional(),
  extraReferences: z
    .array(bounded(EXTRA_REFERENCE_BOUNDS))
    .max(MAX_EXTRA_REFERENCES, {
      error: `must have at most ${MAX_EXTRA_REFERENCES.toLocaleString('en-US')} entries`,
    })
    .optional(),
  trace: z.undefined().optional(),
});

export const traceWorkloadSpecSchema = z.strictObject({
  ...summaryFields,
  residentRunPages: field('residentRunPages').optional(),
  touchedFractionOfReal: field('touchedFractionOfReal'),
  touchedResidentFractionOfReal: field('touchedResidentFractionOfReal').optional(),
  pattern: touchPatternSchema.optional(),
  zeroFillPages: field('zeroFillPages').optional(),
  computeSeconds: field('computeSeconds'),
  rereferencesPerPage: field('rereferencesPerPage').optional(),
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
