import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { TrialResult, TrialSpec } from '../engine/experiment/trial';
import { PairAccumulator, pairingPlan } from '../shared/figures/storedPairs';
import type { StoredPairsAnswer, StoredPairsRequest, StoredSide } from '../shared/figures/storedPairs';
import { KEYS_PER_QUERY } from './resultsStore';
import type { ResultsStore } from './resultsStore';
import { TrialKeys } from './trialKeys';
import { messageOf } from '../shared/messageOf';

/**
 * Two summarized experiments paired from their results stores (see ../shared/figures/storedPairs.ts):
 * the pairs (design point and replication both ran, with the same seed) are read by key, a chunk
 * of PAIRS_PER_CHUNK at a time from each store, and folded into per-point moments, so memory is
 * a chunk's trials whatever the experiments hold. The stores are only read.
 */

/** Pairs read at a time (one keyed query per store). */
export const PAIRS_PER_CHUNK = KEYS_PER_QUERY;

/** How the stores are read: through a store the host holds open, or opened read-only for the call. */
export type ReadStore = <T>(path: string, use: (store: ResultsStore) => Promise<T>) => Promise<T>;

/** The file a summary's store names (relative to the notebook's folder); null when there is no folder. */
function storeFile(notebookPath: string | null, store: string): string | null {
  if (isAbsolute(store)) return store;
  return notebookPath === null ? null : resolve(dirname(resolve(notebookPath)), store);
}

/** The trials of `specs` the store holds, by position (undefined where it holds none). */
async function trialsOf(
  store: ResultsStore,
  keys: TrialKeys,
  specs: readonly TrialSpec[],
): Promise<(TrialResult | undefined)[]> {
  const found: (TrialResult | undefined)[] = new Array<TrialResult | undefined>(specs.length);
  for await (const chunk of store.trialsByKeys(specs.length, (n) => keys.key(specs[n]!))) {
    for (const stored of chunk) found[stored.index] = stored.result;
  }
  return found;
}

/** Why a side's store cannot be read for pairing, or its file. */
function sideFile(notebookPath: string | null, side: StoredSide): { file: string } | { reason: string } {
  const file = storeFile(notebookPath, side.store);
  if (file === null)
    return { reason: `the store ${side.store} is named relative to a notebook that has not been saved` };
  if (!existsSync(file)) return { reason: `the results store ${side.store} is missing (looked for ${file})` };
  return { file };
}

/** Pair one experiment with the baseline from their stores. */
async function pairOne(
  request: StoredPairsRequest,
  other: StoredSide,
  read: ReadStore,
): Promise<StoredPairsAnswer> {
  const { baseline, notebookPath } = request;
  const ids = { baselineId: baseline.id, experimentId: other.id };
  const left = sideFile(notebookPath, baseline);
  if ('reason' in left) return { ...ids, reason: left.reason };
  const right = sideFile(notebookPath, other);
  if ('reason' in right) return { ...ids, reason: right.reason };
  const plan = pairingPlan(baseline.design, other.design);
  if ('reason' in plan) return { ...ids, reason: plan.reason };
  const keysLeft = new TrialKeys(baseline.engineVersion);
  const keysRight = new TrialKeys(other.engineVersion);
  const pairs = new PairAccumulator();
  const readBoth = async (storeLeft: ResultsStore, storeRight: ResultsStore): Promise<void> => {
    for (let from = 0; from < plan.count; from += PAIRS_PER_CHUNK) {
      const specs = Array.from({ length: Math.min(plan.count, from + PAIRS_PER_CHUNK) - from }, (_, n) =>
        plan.at(from + n),
      );
      // One store at a time: two experiments in one store share its connection.
      const a = await trialsOf(
        storeLeft,
        keysLeft,
        specs.map(([spec]) => spec),
      );
      const b = await trialsOf(
        storeRight,
        keysRight,
        specs.map(([, spec]) => spec),
      );
      for (let n = 0; n < specs.length; n += 1) {
        if (a[n] && b[n]) pairs.add(a[n]!, b[n]!);
      }
    }
  };
  try {
    if (left.file === right.file) await read(left.file, (store) => readBoth(store, store));
    else
      await read(left.file, (storeLeft) => read(right.file, (storeRight) => readBoth(storeLeft, storeRight)));
  } catch (error) {
    return { ...ids, reason: `the results stores cannot be read now: ${messageOf(error)}` };
  }
  if (pairs.found < 2) {
    return {
      ...ids,
      reason:
        `the stores hold ${pairs.found === 0 ? 'none' : 'one'} of the ${plan.count.toLocaleString('en-US')} ` +
        'pairs of trials (looked up by key)',
    };
  }
  return {
    ...ids,
    pairs: {
      ...ids,
      baselineStore: baseline.store,
      experimentStore: other.store,
      expected: plan.count,
      found: pairs.found,
      points: pairs.finish(),
    },
  };
}

/**
 * Each experiment of the request paired with the baseline from their results stores: the paired
 * moments per design point and metric, or why not (a store missing, seeds that differ, no pair
 * stored), in which case the comparison stays Welch's t from the summaries.
 */
export async function readStoredPairs(
  request: StoredPairsRequest,
  read: ReadStore,
): Promise<StoredPairsAnswer[]> {
  const answers: StoredPairsAnswer[] = [];
  for (const other of request.others) answers.push(await pairOne(request, other, read));
  return answers;
}

/** A ReadStore that opens each file read-only for the call (the command line's). */
export const readOnlyStores: ReadStore = async (path, use) => {
  const { withReadOnlyStore } = await import('./resultsStore');
  return withReadOnlyStore(path, use);
};
