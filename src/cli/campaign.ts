import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { ResultsStore } from '../node/resultsStore';
import { INLINE_TRIALS, storeBytes } from '../shared/estimate';
import type { CampaignPlan } from './campaignPlan';

// A notebook's campaign, in parts: campaignPlan.ts (what to run, shards), campaignRun.ts (running
// it into the store), campaignOutputs.ts (the files written from the store). Their names are
// re-exported here, so importers of this module are unchanged.
export { parseShard, planCampaign, shardIndexFromEnvironment } from './campaignPlan';
export type { CampaignPlan, Shard } from './campaignPlan';
export { runCampaign } from './campaignRun';
export type { CampaignRun, RunCampaignOptions } from './campaignRun';
export { reportOutputs, writeCampaignOutputs } from './campaignOutputs';
export type { CampaignOutputs } from './campaignOutputs';

/**
 * An experiment of at most INLINE_TRIALS trials is "small": the store keeps each of its trials
 * whole (series and all), and `run --out` writes results.json and its figures as a run in memory
 * did. A larger one keeps metrics and the first replication's downsampled series per design point.
 */
export { INLINE_TRIALS };

/** The store a notebook's trials go to when no --store is given (one rule, in the node layer). */
export { defaultStorePath } from '../node/resultsStore';

/**
 * Bytes `trials` of the plan's trials add to the store: each experiment's share of them at its
 * size per trial (storeBytes), a trial's JSON being `jsonBytesPerTrial` when a calibration measured it.
 */
export function planStoreBytes(plan: CampaignPlan, trials: number, jsonBytesPerTrial: number | null): number {
  if (plan.total === 0) return 0;
  let whole = 0;
  for (const experiment of plan.experiments) {
    whole += storeBytes(experiment.trials.length, experiment.trials.pointCount, jsonBytesPerTrial);
  }
  return Math.round((whole * trials) / plan.total);
}

export {
  calibratedPace,
  estimateCampaign,
  formatBytes,
  formatDuration,
  STORE_BYTES_PER_TRIAL,
  storeBytes,
} from '../shared/estimate';
export type { CampaignEstimate } from '../shared/estimate';

/** Open a results store, creating its folder first when it is to be written. */
export async function openStore(path: string, readOnly = false): Promise<ResultsStore> {
  if (!readOnly) await mkdir(dirname(resolve(path)), { recursive: true });
  // DuckDB's binary takes a good part of a second to load: loaded when a store is opened, so a
  // command says what it is about to do first.
  const { ResultsStore } = await import('../node/resultsStore');
  return ResultsStore.open(path, { readOnly });
}
