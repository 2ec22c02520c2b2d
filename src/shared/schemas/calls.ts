import { z } from 'zod';
import type {
  ClusterBundleRequest,
  LocateStoreRequest,
  ImportTraceRequest,
  StartSweepOptions,
  TraceWorkloadRequest,
} from '../hostApi';
import { MAX_TRACE_UPLOAD_BYTES } from '../hostApi';
import type { StoredPairsRequest } from '../figures/storedPairs';
import { experimentDesignSchema } from './design';
import { nonEmptyLabel, sameShape, wholePositive, type Same } from './fields';
import { pageSizeSchema } from './hardware';
import { NOTEBOOK_EXTENSION } from '../notebook/format';
import { traceWorkloadSourceSchema } from './workload';

/**
 * The schemas of the small arguments only host calls carry (paths, ids, requests). The calls that
 * use them are declared in ../hostCalls.ts.
 */

/** An optional path: absent, undefined or null (JSON turns undefined into null) all mean "none". */
export const optionalPath = z
  .string({ error: 'must be a file path (text)' })
  .min(1, { error: 'must not be empty' })
  .max(4096, { error: 'must be at most 4096 characters' })
  .nullish()
  .transform((path) => path ?? undefined);

/** A file path that must be given. */
export const requiredPath = z
  .string({ error: 'must be a file path (text)' })
  .min(1, { error: 'must not be empty' })
  .max(4096, { error: 'must be at most 4096 characters' });

/** A sweep's, trial's, import's or built-in notebook's id. */
export const id = () =>
  z
    .string({ error: 'must be text' })
    .min(1, { error: 'must not be empty' })
    .max(1000, { error: 'must be at most 1000 characters' });

/** A browser tab's id (kept in its sessionStorage), which names its recovery file. */
export const tabId = z
  .string({ error: 'must be a tab id (text)' })
  .regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'must be 1 to 64 letters, digits, - or _' });

export const startSweepOptionsSchema = z
  .strictObject({
    confirmLarge: z.boolean({ error: 'must be true or false' }).optional(),
    // The store goes beside the notebook: only a notebook's own absolute path names it.
    notebookPath: nonEmptyLabel(4096)
      .refine((path) => /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(path), { error: 'must be an absolute path' })
      .refine((path) => path.endsWith(NOTEBOOK_EXTENSION), {
        error: `must name a notebook (${NOTEBOOK_EXTENSION})`,
      })
      .optional(),
    experiment: nonEmptyLabel(200).optional(),
    summarized: z
      .strictObject({
        store: nonEmptyLabel(4096),
        trials: z
          .number()
          .int()
          .min(0)
          .max(2 ** 32),
      })
      .optional(),
  })
  .nullish()
  .transform((options) => options ?? {});

export const importTraceRequestSchema = z.strictObject({
  importId: id(),
  pageSizeBytes: pageSizeSchema,
  path: nonEmptyLabel(4096).optional(),
  upload: z
    .strictObject({
      name: nonEmptyLabel(255).refine((name) => !/[\\/]|^\.\.?$/.test(name), {
        error: 'must be a file name without folders',
      }),
      base64: z
        .string({ error: 'must be base64 text' })
        .max(Math.ceil(MAX_TRACE_UPLOAD_BYTES / 3) * 4, {
          error: `must be at most ${MAX_TRACE_UPLOAD_BYTES / 1024 / 1024} MB (import bigger traces by path)`,
        })
        .regex(/^[A-Za-z0-9+/]*={0,2}$/, { error: 'must be base64 text' }),
    })
    .optional(),
});

export const clusterBundleRequestSchema = z.strictObject({
  notebookPath: nonEmptyLabel(4096),
  out: nonEmptyLabel(4096),
  tasks: z
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be at least 1' })
    .max(10_000, { error: 'must be at most 10,000' }),
  workers: z
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be at least 1' })
    .max(256, { error: 'must be at most 256' }),
  name: nonEmptyLabel(200).optional(),
});

export const traceWorkloadRequestSchema = z.strictObject({
  name: nonEmptyLabel(100),
  source: traceWorkloadSourceSchema,
  framesPerHost: wholePositive(),
});

/** One side of a paired comparison from the stores: a summarized experiment and the store it names. */
const storedSideSchema = z.strictObject({
  id: id(),
  design: experimentDesignSchema,
  engineVersion: nonEmptyLabel(50),
  store: nonEmptyLabel(4096),
});

export const locateStoreRequestSchema = z.strictObject({
  notebookPath: nonEmptyLabel(4096).nullable(),
  experiments: z
    .array(
      z.strictObject({
        id: id(),
        name: z.string().max(1000),
        design: experimentDesignSchema,
        engineVersion: nonEmptyLabel(50),
      }),
    )
    .min(1, { error: 'must name an experiment' })
    .max(1000),
});

export const storedPairsRequestSchema = z.strictObject({
  notebookPath: nonEmptyLabel(4096)
    .refine((path) => /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(path), { error: 'must be an absolute path' })
    .nullable(),
  baseline: storedSideSchema,
  others: z.array(storedSideSchema).min(1, { error: 'must name an experiment' }).max(50),
});

sameShape<Same<z.output<typeof startSweepOptionsSchema>, StartSweepOptions>>();
sameShape<Same<z.output<typeof importTraceRequestSchema>, ImportTraceRequest>>();
sameShape<Same<z.output<typeof clusterBundleRequestSchema>, ClusterBundleRequest>>();
sameShape<Same<z.output<typeof traceWorkloadRequestSchema>, TraceWorkloadRequest>>();
sameShape<Same<z.output<typeof storedPairsRequestSchema>, StoredPairsRequest>>();
sameShape<Same<z.output<typeof locateStoreRequestSchema>, LocateStoreRequest>>();
