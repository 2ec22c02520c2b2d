import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { installHost } from '../../src/renderer/src/host/currentHost';
import { TAB_ID_KEY, tabId } from '../../src/renderer/src/host/tabId';
import { useCatalogStore } from '../../src/renderer/src/stores/catalog';
import { useDesignStore } from '../../src/renderer/src/stores/design';
import { AUTOSAVE_INTERVAL_MS, useNotebookStore } from '../../src/renderer/src/stores/notebook';
import { useSweepStore } from '../../src/renderer/src/stores/sweep';
import { sampleNotebook } from '../helpers/designs';
import { FakeHost, okResult, smallDesign } from './fakeHost';

let host: FakeHost;

beforeEach(async () => {
  setActivePinia(createPinia());
  host = new FakeHost();
  installHost(host);
  await useCatalogStore().load();
  vi.useFakeTimers();
});

afterEach(() => {
  useNotebookStore().stopAutosave();
  vi.useRealTimers();
});

/** Let the promises the store started settle (fake timers do not run them). */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
};

describe('notebook store: autosave and recovery', () => {
  it('autosaves an untitled notebook within 30 s of a change, and not again while nothing changes', async () => {
    const notebook = useNotebookStore();
    await notebook.newNotebook();
    notebook.startAutosave();
    await vi.advanceTimersByTimeAsync(AUTOSAVE_INTERVAL_MS);
    expect(host.writeRecovery).not.toHaveBeenCalled(); // nothing unsaved

    notebook.addNote('unsaved thought');
    await vi.advanceTimersByTimeAsync(AUTOSAVE_INTERVAL_MS - 1);
    await vi.advanceTimersByTimeAsync(1);
    expect(host.writeRecovery).toHaveBeenCalledTimes(1);
    expect(host.recovery?.path).toBeNull();
    expect(host.recovery?.notebook.entries).toEqual([
      { kind: 'note', id: 'note-1', markdown: 'unsaved thought' },
    ]);

    await vi.advanceTimersByTimeAsync(3 * AUTOSAVE_INTERVAL_MS);
    expect(host.writeRecovery).toHaveBeenCalledTimes(1);
    notebook.updateNote('note-1', 'second thought');
    await vi.advanceTimersByTimeAsync(AUTOSAVE_INTERVAL_MS);
    expect(host.writeRecovery).toHaveBeenCalledTimes(2);
    expect(host.recovery?.notebook.entries[0]).toMatchObject({ markdown: 'second thought' });
  });

  it("autosaves with the notebook's file, and a clean save removes the autosave", async () => {
    host.files.set('/lab/a.accentlab', sampleNotebook());
    const notebook = useNotebookStore();
    await notebook.open('/lab/a.accentlab');
    notebook.startAutosave();
    notebook.rename('renamed');
    await vi.advanceTimersByTimeAsync(AUTOSAVE_INTERVAL_MS);
    expect(host.recovery).toMatchObject({ path: '/lab/a.accentlab', notebook: { name: 'renamed' } });

    expect(await notebook.save()).toBe(true);
    await settle();
    expect(host.clearRecovery).toHaveBeenCalled();
    expect(host.recovery).toBeNull();
    await vi.advanceTimersByTimeAsync(AUTOSAVE_INTERVAL_MS);
    expect(host.recovery).toBeNull();
  });

  it('closing the notebook (new or open another) removes its autosave', async () => {
    const notebook = useNotebookStore();
    await notebook.newNotebook();
    notebook.addNote('x');
    await notebook.autosave();
    expect(host.recovery).not.toBeNull();
    await notebook.newNotebook();
    await settle();
    expect(host.recovery).toBeNull();
  });

  it('autosaves right after a sweep ends, without waiting for the timer', async () => {
    const notebook = useNotebookStore();
    const design = useDesignStore();
    const sweep = useSweepStore();
    await notebook.newNotebook();
    notebook.startAutosave();
    design.load(smallDesign());
    await sweep.start(design.snapshot());
    const sweepId = sweep.sweepId!;
    for (const row of [...sweep.trials]) {
      sweep.handleEvent({
        type: 'trial-finished',
        sweepId,
        result: okResult(row.id, row.workload, row.strategy, row.prefetch),
      });
    }
    host.writeRecovery.mockClear();
    sweep.handleEvent({
      type: 'sweep-finished',
      sweepId,
      done: sweep.trials.length,
      failed: 0,
      cancelled: false,
    });
    await settle();
    await vi.advanceTimersByTimeAsync(0);
    expect(host.writeRecovery).toHaveBeenCalledTimes(1);
    const saved = host.recovery!.notebook.entries.find((entry) => entry.kind === 'experiment');
    expect(saved?.kind === 'experiment' && saved.results).toHaveLength(sweep.trials.length);
  });

  it('offers unsaved work left behind, restores it as unsaved, or discards it and offers the next', async () => {
    const left = { ...sampleNotebook(), name: 'crashed lab' };
    host.leftBehind = [
      { savedAt: '2026-11-25T09:30:00.000Z', path: '/lab/crashed.accentlab', notebook: left },
    ];
    const notebook = useNotebookStore();
    await notebook.newNotebook();
    expect(await notebook.checkRecovery()).toEqual({
      savedAt: '2026-11-25T09:30:00.000Z',
      name: 'crashed lab',
      path: '/lab/crashed.accentlab',
      more: 0,
    });
    expect(await notebook.restoreRecovery()).toBe(true);
    expect(notebook.recoveryOffer).toBeNull();
    expect(notebook.name).toBe('crashed lab');
    expect(notebook.path).toBe('/lab/crashed.accentlab');
    expect(notebook.dirty).toBe(true);
    expect(notebook.entries.map((entry) => entry.id)).toEqual(left.entries.map((entry) => entry.id));

    // Two tabs' work: discarding the first offers the second.
    host.leftBehind = [
      { savedAt: '2026-11-25T09:31:00.000Z', path: null, notebook: { ...left, name: 'tab one' } },
      { savedAt: '2026-11-25T09:30:00.000Z', path: null, notebook: { ...left, name: 'tab two' } },
    ];
    expect(await notebook.checkRecovery()).toMatchObject({ name: 'tab one', more: 1 });
    await notebook.discardRecovery();
    expect(host.discardRecovery).toHaveBeenCalledTimes(1);
    expect(notebook.recoveryOffer).toMatchObject({ name: 'tab two', more: 0 });
    await notebook.discardRecovery();
    expect(notebook.recoveryOffer).toBeNull();
    expect(await notebook.checkRecovery()).toBeNull();
  });

  it("names this tab, with the id kept in the tab's sessionStorage, in every recovery call", async () => {
    // The tests run in Node: a tab's sessionStorage, as a browser keeps it.
    const kept = new Map<string, string>();
    const storage = {
      getItem: (key: string) => kept.get(key) ?? null,
      setItem: (key: string, value: string) => void kept.set(key, value),
      removeItem: (key: string) => void kept.delete(key),
    };
    vi.stubGlobal('sessionStorage', storage);
    const notebook = useNotebookStore();
    await notebook.checkRecovery();
    const tab = host.recoveryTab;
    expect(tab).toMatch(/^[0-9a-f]{32}$/);
    expect(storage.getItem(TAB_ID_KEY)).toBe(tab);
    notebook.addNote('unsaved thought');
    await notebook.autosave();
    expect(host.writeRecovery).toHaveBeenLastCalledWith(tab, expect.anything(), undefined);
    // A reload of the tab keeps its id (sessionStorage survives it); another tab gets another.
    expect(tabId()).toBe(tab);
    storage.removeItem(TAB_ID_KEY);
    expect(tabId()).not.toBe(tab);
    vi.unstubAllGlobals();
  });

  it('keeps the last autosave error to show, and tries again on the next tick', async () => {
    const notebook = useNotebookStore();
    await notebook.newNotebook();
    notebook.startAutosave();
    notebook.addNote('x');
    host.writeRecovery.mockRejectedValueOnce(new Error('cannot write: the disk is full'));
    await vi.advanceTimersByTimeAsync(AUTOSAVE_INTERVAL_MS);
    expect(notebook.autosaveError).toBe('cannot write: the disk is full');
    await vi.advanceTimersByTimeAsync(AUTOSAVE_INTERVAL_MS);
    expect(notebook.autosaveError).toBeNull();
    expect(host.recovery).not.toBeNull();
  });
});

describe('notebook store: autosave while one is under way', () => {
  it('writes changes made during a write right after it', async () => {
    const notebook = useNotebookStore();
    await notebook.newNotebook();
    notebook.addNote('first');
    let release!: () => void;
    host.writeRecovery.mockImplementationOnce(
      (_tab, document) =>
        new Promise<void>((resolve) => {
          release = () => {
            host.recovery = { notebook: structuredClone(document), path: null };
            resolve();
          };
        }),
    );
    const first = notebook.autosave();
    notebook.addNote('second');
    const second = notebook.autosave();
    release();
    await Promise.all([first, second]);
    expect(host.writeRecovery).toHaveBeenCalledTimes(2);
    expect(host.recovery?.notebook.entries.map((entry) => entry.kind === 'note' && entry.markdown)).toEqual([
      'first',
      'second',
    ]);
  });
});
