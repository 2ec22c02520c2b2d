import { defineStore } from 'pinia';
import { computed, watch } from 'vue';
import { useCatalogStore } from './catalog';
import { useDesignStore } from './design';
import { useNotebookAutosave, type NotebookAutosave } from './notebookAutosave';
import { APP_TITLE, createNotebookCore, type NotebookCore } from './notebookCore';
import { useNotebookEditing } from './notebookEditing';
import { useNotebookEntries, type NotebookEntries } from './notebookEntries';
import { useNotebookDocument, useNotebookFiles } from './notebookFiles';
import { useNotebookHistory, type NotebookHistory, type NotebookStores } from './notebookHistory';
import { useResultsStore } from './results';
import { useSweepStore } from './sweep';

export { AUTOSAVE_INTERVAL_MS } from './notebookAutosave';

/**
 * The notebook follows the sweep: a run of a changed design starts a new experiment entry, and a
 * finished or cancelled run is written into its entry (a change, not an undo step; the undo
 * stack starts afresh) and autosaved at once.
 */
function followSweeps(
  core: NotebookCore,
  sweep: NotebookStores['sweep'],
  entries: NotebookEntries,
  { history }: NotebookHistory,
  autosave: NotebookAutosave,
): void {
  watch(
    () => sweep.phase,
    (phase, before) => {
      if (phase === 'starting') entries.startNewExperimentIfChanged();
      if ((phase === 'finished' || phase === 'cancelled') && before !== phase) {
        entries.commitCurrent();
        history.reset();
        core.changed();
        // A finished sweep is the work most worth keeping: autosave it at once.
        void autosave.autosave();
      }
    },
  );
}

/**
 * The lab notebook: its name, file, entries (notes, experiments, figures), unsaved changes, and
 * new / open / save through the host. The design and results stores hold the *current*
 * experiment (the one the Design and Run tabs work on); it is written back into its notebook entry
 * when a sweep ends, when another experiment is opened for editing, and on save.
 *
 * Put together from its parts, each with one job: the shared state (./notebookCore.ts), undo
 * and redo (./notebookHistory.ts), the entries (./notebookEntries.ts) and their editing (./notebookEditing.ts), autosave and recovery
 * (./notebookAutosave.ts), and the file's lifecycle (./notebookFiles.ts).
 */
export const useNotebookStore = defineStore('notebook', () => {
  const stores = { design: useDesignStore(), results: useResultsStore(), sweep: useSweepStore() };
  const core = createNotebookCore();
  const history = useNotebookHistory(core, stores);
  const entries = useNotebookEntries(core, stores, useCatalogStore());
  const editing = useNotebookEditing(core, stores, entries, history);
  const document = useNotebookDocument(core, stores, entries, history);
  const autosave = useNotebookAutosave(core, document);
  const files = useNotebookFiles(core, document, entries, autosave);

  followSweeps(core, stores.sweep, entries, history, autosave);

  const windowTitle = computed(() => `${core.dirty.value ? '• ' : ''}${core.name.value} — ${APP_TITLE}`);

  /** Whether the notebook is new and empty (the welcome screen shows then). */
  const isEmpty = computed(
    () => core.path.value === null && !core.builtin.value && entries.entries.value.length === 0,
  );

  /** The user has read the error messages. */
  function dismissErrors(): void {
    core.error.value = null;
    autosave.autosaveError.value = null;
    core.notice.value = null;
  }

  /**
   * Point summarized experiments at a results store the user located (stores/storeCheck.ts
   * locate): their summaries name it from now on; an unsaved change.
   */
  function pointStores(pointed: readonly { experimentId: string; store: string }[]): void {
    if (pointed.length === 0) return;
    entries.renameStores(pointed);
    core.changed();
  }

  function rename(next: string): void {
    if (next.trim() && next !== core.name.value) {
      core.name.value = next.trim();
      core.touch();
      history.edited('rename the notebook');
    }
  }

  return {
    name: core.name,
    path: core.path,
    dirty: core.dirty,
    busy: core.busy,
    error: core.error,
    builtin: core.builtin,
    provenance: core.provenance,
    entries: entries.entries,
    activeId: core.activeId,
    isEmpty,
    windowTitle,
    recoveryOffer: autosave.recoveryOffer,
    autosaveError: autosave.autosaveError,
    notice: core.notice,
    autosave: autosave.autosave,
    startAutosave: autosave.startAutosave,
    stopAutosave: autosave.stopAutosave,
    checkRecovery: autosave.checkRecovery,
    restoreRecovery: autosave.restoreRecovery,
    discardRecovery: autosave.discardRecovery,
    apply: document.apply,
    toDocument: document.toDocument,
    ...files,
    rename,
    pointStores,
    dismissErrors,
    undo: history.undo,
    redo: history.redo,
    canUndo: history.history.canUndo,
    canRedo: history.history.canRedo,
    undoLabel: history.history.undoLabel,
    redoLabel: history.history.redoLabel,
    commitCurrent: entries.commitCurrent,
    ...editing,
  };
});
