import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { promisify } from 'node:util';
import { LARGE_DESIGN_TRIALS } from '../engine/experiment/design';
import { ResultsStore } from '../node/resultsStore';
import {
  defaultStorePath,
  estimateCampaign,
  formatBytes,
  formatDuration,
  parseShard,
  planCampaign,
  runCampaign,
  shardIndexFromEnvironment,
  writeCampaignOutputs,
} from './campaign';
import type { CampaignPlan, Shard } from './campaign';
import { loadNotebook } from './notebook';
import { findPackageRoot } from './packageRoot';
import { writeOutputFile } from './writeOutput';
import { reportFailedTrials, withTrialProgress } from './progress';

export interface CampaignIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  /** Where the confirmation question is read from (default process.stdin). */
  stdin?: NodeJS.ReadStream;
}

/** Exit codes, as program.ts's EXIT. */
const OK = 0;
const FAILED = 1;
const USAGE = 2;
const INTERRUPTED = 130;

export interface CampaignRunOptions {
  store?: string;
  /** "I/N", or "auto/N" for the index of a batch system's array task. */
  shard?: string;
  out?: string;
  workers: number;
  trialTimeout: number;
  quiet?: boolean;
  yes?: boolean;
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

async function openStore(path: string, readOnly = false): Promise<ResultsStore> {
  if (!readOnly) await mkdir(dirname(resolve(path)), { recursive: true });
  return ResultsStore.open(path, { readOnly });
}

/** Ask "yes/no" on a terminal; false on anything but y/yes. */
async function confirm(io: CampaignIo, question: string): Promise<boolean> {
  const rl = createInterface({ input: io.stdin ?? process.stdin, output: io.stderr });
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
  project: string,
  options: CampaignRunOptions,
  io: CampaignIo,
): Promise<number> {
  const doc = await loadNotebook(project);
  const shard = resolveShard(options.shard);
  const notebookStore = defaultStorePath(project);
  const storePath = resolve(options.store ?? notebookStore);
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
    await store.dropFailed();
    const separate = shard !== undefined && storePath !== notebookStore;
    for (const key of await store.okKeys()) (separate ? ownKeys : baseKeys).add(key);
    const plan = planCampaign(doc, dirname(resolve(project)), baseKeys, shard);
    if (ownKeys.size > 0) {
      plan.toRun = plan.toRun.filter((index) => {
        const { experiment, spec } = plan.at(index);
        return !ownKeys.has(plan.key(experiment, spec));
      });
    }
    describePlan(io, plan, storePath, shard);
    const status = await runPlan(plan, store, options, io);
    if (status !== OK && status !== FAILED) return status;
    if (options.out) {
      const outputs = await writeCampaignOutputs(plan, store, options.out);
      reportOutputs(io, 'run', outputs);
    }
    return status;
  } finally {
    await store.close();
  }
}

function describePlan(io: CampaignIo, plan: CampaignPlan, storePath: string, shard?: Shard): void {
  const n = (value: number): string => value.toLocaleString('en-US');
  io.stderr.write(
    `run: ${plan.experiments.length} experiment${plan.experiments.length === 1 ? '' : 's'}, ${n(plan.total)} trials; ` +
      `${n(plan.stored)} in the store ${storePath}, ${n(plan.missing)} to run` +
      (shard ? `; shard ${shard.index}/${shard.count} runs ${n(plan.toRun.length)}` : '') +
      '\n',
  );
}

async function runPlan(
  plan: CampaignPlan,
  store: ResultsStore,
  options: CampaignRunOptions,
  io: CampaignIo,
): Promise<number> {
  const count = plan.toRun.length;
  if (count === 0) return OK;
  const common = { workers: options.workers, trialTimeoutMs: options.trialTimeout };
  const failed: { id: string; error?: string }[] = [];
  let done = 0;
  const first = await withTrialProgress({ stream: io.stderr, quiet: true, prefix: 'run' }, (hooks) =>
    runCampaign(plan, store, { ...common, signal: hooks.signal, limit: calibrationTrials(options.workers) }),
  );
  failed.push(...first.failed);
  done += first.ran;
  if (first.cancelled) return interrupted(io, store, done);
  const rest = count - done;
  if (rest > 0) {
    const estimate = estimateCampaign(rest, first.ran / Math.max(first.seconds, 1e-3));
    io.stderr.write(
      `run: estimate for the ${rest.toLocaleString('en-US')} trials left: about ${formatDuration(estimate.seconds)} ` +
        `on ${options.workers} worker${options.workers === 1 ? '' : 's'} (calibrated on ${first.ran} trials), ` +
        `about ${formatBytes(estimate.bytes)} in the store\n`,
    );
    if (rest > LARGE_DESIGN_TRIALS && !options.yes) {
      const stdin = io.stdin ?? process.stdin;
      if (!stdin.isTTY) {
        io.stderr.write(
          `run: ${rest.toLocaleString('en-US')} trials is more than the ${LARGE_DESIGN_TRIALS.toLocaleString('en-US')} ` +
            'run without asking, and there is no terminal to ask on: add --yes to run them\n',
        );
        return USAGE;
      }
      if (!(await confirm(io, `Run ${rest.toLocaleString('en-US')} trials? [y/N] `))) {
        io.stderr.write(`run: not run; ${done} trials are in the store\n`);
        return USAGE;
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
  return failed.length > 0 ? FAILED : OK;
}

function interrupted(io: CampaignIo, store: ResultsStore, done: number): number {
  io.stderr.write(
    `run: interrupted (partial): ${done} trials of this run are in the store ${store.path}; ` +
      'run the same command again to resume\n',
  );
  return INTERRUPTED;
}

function reportOutputs(
  io: CampaignIo,
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

/** `accent-lab merge NB STORE... --out DIR`: fold shard stores into the notebook's store. */
export async function mergeCommand(
  project: string,
  stores: readonly string[],
  options: { out: string; store?: string },
  io: CampaignIo,
): Promise<number> {
  const doc = await loadNotebook(project);
  for (const path of stores) {
    if (!existsSync(path)) {
      io.stderr.write(`merge: no such store: ${path}\n`);
      return USAGE;
    }
  }
  const store = await openStore(resolve(options.store ?? defaultStorePath(project)));
  try {
    const start = performance.now();
    const added = await store.merge(stores.map((path) => resolve(path)));
    io.stderr.write(
      `merge: ${stores.length} store${stores.length === 1 ? '' : 's'} into ${store.path}: ${added} new trials ` +
        `(${((performance.now() - start) / 1000).toFixed(2)} s)\n`,
    );
    const plan = planCampaign(doc, dirname(resolve(project)), new Set());
    const outputs = await writeCampaignOutputs(plan, store, options.out);
    reportOutputs(io, 'merge', outputs);
    return OK;
  } finally {
    await store.close();
  }
}

/** `accent-lab export NB [--store PATH] --parquet DIR`. */
export async function exportCommand(
  project: string,
  options: { store?: string; parquet: string },
  io: CampaignIo,
): Promise<number> {
  await loadNotebook(project);
  const path = resolve(options.store ?? defaultStorePath(project));
  if (!existsSync(path)) {
    io.stderr.write(`export: no results store at ${path}; run the notebook first (accent-lab run)\n`);
    return FAILED;
  }
  const store = await openStore(path, true);
  try {
    await mkdir(resolve(options.parquet), { recursive: true });
    const files = await store.exportParquet(resolve(options.parquet));
    io.stderr.write(`export: wrote ${files.join(', ')}\n`);
    return OK;
  } finally {
    await store.close();
  }
}

export interface SlurmBundle {
  arrayScript: string;
  mergeScript: string;
  /** The commands that submit both, the merge after the array (afterok). */
  commands: string[];
}

const shellQuote = (text: string): string => `'${text.replaceAll("'", `'\\''`)}'`;

/**
 * Write a Slurm bundle under `out`: `campaign.sbatch`, a job array of `tasks` tasks each running
 * its shard into its own store (`shards/shard-I.duckdb`), and `merge.sbatch`, which folds them
 * into the notebook's store and writes `out/trials.csv`.
 */
export async function writeSlurmBundle(
  project: string,
  options: { tasks: number; out: string; workers?: number; name?: string },
): Promise<SlurmBundle> {
  const out = resolve(options.out);
  const notebook = resolve(project);
  await mkdir(join(out, 'shards'), { recursive: true });
  await mkdir(join(out, 'logs'), { recursive: true });
  const node = process.execPath;
  const cli = join(findPackageRoot(), 'bin', 'accent-lab.js');
  const workers = options.workers ?? 1;
  const name = (options.name ?? 'accent-lab').replace(/[^A-Za-z0-9_.-]/g, '-');
  const index = '${SLURM_ARRAY_TASK_ID:-${JOB_COMPLETION_INDEX:-${PBS_ARRAY_INDEX:?no array task index}}}';
  const arrayScript = join(out, 'campaign.sbatch');
  const mergeScript = join(out, 'merge.sbatch');
  await writeOutputFile(
    arrayScript,
    [
      '#!/bin/bash',
      `#SBATCH --job-name=${name}`,
      `#SBATCH --array=0-${options.tasks - 1}`,
      `#SBATCH --cpus-per-task=${workers}`,
      `#SBATCH --output=${join(out, 'logs', 'shard-%a.log')}`,
      "# One shard of the notebook's missing trials per array task, each into its own store.",
      '# The index also comes from JOB_COMPLETION_INDEX (Kubernetes) or PBS_ARRAY_INDEX (PBS).',
      'set -euo pipefail',
      `INDEX=${index}`,
      `exec ${shellQuote(node)} ${shellQuote(cli)} run ${shellQuote(notebook)} --shard auto/${options.tasks} ` +
        `--store ${shellQuote(join(out, 'shards'))}/shard-$INDEX.duckdb --workers ${workers} --yes --quiet`,
      '',
    ].join('\n'),
  );
  const shards = Array.from({ length: options.tasks }, (_, i) =>
    shellQuote(join(out, 'shards', `shard-${i}.duckdb`)),
  );
  await writeOutputFile(
    mergeScript,
    [
      '#!/bin/bash',
      `#SBATCH --job-name=${name}-merge`,
      `#SBATCH --output=${join(out, 'logs', 'merge.log')}`,
      '# Submitted with --dependency=afterok on the array: runs once every shard has succeeded.',
      'set -euo pipefail',
      `exec ${shellQuote(node)} ${shellQuote(cli)} merge ${shellQuote(notebook)} ${shards.join(' ')} --out ${shellQuote(out)}`,
      '',
    ].join('\n'),
  );
  await chmod(arrayScript, 0o755);
  await chmod(mergeScript, 0o755);
  return {
    arrayScript,
    mergeScript,
    commands: [
      `ARRAY=$(sbatch --parsable ${shellQuote(arrayScript)})`,
      `sbatch --parsable --dependency=afterok:$ARRAY ${shellQuote(mergeScript)}`,
    ],
  };
}

/** Submit a bundle with sbatch: the array, then the merge after it. Returns the two job ids. */
export async function submitSlurmBundle(bundle: SlurmBundle): Promise<{ array: string; merge: string }> {
  const run = promisify(execFile);
  const jobId = (text: string): string => text.trim().split(';')[0]!;
  const array = jobId((await run('sbatch', ['--parsable', bundle.arrayScript])).stdout);
  const merge = jobId(
    (await run('sbatch', ['--parsable', `--dependency=afterok:${array}`, bundle.mergeScript])).stdout,
  );
  return { array, merge };
}

/** `accent-lab slurm NB --tasks N --out DIR [--submit]`. */
export async function slurmCommand(
  project: string,
  options: { tasks: number; out: string; submit?: boolean; workers?: number },
  io: CampaignIo,
): Promise<number> {
  const doc = await loadNotebook(project);
  const bundle = await writeSlurmBundle(project, { ...options, name: doc.name });
  io.stderr.write(`slurm: wrote ${bundle.arrayScript} and ${bundle.mergeScript}\n`);
  if (!options.submit) {
    io.stdout.write(`${bundle.commands.join('\n')}\n`);
    return OK;
  }
  try {
    const ids = await submitSlurmBundle(bundle);
    io.stdout.write(`array job ${ids.array}\nmerge job ${ids.merge}\n`);
    return OK;
  } catch (error) {
    io.stderr.write(`slurm: sbatch failed: ${(error as Error).message}\n`);
    return FAILED;
  }
}
