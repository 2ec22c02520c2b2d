import { watch } from 'vue';
import type { ExperimentDesign } from '../../../engine/experiment/design';
import type { TrialResult } from '../../../engine/experiment/trial';
import type { ExperimentSummary, NotebookEntry } from '../../../shared/hostApi';
import type { useDesignStore } from './design';
import { createHistory } from './history';
import type { NotebookCore } from './notebookCore';
import type { useResultsStore } from './results';
import type { useSweepStore } from './sweep';

/** The stores the notebook writes its current experiment to and reads it from. */
export interface NotebookStores {
  design: ReturnType<typeof useDesignStore>;
  results: ReturnType<typeof useResultsStore>;
  sweep: ReturnType<typeof useSweepStore>;
}

/**
 * A step of undo and redo: the notebook's entries, the current experiment's design and results,
 * and the name. Runs are not steps: a finished sweep starts the history afresh (its results are
 * kept).
 */
interface Step {
  name: string;
  committed: NotebookEntry[];
  activeId: string | null;
  design: ExperimentDesign;
  results: readonly TrialResult[];
  ranTrials: number | null;
  summary: ExperimentSummary | null;
}

const sameStep = (a: Step, b: Step): boolean =>
  a.name === b.name &&
  a.committed === b.committed &&
  a.activeId === b.activeId &&
  a.results === b.results &&
  a.summary === b.summary &&
  JSON.stringify(a.design) === JSON.stringify(b.design);

/**
 * The notebook's undo and redo, and what counts as an edit: every design change (a quick run of
 * them merges into one step) and every change of the results marks the notebook unsaved.
 */
export function useNotebookHistory(core: NotebookCore, { design, results, sweep }: NotebookStores) {
  const history = createHistory<Step>(
    () => ({
      name: core.name.value,
      committed: core.committed.value,
      activeId: core.activeId.value,
      design: design.snapshot(),
      results: results.results,
      ranTrials: results.ranTrials,
      summary: results.summary,
    }),
    (step) => {
      core.quietly(() => {
        core.name.value = step.name;
        core.committed.value = step.committed;
        core.activeId.value = step.activeId;
        design.load(step.design);
        if (step.results !== results.results || step.summary !== results.summary)
          results.load([...step.results], step.design.sensitivity ?? null, step.ranTrials, step.summary);
      });
      core.changed();
    },
    600,
    sameStep,
  );

  /** An edit the user can undo; design edits in a quick run merge into one step. */
  const edited = (label: string, merge = false): void => {
    if (core.isApplying() || sweep.isActive) return;
    history.changed(label, merge);
  };
  watch(
    () => design.design,
    () => {
      core.touch();
      edited('design edit', true);
    },
    { deep: true, flush: 'sync' },
  );
  watch(() => results.results, core.touch, { flush: 'sync' });

  function undo(): boolean {
    if (sweep.isActive) return false;
    return history.undo();
  }
  function redo(): boolean {
    if (sweep.isActive) return false;
    return history.redo();
  }

  return { history, edited, undo, redo };
}

export type NotebookHistory = ReturnType<typeof useNotebookHistory>;
