import { Option } from 'commander';
import type { Command } from 'commander';
import type { CommandContext } from '../context';
import { EXIT } from '../context';
import { crosscheckCommand, writeCrosscheckJson } from '../crosscheck';
import { makeCrosscheckNotebook } from '../crosscheckNotebook';
import { MAX_WORKERS, parseWorkers } from '../options';
import { withTrialProgress } from '../progress';
import { probeOutputFile } from '../writeOutput';
import { defaultWorkers, notebookWritten, QUIET_HELP, trialTimeoutOption } from './common';
import { messageOf } from '../../shared/messageOf';

/** `accent-lab crosscheck`: pre-copy here and in SimGrid 3.32, post-copy against the textbook. */
export function registerCrosscheck(program: Command, context: CommandContext): void {
  program
    .command('crosscheck')
    .description(
      'Run the same live migrations here and in SimGrid 3.32 (needs g++ and libsimgrid-dev) and compare them (docs/model.md)',
    )
    .requiredOption('--json <file>', 'write the comparison as JSON')
    .addOption(
      new Option('--grid <grid>', 'the full grid, or the reduced one CI runs')
        .choices(['full', 'ci'])
        .default('full'),
    )
    .option('--quiet', 'no line per scenario')
    .action(async (options: { json: string; grid: 'full' | 'ci'; quiet?: boolean }) => {
      context.exitCode = await crosscheckCommand(options, context.io);
    });
}

interface MakeCrosscheckNotebookCliOptions {
  out: string;
  json?: string;
  grid: 'full' | 'ci';
  workers: number;
  trialTimeout: number;
  quiet?: boolean;
}

/** `accent-lab make-crosscheck-notebook` (hidden): the cross-check written as a notebook. */
export function registerMakeCrosscheckNotebook(program: Command, context: CommandContext): void {
  const { io } = context;
  program
    .command('make-crosscheck-notebook', { hidden: true })
    .description('Run the SimGrid cross-check and write resources/notebooks/crosscheck-simgrid.accentlab')
    .requiredOption('--out <file>', 'notebook file to write')
    .option('--json <file>', 'also write the comparison as JSON')
    .addOption(
      new Option('--grid <grid>', 'the full grid or the reduced one').choices(['full', 'ci']).default('full'),
    )
    .option('--workers <n>', `worker threads, 1 to ${MAX_WORKERS}`, parseWorkers, defaultWorkers())
    .addOption(trialTimeoutOption())
    .option('--quiet', QUIET_HELP)
    .action(async (options: MakeCrosscheckNotebookCliOptions) => {
      try {
        await probeOutputFile(options.out);
        if (options.json) await probeOutputFile(options.json);
        const made = await withTrialProgress(
          { stream: io.stderr, quiet: options.quiet === true, prefix: 'make-crosscheck-notebook' },
          (hooks) =>
            makeCrosscheckNotebook(options.out, {
              workers: options.workers,
              trialTimeoutMs: options.trialTimeout,
              grid: options.grid,
              ...hooks,
            }),
        );
        if (made.report && options.json) await writeCrosscheckJson(options.json, made.report);
        context.exitCode = notebookWritten(io, 'make-crosscheck-notebook', options.out, made);
      } catch (error) {
        io.stderr.write(`make-crosscheck-notebook: ${messageOf(error)}\n`);
        context.exitCode = EXIT.failed;
      }
    });
}
