import { join } from 'node:path';
import type { Command } from 'commander';
import { breakevenTrials, DEFAULT_SEED, paperTrials } from '../../engine/reproduction/paper';
import { DEFAULT_FIGURE_SIZE, figureData, figureFileStem } from '../../shared/figures/charts';
import { PAPER_FIGURES } from '../../shared/project/reproduction';
import { EXIT } from '../context';
import type { CliIo, CommandContext } from '../context';
import { fidelitySummary, renderReport } from '../format';
import { writeFigures } from '../notebookFiles';
import { MAX_WORKERS, parseSeed, parseWorkers } from '../options';
import { reportFailedTrials, withTrialProgress } from '../progress';
import { OUTPUT_FILES, runReproduction } from '../reproduce';
import { defaultWorkers, QUIET_HELP, trialTimeoutOption } from './common';

export const DEFAULT_OUT = 'reproduction-output';

interface ReproduceCliOptions {
  out: string;
  workers: number;
  trialTimeout: number;
  seed: number;
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
    .option('--quiet', QUIET_HELP)
    .option('--strict', 'exit with code 1 when any fidelity check misses')
    .action(async (options: ReproduceCliOptions) => {
      context.exitCode = await reproduce(options, io);
    });
}

async function reproduce(options: ReproduceCliOptions, io: CliIo): Promise<number> {
  const paper = paperTrials(options.seed);
  const breakeven = breakevenTrials(options.seed);
  const total = paper.length + breakeven.length;
  const workers = Math.min(options.workers, total);
  io.stderr.write(
    `reproduce: ${paper.length} paper trials and ${breakeven.length} breakeven trials, ` +
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
  const missed = outcome.report.fidelity.some((entry) => !entry.pass);
  if (options.strict && missed) {
    io.stderr.write(`reproduce: --strict: ${fidelitySummary(outcome.report.fidelity)}\n`);
    return EXIT.failed;
  }
  return EXIT.ok;
}
