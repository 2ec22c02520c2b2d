import type { NotebookDocument } from '../../../shared/hostApi';
import { useHost } from '../host/currentHost';
import { APP_TITLE, UNTITLED, type NotebookCore } from './notebookCore';
import type { NotebookAutosave } from './notebookAutosave';
import type { NotebookEntries } from './notebookEntries';
import type { NotebookHistory, NotebookStores } from './notebookHistory';
import { useStoreCheckStore } from './storeCheck';

/** "/a/b/Lab notes.accentlab" -> "Lab notes". */
const fileStem = (path: string): string => path.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');

const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** A notebook document put in place (opened, restored, new), and the document to save. */
export function useNotebookDocument(
  core: NotebookCore,
  { sweep }: NotebookStores,
  entries: NotebookEntries,
  { history }: NotebookHistory,
) {
  /** Show `opened` (from the file `at`, if any): its last experiment becomes the current one. */
  function apply(opened: NotebookDocument, at: string | null, isBuiltin = false): void {
    core.quietly(() => {
      core.name.value = opened.name || UNTITLED;
      core.path.value = at;
      core.builtin.value = isBuiltin;
      core.provenance.value = opened.provenance;
      sweep.reset();
      entries.load(opened.entries);
      core.dirty.value = false;
    });
    history.reset();
  }

  /** The document to save: every entry, the current experiment written into its own. */
  function toDocument(): NotebookDocument {
    return plain({
      formatVersion: 3,
      name: core.name.value,
      provenance: core.provenance.value ?? { engineVersion: '0.0.0', createdBy: APP_TITLE },
      entries: entries.entries.value,
    });
  }

  return { apply, toDocument };
}

export type NotebookDocumentIo = ReturnType<typeof useNotebookDocument>;

/** New, open and save through the host (each clears the autosave: the work is safe in a file). */
export function useNotebookFiles(
  core: NotebookCore,
  { apply, toDocument }: NotebookDocumentIo,
  entries: NotebookEntries,
  autosave: NotebookAutosave,
) {
  async function newNotebook(): Promise<boolean> {
    const fresh = await core.guarded(() => useHost().newNotebook());
    if (!fresh) return false;
    apply(fresh, null);
    useStoreCheckStore().dismiss();
    autosave.clearAutosave();
    return true;
  }

  /** Open `at`, or let the host ask (Electron). False when cancelled or failed. */
  async function open(at?: string): Promise<boolean> {
    const opened = await core.guarded(() => useHost().openNotebook(at));
    if (!opened) return false;
    apply(opened.notebook, opened.path);
    autosave.clearAutosave();
    // Its summarized experiments' results stores: missing, moved or another's is said at once.
    void useStoreCheckStore().check(opened.path, opened.notebook);
    return true;
  }

  /** Open a notebook shipped with the app; it has no file until saved. */
  async function openBuiltin(id: string): Promise<boolean> {
    const opened = await core.guarded(() => useHost().openBuiltinNotebook(id));
    if (!opened) return false;
    apply(opened, null, true);
    useStoreCheckStore().dismiss();
    autosave.clearAutosave();
    return true;
  }

  /** Save to `at`, else to the file it came from, else let the host ask (Electron). */
  async function save(at?: string): Promise<boolean> {
    return write(at ?? core.path.value ?? undefined);
  }

  /** Save under a new name: `at`, or let the host ask (Electron). */
  async function saveAs(at?: string): Promise<boolean> {
    return write(at);
  }

  async function write(target: string | undefined): Promise<boolean> {
    const name = core.name.value;
    // An untitled notebook takes the name of the file it is first saved to.
    const named = name === UNTITLED && target ? fileStem(target) || UNTITLED : name;
    const before = core.path.value;
    const document = { ...toDocument(), name: named };
    // The file it came from: saved elsewhere, its trials go into the store beside the new file.
    const saved = await core.guarded(() => useHost().saveNotebook(document, target, before ?? undefined));
    if (!saved) return false;
    if (saved.carried) entries.renameStores(saved.carried);
    if (saved.compacted) entries.takeSummaries(saved.compacted);
    if (saved.storeWarnings) core.notice.value = `Saved. ${saved.storeWarnings.join(' ')}`;
    core.name.value = named;
    core.path.value = saved.path;
    core.builtin.value = false;
    entries.commitCurrent();
    core.dirty.value = false;
    autosave.clearAutosave();
    if (saved.path !== before) void useStoreCheckStore().check(saved.path, document);
    return true;
  }

  return { newNotebook, open, openBuiltin, save, saveAs };
}
