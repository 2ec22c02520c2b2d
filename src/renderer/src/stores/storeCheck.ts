import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { LocatedStore, NotebookDocument, StoreNotice } from '../../../shared/hostApi';
import { messageOf } from '../../../shared/messageOf';
import { useHost } from '../host/currentHost';
import { useNotebookStore } from './notebook';

/** The problems Locate… can put right: the summary names a store that is not (or not really) there. */
export const LOCATABLE: readonly StoreNotice['problem'][] = ['missing', 'other', 'partial'];

/**
 * The results-store check at notebook open (issue 17): when a saved notebook with summarized
 * experiments opens (or is saved under a new name), the host looks for each one's store; what is
 * missing, moved or holds other results is shown (StoreNotices.vue) until dismissed or put right.
 */
export const useStoreCheckStore = defineStore('storeCheck', () => {
  const notices = ref<StoreNotice[]>([]);
  /** The check itself failed (the file could not be read again): said, not hidden. */
  const error = ref<string | null>(null);
  const checking = ref(false);
  /** The notebook checked last, and the one whose check has ended (tests and tools wait on it). */
  const path = ref<string | null>(null);
  const checked = ref<string | null>(null);
  /** What the last Locate… did, in words (the summaries it pointed at the store, and to save). */
  const located = ref<string | null>(null);
  let asked = 0;

  /** Check `at`'s stores when `notebook` has a summarized experiment; else there is nothing to say. */
  async function check(at: string | null, notebook?: NotebookDocument): Promise<void> {
    const turn = ++asked;
    // Checking the same notebook again keeps what it said until the host answers (no flicker).
    const again = at !== null && at === path.value;
    path.value = at;
    const summarized = notebook
      ? notebook.entries.some((entry) => entry.kind === 'experiment' && entry.summary !== undefined)
      : true;
    if (!again) notices.value = [];
    error.value = null;
    located.value = null;
    checked.value = null;
    if (!at || !summarized) {
      notices.value = [];
      return;
    }
    checking.value = true;
    try {
      const found = await useHost().checkNotebookStores(at);
      if (turn === asked) notices.value = found;
    } catch (failure) {
      if (turn === asked) error.value = `Could not check the results stores: ${messageOf(failure)}`;
    } finally {
      if (turn === asked) {
        checking.value = false;
        checked.value = at;
      }
    }
  }

  /** Check the last notebook again (after the user put its store back). */
  function recheck(): Promise<void> {
    return check(path.value);
  }

  function dismiss(): void {
    asked += 1;
    notices.value = [];
    error.value = null;
    located.value = null;
    checking.value = false;
  }

  /**
   * Locate the store of `notice`'s experiment: at `path` (typed in the browser host) or where the
   * user picks (the desktop's dialog). The host verifies that it holds the trials (a sample, by
   * key) of each experiment the banner names as missing its store; those it holds are pointed at
   * it (their summaries name it from now on: unsaved until the notebook is saved) and leave the
   * banner. Returns why it failed (the file is not there, not a store, holds none of their
   * trials), or null: done, or cancelled.
   */
  async function locate(notice: StoreNotice, path?: string): Promise<string | null> {
    const notebook = useNotebookStore();
    const wanted = new Set(
      notices.value.filter((item) => LOCATABLE.includes(item.problem)).map((item) => item.experimentId),
    );
    wanted.add(notice.experimentId);
    const experiments = notebook.entries.flatMap((entry) =>
      entry.kind === 'experiment' && entry.summary && wanted.has(entry.id)
        ? [
            {
              id: entry.id,
              name: entry.design.name.trim() || entry.id,
              design: JSON.parse(JSON.stringify(entry.design)) as typeof entry.design,
              engineVersion: entry.engineVersion,
            },
          ]
        : [],
    );
    if (experiments.length === 0) return `"${notice.experimentName}" is no longer in the notebook`;
    let found: LocatedStore | null;
    try {
      found = await useHost().locateStore({ notebookPath: notebook.path, experiments }, path);
    } catch (failure) {
      return messageOf(failure);
    }
    if (!found) return null;
    const store = found.store;
    const pointed = found.found.filter((item) => item.held > 0);
    notebook.pointStores(pointed.map((item) => ({ experimentId: item.experimentId, store })));
    const ids = new Set(pointed.map((item) => item.experimentId));
    notices.value = notices.value.filter((item) => !ids.has(item.experimentId));
    const names = experiments.filter((item) => ids.has(item.id)).map((item) => `"${item.name}"`);
    const counts = pointed.map((item) => `${item.held} of ${item.checked}`).join(', ');
    located.value =
      `${names.join(', ')} now ${names.length === 1 ? 'reads its' : 'read their'} trials from ${found.path} ` +
      `(${counts} looked up by key found). Save the notebook to keep this: saving copies them into the ` +
      'results store beside it, where its sweeps and Resume look.';
    return null;
  }

  return { notices, error, located, checking, path, checked, check, recheck, dismiss, locate };
});
