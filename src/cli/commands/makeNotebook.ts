import { Option } from 'commander';
import type { Command } from 'commander';
import {
  breakevenTrials,
  DEFAULT_REPLICATIONS,
  DEFAULT_SEED,
  paperTrials,
} from '../../engine/reproduction/designs';
import {
  beyondTrialCount,
  BUILTIN_NOTEBOOKS,
  makeBeyondNotebook,
  makeReproductionNotebook,
} from '../builtinNotebooks';
import type { CommandContext } from '../context';
import { MAX_WORKERS, parseSeed, parseWorkers } from '../options';
import { withTrialProgress } from '../progress';
import { probeOutputFile } from '../writeOutput';
import { defaultWorkers, notebookWritten, QUIET_HELP, trialTimeoutOption } from './common';

interface MakeNotebookCliOptions {
  out: string;
  notebook: (typeof BUILTIN_NOTEBOOKS)[number];
  workers: number;
  trialTimeout: number;
  seed: number;
  quiet?: boolean;
}

/** `accent-lab make-notebook` (hidden): run a built-in notebook's experiments and write it. */
export function registerMakeNotebook(program: Command, context: CommandContext): void {
  const { io } = context;
  program
    .command('make-notebook', { hidden: true })
    .description('Run the experiments of a built-in notebook and write it (resources/notebooks)')
    .requiredOption('--out <file>', 'notebook file to write')
    .addOption(
      new Option('--notebook <name>', 'which built-in notebook')
        .choices(BUILTIN_NOTEBOOKS)
        .default('reproduce-zayas-1987'),
    )
    .option('--workers <n>', `worker threads, 1 to ${MAX_WORKERS}`, parseWorkers, defaultWorkers())
    .addOption(trialTimeoutOption())
    .option('--seed <s>', 'experiment seed (a safe integer)', parseSeed, DEFAULT_SEED)
    .option('--quiet', QUIET_HELP)
    .action(async (options: MakeNotebookCliOptions) => {
      const beyond = options.notebook === 'beyond-1987';
      await probeOutputFile(options.out);
      const made = await withTrialProgress(
        {
          stream: io.stderr,
          quiet: options.quiet === true,
          prefix: 'make-notebook',
          total: beyond
            ? beyondTrialCount(options.seed)
            : paperTrials(options.seed, DEFAULT_REPLICATIONS).length +
              breakevenTrials(options.seed, DEFAULT_REPLICATIONS).length,
        },
        (hooks) =>
          (beyond ? makeBeyondNotebook : makeReproductionNotebook)(options.out, {
            workers: options.workers,
            trialTimeoutMs: options.trialTimeout,
            seed: options.seed,
            ...hooks,
          }),
      );
      context.exitCode = notebookWritten(io, 'make-notebook', options.out, made);
    });
}
