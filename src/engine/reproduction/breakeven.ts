import type { TrialResult } from '../experiment/trial';
import { mean as meanOf } from '../experiment/statistics';
import type { StrategyName } from '../model/migration';
import { syntheticWorkload } from '../workloads/representatives';
import { BREAKEVEN_FRACTIONS } from './designs';
import { tierOf } from './evaluation';
import type { Evaluation } from './evaluation';
import { intervalCell, round } from './format';
import type { ReproductionTable } from './report';
import { TrialIndex } from './trialIndex';

/** Section 4.3.4's breakeven: where pure-IOU stops beating pure-copy as a process touches more. */

const syntheticName = (fraction: number): string => syntheticWorkload(fraction).name;

/** The breakeven sweep's end-to-end seconds by share touched, per replication and as means. */
class BreakevenSweep {
  readonly replications: number[];
  private readonly index: TrialIndex;

  constructor(results: readonly TrialResult[]) {
    this.index = new TrialIndex(results);
    this.replications = this.index.replications.length > 0 ? this.index.replications : [0];
  }

  /** One replication's curve, NaN where a trial did not run or failed. */
  curve(strategy: StrategyName, r: number): number[] {
    return BREAKEVEN_FRACTIONS.map(
      (fraction) =>
        this.index.find(syntheticName(fraction), strategy, 0, r)?.metrics?.endToEndSeconds ?? Number.NaN,
    );
  }

  /** The mean curve over the replications. */
  meanCurve(strategy: StrategyName): number[] {
    const curves = this.replications.map((r) => this.curve(strategy, r));
    return BREAKEVEN_FRACTIONS.map((_, at) => meanOf(curves.map((curve) => curve[at]!)));
  }
}

/** Section 4.3.4's breakeven: the synthetic process's sweep as a table (means), and its check. */
export function breakevenTable(e: Evaluation): ReproductionTable {
  const sweep = new BreakevenSweep(e.breakevenResults);
  const { replications } = sweep;
  const curve = (strategy: StrategyName, r: number): number[] => sweep.curve(strategy, r);
  const points = breakevenPoints(sweep.meanCurve('pure-copy'), sweep.meanCurve('pure-iou'));
  const share = crossing(points);
  const inRange = (value: number | null): boolean => value !== null && value >= 0.2 && value <= 0.3;
  const perReplication = replications.map((r) =>
    crossing(breakevenPoints(curve('pure-copy', r), curve('pure-iou', r))),
  );
  const held = perReplication.filter(inRange).length;
  const crossings = perReplication
    .filter((value): value is number => value !== null)
    .map((value) => 100 * value);
  e.fidelity.push({
    name: 'Breakeven of pure-IOU against pure-copy, % of RealMem touched (section 4.3.4)',
    paper: 'about 25',
    ours: share === null ? 'none in sweep' : round(100 * share, 1),
    tolerance: '20 to 30',
    pass: inRange(share),
    ...tierOf(e.paper.claims, 'breakeven-25', undefined),
    replications: replications.length,
    replicationShare: held / replications.length,
  });
  return {
    id: 'breakeven',
    title: 'Breakeven: end-to-end seconds of a synthetic process by share of RealMem touched (section 4.3.4)',
    columns: ['Touched %', 'Pure-copy', 'Pure-IOU PF0', 'IOU faster'],
    rows: [
      ...points.map((p) => {
        const at = BREAKEVEN_FRACTIONS.indexOf(p.fraction as (typeof BREAKEVEN_FRACTIONS)[number]);
        const over = (strategy: StrategyName): number | string =>
          intervalCell(
            replications.map((r) => curve(strategy, r)[at]!),
            1,
          );
        return [
          round(100 * p.fraction, 1),
          over('pure-copy'),
          over('pure-iou'),
          p.iou < p.copy ? 'yes' : 'no',
        ];
      }),
      // Where each replication's own curves cross, over the replications that cross in the sweep.
      [
        'Breakeven %',
        crossings.length > 0 ? intervalCell(crossings, 1) : 'none in sweep',
        `${crossings.length} of ${replications.length} replications cross`,
        share === null ? '' : `mean curves: ${round(100 * share, 1)}`,
      ],
    ],
  };
}

interface BreakevenPoint {
  fraction: number;
  copy: number;
  iou: number;
}

function breakevenPoints(copy: number[], iou: number[]): BreakevenPoint[] {
  return BREAKEVEN_FRACTIONS.map((fraction, index) => ({
    fraction,
    copy: copy[index]!,
    iou: iou[index]!,
  })).filter((point) => Number.isFinite(point.copy) && Number.isFinite(point.iou));
}

/** Where pure-IOU stops beating pure-copy, by linear interpolation between the bracketing points. */
function crossing(points: readonly BreakevenPoint[]): number | null {
  for (let i = 1; i < points.length; i += 1) {
    const a = points[i - 1]!;
    const b = points[i]!;
    const da = a.iou - a.copy;
    const db = b.iou - b.copy;
    if (da < 0 && db >= 0) return a.fraction + ((b.fraction - a.fraction) * -da) / (db - da);
  }
  return null;
}

/** Where pure-IOU stops beating pure-copy end to end over the breakeven sweep (means over replications). */
export function breakevenShare(results: readonly TrialResult[]): {
  points: BreakevenPoint[];
  share: number | null;
} {
  const sweep = new BreakevenSweep(results);
  const points = breakevenPoints(sweep.meanCurve('pure-copy'), sweep.meanCurve('pure-iou'));
  return { points, share: crossing(points) };
}
