import { z } from 'zod';
import type { WorkloadSpec } from '../../engine/workloads/workload';
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

export const workloadSpecSchema = z.strictObject({
  name: nonEmptyLabel(100),
  description: label(2000),
  realBytes: bytes().positive({ error: 'must be greater than 0' }),
  realZeroBytes: bytes(),
  residentBytes: bytes(),
  amapEntries: wholePositive().max(1_000_000, { error: 'must be at most 1,000,000' }),
  memoryObjects: wholeNonNegative(),
  portRights: wholeNonNegative(),
  residentRunPages: finite().min(1, { error: 'must be at least 1' }),
  touchedFractionOfReal: fraction(),
  touchedResidentFractionOfReal: fraction(),
  pattern: touchPatternSchema,
  zeroFillPages: wholeNonNegative(),
  computeSeconds: nonNegative(),
  rereferencesPerPage: nonNegative().max(1_000_000, { error: 'must be at most 1,000,000' }),
  writeFraction: fraction().optional(),
  extraReferences: z
    .array(wholeNonNegative().max(2 ** 31 - 1, { error: 'must be a page number below 2^31' }))
    .max(100_000, { error: 'must have at most 100,000 entries' })
    .optional(),
  trace: traceWorkloadSourceSchema.optional(),
});

sameShape<Same<z.output<typeof workloadSpecSchema>, WorkloadSpec>>();
