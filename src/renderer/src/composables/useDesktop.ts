import { watch } from 'vue';
import type { DesktopApi } from '../../../shared/desktopApi';
import { useNotebookStore } from '../stores/notebook';
import type { LabCommands } from './useLabCommands';

/**
 * Connect the window to the desktop host's conventions (Electron only): tell the main process
 * the notebook's name, file and unsaved state (its close prompt and macOS's edited dot), open the
 * files the OS sends, and run the Save of "Save / Don't Save / Cancel" when the window closes.
 * Returns the function that disconnects.
 */
export function connectDesktop(
  desktop: DesktopApi,
  commands: Pick<LabCommands, 'openNotebook' | 'saveNotebook'>,
): () => void {
  const notebook = useNotebookStore();
  const stopWatching = watch(
    () => ({ name: notebook.name, path: notebook.path, edited: notebook.dirty }),
    (state) => {
      desktop.setDocumentState(state).catch((error: unknown) => {
        console.error('could not tell the desktop host the document state:', error);
      });
    },
    { immediate: true },
  );
  const stopListening = desktop.onEvent((event) => {
    if (event.type === 'open-file') {
      void commands.openNotebook(event.path);
    } else if (event.type === 'save-before-close') {
      void (async () => {
        let saved = false;
        try {
          await commands.saveNotebook();
          // Saved only if nothing is left unsaved (a cancelled Save As or a failed write leaves it).
          saved = !notebook.dirty;
        } finally {
          await desktop.finishClose(saved);
        }
      })();
    }
  });
  return () => {
    stopWatching();
    stopListening();
  };
}

/** The window title as the platform shows unsaved changes: macOS marks the close button instead. */
export function platformWindowTitle(title: string, desktopMac: boolean): string {
  return desktopMac ? title.replace(/^• /, '') : title;
}
