import { NOTEBOOK_EXTENSION } from '../../../shared/notebook/format';
import { useHost } from '../host/currentHost';
import { useNotebookStore } from '../stores/notebook';
import { useSweepStore } from '../stores/sweep';
import type { CommandUi, LabCommands } from './useLabCommands';

const DISCARD = 'The notebook has unsaved changes. Discard them?';
const STOP_SWEEP = 'A sweep is still running. Cancel it?';

/** The folder part of a path ('' for a bare name), either separator. */
const folderOf = (path: string): string =>
  path.slice(0, Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);

/**
 * Where to save a notebook (for the web host's path dialog): its file, else its name in the
 * folder of the last notebook used, else in the host's notebooks folder.
 */
async function savePathFor(notebook: { path: string | null; name: string }): Promise<string> {
  if (notebook.path) return notebook.path;
  const file = `${notebook.name.replace(/[^\w.-]+/g, '-')}${NOTEBOOK_EXTENSION}`;
  const recent = (
    await useHost()
      .recentNotebookPaths()
      .catch(() => [])
  )[0];
  if (recent) return `${folderOf(recent)}${file}`;
  // No recent file: the host's notebooks folder (paths must be absolute).
  const folder = await useHost()
    .notebooksFolder()
    .catch(() => '');
  const separator = folder.includes('\\') && !folder.includes('/') ? '\\' : '/';
  return folder ? `${folder.replace(/[\\/]+$/, '')}${separator}${file}` : file;
}

/** New, Open, Open built-in, Save and Save As: what replaces, opens or writes the notebook. */
export function useNotebookCommands(
  ui: CommandUi,
): Pick<LabCommands, 'newNotebook' | 'openNotebook' | 'openBuiltin' | 'saveNotebook' | 'saveNotebookAs'> {
  const notebook = useNotebookStore();
  const sweep = useSweepStore();

  /** Before another notebook replaces this one: keep unsaved work and a running sweep only if asked. */
  async function mayLeave(): Promise<boolean> {
    if (notebook.dirty && !ui.confirm(DISCARD)) return false;
    if (sweep.isActive) {
      if (!ui.confirm(STOP_SWEEP)) return false;
      await sweep.cancel();
    }
    return true;
  }

  /** Run a save or open for the path dialog: null when it worked, else its message (shown there). */
  async function attempt(work: () => Promise<boolean>): Promise<string | null> {
    if (await work()) return null;
    const message = notebook.error ?? 'it did not work';
    notebook.dismissErrors();
    return message;
  }

  async function saveNotebookAs(): Promise<void> {
    if (ui.hostKind === 'web') {
      await ui.askPath('save', await savePathFor(notebook), (path) => attempt(() => notebook.saveAs(path)));
    } else {
      await notebook.saveAs();
    }
  }

  return {
    async newNotebook() {
      if (!(await mayLeave())) return;
      if (await notebook.newNotebook()) ui.showTab('design');
    },
    async openNotebook(path?: string) {
      if (!(await mayLeave())) return;
      if (path) {
        if (await notebook.open(path)) ui.showTab('notebook');
        return;
      }
      if (ui.hostKind === 'web') {
        const opened = await ui.askPath('open', notebook.path ?? '', (path) =>
          attempt(() => notebook.open(path)),
        );
        if (opened) ui.showTab('notebook');
      } else {
        await notebook.open();
      }
    },
    async openBuiltin(id) {
      if (!(await mayLeave())) return;
      if (await notebook.openBuiltin(id)) ui.showTab('notebook');
    },
    async saveNotebook() {
      if (ui.hostKind === 'web' && !notebook.path) await saveNotebookAs();
      else await notebook.save();
    },
    saveNotebookAs,
  };
}
