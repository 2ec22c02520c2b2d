import { z } from 'zod';
import type { HostApi, HostCall } from './hostApi';
import { MAX_TRACE_UPLOAD_BYTES } from './hostApi';
import { describeIssues, nonEmptyLabel, wholePositive } from './schemas/fields';
import { pageSizeSchema } from './schemas/hardware';
import { experimentDesignSchema } from './schemas/design';
import { renderFigureRequestSchema } from './schemas/figure';
import { projectDocumentSchema } from './schemas/notebook';
import { traceWorkloadSourceSchema } from './schemas/workload';

/**
 * The arguments of every host call, checked at the host's door. Both adapters (Electron IPC and
 * the web socket) run {@link parseCallArgs} on every incoming call before the host services see
 * it. The schemas of what the calls carry live by subject in ./schemas (hardware, workload,
 * design, results, notebook).
 */

/** An optional path: absent, undefined or null (JSON turns undefined into null) all mean "none". */
const optionalPath = z
  .string({ error: 'must be a file path (text)' })
  .min(1, { error: 'must not be empty' })
  .max(4096, { error: 'must be at most 4096 characters' })
  .nullish()
  .transform((path) => path ?? undefined);
const id = () =>
  z
    .string({ error: 'must be text' })
    .min(1, { error: 'must not be empty' })
    .max(1000, { error: 'must be at most 1000 characters' });

/** A browser tab's id (kept in its sessionStorage), which names its recovery file. */
const tabId = z
  .string({ error: 'must be a tab id (text)' })
  .regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'must be 1 to 64 letters, digits, - or _' });

const startSweepOptionsSchema = z
  .strictObject({ confirmLarge: z.boolean({ error: 'must be true or false' }).optional() })
  .nullish()
  .transform((options) => options ?? {});

const importTraceRequestSchema = z.strictObject({
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

const clusterBundleRequestSchema = z.strictObject({
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

const traceWorkloadRequestSchema = z.strictObject({
  name: nonEmptyLabel(100),
  source: traceWorkloadSourceSchema,
  framesPerHost: wholePositive(),
});

/** Each call's parameters: their names (for error messages) and one schema per parameter. */
const CALL_PARAMETERS = {
  version: [],
  catalog: [],
  startSweep: [
    ['design', experimentDesignSchema],
    ['options', startSweepOptionsSchema],
  ],
  cancelSweep: [['sweepId', id()]],
  estimateDesign: [['design', experimentDesignSchema]],
  writeClusterBundle: [['request', clusterBundleRequestSchema]],
  retryTrial: [
    ['sweepId', id()],
    ['trialId', id()],
  ],
  newProject: [],
  openProject: [['path', optionalPath]],
  saveProject: [
    ['project', projectDocumentSchema],
    ['path', optionalPath],
  ],
  recentProjects: [],
  recentNotebooks: [],
  projectsFolder: [],
  builtinNotebooks: [],
  openBuiltinNotebook: [['id', id()]],
  importTrace: [['request', importTraceRequestSchema]],
  cancelTraceImport: [['importId', id()]],
  traceWorkload: [['request', traceWorkloadRequestSchema]],
  writeRecovery: [
    ['tab', tabId],
    ['project', projectDocumentSchema],
    ['path', optionalPath],
  ],
  clearRecovery: [['tab', tabId]],
  pendingRecovery: [['tab', tabId]],
  restoreRecovery: [['tab', tabId]],
  discardRecovery: [['tab', tabId]],
  renderFigure: [['request', renderFigureRequestSchema]],
} as const satisfies Record<HostCall, readonly (readonly [string, z.ZodType])[]>;

/** The arguments of `call`, as HostApi declares them. */
export type CallArgs<C extends HostCall> = Parameters<HostApi[C]>;

/**
 * Check the arguments of one host call and return them parsed (fresh objects, unknown keys
 * refused). Throws an Error whose message names the call and the offending field, e.g.
 * `startSweep: design.hardware.pageSizeBytes: the page size must be a power of two ...`.
 */
export function parseCallArgs<C extends HostCall>(call: C, args: unknown): CallArgs<C> {
  const parameters = CALL_PARAMETERS[call] as readonly (readonly [string, z.ZodType])[] | undefined;
  if (!parameters) throw new Error(`unknown host call "${String(call)}"`);
  if (!Array.isArray(args)) throw new Error(`${call}: the arguments must be a list`);
  if (args.length > parameters.length) {
    throw new Error(
      `${call}: takes ${parameters.length === 0 ? 'no' : `at most ${parameters.length}`} argument${parameters.length === 1 ? '' : 's'}, got ${args.length}`,
    );
  }
  const parsed: unknown[] = [];
  parameters.forEach(([name, schema], index) => {
    const result = schema.safeParse(args[index]);
    if (!result.success) throw new Error(`${call}: ${describeIssues(result.error, name)}`);
    parsed.push(result.data);
  });
  // Optional trailing parameters that were not given stay absent.
  while (parsed.length > 0 && parsed.length > args.length && parsed.at(-1) === undefined) parsed.pop();
  return parsed as CallArgs<C>;
}
