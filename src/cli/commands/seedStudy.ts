import type { Command } from 'commander';
import { DEFAULT_REPLICATIONS } from '../../engine/reproduction/designs';
import { EXIT } from '../context';
import type { CliIo, CommandContext } from '../context';
import { MAX_WORKERS, parseReplications, parseWorkers } from '../options';
import { loadPaperValues } from '../packageRoot';
import { reportFailedTrials, withTrialProgress } from '../progress';
import { runSeedStudy, SEED_STUDY_FILE, seedStudyJson } from '../seedStudy';
import { probeOutputFile, writeOutputFile } from '../writeOutput';
import { defaultWorkers, QUIET_HELP, trialTimeoutOption } from './common';

interface SeedStudyCliOptions {
  out: string;
  seeds: number;
  replications: number;
  workers: number;
  trialTimeout: number;
  quiet?: boolean;
}

/** `accent-lab seed-study` (hidden): the reproduction for each seed 1..N, each check's share of seeds. */
export function registerSeedStudy(program: Command, context: CommandContext): void {
  const { io } = context;
  program
    .command('seed-study', { hidden: true })
    .description(
      'Run the reproduction for each of seeds 1..N and store the share of seeds in which each check holds on the mean',
    )
    .option('--out <file>', 'where to write the study', SEED_STUDY_FILE())
    .option('--seeds <n>', 'seeds 1 to n', parseReplications, 30)
    .option(
      '--replications <n>',
      'replications per seed, each check judged on their mean, as the reproduction does',
      parseReplications,
      DEFAULT_REPLICATIONS,
    )
    .option('--workers <n>', `worker threads, 1 to ${MAX_WORKERS}`, parseWorkers, defaultWorkers())
    .addOption(trialTimeoutOption())
    .option('--quiet', QUIET_HELP)
    .action(async (options: SeedStudyCliOptions) => {
      context.exitCode = await seedStudy(options, io);
    });
}

async function seedStudy(options: SeedStudyCliOptions, io: CliIo): Promise<number> {
  await probeOutputFile(options.out);
  const seeds = Array.from({ length: options.seeds }, (_, index) => index + 1);
  // The study reports its whole total with each finished trial; the progress starts from it.
  const made = await withTrialProgress(
    { stream: io.stderr, quiet: options.quiet === true, prefix: 'seed-study' },
    (hooks) =>
      runSeedStudy(
        seeds,
        loadPaperValues(),
        { workers: options.workers, trialTimeoutMs: options.trialTimeout, ...hooks },
        options.replications,
      ),
  );
  if (made.cancelled) {
    io.stderr.write('seed-study: interrupted; nothing written\n');
    return EXIT.interrupted;
  }
  reportFailedTrials(io.stderr, 'seed-study', made.failed);
  if (!made.study) return EXIT.failed;
  await writeOutputFile(options.out, seedStudyJson(made.study));
  io.stderr.write(
    `seed-study: wrote ${options.out} (seeds 1-${options.seeds}, ${options.replications} replication${options.replications === 1 ? '' : 's'} each)\n`,
  );
  return EXIT.ok;
}
