import { join } from 'node:path';
import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import { EXIT } from '../context';
import type { CliIo, CommandContext } from '../context';
import { loadNotebook } from '../notebookFiles';
import { MAX_WORKERS, parseWorkers } from '../options';
import { findPackageRoot } from '../packageRoot';
import { submitSlurmBundle, writeSlurmBundle } from '../../node/slurmBundle';
import { messageOf } from '../../shared/messageOf';

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
    .argument('<notebook>', 'notebook file (.accentlab)')
    .requiredOption('--tasks <n>', 'array tasks (shards), 1 to 10000', parseTasks)
    .requiredOption('--out <dir>', 'folder for the scripts, shard stores, logs and trials.csv')
    .option('--workers <n>', `worker threads per task, 1 to ${MAX_WORKERS}`, parseWorkers, 1)
    .option('--submit', 'submit with sbatch and print the job ids')
    .action(
      async (
        notebook: string,
        options: { tasks: number; out: string; workers: number; submit?: boolean },
      ) => {
        context.exitCode = await slurmCommand(notebook, options, context.io);
      },
    );
}

/** `accent-lab slurm NB --tasks N --out DIR [--submit]`. */
export async function slurmCommand(
  notebook: string,
  options: { tasks: number; out: string; submit?: boolean; workers?: number },
  io: CliIo,
): Promise<number> {
  const doc = await loadNotebook(notebook);
  const bundle = await writeSlurmBundle(notebook, {
    ...options,
    name: doc.name,
    node: process.execPath,
    cli: join(findPackageRoot(), 'bin', 'accent-lab.js'),
  });
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
    io.stderr.write(`slurm: sbatch failed: ${messageOf(error)}\n`);
    return EXIT.failed;
  }
}
