import type { ExperimentDesign } from '../../engine/experiment/design';
import type { TrialResult } from '../../engine/experiment/trial';
import { PERQ_1987 } from '../../engine/hardware/presets';
import {
  BREAKEVEN_FRACTIONS,
  DEFAULT_SEED,
  PAPER_PREFETCH_VALUES,
  reproductionReport,
} from '../../engine/reproduction/paper';
import type { PaperValues, ReproductionReport } from '../../engine/reproduction/paper';
import { REPRESENTATIVES, syntheticWorkload } from '../../engine/workloads/representatives';
import type { FigureSpec } from '../figures/spec';
import type { ExperimentEntry, NotebookEntry } from '../hostApi';

/**
 * The paper's evaluation as notebook experiments: the 77 trials and the breakeven sweep as
 * designs, and the comparison with the published values (Tables 4-1 to 4-5) drawn from a
 * notebook's stored results.
 */

export const PAPER_EXPERIMENT_ID = 'paper';
export const BREAKEVEN_EXPERIMENT_ID = 'breakeven';

/** 7 representatives x {pure-copy; pure-IOU and resident set at prefetch 0, 1, 3, 7, 15}: 77 trials. */
export function paperDesign(seed: number = DEFAULT_SEED): ExperimentDesign {
  return {
    name: 'Zayas 1987, section 4: the representatives',
    representatives: REPRESENTATIVES.map((workload) => workload.name),
    customWorkloads: [],
    strategies: ['pure-copy', 'pure-iou', 'resident-set'],
    prefetchValues: [...PAPER_PREFETCH_VALUES],
    hardware: structuredClone(PERQ_1987),
    seed,
    repetitions: 1,
  };
}

/** Section 4.3.4's breakeven: a synthetic process touching a growing share of its RealMem. */
export function breakevenDesign(seed: number = DEFAULT_SEED): ExperimentDesign {
  return {
    name: 'Zayas 1987, section 4.3.4: breakeven sweep',
    representatives: [],
    customWorkloads: BREAKEVEN_FRACTIONS.map((fraction) => syntheticWorkload(fraction)),
    strategies: ['pure-copy', 'pure-iou'],
    prefetchValues: [0],
    hardware: structuredClone(PERQ_1987),
    seed,
    repetitions: 1,
  };
}

/** The paper's Figures 4-1 to 4-5, as figure specs of the paper experiment. */
export const PAPER_FIGURES: { id: string; figure: FigureSpec; caption: string }[] = [
  {
    id: 'figure-4-1',
    figure: { kind: 'remote-exec', title: 'Figure 4-1: Remote execution times' },
    caption:
      'Remote execution (first remote instruction to exit) of every representative under each strategy and prefetch value.',
  },
  {
    id: 'figure-4-2',
    figure: { kind: 'speedup', title: 'Figure 4-2: Percent speedup over pure-copy' },
    caption:
      'End-to-end time (transfer + remote execution) saved against pure-copy; negative bars are slowdowns.',
  },
  {
    id: 'figure-4-3',
    figure: { kind: 'bytes', title: 'Figure 4-3: Bytes transferred' },
    caption: 'Bytes on the network during each trial, faults included.',
  },
  {
    id: 'figure-4-4',
    figure: { kind: 'message-time', title: 'Figure 4-4: Message-handling time per host' },
    caption: 'NetMessageServer and kernel IPC time on the source and the destination host.',
  },
  {
    id: 'figure-4-5',
    figure: {
      kind: 'byte-rate',
      title: 'Figure 4-5: Byte transfer rates for Lisp-Del, no prefetch',
      workload: 'Lisp-Del',
      prefetch: 0,
    },
    caption: 'Network byte rate over time for Lisp-Del under the three strategies at prefetch 0.',
  },
];

/** Breakeven results as reproductionReport names them: "Synthetic-25%/pure-iou/pf0" -> "breakeven/25%/pure-iou". */
export function breakevenResultsForReport(results: readonly TrialResult[]): TrialResult[] {
  return results.map((result) => {
    const share = /^Synthetic-(\d+)%$/.exec(result.workload)?.[1];
    return share === undefined ? result : { ...result, id: `breakeven/${share}%/${result.strategy}` };
  });
}

const experimentById = (entries: readonly NotebookEntry[], id: string): ExperimentEntry | undefined =>
  entries.find((entry): entry is ExperimentEntry => entry.kind === 'experiment' && entry.id === id);

/**
 * Tables 4-1 to 4-5 with the paper's values beside the notebook's stored results, and the fidelity
 * list; null when the notebook holds no paper experiment. Throws when a trial is missing or failed.
 */
export function notebookReproduction(
  entries: readonly NotebookEntry[],
  paper: PaperValues,
): ReproductionReport | null {
  const main = experimentById(entries, PAPER_EXPERIMENT_ID);
  if (!main) return null;
  const breakeven = experimentById(entries, BREAKEVEN_EXPERIMENT_ID);
  return reproductionReport(main.results, breakevenResultsForReport(breakeven?.results ?? []), paper);
}
