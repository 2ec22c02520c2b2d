import { execFile } from 'node:child_process';
import { chmod, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { saveFailureReason } from './notebookFile';
import { writeWholeFile } from './wholeFile';

/**
 * A campaign's Slurm bundle: a job array running one shard of a notebook's missing trials per
 * task (`accent-lab run --shard auto/N`), and a merge job after it. The CLI's `slurm` command
 * and the app's "Run on a cluster…" write the same bundle with this code.
 */

export interface SlurmBundleOptions {
  /** Array tasks (shards), 1 to 10,000. */
  tasks: number;
  /** Folder for the scripts, shard stores, logs and trials.csv. */
  out: string;
  /** Worker threads per task (default 1). */
  workers?: number;
  /** The job's name (the notebook's). */
  name?: string;
  /** The Node.js the jobs run (a path, or `node` from the cluster's PATH). */
  node: string;
  /** The lab's command line, bin/accent-lab.js. */
  cli: string;
}

export interface SlurmBundle {
  arrayScript: string;
  mergeScript: string;
  /** The commands that submit both, the merge after the array (afterok). */
  commands: string[];
}

/** Write a script whole or fail saying why ("cannot write …/campaign.sbatch: the disk is full"). */
async function writeScript(file: string, text: string): Promise<void> {
  try {
    await writeWholeFile(file, text);
  } catch (error) {
    throw new Error(`cannot write ${file}: ${saveFailureReason(error)}`, { cause: error });
  }
}

const shellQuote = (text: string): string => `'${text.replaceAll("'", `'\\''`)}'`;

/**
 * Write a Slurm bundle under `out`: `campaign.sbatch`, a job array of `tasks` tasks each running
 * its shard into its own store (`shards/shard-I.duckdb`), and `merge.sbatch`, which folds them
 * into the notebook's store, writes `out/trials.csv` and saves the results (a large experiment's
 * summary) into the notebook.
 */
export async function writeSlurmBundle(notebook: string, options: SlurmBundleOptions): Promise<SlurmBundle> {
  const out = resolve(options.out);
  const notebookPath = resolve(notebook);
  await mkdir(join(out, 'shards'), { recursive: true });
  await mkdir(join(out, 'logs'), { recursive: true });
  const node = options.node;
  const cli = options.cli;
  const workers = options.workers ?? 1;
  const name = (options.name ?? 'accent-lab').replace(/[^A-Za-z0-9_.-]/g, '-');
  const index = '${SLURM_ARRAY_TASK_ID:-${JOB_COMPLETION_INDEX:-${PBS_ARRAY_INDEX:?no array task index}}}';
  const arrayScript = join(out, 'campaign.sbatch');
  const mergeScript = join(out, 'merge.sbatch');
  await writeScript(
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
      `exec ${shellQuote(node)} ${shellQuote(cli)} run ${shellQuote(notebookPath)} --shard auto/${options.tasks} ` +
        `--store ${shellQuote(join(out, 'shards'))}/shard-$INDEX.duckdb --workers ${workers} --yes --quiet`,
      '',
    ].join('\n'),
  );
  const shards = Array.from({ length: options.tasks }, (_, i) =>
    shellQuote(join(out, 'shards', `shard-${i}.duckdb`)),
  );
  await writeScript(
    mergeScript,
    [
      '#!/bin/bash',
      `#SBATCH --job-name=${name}-merge`,
      `#SBATCH --output=${join(out, 'logs', 'merge.log')}`,
      '# Submitted with --dependency=afterok on the array: runs once every shard has succeeded.',
      'set -euo pipefail',
      `exec ${shellQuote(node)} ${shellQuote(cli)} merge ${shellQuote(notebookPath)} ${shards.join(' ')} --out ${shellQuote(out)} --save`,
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
