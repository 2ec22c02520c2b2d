import { hash } from 'node:crypto';
import type { TrialSpec } from '../engine/experiment/trial';
import { ENGINE_VERSION } from '../engine/experiment/trial';

/**
 * Trial keys of the results store (resultsStore.ts): what makes a trial the same trial on any
 * machine. Apart from the store so that planning a campaign does not load DuckDB.
 */

/** JSON with object keys sorted, so equal values give equal text whatever their key order. */
export function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${stableJson(record[key])}`).join(',')}}`;
}

/**
 * What makes a trial's design point: everything of its spec but its id and replication. A trace
 * workload is named by its file's SHA-256, not by its path, so the same trace on another machine
 * gives the same point.
 */
export function designPoint(spec: TrialSpec): unknown {
  const { id: _id, replication: _replication, ...rest } = spec;
  void _id;
  void _replication;
  const workload = spec.workload.trace
    ? { ...spec.workload, trace: { ...spec.workload.trace, path: undefined } }
    : spec.workload;
  return { ...rest, workload };
}

/** Hash of a design point (hex SHA-256 of its stable JSON); trialKey combines it with the rest. */
export function designPointHash(spec: TrialSpec): string {
  return hash('sha256', stableJson(designPoint(spec)), 'hex');
}

/**
 * A trial's key: a hash of its design point, its replication and the engine version. The same
 * trial of any notebook, on any machine, has the same key; another engine version another one.
 */
export function trialKey(spec: TrialSpec, engineVersion = ENGINE_VERSION, pointHash?: string): string {
  return keyOfPoint(pointHash ?? designPointHash(spec), spec.replication ?? 0, engineVersion);
}

/** trialKey from a design point's hash (designPointHash) and a replication. */
export function keyOfPoint(pointHash: string, replication: number, engineVersion = ENGINE_VERSION): string {
  // crypto.hash: one call, about four times the pace of createHash().update().digest() here.
  return hash('sha256', `${pointHash}|r${replication}|${engineVersion}`, 'hex').slice(0, 32);
}

/** What a cached point hash was computed from, beyond the trial id (see TrialKeys). */
interface CachedPoint {
  hash: string;
  workload: TrialSpec['workload'];
  hardware: TrialSpec['hardware'];
  seed: number;
  rest: string;
}

/** The small fields of a spec a design sets for every trial: options, source failure, concurrency. */
const restOf = (spec: TrialSpec): string =>
  spec.strategyOptions === undefined &&
  spec.sourceFailureSeconds === undefined &&
  spec.concurrentMigrations === undefined
    ? ''
    : stableJson([spec.strategyOptions, spec.sourceFailureSeconds, spec.concurrentMigrations]);

/**
 * Keys of a lazily built list of specs, computing each design point's hash once: trials differ
 * only by replication within a point, so a million trials of a thousand points hash a thousand
 * points.
 *
 * One TrialKeys serves one design. Its cache is named by trial id without the replication, and
 * ids repeat across designs ("Minprog/pure-copy" in two notebooks' experiments with other
 * hardware, seeds or workload parameters), so a TrialKeys reused for another design's trials
 * would give the first design's keys. Guarded: a cached hash is used only for a spec with the same
 * workload and hardware objects (a design's trials share them per point; DesignTrials clones
 * workloads per design), seed and options; for any other, the point is hashed again, and if that
 * gives another hash the call throws, naming the id, instead of returning a wrong key.
 */
export class TrialKeys {
  private readonly points = new Map<string, CachedPoint>();

  constructor(private readonly engineVersion = ENGINE_VERSION) {}

  key(spec: TrialSpec): string {
    return trialKey(spec, this.engineVersion, this.point(spec));
  }

  /** The hash of a spec's design point (computed once per point). */
  point(spec: TrialSpec): string {
    const pointId = TrialKeys.pointId(spec);
    const found = this.points.get(pointId);
    if (
      found !== undefined &&
      found.workload === spec.workload &&
      found.hardware === spec.hardware &&
      found.seed === spec.seed &&
      found.rest === restOf(spec)
    )
      return found.hash;
    const hash = designPointHash(spec);
    if (found !== undefined && found.hash !== hash) {
      throw new Error(
        `trial keys: "${pointId}" names two different design points (a trial of another design?): ` +
          'a TrialKeys serves one design; make one per design',
      );
    }
    // The same point from another expansion of the design: the next trials of it match at once.
    this.points.set(pointId, {
      hash,
      workload: spec.workload,
      hardware: spec.hardware,
      seed: spec.seed,
      rest: restOf(spec),
    });
    return hash;
  }

  /** The id without its "/rN" suffix: names the design point within one design. */
  static pointId(spec: TrialSpec): string {
    return (spec.replication ?? 0) === 0 ? spec.id : spec.id.slice(0, spec.id.lastIndexOf('/'));
  }
}
