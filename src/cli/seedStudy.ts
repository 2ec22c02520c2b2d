import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrialResult } from '../engine/experiment/trial';
import { breakevenTrials, DEFAULT_SEED, paperTrials } from '../engine/reproduction/designs';
import { reproductionReport } from '../engine/reproduction/paper';
import type { FidelityEntry, PaperValues } from '../engine/reproduction/paper';
import { runDesigns } from './pool';
import type { RunExperimentsOptions } from './pool';
import { toJson } from './outputs';
import { findPackageRoot } from './packageRoot';

/**
 * The seed study: the reproduction run once (one replication) for each of many seeds, and for
 * every check the share of seeds in which it holds. It is slow (minutes), so it is stored in
 * resources/paper/seed-study.json and attached to the report when it still describes the engine:
 * its fingerprint is the one of replication 0 of the default seed, which every reproduction runs.
 */

export interface SeedStudy {
  /** sha256 of the paper trials' metrics at the default seed, replication 0 (see fingerprint). */
  fingerprint: string;
  seeds: number[];
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
): Promise<{ study: SeedStudy | null; failed: TrialResult[]; cancelled: boolean }> {
  const specs = [
    paperTrials(DEFAULT_SEED, 1),
    ...seeds.flatMap((seed) => [paperTrials(seed, 1), breakevenTrials(seed, 1)]),
  ];
  const { results, cancelled } = await runDesigns(specs, options);
  const failed = results.flat().filter((result) => !result.ok);
  if (cancelled || failed.length > 0) return { study: null, failed, cancelled };
  const held = new Map<string, number>();
  seeds.forEach((_, index) => {
    const report = reproductionReport(results[1 + 2 * index]!, results[2 + 2 * index]!, paper);
    for (const entry of report.fidelity)
      held.set(entry.name, (held.get(entry.name) ?? 0) + (entry.pass ? 1 : 0));
  });
  const shares = Object.fromEntries([...held].map(([name, count]) => [name, count / seeds.length]));
  return { study: { fingerprint: fingerprint(results[0]!), seeds: [...seeds], shares }, failed, cancelled };
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
    note: `seed shares from ${study.seeds.length} seeds (${study.seeds[0]}-${study.seeds.at(-1)}), one replication each`,
  };
}
