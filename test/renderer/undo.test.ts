import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { installHost } from '../../src/renderer/src/host/currentHost';
import { useCatalogStore } from '../../src/renderer/src/stores/catalog';
import { useDesignStore } from '../../src/renderer/src/stores/design';
import { createHistory } from '../../src/renderer/src/stores/history';
import { useProjectStore } from '../../src/renderer/src/stores/notebook';
import { FakeHost } from './fakeHost';

describe('undo and redo', () => {
  beforeEach(async () => {
    setActivePinia(createPinia());
    installHost(new FakeHost());
    await useCatalogStore().load();
  });

  it('undoes and redoes notebook edits, deleting an entry included, step by step', async () => {
    const project = useProjectStore();
    await project.newProject();
    expect(project.canUndo).toBe(false);
    const first = project.addNote('first');
    const second = project.addNote('second');
    project.updateNote(first, 'first, edited');
    project.move(second, -1);
    project.remove(first);
    const notes = () => project.entries.map((entry) => (entry.kind === 'note' ? entry.markdown : entry.kind));
    expect(notes()).toEqual(['second']);
    expect(project.undoLabel).toBe('delete note');

    expect(project.undo()).toBe(true);
    expect(notes()).toEqual(['second', 'first, edited']);
    expect(project.undo()).toBe(true);
    expect(notes()).toEqual(['first, edited', 'second']);
    expect(project.undo()).toBe(true);
    expect(notes()).toEqual(['first', 'second']);
    expect(project.redoLabel).toBe('edit note');
    expect(project.redo()).toBe(true);
    expect(notes()).toEqual(['first, edited', 'second']);
    // A new edit drops what could be redone.
    project.rename('Lab book');
    expect(project.canRedo).toBe(false);
    expect(project.undo()).toBe(true);
    expect(project.name).toBe('Untitled');
    // Undone edits still leave the notebook unsaved.
    expect(project.dirty).toBe(true);
  });

  it('merges a quick run of design edits into one step, and undoes it with the notebook', async () => {
    const project = useProjectStore();
    const design = useDesignStore();
    await project.newProject();
    design.setRepresentative('Chess', true);
    design.setRepresentative('Minprog', true);
    design.design.repetitions = 3;
    expect(design.trialCount).toBe(2 * 2 * 3);
    expect(project.undo()).toBe(true);
    expect(design.design.representatives).toEqual([]);
    expect(design.design.repetitions).toBe(1);
    expect(project.redo()).toBe(true);
    expect(design.design.representatives).toEqual(['Chess', 'Minprog']);
    expect(design.design.repetitions).toBe(3);
  });

  it('starts afresh when a notebook is opened', async () => {
    const project = useProjectStore();
    await project.newProject();
    project.addNote('x');
    expect(project.canUndo).toBe(true);
    await project.newProject();
    expect(project.canUndo).toBe(false);
    expect(project.undo()).toBe(false);
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
