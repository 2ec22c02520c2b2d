import { createInterface } from 'node:readline/promises';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { LARGE_DESIGN_TRIALS } from '../../engine/experiment/design';
import type { ResultsStore } from '../../node/resultsStore';
import {
  defaultStorePath,
  estimateCampaign,
  formatBytes,
  formatDuration,
  openStore,
  parseShard,
  planCampaign,
  reportOutputs,
  runCampaign,
  shardIndexFromEnvironment,
  writeCampaignOutputs,
} from '../campaign';
import type { CampaignPlan, Shard } from '../campaign';
import { EXIT } from '../context';
import type { CliIo, CommandContext } from '../context';
import { loadNotebook } from '../notebookFiles';
import { MAX_WORKERS, parseWorkers } from '../options';
import { reportFailedTrials, withTrialProgress } from '../progress';
import { defaultWorkers, QUIET_HELP, trialTimeoutOption } from './common';

/** `accent-lab run NB [--store PATH] [--shard I/N] [--out DIR]`. */
export function registerRun(program: Command, context: CommandContext): void {
  program
    .command('run')
    .description(
      "Run a notebook's trials headless on worker threads (with the designs' stored seeds), each " +
        'into the results store as it ends; trials the store holds are skipped, so an interrupted ' +
        'run resumes. With --out, write trials.csv (and results.json, summary.csv and sweep ' +
        'figures) from the store. Asks before more than 100,000 trials (--yes: do not ask)',
    )
    .argument('<project>', 'notebook file (.accentlab)')
    .option('--store <path>', 'results store (DuckDB); default <notebook>.results.duckdb beside it')
    .option(
      '--shard <I/N>',
      'run only the I-th of N disjoint slices of the missing trials (auto/N: I from SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX or PBS_ARRAY_INDEX)',
    )
    .option('--out <dir>', 'output folder, created if missing')
    .option('--workers <n>', `worker threads, 1 to ${MAX_WORKERS}`, parseWorkers, defaultWorkers())
    .addOption(trialTimeoutOption())
    .option('--yes', 'run a large design without asking')
    .option('--quiet', QUIET_HELP)
    .action(async (project: string, options: CampaignRunOptions) => {
      context.exitCode = await runCampaignCommand(project, options, context.io);
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
  project: string,
  options: CampaignRunOptions,
  io: CliIo,
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
    if (status !== EXIT.ok && status !== EXIT.failed) return status;
    if (options.out) {
      const outputs = await writeCampaignOutputs(plan, store, options.out);
      reportOutputs(io, 'run', outputs);
    }
    return status;
  } finally {
    await store.close();
  }
}

function describePlan(io: CliIo, plan: CampaignPlan, storePath: string, shard?: Shard): void {
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
  io: CliIo,
): Promise<number> {
  const count = plan.toRun.length;
  if (count === 0) return EXIT.ok;
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
      const stdin = process.stdin;
      if (!stdin.isTTY) {
        io.stderr.write(
          `run: ${rest.toLocaleString('en-US')} trials is more than the ${LARGE_DESIGN_TRIALS.toLocaleString('en-US')} ` +
            'run without asking, and there is no terminal to ask on: add --yes to run them\n',
        );
        return EXIT.usage;
      }
      if (!(await confirm(io, `Run ${rest.toLocaleString('en-US')} trials? [y/N] `))) {
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
