import { ref, shallowRef } from 'vue';
import type { NotebookEntry, NotebookProvenance } from '../../../shared/hostApi';
import { messageOf } from '../../../shared/messageOf';

export const APP_TITLE = 'Accent Migration Lab';

export const UNTITLED = 'Untitled';

/**
 * The notebook store's shared state (./notebook.ts puts it together with its parts): what the
 * notebook is, whether it has unsaved changes, and the count of changes autosave follows. The
 * parts (entries, history, autosave, files) each take this one object.
 */
export function createNotebookCore() {
  const name = ref(UNTITLED);
  const path = ref<string | null>(null);
  const dirty = ref(false);
  const busy = ref(false);
  const error = ref<string | null>(null);
  /** Whether the notebook is a built-in notebook (saving it asks for a new file). */
  const builtin = ref(false);
  const provenance = ref<NotebookProvenance | null>(null);
  /** The notebook's entries as last committed. */
  const committed = shallowRef<NotebookEntry[]>([]);
  /** The id of the experiment entry the design and results stores hold; null for a new one. */
  const activeId = ref<string | null>(null);
  /** Something the user should know that is not an error (e.g. a run became a new experiment). */
  const notice = ref<string | null>(null);
  /** While a document or an undo step is put in place: its changes are not edits. */
  let applying = false;
  /** Counts changes (autosave writes only when the count moved since its last write). */
  let changes = 0;

  /** Run `work` as a load, not an edit: no change is counted and no undo step made. */
  function quietly<T>(work: () => T): T {
    applying = true;
    try {
      return work();
    } finally {
      applying = false;
    }
  }

  /** A change that is the user's, unless a load is under way: unsaved, and counted. */
  function touch(): void {
    if (!applying) changed();
  }

  /** A change to keep (a finished run, an undo): unsaved, and counted. */
  function changed(): void {
    dirty.value = true;
    changes += 1;
  }

  /** Run `work` with `busy` set; its error becomes `error` (and null is returned). */
  async function guarded<T>(work: () => Promise<T>): Promise<T | null> {
    busy.value = true;
    error.value = null;
    try {
      return await work();
    } catch (cause) {
      error.value = messageOf(cause);
      return null;
    } finally {
      busy.value = false;
    }
  }

  return {
    name,
    path,
    dirty,
    busy,
    error,
    builtin,
    provenance,
    committed,
    activeId,
    notice,
    quietly,
    isApplying: (): boolean => applying,
    touch,
    changed,
    changeCount: (): number => changes,
    guarded,
  };
}

export type NotebookCore = ReturnType<typeof createNotebookCore>;
