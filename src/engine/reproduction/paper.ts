import type { TrialResult, TrialSpec, TrialMetrics } from '../experiment/trial';
import { PERQ_1987 } from '../hardware/presets';
import type { StrategyName } from '../model/migration';
import { REPRESENTATIVES, syntheticWorkload } from '../workloads/representatives';

/**
 * The paper's evaluation (section 4) as trials, and the comparison of our
 * measurements with the published values. Nothing here feeds a published
 * value into a trial: the values only appear beside ours.
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
}

export const PAPER_PREFETCH_VALUES = [0, 1, 3, 7, 15] as const;
export const BREAKEVEN_FRACTIONS = [
  0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6,
] as const;
export const DEFAULT_SEED = 1987;

export function trialId(workload: string, strategy: StrategyName, prefetch: number): string {
  return strategy === 'pure-copy' ? `${workload}/pure-copy` : `${workload}/${strategy}/pf${prefetch}`;
}

/**
 * 7 representatives x {pure-copy; pure-IOU and resident set at prefetch 0, 1,
 * 3, 7, 15} = 77 trials. Every trial of a representative uses the same seed, so
 * the strategies are compared on the same process (common random numbers).
 */
export function paperTrials(seed: number = DEFAULT_SEED): TrialSpec[] {
  const trials: TrialSpec[] = [];
  for (const workload of REPRESENTATIVES) {
    const base = { workload: structuredClone(workload), hardware: structuredClone(PERQ_1987), seed };
    trials.push({ ...base, id: trialId(workload.name, 'pure-copy', 0), strategy: 'pure-copy', prefetch: 0 });
    for (const strategy of ['pure-iou', 'resident-set'] as const) {
      for (const prefetch of PAPER_PREFETCH_VALUES) {
        trials.push({
          ...structuredClone(base),
          id: trialId(workload.name, strategy, prefetch),
          strategy,
          prefetch,
        });
      }
    }
  }
  return trials;
}

/** Section 4.3.4's breakeven: a synthetic process touching a growing share of its RealMem. */
export function breakevenTrials(seed: number = DEFAULT_SEED): TrialSpec[] {
  const trials: TrialSpec[] = [];
  for (const fraction of BREAKEVEN_FRACTIONS) {
    const workload = syntheticWorkload(fraction);
    for (const strategy of ['pure-copy', 'pure-iou'] as const) {
      trials.push({
        id: `breakeven/${Math.round(fraction * 100)}%/${strategy}`,
        workload,
        strategy,
        prefetch: 0,
        hardware: structuredClone(PERQ_1987),
        seed,
      });
    }
  }
  return trials;
}

export interface ReproductionTable {
  id: string;
  title: string;
  columns: string[];
  rows: (string | number)[][];
  note?: string;
}

export interface FidelityEntry {
  name: string;
  paper: number | string;
  ours: number | string;
  tolerance: string;
  pass: boolean;
}

export interface ReproductionReport {
  tables: ReproductionTable[];
  fidelity: FidelityEntry[];
}

type Lookup = (workload: string, strategy: StrategyName, prefetch?: number) => TrialMetrics;

function lookupFor(results: TrialResult[]): Lookup {
  const byId = new Map(results.map((result) => [result.id, result]));
  return (workload, strategy, prefetch = 0) => {
    const id = trialId(workload, strategy, prefetch);
    const result = byId.get(id);
    if (!result) throw new Error(`the reproduction is missing trial ${id}`);
    if (!result.ok || !result.metrics) throw new Error(`trial ${id} failed: ${result.error ?? 'no metrics'}`);
    return result.metrics;
  };
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
const mean = (values: number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;
const messageSeconds = (m: TrialMetrics): number => m.messageSecondsSource + m.messageSecondsDest;

/** Compare our measurements with the paper's. */
export function reproductionReport(
  paperResults: TrialResult[],
  breakevenResults: TrialResult[],
  paper: PaperValues,
): ReproductionReport {
  const get = lookupFor(paperResults);
  const names = REPRESENTATIVES.map((workload) => workload.name);
  const pageSize = paper.pageSizeBytes;
  const tables: ReproductionTable[] = [];
  const fidelity: FidelityEntry[] = [];
  const within = (name: string, ours: number, paperValue: number, tolerance: number, digits = 3): number => {
    const error = relativeError(ours, paperValue);
    fidelity.push({
      name,
      paper: paperValue,
      ours: round(ours, digits),
      tolerance: `±${Math.round(tolerance * 100)}%`,
      pass: Math.abs(error) <= tolerance,
    });
    return error;
  };

  // Table 4-1: composition at migration time, exact.
  const t41: (string | number)[][] = [];
  for (const name of names) {
    const m = get(name, 'pure-copy');
    const real = m.realPages * pageSize;
    const zero = m.realZeroPages * pageSize;
    const pct = round((100 * zero) / (real + zero), 1);
    const [pReal, pZero, pTotal, pPct] = paper.table4_1_addressSpaceBytes.rows[name]!;
    t41.push([name, pReal!, real, pZero!, zero, pTotal!, real + zero, pPct!, pct]);
    const exact = real === pReal && zero === pZero && real + zero === pTotal && pct === pPct;
    fidelity.push({
      name: `Table 4-1 ${name} (Real, RealZ, Total, %RealZ)`,
      paper: `${pReal} / ${pZero} / ${pTotal} / ${pPct}`,
      ours: `${real} / ${zero} / ${real + zero} / ${pct}`,
      tolerance: 'exact',
      pass: exact,
    });
  }
  tables.push({
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
    rows: t41,
  });

  // Table 4-2: resident sets, exact at the paper's precision.
  const t42: (string | number)[][] = [];
  for (const name of names) {
    const m = get(name, 'pure-copy');
    const rs = m.residentPages * pageSize;
    const [pRs, pReal, pTotal] = paper.table4_2_residentSets.rows[name]!;
    const ofReal = round((100 * m.residentPages) / m.realPages, decimalsOf(pReal!));
    const ofTotal = round((100 * m.residentPages) / (m.realPages + m.realZeroPages), decimalsOf(pTotal!));
    t42.push([name, pRs!, rs, pReal!, ofReal, pTotal!, ofTotal]);
    fidelity.push({
      name: `Table 4-2 ${name} (RS size, % of Real, % of Total)`,
      paper: `${pRs} / ${pReal} / ${pTotal}`,
      ours: `${rs} / ${ofReal} / ${ofTotal}`,
      tolerance: 'exact',
      pass: rs === pRs && ofReal === pReal && ofTotal === pTotal,
    });
  }
  tables.push({
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
    rows: t42,
  });

  // Table 4-3: share of the address space shipped, no prefetch; within 1 percentage point.
  const t43: (string | number)[][] = [];
  for (const name of names) {
    const iou = get(name, 'pure-iou', 0);
    const rs = get(name, 'resident-set', 0);
    const total = iou.realPages + iou.realZeroPages;
    const iouPages = iou.pagesShippedAtMigration + iou.pagesDeliveredByFaults;
    const rsPages = rs.pagesShippedAtMigration + rs.pagesDeliveredByFaults;
    const ours = [
      (100 * iouPages) / iou.realPages,
      (100 * iouPages) / total,
      (100 * rsPages) / rs.realPages,
      (100 * rsPages) / total,
    ];
    const published = paper.table4_3_pctAddressSpaceShippedNoPrefetch.rows[name]!;
    // Ours to the precision of the published value beside it (at least one decimal).
    const like = (index: number): number => round(ours[index]!, Math.max(1, decimalsOf(published[index]!)));
    t43.push([
      name,
      published[0]!,
      like(0),
      published[1]!,
      like(1),
      published[2]!,
      like(2),
      published[3]!,
      like(3),
    ]);
    ours.forEach((value, index) => {
      const label = ['IOU % of Real', 'IOU % of Total', 'RS % of Real', 'RS % of Total'][index]!;
      fidelity.push({
        name: `Table 4-3 ${name} ${label}`,
        paper: published[index]!,
        ours: round(value, 3),
        tolerance: '±1 point',
        pass: Math.abs(value - published[index]!) <= 1,
      });
    });
  }
  tables.push({
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
    rows: t43,
  });

  // Table 4-4 and insertion: within 15%.
  const t44: (string | number)[][] = [];
  for (const name of names) {
    const m = get(name, 'pure-copy');
    const [pAmap, pRimas, pOverall] = paper.table4_4_exciseSeconds.rows[name]!;
    const errors = [
      within(`Table 4-4 ${name} AMap construction`, m.amapSeconds, pAmap!, 0.15),
      within(`Table 4-4 ${name} RIMAS creation`, m.rimasCollapseSeconds, pRimas!, 0.15),
      within(`Table 4-4 ${name} overall excision`, m.exciseSeconds, pOverall!, 0.15),
    ];
    const publishedInsert = paper.insertSeconds[name];
    let insertPaper: number | string = '-';
    if (typeof publishedInsert === 'number') {
      insertPaper = publishedInsert;
      within(`Insertion ${name} (section 4.3.1)`, m.insertSeconds, publishedInsert, 0.15);
    }
    t44.push([
      name,
      pAmap!,
      round(m.amapSeconds, 2),
      percent(errors[0]!),
      pRimas!,
      round(m.rimasCollapseSeconds, 2),
      percent(errors[1]!),
      pOverall!,
      round(m.exciseSeconds, 2),
      percent(errors[2]!),
      insertPaper,
      round(m.insertSeconds, 3),
    ]);
  }
  tables.push({
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
    rows: t44,
    note: 'The paper publishes insertion only for Minprog (263 ms) and Lisp-Del (853 ms).',
  });

  // Table 4-5 and the Core message: within 10% per cell; Core about one second.
  const t45: (string | number)[][] = [];
  for (const name of names) {
    const [pIou, pRs, pCopy] = paper.table4_5_rimasTransferSeconds.rows[name]!;
    const iou = get(name, 'pure-iou', 0).rimasTransferSeconds;
    const rs = get(name, 'resident-set', 0).rimasTransferSeconds;
    const copy = get(name, 'pure-copy').rimasTransferSeconds;
    const errors = [
      within(`Table 4-5 ${name} pure-IOU`, iou, pIou!, 0.1),
      within(`Table 4-5 ${name} resident set`, rs, pRs!, 0.1),
      within(`Table 4-5 ${name} pure-copy`, copy, pCopy!, 0.1),
    ];
    const core = get(name, 'pure-copy').coreTransferSeconds;
    within(`Core message ${name} (section 4.3.2)`, core, paper.coreMessageTransferSeconds.approx, 0.2);
    t45.push([
      name,
      pIou!,
      round(iou, 2),
      percent(errors[0]!),
      pRs!,
      round(rs, 1),
      percent(errors[1]!),
      pCopy!,
      round(copy, 1),
      percent(errors[2]!),
      round(core, 2),
    ]);
  }
  tables.push({
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
    rows: t45,
    note: 'Section 4.3.2: the Core message takes approximately one second in all cases.',
  });

  // Figures 4-1 to 4-4 as tables: remote execution, speedup, bytes, message time.
  const columnsByStrategy = [
    'Copy',
    ...PAPER_PREFETCH_VALUES.map((n) => `IOU PF${n}`),
    ...PAPER_PREFETCH_VALUES.map((n) => `RS PF${n}`),
  ];
  const figureRows = (value: (m: TrialMetrics, copy: TrialMetrics) => number | string, includeCopy = true) =>
    names.map((name) => {
      const copy = get(name, 'pure-copy');
      const row: (string | number)[] = [name];
      if (includeCopy) row.push(value(copy, copy));
      for (const strategy of ['pure-iou', 'resident-set'] as const) {
        for (const prefetch of PAPER_PREFETCH_VALUES) row.push(value(get(name, strategy, prefetch), copy));
      }
      return row;
    });
  tables.push({
    id: 'figure4_1',
    title: 'Figure 4-1: Remote execution times in seconds',
    columns: ['Representative', ...columnsByStrategy],
    rows: figureRows((m) => round(m.remoteExecSeconds, 2)),
  });
  const speedup = (m: TrialMetrics, copy: TrialMetrics): number =>
    (100 * (copy.endToEndSeconds - m.endToEndSeconds)) / copy.endToEndSeconds;
  tables.push({
    id: 'figure4_2',
    title: 'Figure 4-2: Percent end-to-end speedup over pure-copy (transfer + remote execution)',
    columns: ['Representative', ...columnsByStrategy.slice(1)],
    rows: figureRows((m, copy) => round(speedup(m, copy), 1), false),
  });
  tables.push({
    id: 'figure4_3',
    title: 'Figure 4-3: Bytes transferred during trials',
    columns: ['Representative', ...columnsByStrategy],
    rows: figureRows((m) => m.bytesTotal),
  });
  tables.push({
    id: 'figure4_4',
    title: 'Figure 4-4: Total message-handling time in seconds, source / destination',
    columns: ['Representative', ...columnsByStrategy],
    rows: figureRows((m) => `${m.messageSecondsSource.toFixed(1)} / ${m.messageSecondsDest.toFixed(1)}`),
  });
  const lispDel = paperResults.filter((r) => r.workload === 'Lisp-Del' && r.prefetch === 0 && r.ok);
  tables.push({
    id: 'figure4_5',
    title: 'Figure 4-5: Byte transfer rates for Lisp-Del, no prefetch (series in results.json)',
    columns: ['Strategy', 'Duration (s)', 'Peak rate (B/s)', 'Mean rate (B/s)', 'Fault bytes', 'Other bytes'],
    rows: lispDel.map((r) => {
      const series = r.series!;
      const totals = series.fault.map((fault, i) => fault + series.other[i]!);
      return [
        r.strategy,
        round(r.metrics!.totalSeconds, 1),
        Math.round(Math.max(...totals)),
        Math.round(r.metrics!.bytesTotal / r.metrics!.totalSeconds),
        r.metrics!.bytesFault,
        r.metrics!.bytesTotal - r.metrics!.bytesFault,
      ];
    }),
  });

  // Section 4.4: bytes and message-handling time, pure-IOU without prefetch against pure-copy.
  const byteSavings = names.map(
    (name) => 1 - get(name, 'pure-iou', 0).bytesTotal / get(name, 'pure-copy').bytesTotal,
  );
  const messageSavings = names.map(
    (name) => 1 - messageSeconds(get(name, 'pure-iou', 0)) / messageSeconds(get(name, 'pure-copy')),
  );
  const points = (name: string, ours: number, paperValue: number, tolerance: number): void => {
    fidelity.push({
      name,
      paper: paperValue,
      ours: round(ours, 1),
      tolerance: `±${tolerance} points`,
      pass: Math.abs(ours - paperValue) <= tolerance,
    });
  };
  points(
    'Bytes exchanged, pure-IOU PF0 vs pure-copy: mean saving % (section 4.4.1)',
    100 * mean(byteSavings),
    58.2,
    5,
  );
  points(
    'Message-handling time, pure-IOU PF0 vs pure-copy: mean saving % (section 4.4.2)',
    100 * mean(messageSavings),
    47.8,
    5,
  );

  // Section 4.3.3: fault costs.
  const iouTrials = names.map((name) => get(name, 'pure-iou', 0));
  const faults = iouTrials.reduce((sum, m) => sum + m.imaginaryFaults, 0);
  const faultMs = iouTrials.reduce((sum, m) => sum + m.meanImaginaryFaultMs * m.imaginaryFaults, 0) / faults;
  within(
    'Imaginary fault, mean over pure-IOU PF0 trials, ms (section 4.3.3)',
    faultMs,
    paper.faultCosts.imaginaryFaultMs,
    0.1,
    1,
  );
  const diskTrials = paperResults.filter((r) => r.ok && r.metrics!.diskFaults > 0).map((r) => r.metrics!);
  const diskFaults = diskTrials.reduce((sum, m) => sum + m.diskFaults, 0);
  const diskMs =
    diskTrials.reduce((sum, m) => sum + m.meanDiskFaultMs * m.diskFaults, 0) / Math.max(1, diskFaults);
  within(
    'Local disk fault, mean over all trials, ms (section 4.3.3)',
    diskMs,
    paper.faultCosts.localDiskFaultMs,
    0.05,
    1,
  );

  // Section 4.3.4: breakeven share of RealMem touched.
  const breakeven = breakevenShare(breakevenResults);
  tables.push({
    id: 'breakeven',
    title: 'Breakeven: end-to-end seconds of a synthetic process by share of RealMem touched (section 4.3.4)',
    columns: ['Touched %', 'Pure-copy', 'Pure-IOU PF0', 'IOU faster'],
    rows: breakeven.points.map((p) => [
      round(100 * p.fraction, 1),
      round(p.copy, 1),
      round(p.iou, 1),
      p.iou < p.copy ? 'yes' : 'no',
    ]),
  });
  fidelity.push({
    name: 'Breakeven of pure-IOU against pure-copy, % of RealMem touched (section 4.3.4)',
    paper: 'about 25',
    ours: breakeven.share === null ? 'none in sweep' : round(100 * breakeven.share, 1),
    tolerance: '20 to 30',
    pass: breakeven.share !== null && breakeven.share >= 0.2 && breakeven.share <= 0.3,
  });

  // Section 4.3.3: Minprog and Chess.
  const minprogRatio =
    get('Minprog', 'pure-iou', 0).remoteExecSeconds / get('Minprog', 'pure-copy').remoteExecSeconds;
  within('Minprog remote execution, pure-IOU / pure-copy (section 4.3.3: 44x)', minprogRatio, 44, 0.2, 1);
  const chessLonger =
    100 * (get('Chess', 'pure-iou', 0).remoteExecSeconds / get('Chess', 'pure-copy').remoteExecSeconds - 1);
  fidelity.push({
    name: 'Chess remote execution, pure-IOU longer than pure-copy by % (section 4.3.3: about 3%)',
    paper: 3,
    ours: round(chessLonger, 2),
    tolerance: '0 to 5',
    pass: chessLonger > 0 && chessLonger < 5,
  });

  // Prefetch (sections 4.3.3 and 4.3.4).
  for (const name of names) {
    const pf0 = get(name, 'pure-iou', 0).endToEndSeconds;
    const pf1 = get(name, 'pure-iou', 1).endToEndSeconds;
    fidelity.push({
      name: `Prefetch 1 beats prefetch 0 end to end, pure-IOU, ${name}`,
      paper: 'PF1 < PF0',
      ours: `${round(pf1, 2)} vs ${round(pf0, 2)}`,
      tolerance: 'PF1 < PF0',
      pass: pf1 < pf0,
    });
  }
  const hitRatio = (workloads: string[], prefetch: number): number => {
    const trials = workloads.map((name) => get(name, 'pure-iou', prefetch));
    const prefetched = trials.reduce((sum, m) => sum + m.prefetchedPages, 0);
    return prefetched === 0 ? 0 : trials.reduce((sum, m) => sum + m.prefetchHits, 0) / prefetched;
  };
  const lisp = ['Lisp-T', 'Lisp-Del'];
  const pasmac = ['PM-Start', 'PM-Mid', 'PM-End'];
  points(
    'Lisp prefetched-page hit ratio %, pure-IOU PF1 (section 4.3.3: around 40%)',
    100 * hitRatio(lisp, 1),
    40,
    10,
  );
  points(
    'Lisp prefetched-page hit ratio %, pure-IOU PF15 (section 4.3.3: around 20%)',
    100 * hitRatio(lisp, 15),
    20,
    8,
  );
  for (const prefetch of PAPER_PREFETCH_VALUES.filter((n) => n > 0)) {
    points(
      `Pasmac prefetched-page hit ratio %, pure-IOU PF${prefetch} (section 4.3.3: steady 78%)`,
      100 * hitRatio(pasmac, prefetch),
      78,
      8,
    );
  }
  const pasmacSpeedup = (prefetch: number): number =>
    mean(pasmac.map((name) => speedup(get(name, 'pure-iou', prefetch), get(name, 'pure-copy'))));
  fidelity.push({
    name: 'Pasmac mean end-to-end speedup %, pure-IOU PF0 (section 4.3.4: 21% slowdown)',
    paper: -21,
    ours: round(pasmacSpeedup(0), 1),
    tolerance: 'a slowdown',
    pass: pasmacSpeedup(0) < 0,
  });
  fidelity.push({
    name: 'Pasmac mean end-to-end speedup %, pure-IOU PF15 (section 4.3.4: 44% speedup)',
    paper: 44,
    ours: round(pasmacSpeedup(15), 1),
    tolerance: 'a speedup',
    pass: pasmacSpeedup(15) > 0,
  });

  // Resident sets (sections 4.3.3 and 4.3.4).
  // The paper: a "significant impact" only on Lisp-T and Minprog. We read significant as
  // cutting remote execution by at least 40% (averaged over the prefetch values).
  const noticeable = 0.4;
  for (const name of names) {
    const shortening = mean(
      PAPER_PREFETCH_VALUES.map(
        (n) =>
          1 - get(name, 'resident-set', n).remoteExecSeconds / get(name, 'pure-iou', n).remoteExecSeconds,
      ),
    );
    const expected = name === 'Lisp-T' || name === 'Minprog';
    fidelity.push({
      name: `Resident set shortens remote execution noticeably (>= ${noticeable * 100}% on average): ${name}`,
      paper: expected ? 'yes' : 'no',
      ours: `${expected === shortening >= noticeable ? '' : 'not as expected: '}${percent(shortening)}`,
      tolerance: expected ? `>= ${noticeable * 100}%` : `< ${noticeable * 100}%`,
      pass: expected === shortening >= noticeable,
    });
    const pays = PAPER_PREFETCH_VALUES.filter(
      (n) => get(name, 'resident-set', n).endToEndSeconds < get(name, 'pure-iou', n).endToEndSeconds,
    );
    fidelity.push({
      name: `Resident set never pays its way end to end against pure-IOU at the same prefetch: ${name}`,
      paper: 'never',
      ours: pays.length === 0 ? 'never' : `pays at PF ${pays.join(', ')}`,
      tolerance: 'never',
      pass: pays.length === 0,
    });
  }
  return { tables, fidelity };
}

interface BreakevenPoint {
  fraction: number;
  copy: number;
  iou: number;
}

/** Where pure-IOU stops beating pure-copy end to end, by linear interpolation over the sweep. */
export function breakevenShare(results: TrialResult[]): { points: BreakevenPoint[]; share: number | null } {
  const points: BreakevenPoint[] = [];
  for (const fraction of BREAKEVEN_FRACTIONS) {
    const label = `breakeven/${Math.round(fraction * 100)}%/`;
    const copy = results.find((r) => r.id === `${label}pure-copy`);
    const iou = results.find((r) => r.id === `${label}pure-iou`);
    if (!copy?.metrics || !iou?.metrics) continue;
    points.push({ fraction, copy: copy.metrics.endToEndSeconds, iou: iou.metrics.endToEndSeconds });
  }
  for (let i = 1; i < points.length; i += 1) {
    const a = points[i - 1]!;
    const b = points[i]!;
    const da = a.iou - a.copy;
    const db = b.iou - b.copy;
    if (da < 0 && db >= 0)
      return { points, share: a.fraction + ((b.fraction - a.fraction) * -da) / (db - da) };
  }
  return { points, share: null };
}
