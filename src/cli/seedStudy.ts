import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrialResult, TrialSpec } from '../engine/experiment/trial';
import { breakevenTrials, DEFAULT_SEED, paperTrials } from '../engine/reproduction/designs';
import { reproductionReport } from '../engine/reproduction/paper';
import type { FidelityEntry, PaperValues } from '../engine/reproduction/paper';
import { runDesigns } from './pool';
import type { RunExperimentsOptions } from './pool';
import { toJson } from './outputs';
import { findPackageRoot } from './packageRoot';

/**
 * The seed study: the reproduction run as it is published, `replications` replications judged on
 * their mean, for each of many seeds, and for every check the share of seeds in which it holds. So
 * it says how far the reported PASS or MISS depends on the seed, where the report's replication
 * share says how often one replication alone agrees. It is slow (minutes), so it is stored in
 * resources/paper/seed-study.json and attached to the report when it still describes the engine:
 * its fingerprint is the one of replication 0 of the default seed, which every reproduction runs.
 */

export interface SeedStudy {
  /** sha256 of the paper trials' metrics at the default seed, replication 0 (see fingerprint). */
  fingerprint: string;
  seeds: number[];
  /** Replications per seed, each check judged on their mean (absent in older studies: 1). */
  replications?: number;
  /** Check name -> share of the seeds in which it held (0 to 1). */
  shares: Record<string, number>;
}

export const SEED_STUDY_FILE = (): string => join(findPackageRoot(), 'resources', 'paper', 'seed-study.json');

/** What identifies the engine's results: the metrics of the default seed's replication 0, hashed. */
export function fingerprint(paperResults: readonly TrialResult[]): string {
  const first = paperResults
    .filter((result) => result.seed === DEFAULT_SEED && result.replication === 0)
    .map((result) => [result.workload, result.strategy, result.prefetch, result.metrics ?? null]);
  return createHash('sha256').update(JSON.stringify(first)).digest('hex');
}

export async function runSeedStudy(
  seeds: readonly number[],
  paper: PaperValues,
  options: RunExperimentsOptions,
  replications = 1,
): Promise<{ study: SeedStudy | null; failed: TrialResult[]; cancelled: boolean }> {
  const perSeed =
    paperTrials(DEFAULT_SEED, replications).length + breakevenTrials(DEFAULT_SEED, replications).length;
  const total = paperTrials(DEFAULT_SEED, 1).length + perSeed * seeds.length;
  // Each run below counts its own trials from 0: report progress over the whole study.
  let finishedBefore = 0;
  const run = async (specs: TrialSpec[][]): ReturnType<typeof runDesigns> => {
    const onTrialDone = options.onTrialDone;
    const made = await runDesigns(specs, {
      ...options,
      ...(onTrialDone
        ? { onTrialDone: (result, done) => onTrialDone(result, finishedBefore + done, total) }
        : {}),
    });
    finishedBefore += specs.flat().length;
    return made;
  };
  const first = await run([paperTrials(DEFAULT_SEED, 1)]);
  let failed = first.results.flat().filter((result) => !result.ok);
  if (first.cancelled || failed.length > 0) return { study: null, failed, cancelled: first.cancelled };
  const held = new Map<string, number>();
  // One seed at a time, so only one seed's results are held (30 seeds x 10 replications is 30,000 trials).
  for (const seed of seeds) {
    const { results, cancelled } = await run([
      paperTrials(seed, replications),
      breakevenTrials(seed, replications),
    ]);
    failed = results.flat().filter((result) => !result.ok);
    if (cancelled || failed.length > 0) return { study: null, failed, cancelled };
    const report = reproductionReport(results[0]!, results[1]!, paper);
    for (const entry of report.fidelity)
      held.set(entry.name, (held.get(entry.name) ?? 0) + (entry.pass ? 1 : 0));
  }
  const shares = Object.fromEntries([...held].map(([name, count]) => [name, count / seeds.length]));
  const study = { fingerprint: fingerprint(first.results[0]!), seeds: [...seeds], replications, shares };
  return { study, failed: [], cancelled: false };
}

export function seedStudyJson(study: SeedStudy): string {
  return toJson(study);
}

/** The stored study, or null when there is none. */
export function loadSeedStudy(file: string = SEED_STUDY_FILE()): SeedStudy | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as SeedStudy;
  } catch {
    return null;
  }
}

/**
 * The fidelity list with each check's seed share, when the study describes these results (same
 * fingerprint); else the list unchanged and the reason.
 */
export function withSeedShares(
  entries: readonly FidelityEntry[],
  paperResults: readonly TrialResult[],
  study: SeedStudy | null,
): { entries: FidelityEntry[]; note: string } {
  if (!study) return { entries: [...entries], note: 'no seed study stored (accent-lab seed-study)' };
  if (!paperResults.some((result) => result.seed === DEFAULT_SEED && result.replication === 0)) {
    return {
      entries: [...entries],
      note: `the seed study applies to the default seed (${DEFAULT_SEED}) only`,
    };
  }
  if (study.fingerprint !== fingerprint(paperResults)) {
    return {
      entries: [...entries],
      note: 'the stored seed study is stale (the engine changed): run accent-lab seed-study',
    };
  }
  return {
    entries: entries.map((entry) =>
      study.shares[entry.name] === undefined
        ? entry
        : { ...entry, seedShare: study.shares[entry.name]!, seeds: study.seeds.length },
    ),
    note:
      `seed shares from ${study.seeds.length} seeds (${study.seeds[0]}-${study.seeds.at(-1)}), ` +
      ((study.replications ?? 1) === 1
        ? 'one replication each'
        : `each judged on the mean of its ${study.replications} replications`),
  };
}
