import { Option } from 'commander';
import type { Command } from 'commander';
import Table from 'cli-table3';
import { runTrial } from '../../engine/experiment/trial';
import type { TrialSpec } from '../../engine/experiment/trial';
import { HARDWARE_PRESETS, hardwarePreset } from '../../engine/hardware/presets';
import { STRATEGIES } from '../../engine/model/migration';
import type { StrategyName } from '../../engine/model/migration';
import { DEFAULT_SEED, trialId } from '../../engine/reproduction/paper';
import { REPRESENTATIVES, representative } from '../../engine/workloads/representatives';
import type { MigrationPoint, PageReferenceString } from '../../engine/workloads/trace';
import { workloadForPageSize } from '../../engine/workloads/workload';
import { EXIT } from '../context';
import type { CliIo, CommandContext } from '../context';
import { formatNumber } from '../format';
import { parsePrefetch, parseSeed, UsageError } from '../options';
import { METRIC_COLUMNS, toJson } from '../outputs';
import { parseMigrationPoint, parsePositiveNumber, parseWholeNumber, traceWorkloadFor } from '../trace';

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

/** `accent-lab run-trial`: one trial in this process. */
export function registerRunTrial(program: Command, context: CommandContext): void {
  const { io } = context;
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
      context.exitCode = await runOneTrial(options, io);
    });
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
