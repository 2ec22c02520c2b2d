import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import Table from 'cli-table3';
import { countTrials } from '../engine/experiment/design';
import { ENGINE_VERSION, runTrial } from '../engine/experiment/trial';
import type { TrialResult, TrialSpec } from '../engine/experiment/trial';
import { HARDWARE_PRESETS, hardwarePreset } from '../engine/hardware/presets';
import { STRATEGIES } from '../engine/model/migration';
import type { StrategyName } from '../engine/model/migration';
import { breakevenTrials, DEFAULT_SEED, paperTrials, trialId } from '../engine/reproduction/paper';
import { REPRESENTATIVES, representative } from '../engine/workloads/representatives';
import { workloadForPageSize } from '../engine/workloads/workload';
import { fidelitySummary, formatNumber, renderReport } from './format';
import { DEFAULT_FIGURE_SIZE, figureData, figureFileStem } from '../shared/figures/charts';
import { PAPER_FIGURES } from '../shared/project/reproduction';
import {
  loadNotebook,
  makeReproductionNotebook,
  makeBeyondNotebook,
  beyondTrialCount,
  BUILTIN_NOTEBOOKS,
  notebookFigures,
  runNotebook,
  writeFigures,
} from './notebook';
import {
  MAX_WORKERS,
  parsePixels,
  parsePrefetch,
  parseScale,
  parseSeed,
  parseTrialTimeout,
  parseWorkers,
  UsageError,
} from './options';
import { toJson, METRIC_COLUMNS } from './outputs';
import { packageVersion } from './packageRoot';
import { reportFailedTrials, withTrialProgress } from './progress';
import {
  loadTraceWithProgress,
  parseMigrationPoint,
  parsePageSize,
  parsePositiveNumber,
  parseWholeNumber,
  traceWorkloadFor,
} from './trace';
import type { MigrationPoint, PageReferenceString } from '../engine/workloads/trace';
import { OUTPUT_FILES, runReproduction } from './reproduce';
import { makeTraceNotebook } from './traceNotebook';
import { crosscheckCommand, writeCrosscheckJson } from './crosscheck';
import { makeCrosscheckNotebook } from './crosscheckNotebook';
import { DEFAULT_TRIAL_TIMEOUT_MS } from '../node/enginePool';

/** Exit codes of accent-lab. */
export const EXIT = {
  ok: 0,
  /** A trial failed, the report could not be built, or (with --strict) a fidelity check missed. */
  failed: 1,
  /** Bad arguments. */
  usage: 2,
  /** Interrupted (SIGINT). */
  interrupted: 130,
} as const;

export interface CliIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

interface ReproduceCliOptions {
  out: string;
  workers: number;
  trialTimeout: number;
  seed: number;
  quiet?: boolean;
  strict?: boolean;
}

interface FigureCliOptions {
  out: string;
  width: number;
  height: number;
  scale: number;
}

interface TraceInfoCliOptions {
  pageSize: number;
  json?: boolean;
  quiet?: boolean;
}

interface RunCliOptions {
  out: string;
  workers: number;
  trialTimeout: number;
  quiet?: boolean;
}

interface MakeNotebookCliOptions {
  out: string;
  notebook: (typeof BUILTIN_NOTEBOOKS)[number];
  workers: number;
  trialTimeout: number;
  seed: number;
  quiet?: boolean;
}

interface RunTrialCliOptions {
  workload?: string;
  trace?: string;
  migrateAt?: MigrationPoint;
  instructionsPerSecond?: number;
  residentLimit?: number;
  strategy: StrategyName;
  prefetch: number;
  hardware: string;
  seed: number;
  json?: boolean;
}

export const DEFAULT_OUT = 'reproduction-output';

const QUIET_HELP = 'no progress bar: a plain progress line about every 10% instead';

/** --trial-timeout, in seconds on the command line, in ms in the options. */
function trialTimeoutOption(): Option {
  return new Option(
    '--trial-timeout <seconds>',
    "a trial's time budget: a trial still running after it fails with that reason, the others go on",
  )
    .argParser(parseTrialTimeout)
    .default(DEFAULT_TRIAL_TIMEOUT_MS, `${DEFAULT_TRIAL_TIMEOUT_MS / 1000} seconds`);
}

function defaultWorkers(): number {
  return Math.min(MAX_WORKERS, Math.max(1, availableParallelism()));
}

/** Parse `argv` (the arguments after the program name), run the command, return the exit code. */
export async function runCli(
  argv: readonly string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('accent-lab')
    .description('Accent Migration Lab: process migration experiments from the command line')
    .version(`${packageVersion()} (engine ${ENGINE_VERSION})`)
    // Set before the subcommands are added, which inherit them.
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .showHelpAfterError('(add --help for usage)');

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
      exitCode = await reproduce(options, io);
    });

  program
    .command('figures')
    .description(
      'Draw every figure of a notebook headless (chart.js on a native canvas) and write each as PNG, ' +
        'with its data as CSV',
    )
    .argument('<project>', 'notebook file (.accentlab)')
    .requiredOption('--out <dir>', 'output folder, created if missing')
    .option('--width <px>', 'figure width in pixels', parsePixels, DEFAULT_FIGURE_SIZE.width)
    .option('--height <px>', 'figure height in pixels', parsePixels, DEFAULT_FIGURE_SIZE.height)
    .option('--scale <s>', 'device pixels per pixel (2 for a high-resolution PNG)', parseScale, 1)
    .action(async (project: string, options: FigureCliOptions) => {
      const doc = await loadNotebook(project);
      const figures = notebookFigures(doc);
      const files = await writeFigures(figures, options.out, options);
      io.stderr.write(
        `figures: wrote ${figures.length} figure${figures.length === 1 ? '' : 's'} (${files.length} files) to ${options.out}\n`,
      );
      for (const file of files) io.stdout.write(`${file}\n`);
    });

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
      exitCode = await runProject(project, options, io);
    });

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
      const made = await withTrialProgress(
        {
          stream: io.stderr,
          quiet: options.quiet === true,
          prefix: 'make-notebook',
          total: beyond
            ? beyondTrialCount(options.seed)
            : paperTrials(options.seed).length + breakevenTrials(options.seed).length,
        },
        (hooks) =>
          (beyond ? makeBeyondNotebook : makeReproductionNotebook)(options.out, {
            workers: options.workers,
            trialTimeoutMs: options.trialTimeout,
            seed: options.seed,
            ...hooks,
          }),
      );
      exitCode = notebookWritten(io, 'make-notebook', options.out, made);
    });

  program
    .command('make-trace-notebook', { hidden: true })
    .description(
      'Run every strategy on the sample traces and write resources/notebooks/real-traces.accentlab',
    )
    .requiredOption('--out <file>', 'notebook file to write')
    .option('--workers <n>', `worker threads, 1 to ${MAX_WORKERS}`, parseWorkers, defaultWorkers())
    .option('--quiet', QUIET_HELP)
    .action(async (options: MakeNotebookCliOptions) => {
      const made = await withTrialProgress(
        { stream: io.stderr, quiet: options.quiet === true, prefix: 'make-trace-notebook' },
        (hooks) => makeTraceNotebook(options.out, { workers: options.workers, ...hooks }),
      );
      exitCode = notebookWritten(io, 'make-trace-notebook', options.out, made);
    });

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
      exitCode = await crosscheckCommand(options, io);
    });

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
    .action(
      async (options: {
        out: string;
        json?: string;
        grid: 'full' | 'ci';
        workers: number;
        trialTimeout: number;
        quiet?: boolean;
      }) => {
        try {
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
          exitCode = notebookWritten(io, 'make-crosscheck-notebook', options.out, made);
        } catch (error) {
          io.stderr.write(`make-crosscheck-notebook: ${(error as Error).message}\n`);
          exitCode = EXIT.failed;
        }
      },
    );

  program
    .command('run-trial')
    .description('Run one trial in this process and print its metrics')
    .addOption(
      new Option('--workload <name>', 'representative process').choices(
        REPRESENTATIVES.map((workload) => workload.name),
      ),
    )
    .option('--trace <file>', 'a Valgrind lackey trace (plain or .gz) as the workload, instead of --workload')
    .option(
      '--migrate-at <point>',
      'with --trace: where the process migrates, a fraction of the run (0 to 1) or an instruction count',
      parseMigrationPoint,
    )
    .option(
      '--instructions-per-second <n>',
      'with --trace: compute rate of the traced program (default: 1e6 on perq-1987, 3e9 on modern-2025)',
      parsePositiveNumber('--instructions-per-second'),
    )
    .option(
      '--resident-limit <pages>',
      'with --trace: at most this many of the pages touched before migration are resident (default: the host frames)',
      parseWholeNumber('--resident-limit'),
    )
    .addOption(
      new Option('--strategy <name>', 'migration strategy').choices(STRATEGIES).makeOptionMandatory(),
    )
    .addOption(
      new Option('--prefetch <n>', 'pages prefetched with each faulted page')
        .argParser(parsePrefetch)
        .makeOptionMandatory(),
    )
    .addOption(
      new Option('--hardware <preset>', 'hardware preset')
        .choices(Object.keys(HARDWARE_PRESETS))
        .default('perq-1987'),
    )
    .option('--seed <s>', 'trial seed (a safe integer)', parseSeed, DEFAULT_SEED)
    .option('--json', 'print the whole TrialResult as JSON')
    .action(async (options: RunTrialCliOptions) => {
      exitCode = await runOneTrial(options, io);
    });

  program
    .command('trace-info')
    .description(
      'Read a Valgrind lackey trace (plain or .gz) and print its reference counts, instructions and ' +
        'distinct pages at a page size (rules in docs/traces.md); builds or reuses its page cache',
    )
    .argument('<trace>', 'trace file written by valgrind --tool=lackey --trace-mem=yes --log-file=FILE')
    .requiredOption('--page-size <bytes>', 'page size in bytes (a power of two)', parsePageSize)
    .option('--json', 'print the counts as JSON')
    .option('--quiet', QUIET_HELP)
    .action(async (trace: string, options: TraceInfoCliOptions) => {
      const loaded = await loadTraceWithProgress(trace, options.pageSize, io.stderr, options.quiet === true);
      const summary = loaded.summary;
      if (options.json) {
        io.stdout.write(toJson({ ...summary, cache: loaded.cachePath, fromCache: loaded.fromCache }));
        return;
      }
      const table = new Table({ head: ['', 'Value'], style: { head: [], border: [], compact: true } });
      const rows: [string, number | string][] = [
        ['references', summary.references],
        ['  instruction fetches (I)', summary.referencesByKind.instruction],
        ['  loads (L)', summary.referencesByKind.load],
        ['  stores (S)', summary.referencesByKind.store],
        ['  modifies (M)', summary.referencesByKind.modify],
        ['instructions', summary.instructions],
        [`distinct ${summary.pageSizeBytes}-byte pages`, summary.distinctPages],
        ['page references (repeats merged)', summary.pageReferences],
        ['lines', summary.lines],
      ];
      for (const [name, value] of rows)
        table.push([name, { content: String(value), hAlign: 'right' as const }]);
      io.stdout.write(`${trace} (sha256 ${summary.sha256})\n${table.toString()}\n`);
      io.stderr.write(
        `trace-info: ${loaded.fromCache ? 'read the cache' : 'wrote the cache'} ${loaded.cachePath}\n`,
      );
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    // Commander has already printed its message (unknown option, bad value, missing option...).
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (error instanceof UsageError) {
      io.stderr.write(`error: ${error.message}\n`);
      return EXIT.usage;
    }
    io.stderr.write(`accent-lab: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failed;
  }
  return exitCode;
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

/** How a make-notebook command ended: interrupted, failed trials (nothing written), or written. */
function notebookWritten(
  io: CliIo,
  command: string,
  file: string,
  made: { cancelled: boolean; failed: TrialResult[]; bytes: number },
): number {
  if (made.cancelled) {
    io.stderr.write(`${command}: interrupted; nothing written\n`);
    return EXIT.interrupted;
  }
  reportFailedTrials(io.stderr, command, made.failed);
  if (made.failed.length > 0) return EXIT.failed;
  io.stderr.write(`${command}: wrote ${file} (${made.bytes} bytes)\n`);
  return EXIT.ok;
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

async function runOneTrial(options: RunTrialCliOptions, io: CliIo): Promise<number> {
  const { strategy, prefetch, seed } = options;
  if ((options.workload === undefined) === (options.trace === undefined)) {
    throw new UsageError('give either --workload <name> or --trace <file>');
  }
  if (
    options.trace === undefined &&
    (options.migrateAt ?? options.instructionsPerSecond ?? options.residentLimit) !== undefined
  ) {
    throw new UsageError('--migrate-at, --instructions-per-second and --resident-limit go with --trace');
  }
  let spec: TrialSpec;
  let pageReferences: PageReferenceString | undefined;
  const hardware = (() => {
    try {
      return hardwarePreset(options.hardware);
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error), { cause: error });
    }
  })();
  if (options.trace !== undefined) {
    if (!options.migrateAt)
      throw new UsageError('--trace needs --migrate-at (a fraction 0 to 1 or an instruction count)');
    const made = await traceWorkloadFor(
      {
        trace: options.trace,
        migrateAt: options.migrateAt,
        ...(options.instructionsPerSecond !== undefined
          ? { instructionsPerSecond: options.instructionsPerSecond }
          : {}),
        ...(options.residentLimit !== undefined ? { residentLimit: options.residentLimit } : {}),
      },
      hardware,
      io.stderr,
    );
    pageReferences = made.pageReferences;
    spec = {
      id: trialId(made.workload.name, strategy, prefetch),
      workload: made.workload,
      strategy,
      prefetch,
      hardware,
      seed,
    };
  } else {
    try {
      const name = options.workload!;
      // The representatives are sized in 512-byte pages; on other hardware, round them to its pages.
      const workload = workloadForPageSize(representative(name), hardware.pageSizeBytes);
      spec = { id: trialId(name, strategy, prefetch), workload, strategy, prefetch, hardware, seed };
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error), { cause: error });
    }
  }
  const result = runTrial(spec, pageReferences ? { pageReferences } : {});
  if (options.json) {
    io.stdout.write(toJson(result));
  } else {
    const lines = [
      `${result.workload}, ${result.strategy}, prefetch ${result.prefetch}, ${result.hardware}, seed ${result.seed}: ` +
        (result.ok ? 'ok' : `FAILED: ${result.error ?? 'no metrics'}`),
    ];
    const metrics = result.metrics;
    if (metrics) {
      const table = new Table({ head: ['Metric', 'Value'], style: { head: [], border: [], compact: true } });
      for (const key of METRIC_COLUMNS) {
        const value = metrics[key];
        if (value !== undefined)
          table.push([key, { content: formatNumber(value), hAlign: 'right' as const }]);
      }
      lines.push(table.toString());
    }
    io.stdout.write(`${lines.join('\n')}\n`);
  }
  return result.ok ? EXIT.ok : EXIT.failed;
}
