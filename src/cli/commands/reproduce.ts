import { join } from 'node:path';
import type { Command } from 'commander';
import {
  breakevenTrials,
  DEFAULT_REPLICATIONS,
  DEFAULT_SEED,
  paperTrials,
} from '../../engine/reproduction/designs';
import { DEFAULT_FIGURE_SIZE, figureData, figureFileStem } from '../../shared/figures/charts';
import { PAPER_FIGURES } from '../../shared/notebook/reproduction';
import { EXIT } from '../context';
import type { CliIo, CommandContext } from '../context';
import { fidelitySummary, renderReport } from '../format';
import { writeFigures } from '../notebookFiles';
import { probeOutputFolder } from '../writeOutput';
import { MAX_WORKERS, parseReplications, parseSeed, parseWorkers } from '../options';
import { reportFailedTrials, withTrialProgress } from '../progress';
import { OUTPUT_FILES, runReproduction } from '../reproduce';
import { defaultWorkers, QUIET_HELP, trialTimeoutOption } from './common';

export const DEFAULT_OUT = 'reproduction-output';

interface ReproduceCliOptions {
  out: string;
  workers: number;
  trialTimeout: number;
  seed: number;
  replications: number;
  quiet?: boolean;
  strict?: boolean;
}

/** `accent-lab reproduce`: the paper's trials and breakeven sweep, compared with the published values. */
export function registerReproduce(program: Command, context: CommandContext): void {
  const { io } = context;
  program
    .command('reproduce')
    .description(
      "Run the paper's 77 trials and the breakeven sweep on worker threads, compare them with the " +
        'published values, and write trials.csv, results.json, tables.json, fidelity.json and the ' +
        "paper's five figures as PNG (figures/)",
    )
    .option('--out <dir>', 'output folder, created if missing', DEFAULT_OUT)
    .option('--workers <n>', `worker threads, 1 to ${MAX_WORKERS}`, parseWorkers, defaultWorkers())
    .addOption(trialTimeoutOption())
    .option('--seed <s>', 'experiment seed (a safe integer)', parseSeed, DEFAULT_SEED)
    .option(
      '--replications <n>',
      'replications of every trial (common random numbers); checks are judged on the mean',
      parseReplications,
      DEFAULT_REPLICATIONS,
    )
    .option('--quiet', QUIET_HELP)
    .option('--strict', 'exit with code 1 when any prediction or calibrated check misses')
    .action(async (options: ReproduceCliOptions) => {
      context.exitCode = await reproduce(options, io);
    });
}

async function reproduce(options: ReproduceCliOptions, io: CliIo): Promise<number> {
  // An output folder that cannot be written is found now, not after the trials (issue 14).
  await probeOutputFolder(options.out);
  const paper = paperTrials(options.seed, options.replications);
  const breakeven = breakevenTrials(options.seed, options.replications);
  const total = paper.length + breakeven.length;
  const workers = Math.min(options.workers, total);
  io.stderr.write(
    `reproduce: ${paper.length} paper trials and ${breakeven.length} breakeven trials ` +
      `(${options.replications} replication${options.replications === 1 ? '' : 's'}), ` +
      `seed ${options.seed}, ${workers} worker${workers === 1 ? '' : 's'}\n`,
  );

  const outcome = await withTrialProgress(
    { stream: io.stderr, quiet: options.quiet === true, prefix: 'reproduce', total },
    (hooks) =>
      runReproduction({
        out: options.out,
        workers,
        trialTimeoutMs: options.trialTimeout,
        seed: options.seed,
        paperTrials: paper,
        breakevenTrials: breakeven,
        ...hooks,
      }),
  );

  if (outcome.cancelled) {
    io.stderr.write('reproduce: interrupted; no files written\n');
    return EXIT.interrupted;
  }
  reportFailedTrials(io.stderr, 'reproduce', outcome.failed);
  if (outcome.report) {
    io.stdout.write(renderReport(outcome.report));
    if (outcome.seedStudyNote) io.stdout.write(`${outcome.seedStudyNote}\n`);
  } else {
    io.stderr.write(
      `reproduce: no report: ${outcome.reportError ?? 'unknown error'} ` +
        `(${OUTPUT_FILES.tables} and ${OUTPUT_FILES.fidelity} not written)\n`,
    );
  }
  io.stderr.write(`reproduce: wrote ${outcome.files.join(', ')}\n`);
  if (outcome.failed.length === 0) {
    // The paper's Figures 4-1 to 4-5 as PNG (and CSV), drawn from this run's results.
    const figures = PAPER_FIGURES.map((figure) => {
      const data = figureData(figure.figure, outcome.paperResults);
      // "figure-4-1-remote-execution-times", as `accent-lab figures` names them.
      return { name: figureFileStem(data.title), data };
    });
    const dir = join(options.out, 'figures');
    await writeFigures(figures, dir, DEFAULT_FIGURE_SIZE);
    io.stderr.write(`reproduce: wrote the paper's ${figures.length} figures to ${dir}\n`);
  }

  if (outcome.failed.length > 0 || !outcome.report) return EXIT.failed;
  // Inputs are restated and disputed claims only shown: neither can fail the run.
  const missed = outcome.report.fidelity.some(
    (entry) => !entry.pass && (entry.tier === 'prediction' || entry.tier === 'calibrated'),
  );
  if (options.strict && missed) {
    io.stderr.write(`reproduce: --strict: ${fidelitySummary(outcome.report.fidelity)}\n`);
    return EXIT.failed;
  }
  return EXIT.ok;
}
