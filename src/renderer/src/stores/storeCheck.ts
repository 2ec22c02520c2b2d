import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { NotebookDocument, StoreNotice } from '../../../shared/hostApi';
import { messageOf } from '../../../shared/messageOf';
import { useHost } from '../host/currentHost';

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
    checking.value = false;
  }

  return { notices, error, checking, path, checked, check, recheck, dismiss };
});
