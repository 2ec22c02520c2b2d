import { DesignTrials } from '../engine/experiment/design';
import { ENGINE_VERSION } from '../engine/experiment/trial';
import type { TrialSpec } from '../engine/experiment/trial';
import type { StoreDetail } from '../node/resultsStore';
import { keyOfPoint, TrialKeys } from '../node/trialKeys';
import { resolveTracePaths } from '../node/traceImport';
import { INLINE_TRIALS } from '../shared/estimate';
import type { ExperimentEntry, NotebookDocument } from '../shared/hostApi';

// A campaign's plan: a notebook's designs expanded lazily, the trials its store lacks, and the
// shard of them this task runs (`run --shard I/N`, or the batch system's array index).

/** The I-th (0-based) of N slices: "--shard 2/4". */
export interface Shard {
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || !(count >= 1) || !(index >= 0 && index < count) || count > 1_000_000) {
    throw new Error(`--shard must be I/N with 0 <= I < N (N up to 1,000,000), got "${text}"`);
  }
  return { index, count };
}

/**
 * The shard index a batch system gives a task of an array job: SLURM_ARRAY_TASK_ID (Slurm),
 * JOB_COMPLETION_INDEX (Kubernetes Indexed Jobs) or PBS_ARRAY_INDEX (PBS). Undefined when none is set.
 */
export function shardIndexFromEnvironment(env: NodeJS.ProcessEnv = process.env): number | undefined {
  for (const name of ['SLURM_ARRAY_TASK_ID', 'JOB_COMPLETION_INDEX', 'PBS_ARRAY_INDEX']) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    if (!/^\d+$/.test(value)) throw new Error(`${name} must be a whole number, got "${value}"`);
    return Number(value);
  }
  return undefined;
}

interface PlannedExperiment {
  entry: ExperimentEntry;
  trials: DesignTrials;
  /** Global index of its first trial. */
  offset: number;
  detail: StoreDetail;
  /** Its trials' keys (design-point hashes cached per design: trial ids repeat across designs). */
  keys: TrialKeys;
  /** Its trials the store held (ended ok) when planned. */
  held: number;
}

/** What a notebook's campaign holds and what of it is still to run (see planCampaign). */
export interface CampaignPlan {
  experiments: PlannedExperiment[];
  /** Trials of every experiment. */
  total: number;
  /** Trials the store already holds (ended ok). */
  stored: number;
  /** Global indices of the trials to run (this shard's, when sharded), in trial order. */
  toRun: Uint32Array;
  /** Trials missing from the store in all (every shard's). */
  missing: number;
  /** The trial at a global index, with trace paths resolved. */
  at(index: number): { experiment: PlannedExperiment; local: number; spec: TrialSpec };
  /** The key (see trialKey) of an experiment's trial. */
  key(experiment: PlannedExperiment, spec: TrialSpec): string;
}

const experimentsOf = (doc: NotebookDocument): ExperimentEntry[] =>
  doc.entries.filter((entry): entry is ExperimentEntry => entry.kind === 'experiment');

/**
 * Expand a notebook's designs lazily and find the trials the store lacks; with a shard, keep its
 * slice of them: the missing trials in trial order, dealt round-robin, so the N slices are
 * disjoint, differ in size by at most one, and each mixes every part of the design.
 */
export function planCampaign(
  doc: NotebookDocument,
  baseDirectory: string,
  stored: ReadonlySet<string>,
  shard?: Shard,
): CampaignPlan {
  const experiments: PlannedExperiment[] = [];
  let total = 0;
  for (const entry of experimentsOf(doc)) {
    const trials = new DesignTrials(entry.design);
    experiments.push({
      entry,
      trials,
      offset: total,
      detail: trials.length <= INLINE_TRIALS ? 'whole' : 'figures',
      keys: new TrialKeys(ENGINE_VERSION),
      held: 0,
    });
    total += trials.length;
  }
  if (total >= 2 ** 32)
    throw new Error(`the notebook expands to ${total} trials, more than a campaign holds`);
  const at = (index: number): ReturnType<CampaignPlan['at']> => {
    let which = experiments.length - 1;
    while (which > 0 && experiments[which]!.offset > index) which -= 1;
    const experiment = experiments[which]!;
    const local = index - experiment.offset;
    const [spec] = resolveTracePaths([experiment.trials.at(local)], baseDirectory);
    return { experiment, local, spec: spec! };
  };
  const missingList = new Uint32Array(total);
  let missing = 0;
  let held = 0;
  // A trial two experiments share (the same design point and replication) runs once, the first
  // time it comes. Trials share a key exactly when they share a design point and a replication,
  // so this is found per point, not per trial: `covered[p]` is how many replications of point p
  // came with points before it (the same point in an earlier experiment, or twice in one design).
  // A point's trial of replication 0 comes before its others, and points come in number order.
  const replicationsSeen = new Map<string, number>();
  // With nothing in the store no trial's key is needed to plan (a million trials plan in a
  // fraction of a second); each key is made when its trial is stored.
  const checkStore = stored.size > 0;
  for (const experiment of experiments) {
    const trials = experiment.trials;
    const repetitions = experiment.entry.design.repetitions;
    const points: string[] = [];
    const covered = new Uint32Array(trials.pointCount);
    for (let point = 0; point < trials.pointCount; point += 1) {
      const hash = experiment.keys.point(trials.at(trials.indexOf(point, 0)));
      points.push(hash);
      const before = replicationsSeen.get(hash) ?? 0;
      covered[point] = before;
      replicationsSeen.set(hash, Math.max(before, repetitions));
    }
    for (let local = 0; local < trials.length; local += 1) {
      const point = trials.pointOf(local);
      const replication = trials.replicationOf(local);
      if (checkStore && stored.has(keyOfPoint(points[point]!, replication))) {
        held += 1;
        experiment.held += 1;
      } else if (replication >= covered[point]!) missingList[missing++] = experiment.offset + local;
    }
  }
  let toRun = missingList.subarray(0, missing);
  if (shard) {
    const mine = new Uint32Array(Math.ceil(Math.max(0, missing - shard.index) / shard.count));
    for (let at = shard.index, n = 0; at < missing; at += shard.count) mine[n++] = toRun[at]!;
    toRun = mine;
  }
  return {
    experiments,
    total,
    stored: held,
    toRun: toRun.slice(),
    missing,
    at,
    key: (experiment, spec) => experiment.keys.key(spec),
  };
}
