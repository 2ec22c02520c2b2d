import { z } from 'zod';
import type { ExperimentDesign } from '../engine/experiment/design';
import type { SensitivityMetric, SensitivityParameter } from '../engine/experiment/sensitivity';
import type { ByteRateSeries, TrialMetrics, TrialResult } from '../engine/experiment/trial';
import type { HardwarePreset } from '../engine/hardware/presets';
import type { StrategyName } from '../engine/model/migration';
import type { WorkloadSpec } from '../engine/workloads/workload';
import { FIGURE_KINDS, REFERENCE_METRICS } from './figures/spec';
import type { FigureSpec } from './figures/spec';
import type { HostApi, HostCall, NotebookEntry, ProjectDocument, ProjectDocumentV1 } from './hostApi';
import { MAX_TRACE_UPLOAD_BYTES } from './hostApi';

/**
 * Runtime schemas for everything that crosses into the host: experiment designs, project files
 * and the arguments of every host call. Both adapters (Electron IPC and the web socket) run
 * {@link parseCallArgs} on every incoming call before the host services see it, and the project
 * store validates files on open and before save.
 *
 * Objects are strict: an unknown key is an error rather than silently dropped, so nothing a caller
 * meant to keep disappears on save. Parsing returns a fresh object whose keys follow the schema's
 * order, which is what gives project files a stable key order.
 */

/** The project-file format this version writes (older ones are upgraded on open, ./project). */
export const PROJECT_FORMAT_VERSION = 3;

/** Strategy names, as the engine's STRATEGIES lists them (kept a type-only import here). */
const STRATEGY_NAMES = [
  'pure-copy',
  'pure-iou',
  'resident-set',
  'pre-copy',
  'post-copy',
  'hybrid',
  'sprite-flush',
] as const satisfies readonly StrategyName[];

/** Bytes above this are refused for any workload size (1 TiB). */
const MAX_BYTES = 2 ** 40;

const finite = () => z.number({ error: 'must be a finite number' });
const nonNegative = () => finite().min(0, { error: 'must not be negative' });
const positive = () => finite().positive({ error: 'must be greater than 0' });
const wholeNonNegative = () =>
  z.int({ error: 'must be a whole number' }).min(0, { error: 'must not be negative' });
const wholePositive = () =>
  z.int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' });
const fraction = () =>
  finite().min(0, { error: 'must be from 0 to 1' }).max(1, { error: 'must be from 0 to 1' });
const bytes = () => nonNegative().max(MAX_BYTES, { error: 'must be at most 1 TiB' });
const label = (max: number) =>
  z.string({ error: 'must be text' }).max(max, { error: `must be at most ${max} characters` });
const nonEmptyLabel = (max: number) => label(max).min(1, { error: 'must not be empty' });

export const pageSizeSchema = z
  .int({ error: 'the page size must be a whole number of bytes' })
  .min(128, { error: 'the page size must be a power of two from 128 bytes to 1 MiB' })
  .max(1_048_576, { error: 'the page size must be a power of two from 128 bytes to 1 MiB' })
  .refine((page) => (page & (page - 1)) === 0, {
    error: 'the page size must be a power of two from 128 bytes to 1 MiB',
  });

export const hardwarePresetSchema = z.strictObject({
  name: nonEmptyLabel(100),
  description: label(2000),
  pageSizeBytes: pageSizeSchema,
  memory: z.strictObject({
    framesPerHost: wholePositive(),
    backgroundPagesPerSecond: nonNegative(),
  }),
  cpu: z.strictObject({
    faultOverheadMs: nonNegative(),
    imaginaryFaultOverheadMs: nonNegative(),
    fillZeroMs: nonNegative(),
    mapPageMs: nonNegative(),
  }),
  disk: z.strictObject({
    randomReadMs: nonNegative(),
    clusteredReadMsPerPage: nonNegative(),
    transferMsPerPage: nonNegative(),
  }),
  ipc: z.strictObject({
    copyThresholdBytes: bytes(),
    localMessageMs: nonNegative(),
    processSwitchMs: nonNegative(),
    copyMsPerByte: nonNegative(),
    mapMsPerPage: nonNegative(),
    messageHeaderBytes: wholeNonNegative(),
    imaginaryRequestBytes: wholeNonNegative(),
  }),
  network: z.strictObject({
    bitsPerSecond: positive(),
    latencyMs: nonNegative(),
    maxFragmentPayloadBytes: wholePositive(),
    packetHeaderBytes: wholeNonNegative(),
  }),
  netMessageServer: z.strictObject({
    messageMs: nonNegative(),
    fragmentMs: nonNegative(),
    pageSendMs: nonNegative(),
    pageReceiveMs: nonNegative(),
    portRightMs: nonNegative(),
    imaginaryObjectMs: nonNegative(),
    pieceMs: nonNegative(),
  }),
  excise: z.strictObject({
    amapPerEntryMs: nonNegative(),
    amapPerRealPageMs: nonNegative(),
    collapseFixedMs: nonNegative(),
    collapsePerEntryMs: nonNegative(),
    collapsePerResidentPageMs: nonNegative(),
    contextMs: nonNegative(),
  }),
  insert: z.strictObject({
    fixedMs: nonNegative(),
    perEntryMs: nonNegative(),
    perPageMs: nonNegative(),
  }),
});

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

/** A workload recorded from a real program: the project keeps the trace's path and hash, not its references. */
const traceWorkloadSourceSchema = z.strictObject({
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

const wholeUpTo = (max: number) =>
  z
    .int({ error: 'must be a whole number' })
    .min(0, { error: `must be from 0 to ${max.toLocaleString('en-US')}` })
    .max(max, { error: `must be from 0 to ${max.toLocaleString('en-US')}` });

export const strategyOptionsSchema = z.strictObject({
  preCopyMaxRounds: wholeUpTo(1000).optional(),
  preCopyStopPages: wholeUpTo(1_000_000).optional(),
  preCopyMaxDowntimeSeconds: nonNegative().max(3600, { error: 'must be from 0 to 3,600' }).optional(),
  hybridRounds: wholeUpTo(1000).optional(),
  hybridSwitchDirtyPagesPerSecond: wholeUpTo(1_000_000_000).optional(),
  pushPagesPerMessage: wholeUpTo(1024).optional(),
});

/** Sweep parameters and metrics, as the engine's sensitivity module lists them (type-only import here). */
const SENSITIVITY_PARAMETER_NAMES = [
  'network-bits-per-second',
  'imaginary-fault-overhead-ms',
  'disk-read-ms',
  'page-size-bytes',
  'touched-fraction',
] as const satisfies readonly SensitivityParameter[];
const SENSITIVITY_METRIC_NAMES = [
  'endToEndSeconds',
  'totalSeconds',
  'transferSeconds',
  'remoteExecSeconds',
  'bytesTotal',
  'messages',
] as const satisfies readonly SensitivityMetric[];

export const sensitivitySweepSchema = z.strictObject({
  parameter: z.enum(SENSITIVITY_PARAMETER_NAMES, {
    error: `must be one of ${SENSITIVITY_PARAMETER_NAMES.join(', ')}`,
  }),
  values: z
    .array(finite())
    .min(2, { error: 'must have at least 2 values' })
    .max(100, { error: 'must have at most 100 values' }),
  compare: z.tuple([nonEmptyLabel(100), nonEmptyLabel(100)], { error: 'must be two strategy variants' }),
  metric: z.enum(SENSITIVITY_METRIC_NAMES, {
    error: `must be one of ${SENSITIVITY_METRIC_NAMES.join(', ')}`,
  }),
});

export const experimentDesignSchema = z.strictObject({
  name: label(200),
  representatives: z.array(nonEmptyLabel(100)).max(100, { error: 'must have at most 100 entries' }),
  customWorkloads: z.array(workloadSpecSchema).max(100, { error: 'must have at most 100 entries' }),
  strategies: z
    .array(z.enum(STRATEGY_NAMES, { error: `must be one of ${STRATEGY_NAMES.join(', ')}` }))
    .max(STRATEGY_NAMES.length, { error: `must have at most ${STRATEGY_NAMES.length} entries` }),
  prefetchValues: z
    .array(
      z
        .int({ error: 'must be a whole number of pages' })
        .min(0, { error: 'must be from 0 to 1024' })
        .max(1024, { error: 'must be from 0 to 1024' }),
    )
    .max(100, { error: 'must have at most 100 entries' }),
  hardware: hardwarePresetSchema,
  seed: z.int({ error: 'must be a whole number' }),
  repetitions: z
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be from 1 to 10,000' })
    .max(10_000, { error: 'must be from 1 to 10,000' }),
  strategyOptions: strategyOptionsSchema.optional(),
  sourceFailureSeconds: nonNegative().optional(),
  concurrentMigrations: z
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be from 1 to 64' })
    .max(64, { error: 'must be from 1 to 64' })
    .optional(),
  sensitivity: sensitivitySweepSchema.optional(),
});

const metricKeys = [
  'exciseSeconds',
  'amapSeconds',
  'rimasCollapseSeconds',
  'insertSeconds',
  'coreTransferSeconds',
  'rimasTransferSeconds',
  'transferSeconds',
  'remoteExecSeconds',
  'endToEndSeconds',
  'totalSeconds',
  'bytesTotal',
  'bytesFault',
  'bytesHeaders',
  'bytesInline',
  'bytesPageData',
  'messages',
  'messagesSource',
  'messagesDest',
  'messageSecondsSource',
  'messageSecondsDest',
  'packets',
  'imaginaryFaults',
  'meanImaginaryFaultMs',
  'diskFaults',
  'meanDiskFaultMs',
  'fillZeroFaults',
  'prefetchedPages',
  'prefetchHits',
  'prefetchHitRatio',
  'pagesShippedAtMigration',
  'pagesDeliveredByFaults',
  'pagesTouchedRemote',
  'realPages',
  'realZeroPages',
  'residentPages',
  'amapEntries',
  'references',
  'pagesArrivedTwice',
  'pagesTouchedNeverArrived',
  'pagesWithWrongContents',
  'simulatedEvents',
] as const satisfies readonly (keyof TrialMetrics)[];

/** Metrics added beyond 1987: optional, so results saved before them still load. */
const laterMetricKeys = [
  'downtimeSeconds',
  'totalMigrationSeconds',
  'pagesResent',
  'sourceReleaseSeconds',
  'residualDependencySeconds',
  'preCopyRounds',
  'processLost',
  'concurrentMigrations',
  'concurrentMeanTotalMigrationSeconds',
  'concurrentMeanDowntimeSeconds',
] as const satisfies readonly (keyof TrialMetrics)[];

export const trialMetricsSchema = z.strictObject({
  ...(Object.fromEntries(metricKeys.map((key) => [key, finite()])) as Record<
    (typeof metricKeys)[number],
    ReturnType<typeof finite>
  >),
  ...(Object.fromEntries(laterMetricKeys.map((key) => [key, finite().optional()])) as Record<
    (typeof laterMetricKeys)[number],
    z.ZodOptional<ReturnType<typeof finite>>
  >),
});

export const faultLatencySchema = z.strictObject({
  edgesMs: z.array(finite()).max(100, { error: 'must have at most 100 entries' }),
  counts: z.array(wholeNonNegative()).max(101, { error: 'must have at most 101 entries' }),
});

export const byteRateSeriesSchema = z.strictObject({
  binSeconds: positive(),
  fault: z.array(finite()),
  other: z.array(finite()),
});

export const trialResultSchema = z.strictObject({
  id: z.string({ error: 'must be text' }),
  workload: z.string({ error: 'must be text' }),
  strategy: z.enum(STRATEGY_NAMES, { error: `must be one of ${STRATEGY_NAMES.join(', ')}` }),
  prefetch: wholeNonNegative(),
  hardware: z.string({ error: 'must be text' }),
  seed: z.int({ error: 'must be a whole number' }),
  replication: wholeNonNegative(),
  parameterValue: finite().optional(),
  ok: z.boolean({ error: 'must be true or false' }),
  error: z.string({ error: 'must be text' }).optional(),
  metrics: trialMetricsSchema.optional(),
  series: byteRateSeriesSchema.optional(),
  faultLatency: faultLatencySchema.optional(),
  concurrent: z
    .array(
      z.strictObject({
        totalSeconds: finite(),
        downtimeSeconds: finite(),
        totalMigrationSeconds: finite(),
        sourceReleaseSeconds: finite(),
      }),
    )
    .max(64, { error: 'must have at most 64 entries' })
    .optional(),
});

export const projectExperimentSchema = z.strictObject({
  design: experimentDesignSchema,
  results: z.array(trialResultSchema),
});

/** Format 1: experiments and their results. Read only, to be upgraded (./project/upgrade.ts). */
export const projectDocumentV1Schema = z.strictObject({
  formatVersion: z.literal(1, { error: 'must be 1' }),
  name: label(200),
  experiments: z.array(projectExperimentSchema),
});

const entryId = () =>
  z
    .string({ error: 'must be text' })
    .min(1, { error: 'must not be empty' })
    .max(200, { error: 'must be at most 200 characters' });

export const figureSpecSchema = z.strictObject({
  kind: z.enum(FIGURE_KINDS, { error: `must be one of ${FIGURE_KINDS.join(', ')}` }),
  title: label(300).optional(),
  workload: label(100).optional(),
  prefetch: wholeNonNegative().max(1024, { error: 'must be from 0 to 1024' }).optional(),
  reference: z
    .strictObject({
      label: nonEmptyLabel(200),
      metric: z.enum(REFERENCE_METRICS, { error: `must be one of ${REFERENCE_METRICS.join(', ')}` }),
      values: z
        .array(z.strictObject({ workload: nonEmptyLabel(100), value: finite() }))
        .max(1000, { error: 'must have at most 1,000 entries' }),
    })
    .optional(),
});

export const noteEntrySchema = z.strictObject({
  kind: z.literal('note'),
  id: entryId(),
  markdown: label(1_000_000),
});

export const experimentEntrySchema = z.strictObject({
  kind: z.literal('experiment'),
  id: entryId(),
  design: experimentDesignSchema,
  results: z.array(trialResultSchema),
  engineVersion: nonEmptyLabel(100),
});

export const figureEntrySchema = z.strictObject({
  kind: z.literal('figure'),
  id: entryId(),
  experimentId: entryId(),
  figure: figureSpecSchema,
  caption: label(10_000),
});

export const notebookEntrySchema = z.discriminatedUnion(
  'kind',
  [noteEntrySchema, experimentEntrySchema, figureEntrySchema],
  { error: 'must be a note, an experiment or a figure entry' },
);

/**
 * Formats 2 and 3: a notebook of notes, experiments and figures with provenance. Format 3 (the
 * current one) adds the strategies and metrics beyond 1987, trace workloads and sensitivity
 * sweeps, all as new values or optional fields: every format-2 file is a format-3 file but for
 * its number. The number changed so that an older app refuses a newer file as newer, rather than
 * naming a field it does not know.
 */
const notebookDocumentSchema = <Version extends 2 | 3>(version: Version) =>
  z
    .strictObject({
      formatVersion: z.literal(version, { error: `must be ${version}` }),
      name: label(200),
      provenance: z.strictObject({
        engineVersion: nonEmptyLabel(100),
        createdBy: label(200),
      }),
      entries: z.array(notebookEntrySchema).max(10_000, { error: 'must have at most 10,000 entries' }),
    })
    .superRefine((doc, context) => {
      const seen = new Set<string>();
      const experiments = new Set<string>();
      doc.entries.forEach((entry, index) => {
        if (seen.has(entry.id)) {
          context.addIssue({
            code: 'custom',
            path: ['entries', index, 'id'],
            message: `"${entry.id}" is the id of an earlier entry`,
          });
        }
        seen.add(entry.id);
        if (entry.kind === 'experiment') experiments.add(entry.id);
      });
      doc.entries.forEach((entry, index) => {
        if (entry.kind === 'figure' && !experiments.has(entry.experimentId)) {
          context.addIssue({
            code: 'custom',
            path: ['entries', index, 'experimentId'],
            message: `no experiment entry has the id "${entry.experimentId}"`,
          });
        }
      });
    });

export const projectDocumentV2Schema = notebookDocumentSchema(2);

/** The schema of the format this version writes. */
export const projectDocumentSchema = notebookDocumentSchema(PROJECT_FORMAT_VERSION);

// The schemas must describe the engine's and the contract's types exactly: a drift on either side
// fails type checking here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShape = <T extends true>(): T | undefined => undefined;
sameShape<Same<z.output<typeof hardwarePresetSchema>, HardwarePreset>>();
sameShape<Same<z.output<typeof workloadSpecSchema>, WorkloadSpec>>();
sameShape<Same<z.output<typeof experimentDesignSchema>, ExperimentDesign>>();
sameShape<Same<z.output<typeof trialMetricsSchema>, TrialMetrics>>();
sameShape<Same<z.output<typeof byteRateSeriesSchema>, ByteRateSeries>>();
sameShape<Same<z.output<typeof trialResultSchema>, TrialResult>>();
sameShape<Same<z.output<typeof projectDocumentV1Schema>, ProjectDocumentV1>>();
sameShape<Same<z.output<typeof projectDocumentSchema>, ProjectDocument>>();
sameShape<Same<z.output<typeof notebookEntrySchema>, NotebookEntry>>();
sameShape<Same<z.output<typeof figureSpecSchema>, FigureSpec>>();
sameShape<Same<(typeof SENSITIVITY_PARAMETER_NAMES)[number], SensitivityParameter>>();
sameShape<Same<(typeof SENSITIVITY_METRIC_NAMES)[number], SensitivityMetric>>();

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
    ['project', projectDocumentSchema],
    ['path', optionalPath],
  ],
  clearRecovery: [],
  pendingRecovery: [],
  restoreRecovery: [],
  discardRecovery: [],
} as const satisfies Record<HostCall, readonly (readonly [string, z.ZodType])[]>;

/** The arguments of `call`, as HostApi declares them. */
export type CallArgs<C extends HostCall> = Parameters<HostApi[C]>;

/** "design.hardware.pageSizeBytes", "project.experiments[0].results[3].ok". */
export function issuePath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text ? `.${String(key)}` : String(key);
  }
  return text;
}

/** One readable line for a zod error: the first few issues, each with the field it is about. */
export function describeIssues(error: z.ZodError, root = ''): string {
  const shown = error.issues.slice(0, 5).map((issue) => {
    const where = issuePath(root ? [root, ...issue.path] : issue.path);
    return where ? `${where}: ${issue.message}` : issue.message;
  });
  const more = error.issues.length - shown.length;
  return more > 0 ? `${shown.join('; ')} (and ${more} more)` : shown.join('; ');
}

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

/** Validate a current-format project document; throws naming the field (`entries[0].design.seed`). */
export function parseProjectDocument(value: unknown): ProjectDocument {
  const result = projectDocumentSchema.safeParse(value);
  if (!result.success) throw new Error(describeIssues(result.error));
  return result.data;
}

/** Validate an experiment design; throws naming the field. */
export function parseExperimentDesign(value: unknown): ExperimentDesign {
  const result = experimentDesignSchema.safeParse(value);
  if (!result.success) throw new Error(describeIssues(result.error));
  return result.data;
}
