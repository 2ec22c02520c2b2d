import { createInterface } from 'node:readline/promises';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { countTrials, LARGE_DESIGN_TRIALS } from '../../engine/experiment/design';
import { EnginePool } from '../../node/enginePool';
import { compactInlineExperiments } from '../../node/inlineCompaction';
import type { ExperimentEntry, NotebookDocument } from '../../shared/hostApi';
import { defaultWorkerFile } from '../packageRoot';
import type { ResultsStore } from '../../node/resultsStore';
import {
  calibratedPace,
  defaultStorePath,
  INLINE_TRIALS,
  estimateCampaign,
  formatBytes,
  formatDuration,
  openStore,
  parseShard,
  planCampaign,
  planStoreBytes,
  reportOutputs,
  runCampaign,
  shardIndexFromEnvironment,
  writeCampaignOutputs,
} from '../campaign';
import type { CampaignPlan, Shard } from '../campaign';
import { EXIT } from '../context';
import type { CliIo, CommandContext } from '../context';
import { loadNotebook } from '../notebookFiles';
import { probeOutputFolder } from '../writeOutput';
import { MAX_WORKERS, parseWorkers } from '../options';
import { reportFailedTrials, withTrialProgress } from '../progress';
import { defaultWorkers, QUIET_HELP, trialTimeoutOption } from './common';
import { notebookFromStore, saveNotebookInPlace, storeLabel, storeWarnings } from '../campaignNotebook';
import { messageOf } from '../../shared/messageOf';

/** `accent-lab run NB [--store PATH] [--shard I/N] [--out DIR]`. */
export function registerRun(program: Command, context: CommandContext): void {
  program
    .command('run')
    .description(
      "Run a notebook's trials headless on worker threads (with the designs' stored seeds), each " +
        'into the results store as it ends; trials the store holds are skipped, so an interrupted ' +
        'run resumes. With --out, write trials.csv (and results.json, summary.csv and sweep ' +
        'figures) from the store. With --save, the notebook then keeps the results as the app does (a ' +
        "large experiment's summary). Asks before more than 100,000 trials (--yes: do not ask)",
    )
    .argument('<notebook>', 'notebook file (.accentlab)')
    .option('--store <path>', 'results store (DuckDB); default <notebook>.results.duckdb beside it')
    .option(
      '--shard <I/N>',
      'run only the I-th of N disjoint slices of the missing trials (auto/N: I from SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX or PBS_ARRAY_INDEX)',
    )
    .option('--out <dir>', 'output folder, created if missing')
    .option('--workers <n>', `worker threads, 1 to ${MAX_WORKERS}`, parseWorkers, defaultWorkers())
    .addOption(trialTimeoutOption())
    .option('--yes', 'run a large design without asking')
    .option(
      '--save',
      "write the results back into the notebook as the app keeps them (a large experiment's summary; the previous file kept as .bak)",
    )
    .option('--quiet', QUIET_HELP)
    .action(async (notebook: string, options: CampaignRunOptions) => {
      context.exitCode = await runCampaignCommand(notebook, options, context.io);
    });
}

export interface CampaignRunOptions {
  store?: string;
  /** "I/N", or "auto/N" for the index of a batch system's array task. */
  shard?: string;
  out?: string;
  workers: number;
  trialTimeout: number;
  quiet?: boolean;
  yes?: boolean;
  /** Write the results back into the notebook (not for a shard: the merge does). */
  save?: boolean;
  /** The byte limit of an experiment's inline trials (tests lower it; default INLINE_BYTES). */
  inlineBytes?: number;
}

/** The shard of --shard: "I/N", or "auto/N" with I from the batch system's environment. */
export function resolveShard(
  text: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Shard | undefined {
  if (text === undefined) return undefined;
  const auto = /^auto\/(\d+)$/.exec(text.trim());
  if (auto) {
    const index = shardIndexFromEnvironment(env);
    if (index === undefined) {
      throw new Error(
        '--shard auto/N reads the shard index from SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX or PBS_ARRAY_INDEX; none is set',
      );
    }
    return parseShard(`${index}/${auto[1]}`);
  }
  return parseShard(text);
}

/** Ask "yes/no" on a terminal; false on anything but y/yes. */
async function confirm(io: CliIo, question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: io.stderr });
  try {
    const answer = await rl.question(question);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

/** Trials run to calibrate the time estimate: a couple per worker. */
const calibrationTrials = (workers: number): number => Math.max(2, 2 * workers);

/**
 * `accent-lab run NB [--store PATH] [--shard I/N] [--out DIR]`: run the notebook's trials that the
 * store lacks (this shard's slice of them) into the store, then write the outputs from the store.
 */
export async function runCampaignCommand(
  notebook: string,
  options: CampaignRunOptions,
  io: CliIo,
): Promise<number> {
  let doc = await loadNotebook(notebook);
  const shard = resolveShard(options.shard);
  // An output folder that cannot be written is found now, not after the trials (issue 14).
  if (options.out) await probeOutputFolder(options.out);
  const notebookStore = defaultStorePath(notebook);
  const storePath = resolve(options.store ?? notebookStore);
  // Say at once what is to run: opening the store and checking it come next.
  describeNotebook(io, doc, storePath);
  // Shards slice the trials the notebook's own store lacks, the same for every task; a shard's
  // own store (a resumed task) then skips what it already ran.
  const baseKeys = new Set<string>();
  const ownKeys = new Set<string>();
  if (shard && storePath !== notebookStore && existsSync(notebookStore)) {
    const base = await openStore(notebookStore, true);
    try {
      for (const key of await base.okKeys()) baseKeys.add(key);
    } finally {
      await base.close();
    }
  }
  const store = await openStore(storePath);
  try {
    // --save: an old notebook's inline experiment over the inline limit goes into the store first
    // (its trials then need not run again) and is saved as its summary, as the app's save does.
    if (options.save && !shard) doc = await compactForSave(notebook, doc, store, io, options.inlineBytes);
    await store.dropFailed();
    const separate = shard !== undefined && storePath !== notebookStore;
    for (const key of await store.okKeys()) (separate ? ownKeys : baseKeys).add(key);
    const plan = planCampaign(doc, dirname(resolve(notebook)), baseKeys, shard);
    if (ownKeys.size > 0) {
      plan.toRun = plan.toRun.filter((index) => {
        const { experiment, spec } = plan.at(index);
        return !ownKeys.has(plan.key(experiment, spec));
      });
    }
    describePlan(io, plan, shard);
    for (const warning of storeWarnings(
      notebook,
      plan,
      storePath,
      plan.experiments.map((e) => e.held),
    ))
      io.stderr.write(`run: warning: ${warning}\n`);
    const status = await runPlan(plan, store, options, io);
    if (status !== EXIT.ok && status !== EXIT.failed) return status;
    if (options.save && shard)
      io.stderr.write('run: --save is for the whole run: the merge of the shards saves\n');
    else if (options.save) await saveResults(notebook, doc, plan, store, io, 'run', options.inlineBytes);
    else if (plan.experiments.some((experiment) => experiment.trials.length > INLINE_TRIALS) && !shard)
      io.stderr.write(
        "run: the notebook is unchanged; --save writes the results into it (a large experiment's summary), so the app shows them\n",
      );
    if (options.out) {
      const outputs = await writeCampaignOutputs(plan, store, options.out);
      reportOutputs(io, 'run', outputs);
    }
    return status;
  } finally {
    await store.close();
  }
}

const n = (value: number): string => value.toLocaleString('en-US');

/** The notebook with its over-limit inline experiments moved into the store (see inlineCompaction.ts). */
async function compactForSave(
  notebook: string,
  doc: NotebookDocument,
  store: ResultsStore,
  io: CliIo,
  inlineBytes?: number,
): Promise<NotebookDocument> {
  const compaction = await compactInlineExperiments(doc, {
    notebookFile: notebook,
    store: store.path,
    open: async () => store,
    ...(inlineBytes !== undefined ? { inlineBytes } : {}),
  });
  for (const warning of compaction.warnings) io.stderr.write(`run: warning: ${warning}\n`);
  for (const moved of compaction.compacted)
    io.stderr.write(
      `run: ${moved.experimentId}: its ${n(moved.trials)} inline trials moved into the store; --save keeps its summary\n`,
    );
  return compaction.notebook;
}

/**
 * Write the store's results back into the notebook (inline, or a large experiment's summary), as
 * the app keeps them; a failure to write is said and does not fail the run (the store has it all).
 */
export async function saveResults(
  notebook: string,
  doc: NotebookDocument,
  plan: CampaignPlan,
  store: ResultsStore,
  io: CliIo,
  command: string,
  inlineBytes?: number,
): Promise<void> {
  const found = await notebookFromStore(doc, plan, store, storeLabel(notebook, store.path), inlineBytes);
  for (const warning of found.warnings) io.stderr.write(`${command}: warning: ${warning}\n`);
  if (found.updated.length === 0) return;
  try {
    if (await saveNotebookInPlace(notebook, found.doc)) {
      io.stderr.write(
        `${command}: saved the results of ${found.updated.join(', ')} into ${notebook} (the previous version: ${notebook}.bak)\n`,
      );
    }
  } catch (error) {
    io.stderr.write(`${command}: warning: ${messageOf(error)}\n`);
  }
}

function describeNotebook(io: CliIo, doc: NotebookDocument, storePath: string): void {
  const experiments = doc.entries.filter((entry): entry is ExperimentEntry => entry.kind === 'experiment');
  let total = 0;
  for (const entry of experiments) total += countTrials(entry.design);
  io.stderr.write(
    `run: ${experiments.length} experiment${experiments.length === 1 ? '' : 's'}, ${n(total)} trials; ` +
      `checking the store ${storePath}\n`,
  );
}

function describePlan(io: CliIo, plan: CampaignPlan, shard?: Shard): void {
  io.stderr.write(
    `run: ${n(plan.stored)} in the store, ${n(plan.missing)} to run` +
      (shard ? `; shard ${shard.index}/${shard.count} runs ${n(plan.toRun.length)}` : '') +
      '\n',
  );
}

async function runPlan(
  plan: CampaignPlan,
  store: ResultsStore,
  options: CampaignRunOptions,
  io: CliIo,
): Promise<number> {
  const count = plan.toRun.length;
  if (count === 0) return EXIT.ok;
  const workers = Math.max(1, Math.min(options.workers, count));
  // One pool for the calibration and the rest: its workers start once.
  const pool = new EnginePool({
    workerFile: defaultWorkerFile(),
    workers,
    trialTimeoutMs: options.trialTimeout,
  });
  try {
    return await runOnPool(plan, store, pool, workers, options, io);
  } finally {
    await pool.close();
  }
}

async function runOnPool(
  plan: CampaignPlan,
  store: ResultsStore,
  pool: EnginePool,
  workers: number,
  options: CampaignRunOptions,
  io: CliIo,
): Promise<number> {
  const count = plan.toRun.length;
  const common = { workers, pool };
  const failed: { id: string; error?: string }[] = [];
  let done = 0;
  let calibrationJson = 0;
  const first = await withTrialProgress({ stream: io.stderr, quiet: true, prefix: 'run' }, (hooks) =>
    runCampaign(plan, store, {
      ...common,
      signal: hooks.signal,
      limit: calibrationTrials(workers),
      onTrialDone: (result) => (calibrationJson += Buffer.byteLength(JSON.stringify(result))),
    }),
  );
  failed.push(...first.failed);
  done += first.ran;
  if (first.cancelled) return interrupted(io, store, done);
  const rest = count - done;
  if (rest > 0) {
    // The pace of the trials on their workers (not counting the pool's start); failing that, of
    // the calibration as a whole.
    let pace = calibratedPace(first.trialSeconds, workers);
    if (!Number.isFinite(pace)) pace = first.ran / Math.max(first.seconds, 1e-3);
    const estimate = estimateCampaign(rest, pace);
    estimate.bytes = planStoreBytes(plan, rest, first.ran > 0 ? calibrationJson / first.ran : null);
    io.stderr.write(
      `run: estimate for the ${n(rest)} trials left: about ${formatDuration(estimate.seconds)} ` +
        `on ${workers} worker${workers === 1 ? '' : 's'} (calibrated on ${first.ran} trials), ` +
        `about ${formatBytes(estimate.bytes)} in the store\n`,
    );
    if (rest > LARGE_DESIGN_TRIALS && !options.yes) {
      const stdin = process.stdin;
      if (!stdin.isTTY) {
        io.stderr.write(
          `run: ${n(rest)} trials is more than the ${n(LARGE_DESIGN_TRIALS)} ` +
            'run without asking, and there is no terminal to ask on: add --yes to run them\n',
        );
        return EXIT.usage;
      }
      if (!(await confirm(io, `Run ${n(rest)} trials? [y/N] `))) {
        io.stderr.write(`run: not run; ${done} trials are in the store\n`);
        return EXIT.usage;
      }
    }
    const outcome = await withTrialProgress(
      { stream: io.stderr, quiet: options.quiet === true, prefix: 'run', total: rest },
      (hooks) =>
        runCampaign(plan, store, {
          ...common,
          signal: hooks.signal,
          skip: done,
          onTrialDone: (result, finished) => hooks.onTrialDone(result, finished, rest),
        }),
    );
    failed.push(...outcome.failed);
    done += outcome.ran;
    if (outcome.cancelled) return interrupted(io, store, done);
  }
  reportFailedTrials(io.stderr, 'run', failed);
  return failed.length > 0 ? EXIT.failed : EXIT.ok;
}

function interrupted(io: CliIo, store: ResultsStore, done: number): number {
  io.stderr.write(
    `run: interrupted (partial): ${done} trials of this run are in the store ${store.path}; ` +
      'run the same command again to resume\n',
  );
  return EXIT.interrupted;
}
