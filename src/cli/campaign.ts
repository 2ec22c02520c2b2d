import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { DesignTrials } from '../engine/experiment/design';
import { studentTQuantile } from '../engine/experiment/statistics';
import { ENGINE_VERSION, TRIAL_METRIC_NAMES } from '../engine/experiment/trial';
import type { TrialResult, TrialSpec } from '../engine/experiment/trial';
import { sweepBreakevens } from '../engine/experiment/sensitivity';
import { DEFAULT_SEED } from '../engine/reproduction/paper';
import { DEFAULT_TRIAL_TIMEOUT_MS, EnginePool, isCancelled } from '../node/enginePool';
import type { ResultsStore, StoreDetail } from '../node/resultsStore';
import { keyOfPoint, TrialKeys } from '../node/trialKeys';
import { resolveTracePaths } from '../node/traceImport';
import { removeStaleTemporaries, temporaryPathFor, writeAll } from '../node/wholeFile';
import { writeOutputFile } from './writeOutput';
import { INLINE_TRIALS, storeBytes } from '../shared/estimate';
import type { CliIo } from './context';
import { DEFAULT_FIGURE_SIZE, figureFileStem } from '../shared/figures/charts';
import { markPartial } from '../shared/figures/partial';
import { sensitivityFigureData } from '../shared/figures/sensitivity';
import type { ExperimentEntry, NotebookDocument } from '../shared/hostApi';
import { writeFigures } from './notebookFiles';
import type { NotebookFigure } from './notebookFiles';
import { METRIC_COLUMNS, resultsFile, summaryCsv, toJson, trialsCsv } from './outputs';
import type { ExperimentResults } from './outputs';
import { stringify } from 'csv-stringify/sync';
import { SUMMARY_CSV_COLUMNS } from './outputs';
import { defaultWorkerFile } from './packageRoot';

/**
 * An experiment of at most INLINE_TRIALS trials is "small": the store keeps each of its trials
 * whole (series and all), and `run --out` writes results.json and its figures as a run in memory
 * did. A larger one keeps metrics and the first replication's downsampled series per design point.
 */
export { INLINE_TRIALS };

/** The store a notebook's trials go to when no --store is given: `<notebook>.results.duckdb` beside it. */
export function defaultStorePath(notebookFile: string): string {
  const file = resolve(notebookFile);
  const stem = basename(file, extname(file));
  return join(dirname(file), `${stem}.results.duckdb`);
}

/** The I-th (0-based) of N slices: "--shard 2/4". */
export interface Shard {
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || !(count >= 1) || !(index >= 0 && index < count) || count > 1_000_000) {
    throw new Error(`--shard must be I/N with 0 <= I < N (N up to 1,000,000), got "${text}"`);
  }
  return { index, count };
}

/**
 * The shard index a batch system gives a task of an array job: SLURM_ARRAY_TASK_ID (Slurm),
 * JOB_COMPLETION_INDEX (Kubernetes Indexed Jobs) or PBS_ARRAY_INDEX (PBS). Undefined when none is set.
 */
export function shardIndexFromEnvironment(env: NodeJS.ProcessEnv = process.env): number | undefined {
  for (const name of ['SLURM_ARRAY_TASK_ID', 'JOB_COMPLETION_INDEX', 'PBS_ARRAY_INDEX']) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    if (!/^\d+$/.test(value)) throw new Error(`${name} must be a whole number, got "${value}"`);
    return Number(value);
  }
  return undefined;
}

interface PlannedExperiment {
  entry: ExperimentEntry;
  trials: DesignTrials;
  /** Global index of its first trial. */
  offset: number;
  detail: StoreDetail;
  /** Its trials' keys (design-point hashes cached per design: trial ids repeat across designs). */
  keys: TrialKeys;
  /** Its trials the store held (ended ok) when planned. */
  held: number;
}

/** What a notebook's campaign holds and what of it is still to run (see planCampaign). */
export interface CampaignPlan {
  experiments: PlannedExperiment[];
  /** Trials of every experiment. */
  total: number;
  /** Trials the store already holds (ended ok). */
  stored: number;
  /** Global indices of the trials to run (this shard's, when sharded), in trial order. */
  toRun: Uint32Array;
  /** Trials missing from the store in all (every shard's). */
  missing: number;
  /** The trial at a global index, with trace paths resolved. */
  at(index: number): { experiment: PlannedExperiment; local: number; spec: TrialSpec };
  /** The key (see trialKey) of an experiment's trial. */
  key(experiment: PlannedExperiment, spec: TrialSpec): string;
}

const experimentsOf = (doc: NotebookDocument): ExperimentEntry[] =>
  doc.entries.filter((entry): entry is ExperimentEntry => entry.kind === 'experiment');

/**
 * Expand a notebook's designs lazily and find the trials the store lacks; with a shard, keep its
 * slice of them: the missing trials in trial order, dealt round-robin, so the N slices are
 * disjoint, differ in size by at most one, and each mixes every part of the design.
 */
export function planCampaign(
  doc: NotebookDocument,
  baseDirectory: string,
  stored: ReadonlySet<string>,
  shard?: Shard,
): CampaignPlan {
  const experiments: PlannedExperiment[] = [];
  let total = 0;
  for (const entry of experimentsOf(doc)) {
    const trials = new DesignTrials(entry.design);
    experiments.push({
      entry,
      trials,
      offset: total,
      detail: trials.length <= INLINE_TRIALS ? 'whole' : 'figures',
      keys: new TrialKeys(ENGINE_VERSION),
      held: 0,
    });
    total += trials.length;
  }
  if (total >= 2 ** 32)
    throw new Error(`the notebook expands to ${total} trials, more than a campaign holds`);
  const at = (index: number): ReturnType<CampaignPlan['at']> => {
    let which = experiments.length - 1;
    while (which > 0 && experiments[which]!.offset > index) which -= 1;
    const experiment = experiments[which]!;
    const local = index - experiment.offset;
    const [spec] = resolveTracePaths([experiment.trials.at(local)], baseDirectory);
    return { experiment, local, spec: spec! };
  };
  const missingList = new Uint32Array(total);
  let missing = 0;
  let held = 0;
  // A trial two experiments share (the same design point and replication) runs once, the first
  // time it comes. Trials share a key exactly when they share a design point and a replication,
  // so this is found per point, not per trial: `covered[p]` is how many replications of point p
  // came with points before it (the same point in an earlier experiment, or twice in one design).
  // A point's trial of replication 0 comes before its others, and points come in number order.
  const replicationsSeen = new Map<string, number>();
  // With nothing in the store no trial's key is needed to plan (a million trials plan in a
  // fraction of a second); each key is made when its trial is stored.
  const checkStore = stored.size > 0;
  for (const experiment of experiments) {
    const trials = experiment.trials;
    const repetitions = experiment.entry.design.repetitions;
    const points: string[] = [];
    const covered = new Uint32Array(trials.pointCount);
    for (let point = 0; point < trials.pointCount; point += 1) {
      const hash = experiment.keys.point(trials.at(trials.indexOf(point, 0)));
      points.push(hash);
      const before = replicationsSeen.get(hash) ?? 0;
      covered[point] = before;
      replicationsSeen.set(hash, Math.max(before, repetitions));
    }
    for (let local = 0; local < trials.length; local += 1) {
      const point = trials.pointOf(local);
      const replication = trials.replicationOf(local);
      if (checkStore && stored.has(keyOfPoint(points[point]!, replication))) {
        held += 1;
        experiment.held += 1;
      } else if (replication >= covered[point]!) missingList[missing++] = experiment.offset + local;
    }
  }
  let toRun = missingList.subarray(0, missing);
  if (shard) {
    const mine = new Uint32Array(Math.ceil(Math.max(0, missing - shard.index) / shard.count));
    for (let at = shard.index, n = 0; at < missing; at += shard.count) mine[n++] = toRun[at]!;
    toRun = mine;
  }
  return {
    experiments,
    total,
    stored: held,
    toRun: toRun.slice(),
    missing,
    at,
    key: (experiment, spec) => experiment.keys.key(spec),
  };
}

export interface RunCampaignOptions {
  workers: number;
  trialTimeoutMs?: number;
  signal?: AbortSignal;
  workerFile?: string | URL;
  /** After each trial ends (cancelled ones excluded). */
  onTrialDone?: (result: TrialResult, done: number, total: number) => void;
  /** Run only the first `limit` trials of the plan (a calibration). */
  limit?: number;
  /** Skip this many trials of the plan first (they ran in a calibration). */
  skip?: number;
  /** Run on this pool (the caller's, left open) instead of a pool of its own. */
  pool?: EnginePool;
}

export interface CampaignRun {
  /** Trials that ended (ok or failed) and are now in the store. */
  ran: number;
  failed: { id: string; error?: string }[];
  cancelled: boolean;
  seconds: number;
  /**
   * Seconds each of the first trials took from taking a worker to its result, by the order they
   * started in (NaN for one that failed): a calibration's pace, free of the pool's start. The
   * first trial on each worker also waits for its worker thread to start.
   */
  trialSeconds: number[];
}

/**
 * Run the plan's trials on worker threads, each result streaming into the store as it ends (a
 * cancelled trial is not stored: it runs again next time). Memory holds the trials in flight, not
 * the results.
 */
export async function runCampaign(
  plan: CampaignPlan,
  store: ResultsStore,
  options: RunCampaignOptions,
): Promise<CampaignRun> {
  const start = performance.now();
  const skip = options.skip ?? 0;
  const indices = plan.toRun.subarray(skip, options.limit === undefined ? undefined : skip + options.limit);
  const outcome: CampaignRun = { ran: 0, failed: [], cancelled: false, seconds: 0, trialSeconds: [] };
  if (indices.length === 0) return outcome;
  const pool =
    options.pool ??
    new EnginePool({
      workerFile: options.workerFile ?? defaultWorkerFile(),
      workers: Math.max(1, Math.min(options.workers, indices.length)),
      trialTimeoutMs: options.trialTimeoutMs ?? DEFAULT_TRIAL_TIMEOUT_MS,
    });
  const startedAt = new Map<number, [order: number, at: number]>();
  let starts = 0;
  const controller = new AbortController();
  const outer = options.signal;
  const forward = (): void => controller.abort();
  if (outer?.aborted) forward();
  else outer?.addEventListener('abort', forward, { once: true });
  let writing: Promise<void> = Promise.resolve();
  let writeError: unknown = null;
  try {
    await pool.runEach(
      { length: plan.total, at: (index) => plan.at(index).spec },
      {
        signal: controller.signal,
        indices,
        onTrialStart: (index) => {
          if (starts < TIMED_TRIALS) startedAt.set(index, [starts, performance.now()]);
          starts += 1;
        },
        onResult: (index, result) => {
          const began = startedAt.get(index);
          if (began !== undefined) {
            startedAt.delete(index);
            outcome.trialSeconds[began[0]] = result.ok ? (performance.now() - began[1]) / 1000 : NaN;
          }
          if (isCancelled(result)) {
            outcome.cancelled = true;
            return;
          }
          const { experiment, local, spec } = plan.at(index);
          writing = writing
            .then(() =>
              store.append(plan.key(experiment, spec), experiment.entry.id, local, result, experiment.detail),
            )
            .catch((error: unknown) => {
              writeError ??= error;
              controller.abort();
            });
          outcome.ran += 1;
          if (!result.ok)
            outcome.failed.push({ id: result.id, ...(result.error ? { error: result.error } : {}) });
          options.onTrialDone?.(result, outcome.ran, indices.length);
        },
      },
    );
  } finally {
    outer?.removeEventListener('abort', forward);
    if (!options.pool) await pool.close();
    await writing;
    await store.flush();
  }
  if (writeError)
    throw new Error(`cannot write the results store ${store.path}: ${(writeError as Error).message}`);
  outcome.cancelled ||= controller.signal.aborted;
  outcome.seconds = (performance.now() - start) / 1000;
  return outcome;
}

/** Trials of a run whose time on their worker is kept (CampaignRun.trialSeconds). */
const TIMED_TRIALS = 1_000;

/**
 * Bytes `trials` of the plan's trials add to the store: each experiment's share of them at its
 * size per trial (storeBytes), a trial's JSON being `jsonBytesPerTrial` when a calibration measured it.
 */
export function planStoreBytes(plan: CampaignPlan, trials: number, jsonBytesPerTrial: number | null): number {
  if (plan.total === 0) return 0;
  let whole = 0;
  for (const experiment of plan.experiments) {
    whole += storeBytes(experiment.trials.length, experiment.trials.pointCount, jsonBytesPerTrial);
  }
  return Math.round((whole * trials) / plan.total);
}

export {
  calibratedPace,
  estimateCampaign,
  formatBytes,
  formatDuration,
  STORE_BYTES_PER_TRIAL,
  storeBytes,
} from '../shared/estimate';
export type { CampaignEstimate } from '../shared/estimate';

/**
 * Write a file from chunks, whole or not at all, as writeWholeFile does (every write looped until
 * all its bytes are down, flushed, its size checked, then renamed over the file), without holding
 * the whole text in memory.
 */
async function writeChunks(file: string, chunks: AsyncIterable<string>): Promise<void> {
  await removeStaleTemporaries(file);
  const temporary = temporaryPathFor(file);
  const handle = await open(temporary, 'wx', 0o666);
  let renamed = false;
  try {
    try {
      let length = 0;
      for await (const chunk of chunks) {
        const bytes = Buffer.from(chunk, 'utf8');
        await writeAll(handle, bytes, length, file);
        length += bytes.length;
      }
      await handle.sync();
      const { size } = await handle.stat();
      if (size !== length) throw new Error(`ENOSPC: no space left on device, write '${file}'`);
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
    renamed = true;
  } catch (error) {
    throw new Error(`cannot write ${file}: ${(error as Error).message}`, { cause: error });
  } finally {
    if (!renamed) await unlink(temporary).catch(() => undefined);
  }
}

export interface CampaignOutputs {
  files: string[];
  /** Experiments whose trials the store does not all hold: their outputs are partial. */
  partial: { experiment: string; stored: number; total: number }[];
  breakevens: string[];
  notes: string[];
}

/**
 * Write a notebook's outputs from its store under `out`: trials.csv (every stored trial, in trial
 * order, streamed), summary.csv when trials repeat, and, for experiments of at most INLINE_TRIALS
 * trials, results.json and the sensitivity figures as `run` wrote them before the store.
 */
export async function writeCampaignOutputs(
  plan: CampaignPlan,
  store: ResultsStore,
  out: string,
): Promise<CampaignOutputs> {
  const dir = resolve(out);
  await mkdir(dir, { recursive: true });
  const outputs: CampaignOutputs = { files: [], partial: [], breakevens: [], notes: [] };
  const small: (ExperimentResults & { parameter?: string | undefined; entry: ExperimentEntry })[] = [];
  const counts = new Map<string, number>();
  const keepFor = new Set(plan.experiments.filter((e) => e.detail === 'whole').map((e) => e.entry.id));
  const kept = new Map<string, TrialResult[]>();
  async function* csvChunks(): AsyncGenerator<string> {
    let header = true;
    for (const experiment of plan.experiments) {
      const id = experiment.entry.id;
      let count = 0;
      const keep: TrialResult[] | null = keepFor.has(id) ? [] : null;
      const trials = experiment.trials;
      for await (const chunk of store.trialsByKeys(trials.length, (n) =>
        plan.key(experiment, trials.at(n)),
      )) {
        count += chunk.length;
        // A trial shared with another experiment was stored under that one's id.
        const results = chunk.map((row) => Object.assign(row.result, { id: trials.at(row.index).id }));
        keep?.push(...results);
        yield trialsCsv([{ name: id, results }], header);
        header = false;
      }
      if (header) {
        yield trialsCsv([{ name: id, results: [] }], true);
        header = false;
      }
      counts.set(id, count);
      if (keep) kept.set(id, keep);
    }
  }
  const trialsFile = join(dir, 'trials.csv');
  await writeChunks(trialsFile, csvChunks());
  outputs.files.push(trialsFile);

  for (const experiment of plan.experiments) {
    const id = experiment.entry.id;
    const stored = counts.get(id) ?? 0;
    if (stored < experiment.trials.length) {
      outputs.partial.push({ experiment: id, stored, total: experiment.trials.length });
    }
    const results = kept.get(id);
    if (results) {
      const specs = Array.from({ length: experiment.trials.length }, (_, at) => experiment.trials.at(at));
      small.push({
        name: id,
        specs,
        results,
        parameter: experiment.entry.design.sensitivity?.parameter,
        entry: experiment.entry,
      });
    } else {
      outputs.notes.push(
        `${id}: ${experiment.trials.length.toLocaleString('en-US')} trials, more than ${INLINE_TRIALS.toLocaleString('en-US')}: ` +
          'trials.csv and summary.csv only (results.json and figures are for smaller experiments)',
      );
    }
  }
  if (small.length > 0) {
    const seed = plan.experiments[0]?.entry.design.seed ?? DEFAULT_SEED;
    const file = join(dir, 'results.json');
    await writeOutputFile(file, toJson(resultsFile(small, seed, ENGINE_VERSION)));
    outputs.files.push(file);
  }
  if (plan.experiments.some((experiment) => experiment.entry.design.repetitions > 1)) {
    const large = plan.experiments.filter((experiment) => !kept.has(experiment.entry.id));
    let text = summaryCsv(small);
    for (const experiment of large) text += await storeSummaryCsv(store, experiment.entry, text.length === 0);
    const file = join(dir, 'summary.csv');
    await writeOutputFile(file, text);
    outputs.files.push(file);
  }
  const sweeps: NotebookFigure[] = [];
  for (const experiment of small) {
    const sweep = experiment.entry.design.sensitivity;
    if (!sweep) continue;
    const partial = outputs.partial.find((part) => part.experiment === experiment.name);
    sweeps.push({
      name: `sensitivity-${figureFileStem(experiment.name)}`,
      data: markPartial(
        sensitivityFigureData(sweep, experiment.results),
        partial ? { done: partial.stored, total: partial.total } : null,
      ),
    });
    for (const found of sweepBreakevens(sweep, experiment.results)) {
      outputs.breakevens.push(
        `${experiment.name}, ${found.workload}: ${sweep.compare.join(' vs ')} on ${sweep.metric}: ${found.description}`,
      );
    }
  }
  if (sweeps.length > 0) outputs.files.push(...(await writeFigures(sweeps, dir, DEFAULT_FIGURE_SIZE)));
  return outputs;
}

/**
 * summary.csv rows of a large experiment, computed by the store (DuckDB's mean and sample
 * standard deviation over the ok trials of each design point; the interval with Student's t).
 */
async function storeSummaryCsv(
  store: ResultsStore,
  entry: ExperimentEntry,
  header: boolean,
): Promise<string> {
  const rows: (string | number)[][] = [];
  const metrics = METRIC_COLUMNS.filter((key) => (TRIAL_METRIC_NAMES as readonly string[]).includes(key));
  const select = metrics
    .map((key, at) => `count("${key}") AS n${at}, avg("${key}") AS m${at}, stddev_samp("${key}") AS s${at}`)
    .join(', ');
  const found = await store.query(
    `SELECT workload, strategy, prefetch, hardware, parameter_value, ${select} FROM trials ` +
      'WHERE experiment = $experiment AND ok GROUP BY ALL ORDER BY parameter_value NULLS FIRST, workload, strategy, prefetch, hardware',
    { experiment: entry.id },
  );
  const parameter = entry.design.sensitivity?.parameter ?? '';
  for (const row of found) {
    metrics.forEach((key, at) => {
      const n = Number(row[5 + at * 3]);
      if (n === 0) return;
      const mean = Number(row[6 + at * 3]);
      const sd = n > 1 ? Number(row[7 + at * 3]) : 0;
      const half = n > 1 ? (studentTQuantile(0.975, n - 1) * sd) / Math.sqrt(n) : NaN;
      const value = row[4] === null ? '' : Number(row[4]);
      rows.push([
        entry.id,
        String(row[0]),
        String(row[1]),
        Number(row[2]),
        String(row[3]),
        value === '' ? '' : parameter,
        value,
        key,
        n,
        mean,
        sd,
        Number.isFinite(half) ? mean - half : '',
        Number.isFinite(half) ? mean + half : '',
      ]);
    });
  }
  return stringify(rows, { header, columns: [...SUMMARY_CSV_COLUMNS] });
}

/** Open a results store, creating its folder first when it is to be written. */
export async function openStore(path: string, readOnly = false): Promise<ResultsStore> {
  if (!readOnly) await mkdir(dirname(resolve(path)), { recursive: true });
  // DuckDB's binary takes a good part of a second to load: loaded when a store is opened, so a
  // command says what it is about to do first.
  const { ResultsStore } = await import('../node/resultsStore');
  return ResultsStore.open(path, { readOnly });
}

/** Say what a command wrote, which experiments are partial, and any breakevens. */
export function reportOutputs(
  io: CliIo,
  command: string,
  outputs: Awaited<ReturnType<typeof writeCampaignOutputs>>,
): void {
  for (const part of outputs.partial) {
    io.stderr.write(
      `${command}: ${part.experiment} is partial: ${part.stored.toLocaleString('en-US')} of ` +
        `${part.total.toLocaleString('en-US')} trials in the store\n`,
    );
  }
  for (const note of outputs.notes) io.stderr.write(`${command}: ${note}\n`);
  for (const line of outputs.breakevens) io.stdout.write(`${line}\n`);
  io.stderr.write(`${command}: wrote ${outputs.files.join(', ')}\n`);
}
