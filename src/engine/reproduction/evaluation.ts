import type { TrialMetrics, TrialResult } from '../experiment/trial';
import { mean as meanOf } from '../experiment/statistics';
import type { StrategyName } from '../model/migration';
import { REPRESENTATIVES } from '../workloads/representatives';
import { PAPER_PREFETCH_VALUES } from './designs';
import { intervalCell, round } from './format';
import type { Claim, FidelityEntry, PaperValues } from './report';
import { TrialIndex } from './trialIndex';

/**
 * The evaluation every table and check works with: the paper's values, the trials found by
 * (workload, strategy, prefetch, replication), and the fidelity list being built. Each check takes
 * its claim, section and tier from the claims register (resources/paper/claims.json).
 */

const relativeError = (ours: number, paper: number): number => (ours - paper) / paper;
export const messageSeconds = (m: TrialMetrics): number => m.messageSecondsSource + m.messageSecondsDest;
export const speedup = (m: TrialMetrics, copy: TrialMetrics): number =>
  (100 * (copy.endToEndSeconds - m.endToEndSeconds)) / copy.endToEndSeconds;

/** A check measured replication by replication (a vector of numbers each) and judged on the mean vector. */
export interface CheckDefinition {
  /** The claim's id in resources/paper/claims.json. */
  claim: string;
  /** The representative the check is about, where a claim is disputed for some only. */
  representative?: string;
  name: string;
  paper: number | string;
  tolerance: string;
  measure: (replication: number) => number[];
  pass: (values: number[]) => boolean;
  ours: (values: number[]) => number | string;
}

/** A check's claim, section, tier and knob from the register; disputed where the claim says so. */
export function tierOf(
  claims: readonly Claim[],
  id: string,
  representative: string | undefined,
): Pick<FidelityEntry, 'claim' | 'section' | 'tier' | 'knob'> {
  const claim = claims.find((candidate) => candidate.id === id);
  if (!claim || claim.tier === 'unchecked')
    throw new Error(`no checkable claim "${id}" in the claims register`);
  const disputed =
    claim.disputed !== undefined &&
    representative !== undefined &&
    claim.disputed.representatives.includes(representative);
  return {
    claim: id,
    section: claim.section,
    tier: disputed ? 'disputed' : claim.tier,
    ...(claim.knob && !disputed ? { knob: claim.knob } : {}),
  };
}

/** What every table function works with: the paper, the trials and the fidelity list being built. */
export class Evaluation {
  readonly names = REPRESENTATIVES.map((workload) => workload.name);
  readonly replications: number[];
  readonly fidelity: FidelityEntry[] = [];
  private readonly trials: TrialIndex;

  constructor(
    readonly paper: PaperValues,
    paperResults: readonly TrialResult[],
    readonly breakevenResults: readonly TrialResult[],
  ) {
    this.trials = new TrialIndex(paperResults);
    this.replications = this.trials.replications.length > 0 ? this.trials.replications : [0];
  }

  get(workload: string, strategy: StrategyName, prefetch: number, replication: number): TrialMetrics {
    return this.trials.get(workload, strategy, prefetch, replication);
  }

  /** The mean over replications of a per-replication value. */
  mean(value: (replication: number) => number): number {
    return meanOf(this.replications.map(value));
  }

  /**
   * A table cell: the value when every replication gives the same one, else "mean ± half-width"
   * of the 95% interval.
   */
  cell(value: (replication: number) => number, digits: number): number | string {
    return intervalCell(this.replications.map(value), digits);
  }

  check(definition: CheckDefinition): number[] {
    const vectors = this.replications.map(definition.measure);
    const values = vectors[0]!.map((_, index) => meanOf(vectors.map((vector) => vector[index]!)));
    const held = vectors.filter((vector) => definition.pass(vector)).length;
    this.fidelity.push({
      name: definition.name,
      paper: definition.paper,
      ours: definition.ours(values),
      tolerance: definition.tolerance,
      pass: definition.pass(values),
      ...tierOf(this.paper.claims, definition.claim, definition.representative),
      replications: vectors.length,
      replicationShare: held / vectors.length,
    });
    return values;
  }

  /** Within a relative tolerance of the paper's value; returns the mean's relative error. */
  within(
    claim: string,
    name: string,
    measure: (replication: number) => number,
    paperValue: number,
    tolerance: number,
    digits = 3,
  ): number {
    const [ours] = this.check({
      claim,
      name,
      paper: paperValue,
      tolerance: `±${Math.round(tolerance * 100)}%`,
      measure: (r) => [measure(r)],
      pass: ([value]) => Math.abs(relativeError(value!, paperValue)) <= tolerance,
      ours: ([value]) => round(value!, digits),
    });
    return relativeError(ours!, paperValue);
  }

  /** Within an absolute number of percentage points of the paper's value. */
  points(
    claim: string,
    name: string,
    measure: (replication: number) => number,
    paperValue: number,
    tolerance: number,
  ): void {
    this.check({
      claim,
      name,
      paper: paperValue,
      tolerance: `±${tolerance} points`,
      measure: (r) => [measure(r)],
      pass: ([value]) => Math.abs(value! - paperValue) <= tolerance,
      ours: ([value]) => round(value!, 1),
    });
  }
}

/** All paper variants of a representative: pure-copy, then pure-IOU and resident set at each prefetch value. */
export const VARIANTS: readonly [StrategyName, number][] = [
  ['pure-copy', 0],
  ...(['pure-iou', 'resident-set'] as const).flatMap((strategy) =>
    PAPER_PREFETCH_VALUES.map((prefetch): [StrategyName, number] => [strategy, prefetch]),
  ),
];
export const LISP = ['Lisp-T', 'Lisp-Del'];
export const PASMAC = ['PM-Start', 'PM-Mid', 'PM-End'];
export const spread = (values: number[]): number => Math.max(...values) / Math.min(...values);
