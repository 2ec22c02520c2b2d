import type { TrialResult } from '../experiment/trial';
import { breakevenTable } from './breakeven';
import { costChecks, excisionChecks, remoteExecutionChecks, sizeChecks, transferChecks } from './costChecks';
import { Evaluation } from './evaluation';
import { figure4_5, figures4_1to4_4 } from './figures';
import type { PaperValues, ReproductionReport } from './report';
import { endToEndChecks, prefetchChecks, residentSetChecks, trafficChecks } from './strategyChecks';
import { table4_1, table4_2, table4_3, table4_4, table4_5 } from './tables';

/**
 * The comparison of our measurements with the published values (section 4), one function per
 * table (./tables.ts, ./figures.ts, ./breakeven.ts) and per group of claims (./costChecks.ts,
 * ./strategyChecks.ts), all working on one evaluation (./evaluation.ts). Nothing here feeds a
 * published value into a trial: the values only appear beside ours. Trials are defined once, in
 * ./designs.ts, and found by what they are (./trialIndex.ts).
 */

/** Compare our measurements with the paper's. The order of the checks is the report's order. */
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

// The report's types and the breakeven share, for callers that import them from here.
export type {
  Claim,
  FidelityEntry,
  PaperValues,
  ReproductionReport,
  ReproductionTable,
  Tier,
} from './report';
export { fidelityHeadline } from './report';
export { breakevenShare } from './breakeven';
// The designs' names, for callers that import them from here.
export {
  BREAKEVEN_FRACTIONS,
  breakevenTrials,
  DEFAULT_REPLICATIONS,
  DEFAULT_SEED,
  PAPER_PREFETCH_VALUES,
  paperTrials,
} from './designs';
