import { Option } from 'commander';
import type { Command } from 'commander';
import Table from 'cli-table3';
import type { TrialResult, TrialSpec } from '../../engine/experiment/trial';
import { HARDWARE_PRESETS, hardwarePreset } from '../../engine/hardware/presets';
import { STRATEGIES } from '../../engine/model/migration';
import type { StrategyName } from '../../engine/model/migration';
import { trialIdFor } from '../../engine/experiment/design';
import { DEFAULT_SEED } from '../../engine/reproduction/designs';
import { REPRESENTATIVES, representative } from '../../engine/workloads/representatives';
import type { MigrationPoint } from '../../engine/workloads/spec';
import { workloadForPageSize } from '../../engine/workloads/workload';
import { EXIT } from '../context';
import type { CliIo, CommandContext } from '../context';
import { formatNumber } from '../format';
import { parsePrefetch, parseSeed, UsageError } from '../options';
import { runDesigns } from '../pool';
import { isCancelled } from '../../node/enginePool';
import { trialTimeoutOption } from './common';
import { METRIC_COLUMNS, toJson } from '../outputs';
import { parseMigrationPoint, parsePositiveNumber, parseWholeNumber, traceWorkloadFor } from '../trace';
import { messageOf } from '../../shared/messageOf';

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
  trialTimeout: number;
  json?: boolean;
}

/**
 * `accent-lab run-trial`: one trial, on a worker thread as `run` runs them: its footprint is
 * checked before it runs, and a trial over its worker's heap limit or its time budget
 * (--trial-timeout) fails alone with that reason (issue 14, finding 8).
 */
export function registerRunTrial(program: Command, context: CommandContext): void {
  const { io } = context;
  program
    .command('run-trial')
    .description('Run one trial on a worker thread and print its metrics')
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
    .addOption(trialTimeoutOption())
    .option('--json', 'print the whole TrialResult as JSON')
    .action(async (options: RunTrialCliOptions) => {
      context.exitCode = await runOneTrial(options, io);
    });
}

/** `run-trial`'s action: the trial from the options, run on a worker, printed; its exit code. */
async function runOneTrial(options: RunTrialCliOptions, io: CliIo): Promise<number> {
  const spec = await trialSpecOf(options, io);
  const result = await runInterruptibly(spec, options.trialTimeout);
  if (isCancelled(result)) {
    io.stderr.write('run-trial: interrupted\n');
    return EXIT.interrupted;
  }
  io.stdout.write(options.json ? toJson(result) : trialText(result));
  return result.ok ? EXIT.ok : EXIT.failed;
}

/** The trial the options describe (a representative or a trace); a UsageError when they do not fit. */
async function trialSpecOf(options: RunTrialCliOptions, io: CliIo): Promise<TrialSpec> {
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
  const hardware = asUsageError(() => hardwarePreset(options.hardware));
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
    // The worker reads the page references again from the trace's cache, checked by its sha256.
    return {
      id: trialIdFor(made.workload.name, strategy, prefetch, 0),
      workload: made.workload,
      strategy,
      prefetch,
      hardware,
      seed,
    };
  }
  return asUsageError(() => {
    const name = options.workload!;
    // The representatives are sized in 512-byte pages; on other hardware, round them to its pages.
    const workload = workloadForPageSize(representative(name), hardware.pageSizeBytes);
    return { id: trialIdFor(name, strategy, prefetch, 0), workload, strategy, prefetch, hardware, seed };
  });
}

/** What `make` returns, or its error as a UsageError (bad input, not a crash). */
function asUsageError<T>(make: () => T): T {
  try {
    return make();
  } catch (error) {
    throw new UsageError(messageOf(error), { cause: error });
  }
}

/** Run the trial on a worker; Ctrl-C cancels it (its worker is stopped; the command exits with 130). */
async function runInterruptibly(spec: TrialSpec, trialTimeoutMs: number): Promise<TrialResult> {
  const controller = new AbortController();
  const interrupt = (): void => controller.abort();
  process.once('SIGINT', interrupt);
  try {
    return await runTrialOnWorker(spec, { trialTimeoutMs, signal: controller.signal });
  } finally {
    process.off('SIGINT', interrupt);
  }
}

/** The trial's outcome on one line, then its metrics as a table when it has them. */
function trialText(result: TrialResult): string {
  const lines = [
    `${result.workload}, ${result.strategy}, prefetch ${result.prefetch}, ${result.hardware}, seed ${result.seed}: ` +
      (result.ok ? 'ok' : `FAILED: ${result.error ?? 'no metrics'}`),
  ];
  const metrics = result.metrics;
  if (metrics) {
    const table = new Table({ head: ['Metric', 'Value'], style: { head: [], border: [], compact: true } });
    for (const key of METRIC_COLUMNS) {
      const value = metrics[key];
      if (value !== undefined) table.push([key, { content: formatNumber(value), hAlign: 'right' as const }]);
    }
    lines.push(table.toString());
  }
  return `${lines.join('\n')}\n`;
}

export interface RunTrialOnWorkerOptions {
  /** The trial's time budget. */
  trialTimeoutMs: number;
  signal?: AbortSignal;
  /** The worker module (the CLI's own by default). */
  workerFile?: string | URL;
}

/** One trial on a pool of one worker thread, with `run`'s footprint check and time budget. */
export async function runTrialOnWorker(
  spec: TrialSpec,
  options: RunTrialOnWorkerOptions,
): Promise<TrialResult> {
  const { results } = await runDesigns([[spec]], {
    workers: 1,
    trialTimeoutMs: options.trialTimeoutMs,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.workerFile ? { workerFile: options.workerFile } : {}),
  });
  return results[0]![0]!;
}
