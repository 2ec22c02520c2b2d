import type { TrialMetrics, TrialResult } from '../experiment/trial';
import { mean as meanOf, summarize } from '../experiment/statistics';
import type { StrategyName } from '../model/migration';
import { REPRESENTATIVES, syntheticWorkload } from '../workloads/representatives';
import { BREAKEVEN_FRACTIONS, PAPER_PREFETCH_VALUES } from './designs';
import { TrialIndex } from './trialIndex';

/**
 * The comparison of our measurements with the published values (section 4), one function per
 * table. Nothing here feeds a published value into a trial: the values only appear beside ours.
 * Trials are defined once, in ./designs.ts, and found here by what they are (./trialIndex.ts).
 */

/** The published values, as transcribed in resources/paper/zayas-1987.json. */
export interface PaperValues {
  pageSizeBytes: number;
  representatives: string[];
  prefetchValues: number[];
  table4_1_addressSpaceBytes: { columns: string[]; rows: Record<string, number[]> };
  table4_2_residentSets: { columns: string[]; rows: Record<string, number[]> };
  table4_3_pctAddressSpaceShippedNoPrefetch: { columns: string[]; rows: Record<string, number[]> };
  table4_4_exciseSeconds: { columns: string[]; rows: Record<string, number[]> };
  insertSeconds: Record<string, number | string>;
  coreMessageTransferSeconds: { approx: number };
  table4_5_rimasTransferSeconds: { columns: string[]; rows: Record<string, number[]> };
  faultCosts: { imaginaryFaultMs: number; localDiskFaultMs: number };
  /** The claims register, resources/paper/claims.json (the loaders add it). */
  claims: readonly Claim[];
}

export interface ReproductionTable {
  id: string;
  title: string;
  columns: string[];
  rows: (string | number)[][];
  note?: string;
}

/**
 * How much a check can say about the model (resources/paper/claims.json, docs/model.md):
 * input (the workloads are built from it), calibrated (a knob was fitted to it), prediction
 * (nothing was fitted to it), disputed (the paper's own numbers contradict the claim there).
 */
export type Tier = 'input' | 'calibrated' | 'prediction' | 'disputed';

/** One statement of the paper, from the claims register (resources/paper/claims.json). */
export interface Claim {
  id: string;
  section: string;
  words: string;
  measure: string;
  tolerance: string;
  tier: Tier | 'unchecked';
  knob?: string;
  disputed?: { representatives: string[]; why: string };
  note?: string;
}

export interface FidelityEntry {
  name: string;
  paper: number | string;
  /** Ours on the mean over replications. */
  ours: number | string;
  tolerance: string;
  /** Judged on the mean over replications. */
  pass: boolean;
  /** The claim of the register this check measures. */
  claim: string;
  section: string;
  tier: Tier;
  /** For calibrated checks: what was fitted to this number. */
  knob?: string;
  replications: number;
  /** Share of the replications in which the check holds on its own (0 to 1). */
  replicationShare: number;
  /** From a seed study (`accent-lab seed-study`), when one is attached: share of seeds it holds in. */
  seedShare?: number;
  seeds?: number;
}

export interface ReproductionReport {
  tables: ReproductionTable[];
  fidelity: FidelityEntry[];
}

const round = (value: number, digits: number): number => {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
};
const decimalsOf = (value: number): number => (String(value).split('.')[1] ?? '').length;
const relativeError = (ours: number, paper: number): number => (ours - paper) / paper;
/** "12.3%"; an error that rounds to zero reads "0.0%", never "-0.0%". */
const percent = (value: number): string => {
  const text = (value * 100).toFixed(1);
  return `${text === '-0.0' ? '0.0' : text}%`;
};
const average = (values: number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;
/** A table cell over replications: the value when all agree (or one), else "mean ± 95% half-width". */
const intervalCell = (values: readonly number[], digits: number): number | string => {
  const summary = summarize(values);
  if (values.every((v) => v === values[0]) || !Number.isFinite(summary.halfWidth)) {
    return round(summary.mean, digits);
  }
  return `${round(summary.mean, digits)} ± ${round(summary.halfWidth, digits)}`;
};
const messageSeconds = (m: TrialMetrics): number => m.messageSecondsSource + m.messageSecondsDest;
const speedup = (m: TrialMetrics, copy: TrialMetrics): number =>
  (100 * (copy.endToEndSeconds - m.endToEndSeconds)) / copy.endToEndSeconds;

/** A check measured replication by replication (a vector of numbers each) and judged on the mean vector. */
interface CheckDefinition {
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

/**
 * The headline: predictions and calibrated checks apart, disputed ones shown, inputs only restated:
 * "predictions 31/33 · calibrated 52/52 · disputed 3/5 shown · inputs 42 restated", and with a seed
 * study, how many predictions hold in at least 90% of the seeds.
 */
export function fidelityHeadline(entries: readonly FidelityEntry[]): string {
  const of = (tier: Tier): FidelityEntry[] => entries.filter((entry) => entry.tier === tier);
  const held = (list: FidelityEntry[]): string =>
    `${list.filter((entry) => entry.pass).length}/${list.length}`;
  const predictions = of('prediction');
  const seeded = predictions.some((entry) => entry.seedShare !== undefined)
    ? ` (in >= 90% of seeds: ${predictions.filter((entry) => (entry.seedShare ?? 0) >= 0.9).length}/${predictions.length})`
    : '';
  return (
    `predictions ${held(predictions)}${seeded} \u00b7 calibrated ${held(of('calibrated'))} \u00b7 ` +
    `disputed ${held(of('disputed'))} shown \u00b7 inputs ${of('input').length} restated`
  );
}

/** A check's claim, section, tier and knob from the register; disputed where the claim says so. */
function tierOf(
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
class Evaluation {
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
    const values = this.replications.map(value);
    const summary = summarize(values);
    if (values.every((v) => v === values[0]) || !Number.isFinite(summary.halfWidth)) {
      return round(summary.mean, digits);
    }
    return `${round(summary.mean, digits)} ± ${round(summary.halfWidth, digits)}`;
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

/** Compare our measurements with the paper's. */
export function reproductionReport(
  paperResults: readonly TrialResult[],
  breakevenResults: readonly TrialResult[],
  paper: PaperValues,
): ReproductionReport {
  const evaluation = new Evaluation(paper, paperResults, breakevenResults);
  const tables = [
    table4_1(evaluation),
    table4_2(evaluation),
    table4_3(evaluation),
    table4_4(evaluation),
    table4_5(evaluation),
    ...figures4_1to4_4(evaluation),
    figure4_5(paperResults),
  ];
  sizeChecks(evaluation);
  excisionChecks(evaluation);
  transferChecks(evaluation);
  costChecks(evaluation);
  tables.push(breakevenTable(evaluation));
  remoteExecutionChecks(evaluation);
  prefetchChecks(evaluation);
  endToEndChecks(evaluation);
  residentSetChecks(evaluation);
  trafficChecks(evaluation);
  return { tables, fidelity: evaluation.fidelity };
}

/** Table 4-1: composition at migration time, exact. */
function table4_1(e: Evaluation): ReproductionTable {
  const pageSize = e.paper.pageSizeBytes;
  const rows = e.names.map((name) => {
    const [pReal, pZero, pTotal, pPct] = e.paper.table4_1_addressSpaceBytes.rows[name]!;
    const [real, zero] = e.check({
      claim: 't4-1',
      name: `Table 4-1 ${name} (Real, RealZ, Total, %RealZ)`,
      paper: `${pReal} / ${pZero} / ${pTotal} / ${pPct}`,
      tolerance: 'exact',
      measure: (r) => {
        const m = e.get(name, 'pure-copy', 0, r);
        return [m.realPages * pageSize, m.realZeroPages * pageSize];
      },
      pass: ([real, zero]) =>
        real === pReal &&
        zero === pZero &&
        real! + zero! === pTotal &&
        round((100 * zero!) / (real! + zero!), 1) === pPct,
      ours: ([real, zero]) =>
        `${real} / ${zero} / ${real! + zero!} / ${round((100 * zero!) / (real! + zero!), 1)}`,
    });
    const pct = round((100 * zero!) / (real! + zero!), 1);
    return [name, pReal!, real!, pZero!, zero!, pTotal!, real! + zero!, pPct!, pct];
  });
  return {
    id: 'table4_1',
    title: 'Table 4-1: Representative address space sizes in bytes',
    columns: [
      'Representative',
      'Real (paper)',
      'Real',
      'RealZ (paper)',
      'RealZ',
      'Total (paper)',
      'Total',
      '%RealZ (paper)',
      '%RealZ',
    ],
    rows,
  };
}

/** Table 4-2: resident sets, exact at the paper's precision. */
function table4_2(e: Evaluation): ReproductionTable {
  const pageSize = e.paper.pageSizeBytes;
  const rows = e.names.map((name) => {
    const [pRs, pReal, pTotal] = e.paper.table4_2_residentSets.rows[name]!;
    const shares = ([resident, real, zero]: number[]): number[] => [
      resident! * pageSize,
      round((100 * resident!) / real!, decimalsOf(pReal!)),
      round((100 * resident!) / (real! + zero!), decimalsOf(pTotal!)),
    ];
    const measured = e.check({
      claim: 't4-2',
      name: `Table 4-2 ${name} (RS size, % of Real, % of Total)`,
      paper: `${pRs} / ${pReal} / ${pTotal}`,
      tolerance: 'exact',
      measure: (r) => {
        const m = e.get(name, 'pure-copy', 0, r);
        return [m.residentPages, m.realPages, m.realZeroPages];
      },
      pass: (values) => {
        const [rs, ofReal, ofTotal] = shares(values);
        return rs === pRs && ofReal === pReal && ofTotal === pTotal;
      },
      ours: (values) => shares(values).join(' / '),
    });
    const [rs, ofReal, ofTotal] = shares(measured);
    return [name, pRs!, rs!, pReal!, ofReal!, pTotal!, ofTotal!];
  });
  return {
    id: 'table4_2',
    title: 'Table 4-2: Representative resident sets',
    columns: [
      'Representative',
      'RS bytes (paper)',
      'RS bytes',
      '% of Real (paper)',
      '% of Real',
      '% of Total (paper)',
      '% of Total',
    ],
    rows,
  };
}

/** Table 4-3: share of the address space shipped, no prefetch; within 1 percentage point. */
function table4_3(e: Evaluation): ReproductionTable {
  const labels = ['IOU % of Real', 'IOU % of Total', 'RS % of Real', 'RS % of Total'];
  const rows = e.names.map((name) => {
    const shipped = (r: number): number[] => {
      const iou = e.get(name, 'pure-iou', 0, r);
      const rs = e.get(name, 'resident-set', 0, r);
      const total = iou.realPages + iou.realZeroPages;
      const iouPages = iou.pagesShippedAtMigration + iou.pagesDeliveredByFaults;
      const rsPages = rs.pagesShippedAtMigration + rs.pagesDeliveredByFaults;
      return [
        (100 * iouPages) / iou.realPages,
        (100 * iouPages) / total,
        (100 * rsPages) / rs.realPages,
        (100 * rsPages) / total,
      ];
    };
    const published = e.paper.table4_3_pctAddressSpaceShippedNoPrefetch.rows[name]!;
    const row: (string | number)[] = [name];
    labels.forEach((label, index) => {
      e.check({
        claim: index < 2 ? 't4-3-iou' : 't4-3-rs',
        name: `Table 4-3 ${name} ${label}`,
        paper: published[index]!,
        tolerance: '±1 point',
        measure: (r) => [shipped(r)[index]!],
        pass: ([value]) => Math.abs(value! - published[index]!) <= 1,
        ours: ([value]) => round(value!, 3),
      });
      row.push(
        published[index]!,
        // Ours to the precision of the published value beside it (at least one decimal).
        e.cell((r) => shipped(r)[index]!, Math.max(1, decimalsOf(published[index]!))),
      );
    });
    return row;
  });
  return {
    id: 'table4_3',
    title: 'Table 4-3: Percent of address space accessed (shipped), no prefetch',
    columns: [
      'Representative',
      'IOU %Real (paper)',
      'IOU %Real',
      'IOU %Total (paper)',
      'IOU %Total',
      'RS %Real (paper)',
      'RS %Real',
      'RS %Total (paper)',
      'RS %Total',
    ],
    rows,
  };
}

/** Table 4-4 and insertion (section 4.3.1): within 15%. */
function table4_4(e: Evaluation): ReproductionTable {
  const rows = e.names.map((name) => {
    const copy = (r: number): TrialMetrics => e.get(name, 'pure-copy', 0, r);
    const [pAmap, pRimas, pOverall] = e.paper.table4_4_exciseSeconds.rows[name]!;
    const errors = [
      e.within('t4-4-amap', `Table 4-4 ${name} AMap construction`, (r) => copy(r).amapSeconds, pAmap!, 0.15),
      e.within(
        't4-4-rimas',
        `Table 4-4 ${name} RIMAS creation`,
        (r) => copy(r).rimasCollapseSeconds,
        pRimas!,
        0.15,
      ),
      e.within(
        't4-4-overall',
        `Table 4-4 ${name} overall excision`,
        (r) => copy(r).exciseSeconds,
        pOverall!,
        0.15,
      ),
    ];
    const publishedInsert = e.paper.insertSeconds[name];
    let insertPaper: number | string = '-';
    if (typeof publishedInsert === 'number') {
      insertPaper = publishedInsert;
      e.within(
        'insert',
        `Insertion ${name} (section 4.3.1)`,
        (r) => copy(r).insertSeconds,
        publishedInsert,
        0.15,
      );
    }
    return [
      name,
      pAmap!,
      e.cell((r) => copy(r).amapSeconds, 2),
      percent(errors[0]!),
      pRimas!,
      e.cell((r) => copy(r).rimasCollapseSeconds, 2),
      percent(errors[1]!),
      pOverall!,
      e.cell((r) => copy(r).exciseSeconds, 2),
      percent(errors[2]!),
      insertPaper,
      e.cell((r) => copy(r).insertSeconds, 3),
    ];
  });
  return {
    id: 'table4_4',
    title: 'Table 4-4: Process excision times in seconds (and insertion, section 4.3.1)',
    columns: [
      'Representative',
      'AMap (paper)',
      'AMap',
      'err',
      'RIMAS (paper)',
      'RIMAS',
      'err',
      'Overall (paper)',
      'Overall',
      'err',
      'Insert (paper)',
      'Insert',
    ],
    rows,
    note: 'The paper publishes insertion only for Minprog (263 ms) and Lisp-Del (853 ms).',
  };
}

/** Table 4-5 and the Core message (section 4.3.2): within 10% per cell; Core about one second. */
function table4_5(e: Evaluation): ReproductionTable {
  const rows = e.names.map((name) => {
    const [pIou, pRs, pCopy] = e.paper.table4_5_rimasTransferSeconds.rows[name]!;
    const iou = (r: number): number => e.get(name, 'pure-iou', 0, r).rimasTransferSeconds;
    const rs = (r: number): number => e.get(name, 'resident-set', 0, r).rimasTransferSeconds;
    const copy = (r: number): number => e.get(name, 'pure-copy', 0, r).rimasTransferSeconds;
    const errors = [
      e.within('t4-5-iou', `Table 4-5 ${name} pure-IOU`, iou, pIou!, 0.1),
      e.within('t4-5-rs', `Table 4-5 ${name} resident set`, rs, pRs!, 0.1),
      e.within('t4-5-copy', `Table 4-5 ${name} pure-copy`, copy, pCopy!, 0.1),
    ];
    const core = (r: number): number => e.get(name, 'pure-copy', 0, r).coreTransferSeconds;
    e.within(
      'core-1s',
      `Core message ${name} (section 4.3.2)`,
      core,
      e.paper.coreMessageTransferSeconds.approx,
      0.2,
    );
    return [
      name,
      pIou!,
      e.cell(iou, 2),
      percent(errors[0]!),
      pRs!,
      e.cell(rs, 1),
      percent(errors[1]!),
      pCopy!,
      e.cell(copy, 1),
      percent(errors[2]!),
      e.cell(core, 2),
    ];
  });
  return {
    id: 'table4_5',
    title: 'Table 4-5: Address space (RIMAS) transfer times in seconds, and the Core message',
    columns: [
      'Representative',
      'Pure-IOU (paper)',
      'Pure-IOU',
      'err',
      'RS (paper)',
      'RS',
      'err',
      'Copy (paper)',
      'Copy',
      'err',
      'Core',
    ],
    rows,
    note: 'Section 4.3.2: the Core message takes approximately one second in all cases.',
  };
}

/** Figures 4-1 to 4-4 as tables: remote execution, speedup, bytes, message time. */
function figures4_1to4_4(e: Evaluation): ReproductionTable[] {
  const columnsByStrategy = [
    'Copy',
    ...PAPER_PREFETCH_VALUES.map((n) => `IOU PF${n}`),
    ...PAPER_PREFETCH_VALUES.map((n) => `RS PF${n}`),
  ];
  type Cell = (m: TrialMetrics, copy: TrialMetrics) => number;
  const figureRows = (
    value: Cell,
    format: (value: (r: number) => number) => string | number,
    includeCopy = true,
  ) =>
    e.names.map((name) => {
      const copy = (r: number): TrialMetrics => e.get(name, 'pure-copy', 0, r);
      const row: (string | number)[] = [name];
      if (includeCopy) row.push(format((r) => value(copy(r), copy(r))));
      for (const strategy of ['pure-iou', 'resident-set'] as const) {
        for (const prefetch of PAPER_PREFETCH_VALUES) {
          row.push(format((r) => value(e.get(name, strategy, prefetch, r), copy(r))));
        }
      }
      return row;
    });
  const messageTimes = (m: TrialMetrics): [number, number] => [m.messageSecondsSource, m.messageSecondsDest];
  return [
    {
      id: 'figure4_1',
      title: 'Figure 4-1: Remote execution times in seconds',
      columns: ['Representative', ...columnsByStrategy],
      rows: figureRows(
        (m) => m.remoteExecSeconds,
        (value) => e.cell(value, 2),
      ),
    },
    {
      id: 'figure4_2',
      title: 'Figure 4-2: Percent end-to-end speedup over pure-copy (transfer + remote execution)',
      columns: ['Representative', ...columnsByStrategy.slice(1)],
      rows: figureRows(speedup, (value) => e.cell(value, 1), false),
    },
    {
      id: 'figure4_3',
      title: 'Figure 4-3: Bytes transferred during trials',
      columns: ['Representative', ...columnsByStrategy],
      rows: figureRows(
        (m) => m.bytesTotal,
        (value) => e.cell(value, 0),
      ),
    },
    {
      id: 'figure4_4',
      title: 'Figure 4-4: Total message-handling time in seconds, source / destination',
      columns: ['Representative', ...columnsByStrategy],
      rows: e.names.map((name) => {
        const variants: [StrategyName, number][] = [
          ['pure-copy', 0],
          ...(['pure-iou', 'resident-set'] as const).flatMap((strategy) =>
            PAPER_PREFETCH_VALUES.map((prefetch): [StrategyName, number] => [strategy, prefetch]),
          ),
        ];
        return [
          name,
          ...variants.map(([strategy, prefetch]) => {
            const [source, dest] = [0, 1].map((side) =>
              e.mean((r) => messageTimes(e.get(name, strategy, prefetch, r))[side]!),
            );
            return `${source!.toFixed(1)} / ${dest!.toFixed(1)}`;
          }),
        ];
      }),
    },
  ];
}

/**
 * Figure 4-5 as a table: Lisp-Del's byte rates at prefetch 0, mean ± 95% interval over the
 * replications (the series of the first replication are in results.json).
 */
function figure4_5(paperResults: readonly TrialResult[]): ReproductionTable {
  const lispDel = paperResults.filter((r) => r.workload === 'Lisp-Del' && r.prefetch === 0 && r.ok);
  const strategies = [...new Set(lispDel.map((r) => r.strategy))];
  return {
    id: 'figure4_5',
    title:
      'Figure 4-5: Byte transfer rates for Lisp-Del, no prefetch, mean ± 95% interval over replications (series in results.json)',
    columns: ['Strategy', 'Duration (s)', 'Peak rate (B/s)', 'Mean rate (B/s)', 'Fault bytes', 'Other bytes'],
    rows: strategies.map((strategy) => {
      const runs = lispDel.filter((r) => r.strategy === strategy);
      const of = (value: (r: TrialResult) => number, digits: number): number | string =>
        intervalCell(runs.map(value), digits);
      return [
        strategy,
        of((r) => r.metrics!.totalSeconds, 1),
        // The series counts bytes per bin; a rate is per second whatever the bin. A stored notebook
        // may keep the series of some replications only.
        peak(runs),
        of((r) => r.metrics!.bytesTotal / r.metrics!.totalSeconds, 0),
        of((r) => r.metrics!.bytesFault, 0),
        of((r) => r.metrics!.bytesTotal - r.metrics!.bytesFault, 0),
      ];
    }),
  };
}

/** The largest byte rate (B/s) over the trials that carry a series, mean ± interval; "-" if none does. */
function peak(runs: readonly TrialResult[]): number | string {
  const peaks = runs
    .filter((r) => r.series)
    .map((r) => {
      const series = r.series!;
      return Math.max(...series.fault.map((fault, i) => fault + series.other[i]!)) / series.binSeconds;
    });
  return peaks.length > 0 ? intervalCell(peaks, 0) : '-';
}

/** All paper variants of a representative: pure-copy, then pure-IOU and resident set at each prefetch value. */
const VARIANTS: readonly [StrategyName, number][] = [
  ['pure-copy', 0],
  ...(['pure-iou', 'resident-set'] as const).flatMap((strategy) =>
    PAPER_PREFETCH_VALUES.map((prefetch): [StrategyName, number] => [strategy, prefetch]),
  ),
];
const LISP = ['Lisp-T', 'Lisp-Del'];
const PASMAC = ['PM-Start', 'PM-Mid', 'PM-End'];
const spread = (values: number[]): number => Math.max(...values) / Math.min(...values);

/** Sections 4.2.1 and 4.2.2: the ratios the paper draws from Tables 4-1 and 4-2 (inputs). */
function sizeChecks(e: Evaluation): void {
  const pages = (r: number, metric: (m: TrialMetrics) => number): number[] =>
    e.names.map((name) => metric(e.get(name, 'pure-copy', 0, r)));
  e.check({
    claim: 'size-factors',
    name: 'Address spaces: largest / smallest Total, and Real (section 4.2.1: 12,803 and 15)',
    paper: '12803 / 15',
    tolerance: 'exact at the paper\u2019s rounding',
    measure: (r) => [
      spread(pages(r, (m) => m.realPages + m.realZeroPages)),
      spread(pages(r, (m) => m.realPages)),
    ],
    pass: ([total, real]) => Math.round(total!) === 12803 && Math.round(real!) === 15,
    ours: ([total, real]) => `${round(total!, 1)} / ${round(real!, 2)}`,
  });
  e.check({
    claim: 'rs-range',
    name: 'Resident sets: largest / smallest, and without Minprog (section 4.2.2: 4 and 2.7)',
    paper: '4 / 2.7',
    tolerance: 'exact at the paper\u2019s rounding',
    measure: (r) => {
      const resident = pages(r, (m) => m.residentPages);
      return [spread(resident), spread(resident.filter((_, index) => e.names[index] !== 'Minprog'))];
    },
    pass: ([all, withoutMinprog]) => Math.round(all!) === 4 && round(withoutMinprog!, 1) === 2.7,
    ours: ([all, withoutMinprog]) => `${round(all!, 2)} / ${round(withoutMinprog!, 2)}`,
  });
}

/** Sections 4.3 and 4.3.1: excision is the same whatever the strategy; the factors across the samples. */
function excisionChecks(e: Evaluation): void {
  e.check({
    claim: 'excise-insensitive',
    name: 'Excision time the same under every strategy and prefetch: largest spread over representatives, % (section 4.3)',
    paper: 'insensitive',
    tolerance: 'under 1%',
    measure: (r) => [
      100 *
        Math.max(
          ...e.names.map(
            (name) =>
              spread(
                VARIANTS.map(([strategy, prefetch]) => e.get(name, strategy, prefetch, r).exciseSeconds),
              ) - 1,
          ),
        ),
    ],
    pass: ([value]) => value! < 1,
    ours: ([value]) => round(value!, 3),
  });
  const across = (metric: (m: TrialMetrics) => number) => (r: number) =>
    spread(e.names.map((name) => metric(e.get(name, 'pure-copy', 0, r))));
  e.within(
    'excise-factor',
    'Excision, largest / smallest (section 4.3.1: a factor of 4)',
    across((m) => m.exciseSeconds),
    round(3.38 / 0.82, 2),
    0.15,
    2,
  );
  e.within(
    'insert-factor',
    'Insertion, largest / smallest (section 4.3.1: a factor of 3.3)',
    across((m) => m.insertSeconds),
    3.3,
    0.15,
    2,
  );
}

/** Section 4.3.2 and the conclusions: how transfer costs grow with the address space. */
function transferChecks(e: Evaluation): void {
  const rimas = (strategy: StrategyName) => (r: number) =>
    e.names.map((name) => e.get(name, strategy, 0, r).rimasTransferSeconds);
  e.within(
    'copy-factor-20',
    'Pure-copy RIMAS transfer, largest / smallest (section 4.3.2: a factor of 20)',
    (r) => spread(rimas('pure-copy')(r)),
    round(168.5 / 8.5, 1),
    0.15,
    1,
  );
  e.within(
    'copy-1000x',
    'Lisp-Del RIMAS transfer, pure-copy / pure-IOU (section 4.3.2: almost 1,000 times)',
    (r) =>
      e.get('Lisp-Del', 'pure-copy', 0, r).rimasTransferSeconds /
      e.get('Lisp-Del', 'pure-iou', 0, r).rimasTransferSeconds,
    Math.round(168.5 / 0.17),
    0.2,
    0,
  );
  e.check({
    claim: 'cor-flat',
    name: 'Pure-IOU RIMAS transfer, largest / smallest, while RealMem varies 15-fold (section 6)',
    paper: 'no linear growth',
    tolerance: 'under 1.5',
    measure: (r) => [spread(rimas('pure-iou')(r))],
    pass: ([value]) => value! < 1.5,
    ours: ([value]) => round(value!, 2),
  });
}

/** Sections 4.4.1 and 4.4.2 (bytes, message time) and 4.3.3 (fault costs). */
function costChecks(e: Evaluation): void {
  const savings = (metric: (m: TrialMetrics) => number) => (r: number) =>
    100 *
    average(
      e.names.map(
        (name) => 1 - metric(e.get(name, 'pure-iou', 0, r)) / metric(e.get(name, 'pure-copy', 0, r)),
      ),
    );
  e.points(
    'bytes-58',
    'Bytes exchanged, pure-IOU PF0 vs pure-copy: mean saving % (section 4.4.1)',
    savings((m) => m.bytesTotal),
    58.2,
    5,
  );
  e.points(
    'msg-47.8',
    'Message-handling time, pure-IOU PF0 vs pure-copy: mean saving % (section 4.4.2)',
    savings(messageSeconds),
    47.8,
    5,
  );
  e.within(
    'fault-115',
    'Imaginary fault, mean over pure-IOU PF0 trials, ms (section 4.3.3)',
    (r) => {
      const trials = e.names.map((name) => e.get(name, 'pure-iou', 0, r));
      const faults = trials.reduce((sum, m) => sum + m.imaginaryFaults, 0);
      return trials.reduce((sum, m) => sum + m.meanImaginaryFaultMs * m.imaginaryFaults, 0) / faults;
    },
    e.paper.faultCosts.imaginaryFaultMs,
    0.1,
    1,
  );
  e.within(
    'disk-40.8',
    'Local disk fault, mean over all trials, ms (section 4.3.3)',
    (r) => {
      const trials = e.names
        .flatMap((name) => VARIANTS.map(([strategy, prefetch]) => e.get(name, strategy, prefetch, r)))
        .filter((m) => m.diskFaults > 0);
      const faults = trials.reduce((sum, m) => sum + m.diskFaults, 0);
      return trials.reduce((sum, m) => sum + m.meanDiskFaultMs * m.diskFaults, 0) / Math.max(1, faults);
    },
    e.paper.faultCosts.localDiskFaultMs,
    0.05,
    1,
  );
}

/** Section 4.3.4's breakeven: the synthetic process's sweep as a table (means), and its check. */
function breakevenTable(e: Evaluation): ReproductionTable {
  const index = new TrialIndex(e.breakevenResults);
  const replications = index.replications.length > 0 ? index.replications : [0];
  const curve = (strategy: StrategyName, r: number): number[] =>
    BREAKEVEN_FRACTIONS.map(
      (fraction) =>
        index.find(syntheticName(fraction), strategy, 0, r)?.metrics?.endToEndSeconds ?? Number.NaN,
    );
  const meanCurve = (strategy: StrategyName): number[] =>
    BREAKEVEN_FRACTIONS.map((_, at) => meanOf(replications.map((r) => curve(strategy, r)[at]!)));
  const points = breakevenPoints(meanCurve('pure-copy'), meanCurve('pure-iou'));
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

/** Section 4.3.3: Minprog (44x) and Chess (about 3%). */
function remoteExecutionChecks(e: Evaluation): void {
  const remote = (name: string, strategy: StrategyName, r: number, prefetch = 0): number =>
    e.get(name, strategy, prefetch, r).remoteExecSeconds;
  e.within(
    'minprog-44x',
    'Minprog remote execution, pure-IOU / pure-copy (section 4.3.3: 44x)',
    (r) => remote('Minprog', 'pure-iou', r) / remote('Minprog', 'pure-copy', r),
    44,
    0.2,
    1,
  );
  e.check({
    claim: 'chess-3pct',
    name: 'Chess remote execution, pure-IOU longer than pure-copy by % (section 4.3.3: about 3%)',
    paper: 3,
    tolerance: '0 to 5',
    measure: (r) => [100 * (remote('Chess', 'pure-iou', r) / remote('Chess', 'pure-copy', r) - 1)],
    pass: ([longer]) => longer! > 0 && longer! < 5,
    ours: ([longer]) => round(longer!, 2),
  });
  for (const name of LISP) {
    e.check({
      claim: 'lisp-suffers-prefetch',
      representative: name,
      name: `Lisp suffers from more prefetch: remote execution, pure-IOU PF15 vs PF1, ${name} (section 4.3.3)`,
      paper: 'PF15 > PF1',
      tolerance: 'PF15 > PF1',
      measure: (r) => [remote(name, 'pure-iou', r, 15), remote(name, 'pure-iou', r, 1)],
      pass: ([pf15, pf1]) => pf15! > pf1!,
      ours: ([pf15, pf1]) => `${round(pf15!, 2)} vs ${round(pf1!, 2)}`,
    });
  }
  e.within(
    'pasmac-factor-2',
    'Pasmac remote execution, pure-IOU PF0 / PF15, largest over PM-Start, PM-Mid, PM-End (section 4.3.3: up to 2x)',
    (r) =>
      Math.max(...PASMAC.map((name) => remote(name, 'pure-iou', r, 0) / remote(name, 'pure-iou', r, 15))),
    2,
    0.25,
    2,
  );
}

/** Prefetch (sections 4.3.3, 4.3.4, 4.4.2): PF1 against PF0, hit ratios. */
function prefetchChecks(e: Evaluation): void {
  for (const strategy of ['pure-iou', 'resident-set'] as const) {
    for (const name of e.names) {
      e.check({
        claim: 'pf1-improves',
        representative: strategy === 'pure-iou' ? name : `${name} (resident set)`,
        name: `Prefetch 1 beats prefetch 0 end to end, ${strategy === 'pure-iou' ? 'pure-IOU' : 'resident set'}, ${name}`,
        paper: 'PF1 < PF0',
        tolerance: 'PF1 < PF0',
        measure: (r) => [
          e.get(name, strategy, 1, r).endToEndSeconds,
          e.get(name, strategy, 0, r).endToEndSeconds,
        ],
        pass: ([pf1, pf0]) => pf1! < pf0!,
        ours: ([pf1, pf0]) => `${round(pf1!, 2)} vs ${round(pf0!, 2)}`,
      });
    }
  }
  const hitRatio = (workloads: string[], prefetch: number, r: number): number => {
    const trials = workloads.map((name) => e.get(name, 'pure-iou', prefetch, r));
    const prefetched = trials.reduce((sum, m) => sum + m.prefetchedPages, 0);
    return prefetched === 0 ? 0 : trials.reduce((sum, m) => sum + m.prefetchHits, 0) / prefetched;
  };
  e.points(
    'lisp-hit-40',
    'Lisp prefetched-page hit ratio %, pure-IOU PF1 (section 4.3.3: around 40%)',
    (r) => 100 * hitRatio(LISP, 1, r),
    40,
    10,
  );
  e.points(
    'lisp-hit-20',
    'Lisp prefetched-page hit ratio %, pure-IOU PF15 (section 4.3.3: around 20%)',
    (r) => 100 * hitRatio(LISP, 15, r),
    20,
    8,
  );
  for (const prefetch of PAPER_PREFETCH_VALUES.filter((n) => n > 0)) {
    e.points(
      'pasmac-hit-78',
      `Pasmac prefetched-page hit ratio %, pure-IOU PF${prefetch} (section 4.3.3: steady 78%)`,
      (r) => 100 * hitRatio(PASMAC, prefetch, r),
      78,
      8,
    );
  }
}

/** Section 4.3.4: end-to-end speedups over pure-copy. */
function endToEndChecks(e: Evaluation): void {
  const gain = (name: string, strategy: StrategyName, prefetch: number, r: number): number =>
    speedup(e.get(name, strategy, prefetch, r), e.get(name, 'pure-copy', 0, r));
  for (const name of ['Minprog', 'Lisp-T', 'Lisp-Del']) {
    e.check({
      claim: 'small-touch-wins',
      representative: name,
      name: `Touching little, pure-IOU PF0 beats pure-copy end to end: speedup %, ${name} (section 4.3.4)`,
      paper: 'a speedup',
      tolerance: '> 0',
      measure: (r) => [gain(name, 'pure-iou', 0, r)],
      pass: ([value]) => value! > 0,
      ours: ([value]) => round(value!, 1),
    });
  }
  for (const name of PASMAC) {
    e.check({
      claim: 'past-breakeven',
      representative: name,
      name: `Past the breakeven, pure-IOU PF0 loses to pure-copy end to end: speedup %, ${name} (section 4.3.4)`,
      paper: 'a slowdown',
      tolerance: '< 0',
      measure: (r) => [gain(name, 'pure-iou', 0, r)],
      pass: ([value]) => value! < 0,
      ours: ([value]) => round(value!, 1),
    });
  }
  e.check({
    claim: 'chess-insensitive',
    representative: 'Chess',
    name: 'Chess insensitive to the transfer method: largest |speedup| % over the pure-IOU and resident-set variants (section 4.3.4)',
    paper: 'insensitive',
    tolerance: 'within ±5%',
    measure: (r) => VARIANTS.slice(1).map(([strategy, prefetch]) => gain('Chess', strategy, prefetch, r)),
    pass: (values) => values.every((value) => Math.abs(value) <= 5),
    ours: (values) => round(Math.max(...values.map(Math.abs)), 1),
  });
  const pasmacSpeedup = (prefetch: number, r: number): number =>
    average(PASMAC.map((name) => gain(name, 'pure-iou', prefetch, r)));
  for (const [prefetch, paperValue, words] of [
    [0, -21, '21% slowdown'],
    [15, 44, '44% speedup'],
  ] as const) {
    e.check({
      claim: 'pasmac-21-44',
      name: `Pasmac mean end-to-end speedup %, pure-IOU PF${prefetch} (section 4.3.4: ${words})`,
      paper: paperValue,
      tolerance: '±10 points',
      measure: (r) => [pasmacSpeedup(prefetch, r)],
      pass: ([value]) => Math.abs(value! - paperValue) <= 10,
      ours: ([value]) => round(value!, 1),
    });
  }
  for (const name of e.names.filter((candidate) => candidate !== 'Chess')) {
    e.check({
      claim: 'cor-beats-copy',
      representative: name,
      name: `With the best prefetch, pure-IOU beats pure-copy end to end by >= 10%: best speedup %, ${name} (section 4.3.4)`,
      paper: 'significantly faster',
      tolerance: '>= 10',
      measure: (r) => PAPER_PREFETCH_VALUES.map((prefetch) => gain(name, 'pure-iou', prefetch, r)),
      pass: (values) => Math.max(...values) >= 10,
      ours: (values) => round(Math.max(...values), 1),
    });
  }
}

/** Resident sets (sections 4.3.3, 4.3.4 and 4.4.3). */
function residentSetChecks(e: Evaluation): void {
  // The paper: a "significant impact" only on Lisp-T and Minprog. We read significant as
  // cutting remote execution by at least 40% (averaged over the prefetch values).
  const noticeable = 0.4;
  for (const name of e.names) {
    const expected = name === 'Lisp-T' || name === 'Minprog';
    const meets = (shortening: number): boolean => expected === shortening >= noticeable;
    e.check({
      claim: 'rs-significant',
      representative: name,
      name: `Resident set shortens remote execution noticeably (>= ${noticeable * 100}% on average): ${name}`,
      paper: expected ? 'yes' : 'no',
      tolerance: expected ? `>= ${noticeable * 100}%` : `< ${noticeable * 100}%`,
      measure: (r) => [
        average(
          PAPER_PREFETCH_VALUES.map(
            (n) =>
              1 -
              e.get(name, 'resident-set', n, r).remoteExecSeconds /
                e.get(name, 'pure-iou', n, r).remoteExecSeconds,
          ),
        ),
      ],
      pass: ([shortening]) => meets(shortening!),
      ours: ([shortening]) => `${meets(shortening!) ? '' : 'not as expected: '}${percent(shortening!)}`,
    });
    // Per prefetch value: resident set minus pure-IOU, end to end; the set pays where it is negative.
    e.check({
      claim: 'rs-never-pays',
      representative: name,
      name: `Resident set never pays its way end to end against pure-IOU at the same prefetch: ${name}`,
      paper: 'never',
      tolerance: 'never',
      measure: (r) =>
        PAPER_PREFETCH_VALUES.map(
          (n) =>
            e.get(name, 'resident-set', n, r).endToEndSeconds - e.get(name, 'pure-iou', n, r).endToEndSeconds,
        ),
      pass: (differences) => differences.every((difference) => !(difference < 0)),
      ours: (differences) => {
        const pays = PAPER_PREFETCH_VALUES.filter((_, index) => differences[index]! < 0);
        return pays.length === 0 ? 'never' : `pays at PF ${pays.join(', ')}`;
      },
    });
  }
  e.check({
    claim: 'lispdel-rs-no-gain',
    representative: 'Lisp-Del',
    name: 'Lisp-Del end to end, resident set PF0 / pure-IOU PF0 (section 4.4.3: no significant gain)',
    paper: 'no significant gain',
    tolerance: '>= 0.95',
    measure: (r) => [
      e.get('Lisp-Del', 'resident-set', 0, r).endToEndSeconds /
        e.get('Lisp-Del', 'pure-iou', 0, r).endToEndSeconds,
    ],
    pass: ([ratio]) => ratio! >= 0.95,
    ours: ([ratio]) => round(ratio!, 3),
  });
  e.check({
    claim: 'lispdel-finishes',
    representative: 'Lisp-Del',
    name: 'Lisp-Del pure-IOU PF0 completes / pure-copy starts remote execution (section 4.4.3: shortly after)',
    paper: 'shortly after',
    tolerance: '1 to 1.2',
    measure: (r) => {
      const copy = e.get('Lisp-Del', 'pure-copy', 0, r);
      return [
        e.get('Lisp-Del', 'pure-iou', 0, r).totalSeconds / (copy.totalSeconds - copy.remoteExecSeconds),
      ];
    },
    pass: ([ratio]) => ratio! >= 1 && ratio! <= 1.2,
    ours: ([ratio]) => round(ratio!, 3),
  });
}

/** Sections 4.4.1 and 4.4.2: bytes and messages by strategy and prefetch. */
function trafficChecks(e: Evaluation): void {
  for (const name of e.names) {
    const bytes = (strategy: StrategyName, prefetch: number, r: number): number =>
      e.get(name, strategy, prefetch, r).bytesTotal;
    e.check({
      claim: 'bytes-iou-all-pf',
      representative: name,
      name: `Pure-IOU sends fewer bytes than pure-copy at every prefetch: largest IOU / copy, ${name} (section 4.4.1)`,
      paper: 'fewer at every prefetch',
      tolerance: '< 1',
      measure: (r) =>
        PAPER_PREFETCH_VALUES.map((prefetch) => bytes('pure-iou', prefetch, r) / bytes('pure-copy', 0, r)),
      pass: (ratios) => ratios.every((ratio) => ratio < 1),
      ours: (ratios) => round(Math.max(...ratios), 3),
    });
    e.check({
      claim: 'bytes-grow-prefetch',
      representative: name,
      name: `More bytes as prefetch grows: pure-IOU PF15 / PF0, ${name} (section 4.4.1)`,
      paper: 'more at PF15',
      tolerance: '> 1',
      measure: (r) => [bytes('pure-iou', 15, r) / bytes('pure-iou', 0, r)],
      pass: ([ratio]) => ratio! > 1,
      ours: ([ratio]) => round(ratio!, 3),
    });
    e.check({
      claim: 'rs-cuts-savings',
      representative: name,
      name: `Resident set ships more than pure-IOU: bytes RS PF0 / IOU PF0, ${name} (section 4.4.1)`,
      paper: 'more',
      tolerance: '> 1',
      measure: (r) => [bytes('resident-set', 0, r) / bytes('pure-iou', 0, r)],
      pass: ([ratio]) => ratio! > 1,
      ours: ([ratio]) => round(ratio!, 3),
    });
    e.check({
      claim: 'copy-fewest-messages',
      representative: name,
      name: `Pure-copy handles the fewest messages: copy / fewer of IOU PF0 and RS PF0, ${name} (section 4.4.2)`,
      paper: 'fewest',
      tolerance: '< 1',
      measure: (r) => [
        e.get(name, 'pure-copy', 0, r).messages /
          Math.min(e.get(name, 'pure-iou', 0, r).messages, e.get(name, 'resident-set', 0, r).messages),
      ],
      pass: ([ratio]) => ratio! < 1,
      ours: ([ratio]) => round(ratio!, 3),
    });
    e.check({
      claim: 'msg-every-case',
      representative: name,
      name: `Pure-IOU and resident set spend less message time than pure-copy at every prefetch: largest / copy, ${name} (section 4.4.2)`,
      paper: 'less in every case',
      tolerance: '< 1',
      measure: (r) =>
        VARIANTS.slice(1).map(
          ([strategy, prefetch]) =>
            messageSeconds(e.get(name, strategy, prefetch, r)) /
            messageSeconds(e.get(name, 'pure-copy', 0, r)),
        ),
      pass: (ratios) => ratios.every((ratio) => ratio < 1),
      ours: (ratios) => {
        const worst = ratios.indexOf(Math.max(...ratios));
        const [strategy, prefetch] = VARIANTS[worst + 1]!;
        return `${round(ratios[worst]!, 3)} (${strategy === 'pure-iou' ? 'IOU' : 'RS'} PF${prefetch})`;
      },
    });
  }
  const meanMessage = (prefetch: number, r: number, perFault = false): number =>
    average(
      e.names.map((name) => {
        const m = e.get(name, 'pure-iou', prefetch, r);
        return perFault ? messageSeconds(m) / Math.max(1, m.imaginaryFaults) : messageSeconds(m);
      }),
    );
  e.check({
    claim: 'msg-pf1-drops',
    name: 'Message time drops slightly with prefetch 1: pure-IOU mean over representatives, PF1 vs PF0, s (section 4.4.2)',
    paper: 'PF1 < PF0',
    tolerance: 'PF1 < PF0',
    measure: (r) => [meanMessage(1, r), meanMessage(0, r)],
    pass: ([pf1, pf0]) => pf1! < pf0!,
    ours: ([pf1, pf0]) => `${round(pf1!, 2)} vs ${round(pf0!, 2)}`,
  });
  e.check({
    claim: 'msg-grows-prefetch',
    name: 'Message time grows with more prefetch: pure-IOU mean over representatives at PF1, 3, 7, 15, s (section 4.4.2)',
    paper: 'rising',
    tolerance: 'rising at each step',
    measure: (r) => [1, 3, 7, 15].map((prefetch) => meanMessage(prefetch, r)),
    pass: (values) => values.every((value, index) => index === 0 || value > values[index - 1]!),
    ours: (values) => values.map((value) => round(value, 2)).join(' / '),
  });
  e.check({
    claim: 'reply-cost-grows',
    name: 'Message time per imaginary fault grows with prefetch: pure-IOU mean over representatives, PF15 vs PF0, s (section 4.4.2)',
    paper: 'PF15 > PF0',
    tolerance: 'PF15 > PF0',
    measure: (r) => [meanMessage(15, r, true), meanMessage(0, r, true)],
    pass: ([pf15, pf0]) => pf15! > pf0!,
    ours: ([pf15, pf0]) => `${round(pf15!, 3)} vs ${round(pf0!, 3)}`,
  });
}

const syntheticName = (fraction: number): string => syntheticWorkload(fraction).name;

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
  const index = new TrialIndex(results);
  const replications = index.replications.length > 0 ? index.replications : [0];
  const meanCurve = (strategy: StrategyName): number[] =>
    BREAKEVEN_FRACTIONS.map((fraction) =>
      meanOf(
        replications.map(
          (r) => index.find(syntheticName(fraction), strategy, 0, r)?.metrics?.endToEndSeconds ?? Number.NaN,
        ),
      ),
    );
  const points = breakevenPoints(meanCurve('pure-copy'), meanCurve('pure-iou'));
  return { points, share: crossing(points) };
}

// The designs' names, for callers that import them from here.
export {
  BREAKEVEN_FRACTIONS,
  breakevenTrials,
  DEFAULT_REPLICATIONS,
  DEFAULT_SEED,
  PAPER_PREFETCH_VALUES,
  paperTrials,
} from './designs';
