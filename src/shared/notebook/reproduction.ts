import { reproductionReport } from '../../engine/reproduction/paper';
import type { PaperValues, ReproductionReport } from '../../engine/reproduction/paper';
import type { FigureSpec } from '../figures/spec';
import { summarizedBecause } from './summary';
import type { ExperimentEntry, NotebookEntry } from '../hostApi';

/**
 * The paper's evaluation as notebook experiments: the 77 trials and the breakeven sweep as
 * designs, and the comparison with the published values (Tables 4-1 to 4-5) drawn from a
 * notebook's stored results.
 */

export const PAPER_EXPERIMENT_ID = 'paper';
export const BREAKEVEN_EXPERIMENT_ID = 'breakeven';

/** The designs live with the report in the engine; the notebook stores them as they are. */
export { breakevenDesign, paperDesign } from '../../engine/reproduction/designs';

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
  for (const entry of [main, breakeven]) {
    if (entry?.summary) {
      throw new Error(
        `the paper's tables need every trial of "${entry.design.name || entry.id}", which are summarized ` +
          `here (${summarizedBecause(entry.design)}); they are in the results store ${entry.summary.store}`,
      );
    }
  }
  return reproductionReport(main.results, breakeven?.results ?? [], paper);
}
