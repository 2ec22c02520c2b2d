import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { installHost } from '../../src/renderer/src/host/currentHost';
import { useCatalogStore } from '../../src/renderer/src/stores/catalog';
import { useDesignStore } from '../../src/renderer/src/stores/design';
import { createHistory } from '../../src/renderer/src/stores/history';
import { useNotebookStore } from '../../src/renderer/src/stores/notebook';
import { FakeHost } from './fakeHost';

describe('undo and redo', () => {
  beforeEach(async () => {
    setActivePinia(createPinia());
    installHost(new FakeHost());
    await useCatalogStore().load();
  });

  it('undoes and redoes notebook edits, deleting an entry included, step by step', async () => {
    const notebook = useNotebookStore();
    await notebook.newNotebook();
    expect(notebook.canUndo).toBe(false);
    const first = notebook.addNote('first');
    const second = notebook.addNote('second');
    notebook.updateNote(first, 'first, edited');
    notebook.move(second, -1);
    notebook.remove(first);
    const notes = () =>
      notebook.entries.map((entry) => (entry.kind === 'note' ? entry.markdown : entry.kind));
    expect(notes()).toEqual(['second']);
    expect(notebook.undoLabel).toBe('delete note');

    expect(notebook.undo()).toBe(true);
    expect(notes()).toEqual(['second', 'first, edited']);
    expect(notebook.undo()).toBe(true);
    expect(notes()).toEqual(['first, edited', 'second']);
    expect(notebook.undo()).toBe(true);
    expect(notes()).toEqual(['first', 'second']);
    expect(notebook.redoLabel).toBe('edit note');
    expect(notebook.redo()).toBe(true);
    expect(notes()).toEqual(['first, edited', 'second']);
    // A new edit drops what could be redone.
    notebook.rename('Lab book');
    expect(notebook.canRedo).toBe(false);
    expect(notebook.undo()).toBe(true);
    expect(notebook.name).toBe('Untitled');
    // Undone edits still leave the notebook unsaved.
    expect(notebook.dirty).toBe(true);
  });

  it('merges a quick run of design edits into one step, and undoes it with the notebook', async () => {
    const notebook = useNotebookStore();
    const design = useDesignStore();
    await notebook.newNotebook();
    design.setRepresentative('Chess', true);
    design.setRepresentative('Minprog', true);
    design.design.repetitions = 3;
    expect(design.trialCount).toBe(2 * 2 * 3);
    expect(notebook.undo()).toBe(true);
    expect(design.design.representatives).toEqual([]);
    expect(design.design.repetitions).toBe(1);
    expect(notebook.redo()).toBe(true);
    expect(design.design.representatives).toEqual(['Chess', 'Minprog']);
    expect(design.design.repetitions).toBe(3);
  });

  it('starts afresh when a notebook is opened', async () => {
    const notebook = useNotebookStore();
    await notebook.newNotebook();
    notebook.addNote('x');
    expect(notebook.canUndo).toBe(true);
    await notebook.newNotebook();
    expect(notebook.canUndo).toBe(false);
    expect(notebook.undo()).toBe(false);
  });
});

describe('createHistory', () => {
  it('keeps separate labels apart and merges only the same edit', () => {
    let state = 0;
    const history = createHistory(
      () => state,
      (value) => (state = value),
      10_000,
    );
    state = 1;
    history.changed('type', true);
    state = 2;
    history.changed('type', true);
    state = 3;
    history.changed('click');
    expect(history.undo()).toBe(true);
    expect(state).toBe(2);
    expect(history.undo()).toBe(true);
    expect(state).toBe(0);
    expect(history.undo()).toBe(false);
    expect(history.redo()).toBe(true);
    expect(state).toBe(2);
  });
});
