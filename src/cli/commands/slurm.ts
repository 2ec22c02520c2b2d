import { execFile } from 'node:child_process';
import { chmod, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import { EXIT } from '../context';
import type { CliIo, CommandContext } from '../context';
import { loadNotebook } from '../notebookFiles';
import { MAX_WORKERS, parseWorkers } from '../options';
import { findPackageRoot } from '../packageRoot';
import { writeOutputFile } from '../writeOutput';

/** --tasks of `slurm`: 1 to 10,000 array tasks. */
function parseTasks(value: string): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value.trim()) || parsed < 1 || parsed > 10_000) {
    throw new InvalidArgumentError('tasks must be an integer from 1 to 10000.');
  }
  return parsed;
}

export function registerSlurm(program: Command, context: CommandContext): void {
  program
    .command('slurm')
    .description(
      'Write a Slurm job array (one shard of the missing trials per task) and a merge job that ' +
        'runs after it (afterok) and leaves DIR/trials.csv; --submit submits both with sbatch',
    )
    .argument('<project>', 'notebook file (.accentlab)')
    .requiredOption('--tasks <n>', 'array tasks (shards), 1 to 10000', parseTasks)
    .requiredOption('--out <dir>', 'folder for the scripts, shard stores, logs and trials.csv')
    .option('--workers <n>', `worker threads per task, 1 to ${MAX_WORKERS}`, parseWorkers, 1)
    .option('--submit', 'submit with sbatch and print the job ids')
    .action(
      async (project: string, options: { tasks: number; out: string; workers: number; submit?: boolean }) => {
        context.exitCode = await slurmCommand(project, options, context.io);
      },
    );
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
  io: CliIo,
): Promise<number> {
  const doc = await loadNotebook(project);
  const bundle = await writeSlurmBundle(project, { ...options, name: doc.name });
  io.stderr.write(`slurm: wrote ${bundle.arrayScript} and ${bundle.mergeScript}\n`);
  if (!options.submit) {
    io.stdout.write(`${bundle.commands.join('\n')}\n`);
    return EXIT.ok;
  }
  try {
    const ids = await submitSlurmBundle(bundle);
    io.stdout.write(`array job ${ids.array}\nmerge job ${ids.merge}\n`);
    return EXIT.ok;
  } catch (error) {
    io.stderr.write(`slurm: sbatch failed: ${(error as Error).message}\n`);
    return EXIT.failed;
  }
}
