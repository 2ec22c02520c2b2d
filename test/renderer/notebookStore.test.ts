import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { installHost } from '../../src/renderer/src/host/currentHost';
import { useCatalogStore } from '../../src/renderer/src/stores/catalog';
import { useDesignStore } from '../../src/renderer/src/stores/design';
import { useNotebookStore } from '../../src/renderer/src/stores/notebook';
import { useResultsStore } from '../../src/renderer/src/stores/results';
import { useStoreCheckStore } from '../../src/renderer/src/stores/storeCheck';
import { useSweepStore } from '../../src/renderer/src/stores/sweep';
import { summarizeTrials } from '../../src/shared/notebook/summary';
import { entryPartial } from '../../src/shared/figures/partial';
import { sampleExperiment, sampleNotebook } from '../helpers/designs';
import { FakeHost, okResult, smallDesign } from './fakeHost';

describe('notebook store', () => {
  let host: FakeHost;

  beforeEach(async () => {
    setActivePinia(createPinia());
    host = new FakeHost();
    installHost(host);
    await useCatalogStore().load();
  });

  it('starts clean and marks edits of the design or new results as unsaved in the title', async () => {
    const notebook = useNotebookStore();
    const design = useDesignStore();
    expect(await notebook.newNotebook()).toBe(true);
    expect(notebook.dirty).toBe(false);
    expect(notebook.windowTitle).toBe('Untitled — Accent Migration Lab');

    design.setRepresentative('Chess', true);
    expect(notebook.dirty).toBe(true);
    expect(notebook.windowTitle).toBe('• Untitled — Accent Migration Lab');

    await notebook.save('/tmp/lab.json');
    expect(notebook.dirty).toBe(false);
    // An untitled notebook takes its file's name.
    expect(notebook.windowTitle).toBe('lab — Accent Migration Lab');
    expect(host.files.get('/tmp/lab.json')?.name).toBe('lab');
    useResultsStore().add(okResult('Chess/pure-copy', 'Chess', 'pure-copy', 0));
    expect(notebook.dirty).toBe(true);
  });

  it('saves the edited design with its results and opens them again', async () => {
    const notebook = useNotebookStore();
    const design = useDesignStore();
    const results = useResultsStore();
    await notebook.newNotebook();
    design.load(smallDesign());
    results.add(okResult('Chess/pure-copy', 'Chess', 'pure-copy', 0, { bytesTotal: 42 }));

    expect(await notebook.save('/tmp/lab.json')).toBe(true);
    expect(notebook.path).toBe('/tmp/lab.json');
    const saved = host.files.get('/tmp/lab.json')!;
    expect(saved.formatVersion).toBe(3);
    expect(saved.entries).toHaveLength(1);
    const entry = saved.entries[0]!;
    expect(entry.kind).toBe('experiment');
    expect(entry.kind === 'experiment' && entry.design.representatives).toEqual(['Minprog', 'Chess']);
    expect(entry.kind === 'experiment' && entry.results[0]!.metrics!.bytesTotal).toBe(42);

    await notebook.newNotebook();
    expect(design.design.representatives).toEqual([]);
    expect(results.results).toEqual([]);
    expect(notebook.path).toBeNull();

    expect(await notebook.open('/tmp/lab.json')).toBe(true);
    expect(design.design.representatives).toEqual(['Minprog', 'Chess']);
    expect(results.results).toHaveLength(1);
    expect(notebook.dirty).toBe(false);
  });

  it('saves to the file it came from, and Save As to a new one', async () => {
    const notebook = useNotebookStore();
    host.files.set('/tmp/a.json', {
      formatVersion: 3,
      name: 'A',
      provenance: { engineVersion: '0.1.0', createdBy: 'test' },
      entries: [],
    });
    await notebook.open('/tmp/a.json');
    expect(notebook.name).toBe('A');
    useDesignStore().setRepresentative('Minprog', true);
    await notebook.save();
    expect(host.saveNotebook).toHaveBeenLastCalledWith(
      expect.objectContaining({ name: 'A' }),
      '/tmp/a.json',
      '/tmp/a.json',
    );
    await notebook.saveAs('/tmp/b.json');
    expect(notebook.path).toBe('/tmp/b.json');
    // The host hears where it came from: the trials go with it into the store beside the new file.
    expect(host.saveNotebook).toHaveBeenLastCalledWith(expect.anything(), '/tmp/b.json', '/tmp/a.json');
  });

  it('keeps the notebook as it was when the user cancels a dialog, and shows host errors', async () => {
    const notebook = useNotebookStore();
    await notebook.newNotebook();
    useDesignStore().setRepresentative('Minprog', true);
    expect(await notebook.open()).toBe(false); // the host's dialog was cancelled
    expect(notebook.dirty).toBe(true);
    expect(await notebook.open('/missing.json')).toBe(false);
    expect(notebook.error).toBe('no such file: /missing.json');
    expect(useDesignStore().design.representatives).toEqual(['Minprog']);
  });

  it('edits the notebook: notes added, edited, moved and deleted; figures follow their experiment', async () => {
    const notebook = useNotebookStore();
    const design = useDesignStore();
    await notebook.newNotebook();
    expect(notebook.isEmpty).toBe(true);
    design.load(smallDesign());
    useResultsStore().add(okResult('Chess/pure-copy', 'Chess', 'pure-copy', 0));
    const note = notebook.addNote('# Hello');
    expect(notebook.isEmpty).toBe(false);
    expect(notebook.entries.map((entry) => entry.kind)).toEqual(['experiment', 'note']);
    notebook.move(note, -1);
    expect(notebook.entries.map((entry) => entry.kind)).toEqual(['note', 'experiment']);
    notebook.move(note, -1); // already first: nothing moves
    expect(notebook.entries[0]!.id).toBe(note);
    notebook.updateNote(note, '# Changed');
    const experimentId = notebook.entries[1]!.id;
    notebook.addFigure(experimentId, { kind: 'bytes' }, 'Bytes');
    expect(notebook.entries.map((entry) => entry.kind)).toEqual(['note', 'experiment', 'figure']);
    await notebook.save('/tmp/notebook.json');
    const saved = host.files.get('/tmp/notebook.json')!;
    expect(saved.entries[0]).toEqual({ kind: 'note', id: note, markdown: '# Changed' });
    expect(saved.entries[2]).toMatchObject({ kind: 'figure', experimentId, caption: 'Bytes' });
    notebook.remove(experimentId);
    expect(notebook.entries.map((entry) => entry.kind)).toEqual(['note']);
    expect(notebook.dirty).toBe(true);
  });

  it('checks a summarized experiment’s results store when its notebook opens, and says what it found', async () => {
    const notebook = useNotebookStore();
    const check = useStoreCheckStore();
    // A notebook without a summarized experiment: nothing to check.
    host.files.set('/tmp/small.accentlab', sampleNotebook());
    await notebook.open('/tmp/small.accentlab');
    expect(host.checkNotebookStores).not.toHaveBeenCalled();
    const big = sampleNotebook();
    const entry = sampleExperiment(big);
    entry.summary = summarizeTrials(entry.design, [], 'big.results.duckdb');
    host.files.set('/tmp/big.accentlab', big);
    host.storeNotices = [
      {
        experimentId: entry.id,
        experimentName: 'small',
        store: 'big.results.duckdb',
        path: '/tmp/big.results.duckdb',
        expected: '/tmp/big.results.duckdb',
        problem: 'missing',
        message: '"small": its 0 trials are in the results store big.results.duckdb, which is missing.',
        fix: 'put it back',
      },
    ];
    await notebook.open('/tmp/big.accentlab');
    await expect.poll(() => check.notices.length).toBe(1);
    expect(host.checkNotebookStores).toHaveBeenCalledWith('/tmp/big.accentlab');
    // Put right: Check again asks the host again.
    host.storeNotices = [];
    await check.recheck();
    expect(check.notices).toEqual([]);
    expect(host.checkNotebookStores).toHaveBeenCalledTimes(2);
    // A failed check is said, not hidden; a new notebook clears it.
    host.checkNotebookStores.mockRejectedValueOnce(new Error('cannot open /tmp/big.accentlab: gone'));
    await check.recheck();
    expect(check.error).toBe('Could not check the results stores: cannot open /tmp/big.accentlab: gone');

    // Save As: the host carried the trials into the store beside the new file; the summary names it.
    host.saveNotebook.mockImplementationOnce(async (_doc, path) => ({
      path: path!,
      carried: [{ experimentId: entry.id, store: 'copy.results.duckdb', trials: 0 }],
      storeWarnings: ['"other": its results store /x is missing'],
    }));
    await notebook.saveAs('/tmp/copy.accentlab');
    const saved = notebook.entries.find((item) => item.kind === 'experiment' && item.id === entry.id);
    expect(saved?.kind === 'experiment' && saved.summary?.store).toBe('copy.results.duckdb');
    expect(notebook.dirty).toBe(false);
    expect(notebook.notice).toBe('Saved. "other": its results store /x is missing');
    // The new file's stores are checked.
    expect(host.checkNotebookStores).toHaveBeenLastCalledWith('/tmp/copy.accentlab');

    await notebook.newNotebook();
    expect(check.error).toBeNull();
  });

  it('locates a missing store from the banner: verified by the host, the summary pointed at it, unsaved', async () => {
    const notebook = useNotebookStore();
    const check = useStoreCheckStore();
    const big = sampleNotebook();
    const entry = sampleExperiment(big);
    entry.summary = summarizeTrials(entry.design, [], 'big.results.duckdb');
    host.files.set('/tmp/big.accentlab', big);
    const notice = {
      experimentId: entry.id,
      experimentName: 'small',
      store: 'big.results.duckdb',
      path: '/tmp/big.results.duckdb',
      expected: '/tmp/big.results.duckdb',
      problem: 'missing' as const,
      message: '"small": its 0 trials are in the results store big.results.duckdb, which is missing.',
      fix: 'put it back',
    };
    host.storeNotices = [notice];
    await notebook.open('/tmp/big.accentlab');
    await expect.poll(() => check.notices.length).toBe(1);
    // Refused (the host says why): nothing changes.
    expect(await check.locate(notice, '/elsewhere/nope.duckdb')).toBe(
      '/elsewhere/nope.duckdb does not exist',
    );
    expect(host.locateStore).toHaveBeenCalledWith(
      {
        notebookPath: '/tmp/big.accentlab',
        experiments: [expect.objectContaining({ id: entry.id, name: 'small' })],
      },
      '/elsewhere/nope.duckdb',
    );
    expect(check.notices).toHaveLength(1);
    expect(notebook.dirty).toBe(false);
    // Cancelled (the desktop's dialog): nothing changes either.
    host.locateStore.mockResolvedValueOnce(null);
    expect(await check.locate(notice)).toBeNull();
    expect(check.notices).toHaveLength(1);
    expect(check.located).toBeNull();
    // Found: the summary names it from now on, an unsaved change, and the notice goes.
    host.locateStore.mockResolvedValueOnce({
      path: '/elsewhere/big.duckdb',
      store: '/elsewhere/big.duckdb',
      found: [{ experimentId: entry.id, held: 3, checked: 3 }],
    });
    expect(await check.locate(notice, '/elsewhere/big.duckdb')).toBeNull();
    const located = notebook.entries.find((item) => item.id === entry.id);
    expect(located?.kind === 'experiment' && located.summary?.store).toBe('/elsewhere/big.duckdb');
    expect(notebook.dirty).toBe(true);
    expect(check.notices).toEqual([]);
    expect(check.located).toBe(
      '"small" now reads its trials from /elsewhere/big.duckdb (3 of 3 looked up by key found). Save the notebook to keep ' +
        'this: saving copies them into the results store beside it, where its sweeps and Resume look.',
    );
  });

  it('takes the summaries a save gave experiments it moved into the results store (not an edit)', async () => {
    const notebook = useNotebookStore();
    const results = useResultsStore();
    const doc = sampleNotebook();
    const entry = sampleExperiment(doc);
    const result = okResult('Chess/pure-copy', 'Chess', 'pure-copy', 0);
    entry.results = [result];
    host.files.set('/tmp/old.accentlab', doc);
    await notebook.open('/tmp/old.accentlab');
    expect(results.results).toHaveLength(1);
    const summary = summarizeTrials(entry.design, [result], 'old.results.duckdb');
    host.saveNotebook.mockImplementationOnce(async (_doc, path) => ({
      path: path!,
      compacted: [{ experimentId: entry.id, summary }],
    }));
    expect(await notebook.save('/tmp/old.accentlab')).toBe(true);
    const saved = notebook.entries.find((item) => item.id === entry.id);
    expect(saved?.kind === 'experiment' && saved.results).toEqual([]);
    expect(saved?.kind === 'experiment' && saved.summary).toEqual(summary);
    // The experiment open in the tabs holds the summary, not the trials.
    expect(results.summary).toEqual(summary);
    expect(results.results).toEqual([]);
    expect(notebook.dirty).toBe(false);
    expect(notebook.canUndo).toBe(false);
  });

  it('opens a built-in notebook without a path, so saving asks for one', async () => {
    const notebook = useNotebookStore();
    const doc = sampleNotebook();
    host.builtins.set('sample', doc);
    expect(await notebook.openBuiltin('sample')).toBe(true);
    expect(notebook.path).toBeNull();
    expect(notebook.builtin).toBe(true);
    expect(notebook.entries).toHaveLength(2);
    expect(useDesignStore().design).toEqual(sampleExperiment(doc).design);
    expect(notebook.toDocument()).toEqual(doc);
  });
});

describe('notebook store and sweeps', () => {
  it('a finished sweep adds its experiment to the notebook; a sweep of a changed design adds another', async () => {
    setActivePinia(createPinia());
    const host = new FakeHost();
    installHost(host);
    await useCatalogStore().load();
    const notebook = useNotebookStore();
    const design = useDesignStore();
    const sweep = useSweepStore();
    await notebook.newNotebook();
    design.load(smallDesign());
    notebook.addNote('before');
    const runSweep = async (): Promise<void> => {
      await sweep.start(design.snapshot());
      const sweepId = sweep.sweepId!;
      for (const row of [...sweep.trials]) {
        sweep.handleEvent({
          type: 'trial-finished',
          sweepId,
          result: okResult(row.id, row.workload, row.strategy, row.prefetch, { bytesTotal: 7 }),
        });
      }
      sweep.handleEvent({
        type: 'sweep-finished',
        sweepId,
        done: sweep.trials.length,
        failed: 0,
        cancelled: false,
      });
      await Promise.resolve();
    };
    await runSweep();
    expect(sweep.phase).toBe('finished');
    await new Promise((resolve) => setTimeout(resolve, 0));
    const kinds = () => notebook.entries.map((entry) => entry.kind);
    expect(kinds()).toEqual(['experiment', 'note']);
    const first = notebook.entries[0]!;
    expect(first.kind === 'experiment' && first.results).toHaveLength(6);

    design.setRepresentative('Minprog', false);
    await runSweep();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(kinds()).toEqual(['experiment', 'note', 'experiment']);
    const [a, , b] = notebook.entries;
    expect(a!.kind === 'experiment' && a!.design.representatives).toEqual(['Minprog', 'Chess']);
    expect(b!.kind === 'experiment' && b!.design.representatives).toEqual(['Chess']);
    expect(notebook.dirty).toBe(true);
  });

  it('an experiment whose design was edited after its run keeps the trial count it ran with', async () => {
    const notebook = useNotebookStore();
    const design = useDesignStore();
    const sweep = useSweepStore();
    await notebook.newNotebook();
    design.load(smallDesign());
    await sweep.start(design.snapshot());
    const sweepId = sweep.sweepId!;
    const ran = sweep.trials.length;
    for (const row of [...sweep.trials]) {
      sweep.handleEvent({
        type: 'trial-finished',
        sweepId,
        result: okResult(row.id, row.workload, row.strategy, row.prefetch, { bytesTotal: 7 }),
      });
    }
    sweep.handleEvent({ type: 'sweep-finished', sweepId, done: ran, failed: 0, cancelled: false });
    await new Promise((resolve) => setTimeout(resolve, 0));
    const entry = () => notebook.entries.find((candidate) => candidate.kind === 'experiment')!;
    expect(entry()).not.toHaveProperty('trialCount');
    // Raising the repetitions does not make the run that was asked for fewer "partial".
    design.design.repetitions = 3;
    const edited = entry();
    expect(edited.kind === 'experiment' && edited.trialCount).toBe(ran);
    expect(edited.kind === 'experiment' && entryPartial(edited)).toBeNull();
    // Saved and opened again, the count goes with it.
    await notebook.saveAs('/tmp/edited.accentlab');
    await notebook.open('/tmp/edited.accentlab');
    const reopened = entry();
    expect(reopened.kind === 'experiment' && reopened.trialCount).toBe(ran);
    expect(reopened.kind === 'experiment' && reopened.design.repetitions).toBe(3);
    expect(useResultsStore().ranTrials).toBe(ran);
  });
});
