import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { countTrials } from '../../engine/experiment/design';
import { EXIT } from '../context';
import type { CliIo, CommandContext } from '../context';
import { runNotebook } from '../notebook';
import { loadNotebook } from '../notebookFiles';
import { MAX_WORKERS, parseWorkers } from '../options';
import { reportFailedTrials, withTrialProgress } from '../progress';
import { defaultWorkers, QUIET_HELP, trialTimeoutOption } from './common';

interface RunCliOptions {
  out: string;
  workers: number;
  trialTimeout: number;
  quiet?: boolean;
}

/** `accent-lab run`: every experiment of a notebook, headless. */
export function registerRun(program: Command, context: CommandContext): void {
  const { io } = context;
  program
    .command('run')
    .description(
      "Run every experiment of a notebook headless on worker threads (with the designs' stored " +
        'seeds) and write trials.csv and results.json; summary.csv (means with 95% confidence ' +
        'intervals) when trials repeat; and for a sensitivity sweep its figure and breakeven',
    )
    .argument('<project>', 'notebook file (.accentlab)')
    .requiredOption('--out <dir>', 'output folder, created if missing')
    .option('--workers <n>', `worker threads, 1 to ${MAX_WORKERS}`, parseWorkers, defaultWorkers())
    .addOption(trialTimeoutOption())
    .option('--quiet', QUIET_HELP)
    .action(async (project: string, options: RunCliOptions) => {
      context.exitCode = await runProject(project, options, io);
    });
}

async function runProject(project: string, options: RunCliOptions, io: CliIo): Promise<number> {
  const doc = await loadNotebook(project);
  const experiments = doc.entries.filter((entry) => entry.kind === 'experiment');
  const total = experiments.reduce(
    (sum, entry) => sum + (entry.kind === 'experiment' ? countTrials(entry.design) : 0),
    0,
  );
  io.stderr.write(
    `run: ${experiments.length} experiment${experiments.length === 1 ? '' : 's'}, ${total} trials\n`,
  );
  const outcome = await withTrialProgress(
    { stream: io.stderr, quiet: options.quiet === true, prefix: 'run', total },
    (hooks) =>
      runNotebook(doc, options.out, {
        workers: options.workers,
        baseDirectory: dirname(resolve(project)),
        trialTimeoutMs: options.trialTimeout,
        ...hooks,
      }),
  );
  if (outcome.cancelled) {
    io.stderr.write('run: interrupted; no files written\n');
    return EXIT.interrupted;
  }
  reportFailedTrials(io.stderr, 'run', outcome.failed);
  for (const line of outcome.breakevens) io.stdout.write(`${line}\n`);
  io.stderr.write(`run: wrote ${outcome.files.join(', ')}\n`);
  return outcome.failed.length > 0 ? EXIT.failed : EXIT.ok;
}
