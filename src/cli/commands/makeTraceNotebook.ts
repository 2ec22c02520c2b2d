import type { Command } from 'commander';
import type { CommandContext } from '../context';
import { MAX_WORKERS, parseWorkers } from '../options';
import { withTrialProgress } from '../progress';
import { makeTraceNotebook } from '../traceNotebook';
import { probeOutputFile } from '../writeOutput';
import { defaultWorkers, notebookWritten, QUIET_HELP } from './common';

interface MakeTraceNotebookCliOptions {
  out: string;
  workers: number;
  quiet?: boolean;
}

/** `accent-lab make-trace-notebook` (hidden): every strategy on the sample traces, written as a notebook. */
export function registerMakeTraceNotebook(program: Command, context: CommandContext): void {
  const { io } = context;
  program
    .command('make-trace-notebook', { hidden: true })
    .description(
      'Run every strategy on the sample traces and write resources/notebooks/real-traces.accentlab',
    )
    .requiredOption('--out <file>', 'notebook file to write')
    .option('--workers <n>', `worker threads, 1 to ${MAX_WORKERS}`, parseWorkers, defaultWorkers())
    .option('--quiet', QUIET_HELP)
    .action(async (options: MakeTraceNotebookCliOptions) => {
      await probeOutputFile(options.out);
      const made = await withTrialProgress(
        { stream: io.stderr, quiet: options.quiet === true, prefix: 'make-trace-notebook' },
        (hooks) => makeTraceNotebook(options.out, { workers: options.workers, ...hooks }),
      );
      context.exitCode = notebookWritten(io, 'make-trace-notebook', options.out, made);
    });
}
