import { ref } from 'vue';
import type { RecoveryOffer } from '../../../shared/hostApi';
import { messageOf } from '../../../shared/messageOf';
import { useHost } from '../host/currentHost';
import { tabId } from '../host/tabId';
import type { NotebookCore } from './notebookCore';
import type { NotebookDocumentIo } from './notebookFiles';

/** Unsaved changes are autosaved to the host's recovery folder at least this often. */
export const AUTOSAVE_INTERVAL_MS = 30_000;

/**
 * The autosave writer: unsaved work goes to the host's recovery folder (one file per tab) on a
 * timer and when asked (after every sweep), only when it changed since the last write.
 */
function createAutosaveWriter(core: NotebookCore, toDocument: NotebookDocumentIo['toDocument']) {
  /** Why the last autosave failed, or null. */
  const autosaveError = ref<string | null>(null);
  /** The change count the last autosave wrote (so unchanged work is not rewritten). */
  let autosaved = 0;
  let autosaving: Promise<void> | null = null;
  let autosaveTimer: ReturnType<typeof setInterval> | null = null;

  /** The work as it is now needs no autosave (it was saved, or is the host's recovery file). */
  function markWritten(): void {
    autosaved = core.changeCount();
  }

  /** The notebook was saved or closed cleanly: its autosave is no longer needed. */
  function clearAutosave(): void {
    markWritten();
    useHost()
      .clearRecovery(tabId())
      .catch((cause: unknown) => console.warn('could not remove the autosave:', cause));
  }

  /** Write the unsaved work to the host's recovery folder, if it changed since the last autosave. */
  function autosave(): Promise<void> {
    // One write at a time; changes made while one is under way are written right after it.
    if (autosaving) return autosaving.then(() => autosave());
    if (!core.dirty.value || core.changeCount() === autosaved) return Promise.resolve();
    const at = core.changeCount();
    autosaving = (async () => {
      try {
        await useHost().writeRecovery(tabId(), toDocument(), core.path.value ?? undefined);
        autosaved = at;
        autosaveError.value = null;
      } catch (cause) {
        autosaveError.value = messageOf(cause);
      } finally {
        autosaving = null;
      }
    })();
    return autosaving;
  }

  /** Autosave every `intervalMs` while there are unsaved changes (App starts it once connected). */
  function startAutosave(intervalMs = AUTOSAVE_INTERVAL_MS): void {
    stopAutosave();
    autosaveTimer = setInterval(() => void autosave(), intervalMs);
  }

  function stopAutosave(): void {
    if (autosaveTimer !== null) clearInterval(autosaveTimer);
    autosaveTimer = null;
  }

  return { autosaveError, markWritten, clearAutosave, autosave, startAutosave, stopAutosave };
}

/**
 * Autosave and recovery: unsaved work goes to the host's recovery folder (createAutosaveWriter);
 * work an earlier session left behind is offered, restored or discarded.
 */
export function useNotebookAutosave(core: NotebookCore, { apply, toDocument }: NotebookDocumentIo) {
  const { markWritten, ...writer } = createAutosaveWriter(core, toDocument);
  /** Unsaved work an earlier session left behind (the welcome screen offers it), or null. */
  const recoveryOffer = ref<RecoveryOffer | null>(null);

  /**
   * Ask the host, once when the page starts, whether unsaved work was left behind (a crash, a
   * closed tab, this tab before a reload); sets recoveryOffer.
   */
  async function checkRecovery(): Promise<RecoveryOffer | null> {
    recoveryOffer.value = await useHost()
      .pendingRecovery(tabId())
      .catch(() => null);
    return recoveryOffer.value;
  }

  /** Open the unsaved work an earlier session left behind; it stays unsaved (and autosaved). */
  async function restoreRecovery(): Promise<boolean> {
    const recovered = await core.guarded(() => useHost().restoreRecovery(tabId()));
    recoveryOffer.value = null;
    if (!recovered) return false;
    apply(recovered.notebook, recovered.path);
    // The host keeps the restored file as this session's autosave: nothing to write yet.
    core.changed();
    markWritten();
    return true;
  }

  /** Delete the unsaved work offered; the next one left behind (if any) is offered in its place. */
  async function discardRecovery(): Promise<void> {
    const next = await core.guarded(() => useHost().discardRecovery(tabId()));
    recoveryOffer.value = next ?? null;
  }

  return { recoveryOffer, ...writer, checkRecovery, restoreRecovery, discardRecovery };
}

export type NotebookAutosave = ReturnType<typeof useNotebookAutosave>;
