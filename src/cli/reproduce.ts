import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ENGINE_VERSION } from '../engine/experiment/trial';
import type { TrialResult, TrialSpec } from '../engine/experiment/trial';
import { breakevenTrials, DEFAULT_REPLICATIONS, paperTrials } from '../engine/reproduction/designs';
import { reproductionReport } from '../engine/reproduction/paper';
import type { PaperValues, ReproductionReport } from '../engine/reproduction/paper';
import { fidelityJson, resultsFile, tablesJson, toJson, trialsCsv } from './outputs';
import type { ExperimentResults } from './outputs';
import { loadPaperValues } from './packageRoot';
import { runDesigns } from './pool';
import { loadSeedStudy, withSeedShares } from './seedStudy';
import type { SeedStudy } from './seedStudy';
import { writeOutputFile } from './writeOutput';
import { messageOf } from '../shared/messageOf';

export const OUTPUT_FILES = {
  trials: 'trials.csv',
  results: 'results.json',
  fidelity: 'fidelity.json',
  tables: 'tables.json',
} as const;

export interface ReproductionOptions {
  /** Output folder, created if missing. */
  out: string;
  workers: number;
  seed: number;
  /** Replications of every trial (default DEFAULT_REPLICATIONS); ignored when the trials are given. */
  replications?: number;
  /** The stored seed study to attach (default resources/paper/seed-study.json; null: none). */
  seedStudy?: SeedStudy | null;
  /** A trial's time budget (default DEFAULT_TRIAL_TIMEOUT_MS); a trial over it fails. */
  trialTimeoutMs?: number;
  /** The paper's trials (default paperTrials(seed)). */
  paperTrials?: TrialSpec[];
  /** The breakeven sweep (default breakevenTrials(seed)). */
  breakevenTrials?: TrialSpec[];
  /** The published values (default resources/paper/zayas-1987.json). */
  paperValues?: PaperValues;
  /** Builds the tables and the fidelity list (default reproductionReport). */
  report?: (paper: TrialResult[], breakeven: TrialResult[], values: PaperValues) => ReproductionReport;
  /** The EnginePool's worker module (default out/cli/trialWorker.js). */
  workerFile?: string | URL;
  signal?: AbortSignal;
  /** Called as each trial ends, in the order they end. */
  onTrialDone?: (result: TrialResult, done: number, total: number) => void;
}

export interface ReproductionOutcome {
  /** The signal fired before every trial ended; nothing was written. */
  cancelled: boolean;
  paperResults: TrialResult[];
  breakevenResults: TrialResult[];
  /** Trials that did not finish ok (engine failure, worker crash), in spec order. */
  failed: TrialResult[];
  /** Null when the report could not be built (for example after a failed trial). */
  report: ReproductionReport | null;
  reportError?: string;
  /** Whether the stored seed study was attached, and why not. */
  seedStudyNote?: string;
  /** Absolute paths of the files written, in the order written. */
  files: string[];
}

/**
 * The reproduce command without its terminal: runs the paper's trials and the breakeven sweep on
 * an EnginePool, builds the report and writes trials.csv, results.json, tables.json and
 * fidelity.json atomically under `out`. The files depend only on the trials and the seed, never
 * on the number of workers or the clock, so a rerun gives the same bytes.
 */
export async function runReproduction(options: ReproductionOptions): Promise<ReproductionOutcome> {
  const { seed } = options;
  const replications = options.replications ?? DEFAULT_REPLICATIONS;
  const paperSpecs = options.paperTrials ?? paperTrials(seed, replications);
  const breakevenSpecs = options.breakevenTrials ?? breakevenTrials(seed, replications);
  const paperValues = options.paperValues ?? loadPaperValues();

  const { results, cancelled } = await runDesigns([paperSpecs, breakevenSpecs], options);
  const [paperResults = [], breakevenResults = []] = results;
  const failed = results.flat().filter((result) => !result.ok);
  const outcome: ReproductionOutcome = {
    cancelled,
    paperResults,
    breakevenResults,
    failed,
    report: null,
    files: [],
  };
  if (outcome.cancelled) return outcome;

  try {
    const report = (options.report ?? reproductionReport)(paperResults, breakevenResults, paperValues);
    const study = options.seedStudy === undefined ? loadSeedStudy() : options.seedStudy;
    const seeded = withSeedShares(report.fidelity, paperResults, study);
    outcome.report = { ...report, fidelity: seeded.entries };
    outcome.seedStudyNote = seeded.note;
  } catch (error) {
    outcome.reportError = messageOf(error);
  }

  const experiments: ExperimentResults[] = [
    { name: 'paper', specs: paperSpecs, results: paperResults },
    { name: 'breakeven', specs: breakevenSpecs, results: breakevenResults },
  ];
  const out = resolve(options.out);
  await mkdir(out, { recursive: true });
  const write = async (name: string, text: string): Promise<void> => {
    const file = join(out, name);
    await writeOutputFile(file, text);
    outcome.files.push(file);
  };
  await write(OUTPUT_FILES.trials, trialsCsv(experiments));
  await write(OUTPUT_FILES.results, toJson(resultsFile(experiments, seed, ENGINE_VERSION)));
  if (outcome.report) {
    await write(OUTPUT_FILES.tables, tablesJson(outcome.report.tables));
    await write(OUTPUT_FILES.fidelity, fidelityJson(outcome.report.fidelity));
  } else {
    // Without a report, an earlier run's tables and fidelity would pass for this run's.
    await rm(join(out, OUTPUT_FILES.tables), { force: true });
    await rm(join(out, OUTPUT_FILES.fidelity), { force: true });
  }
  return outcome;
}
