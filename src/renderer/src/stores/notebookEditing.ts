import type { ExperimentDesign } from '../../../engine/experiment/design';
import type { FigureSpec } from '../../../shared/figures/spec';
import type { NotebookEntry } from '../../../shared/hostApi';
import type { NotebookCore } from './notebookCore';
import type { NotebookEntries } from './notebookEntries';
import type { NotebookHistory, NotebookStores } from './notebookHistory';

/** `list` with `entry` after the entry `afterId` (at the end when there is none). */
function withInserted(
  list: readonly NotebookEntry[],
  entry: NotebookEntry,
  afterId: string | undefined,
): NotebookEntry[] {
  const next = [...list];
  const at = afterId ? next.findIndex((item) => item.id === afterId) : -1;
  next.splice(at >= 0 ? at + 1 : next.length, 0, entry);
  return next;
}

/** `list` with the entry `id` moved up (-1) or down (+1); null when it cannot move. */
function withMoved(list: readonly NotebookEntry[], id: string, by: -1 | 1): NotebookEntry[] | null {
  const next = [...list];
  const at = next.findIndex((entry) => entry.id === id);
  const to = at + by;
  if (at < 0 || to < 0 || to >= next.length) return null;
  [next[at], next[to]] = [next[to]!, next[at]!];
  return next;
}

/** `list` without the entry `id`; without an experiment's figures too. */
const withoutEntry = (list: readonly NotebookEntry[], id: string): NotebookEntry[] =>
  list.filter((entry) => entry.id !== id && !(entry.kind === 'figure' && entry.experimentId === id));

/** Replaces the entries with `next` as one edit of the user's (an undo step named `label`). */
type ReplaceEntries = (next: NotebookEntry[], label: string) => void;

/** Adding notes and figures, changing their text, and moving entries: one undo step each. */
function createEntryEdits(
  { committed }: NotebookCore,
  { freshId, commitCurrent }: NotebookEntries,
  replaceEntries: ReplaceEntries,
) {
  /** Insert `entry` after the entry `afterId` (at the end when there is none); returns its id. */
  function insertAfter(entry: NotebookEntry, afterId: string | undefined, label: string): string {
    replaceEntries(withInserted(committed.value, entry, afterId), label);
    return entry.id;
  }

  /** Add a note after `afterId` (default: at the end); returns its id. */
  function addNote(markdown = '', afterId?: string): string {
    commitCurrent();
    return insertAfter({ kind: 'note', id: freshId('note'), markdown }, afterId, 'add note');
  }

  /** Add a figure of an experiment after it (or after `afterId`); returns its id. */
  function addFigure(experimentId: string, figure: FigureSpec, caption = '', afterId?: string): string {
    commitCurrent();
    const entry: NotebookEntry = { kind: 'figure', id: freshId('figure'), experimentId, figure, caption };
    return insertAfter(entry, afterId ?? experimentId, 'add figure');
  }

  function updateNote(id: string, markdown: string): void {
    const list = committed.value.map((entry) =>
      entry.id === id && entry.kind === 'note' ? { ...entry, markdown } : entry,
    );
    replaceEntries(list, 'edit note');
  }

  function updateCaption(id: string, caption: string): void {
    const list = committed.value.map((entry) =>
      entry.id === id && entry.kind === 'figure' ? { ...entry, caption } : entry,
    );
    replaceEntries(list, 'edit caption');
  }

  /** Move an entry up (-1) or down (+1). */
  function move(id: string, by: -1 | 1): void {
    commitCurrent();
    const list = withMoved(committed.value, id, by);
    if (list) replaceEntries(list, by < 0 ? 'move up' : 'move down');
  }

  return { addNote, addFigure, updateNote, updateCaption, move };
}

/**
 * The user's edits of the notebook's entries: add, change, move and delete notes and figures,
 * delete an experiment (with its figures), and open an experiment for editing. Each is one undo
 * step. The edits here are those that can change the current experiment; the others are
 * createEntryEdits.
 */
export function useNotebookEditing(
  core: NotebookCore,
  { sweep }: NotebookStores,
  entries: NotebookEntries,
  { history, edited }: NotebookHistory,
) {
  const { committed, activeId } = core;
  const { commitCurrent, loadExperiment, clearExperiment } = entries;

  const replaceEntries: ReplaceEntries = (next, label) => {
    committed.value = next;
    core.touch();
    edited(label);
  };

  /** Delete an entry; deleting an experiment deletes its figures too. */
  function remove(id: string): void {
    commitCurrent();
    const kind = committed.value.find((entry) => entry.id === id)?.kind ?? 'entry';
    const list = withoutEntry(committed.value, id);
    if (activeId.value === id) {
      activeId.value = null;
      core.quietly(clearExperiment);
    }
    replaceEntries(list, `delete ${kind}`);
  }

  /** Load an experiment entry into the Design and Results tabs (the current one is kept first). */
  function editExperiment(id: string): ExperimentDesign | null {
    commitCurrent();
    const entry = committed.value.find((item) => item.id === id);
    if (entry?.kind !== 'experiment') return null;
    core.quietly(() => {
      sweep.reset();
      activeId.value = id;
      loadExperiment(entry);
    });
    // Opening another experiment is not an edit, but later steps must start from it.
    history.changed('open experiment');
    return entry.design;
  }

  return { ...createEntryEdits(core, entries, replaceEntries), remove, editExperiment };
}
