import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { installHost } from '../../src/renderer/src/host/currentHost';
import { useCatalogStore } from '../../src/renderer/src/stores/catalog';
import { useDesignStore } from '../../src/renderer/src/stores/design';
import { useProjectStore } from '../../src/renderer/src/stores/notebook';
import { useResultsStore } from '../../src/renderer/src/stores/results';
import { useSweepStore } from '../../src/renderer/src/stores/sweep';
import { entryPartial } from '../../src/shared/figures/partial';
import { sampleExperiment, sampleProject } from '../helpers/designs';
import { FakeHost, okResult, smallDesign } from './fakeHost';

describe('project store', () => {
  let host: FakeHost;

  beforeEach(async () => {
    setActivePinia(createPinia());
    host = new FakeHost();
    installHost(host);
    await useCatalogStore().load();
  });

  it('starts clean and marks edits of the design or new results as unsaved in the title', async () => {
    const project = useProjectStore();
    const design = useDesignStore();
    expect(await project.newProject()).toBe(true);
    expect(project.dirty).toBe(false);
    expect(project.windowTitle).toBe('Untitled — Accent Migration Lab');

    design.setRepresentative('Chess', true);
    expect(project.dirty).toBe(true);
    expect(project.windowTitle).toBe('• Untitled — Accent Migration Lab');

    await project.save('/tmp/lab.json');
    expect(project.dirty).toBe(false);
    // An untitled project takes its file's name.
    expect(project.windowTitle).toBe('lab — Accent Migration Lab');
    expect(host.files.get('/tmp/lab.json')?.name).toBe('lab');
    useResultsStore().add(okResult('Chess/pure-copy', 'Chess', 'pure-copy', 0));
    expect(project.dirty).toBe(true);
  });

  it('saves the edited design with its results and opens them again', async () => {
    const project = useProjectStore();
    const design = useDesignStore();
    const results = useResultsStore();
    await project.newProject();
    design.load(smallDesign());
    results.add(okResult('Chess/pure-copy', 'Chess', 'pure-copy', 0, { bytesTotal: 42 }));

    expect(await project.save('/tmp/lab.json')).toBe(true);
    expect(project.path).toBe('/tmp/lab.json');
    const saved = host.files.get('/tmp/lab.json')!;
    expect(saved.formatVersion).toBe(3);
    expect(saved.entries).toHaveLength(1);
    const entry = saved.entries[0]!;
    expect(entry.kind).toBe('experiment');
    expect(entry.kind === 'experiment' && entry.design.representatives).toEqual(['Minprog', 'Chess']);
    expect(entry.kind === 'experiment' && entry.results[0]!.metrics!.bytesTotal).toBe(42);

    await project.newProject();
    expect(design.design.representatives).toEqual([]);
    expect(results.results).toEqual([]);
    expect(project.path).toBeNull();

    expect(await project.open('/tmp/lab.json')).toBe(true);
    expect(design.design.representatives).toEqual(['Minprog', 'Chess']);
    expect(results.results).toHaveLength(1);
    expect(project.dirty).toBe(false);
  });

  it('saves to the file it came from, and Save As to a new one', async () => {
    const project = useProjectStore();
    host.files.set('/tmp/a.json', {
      formatVersion: 3,
      name: 'A',
      provenance: { engineVersion: '0.1.0', createdBy: 'test' },
      entries: [],
    });
    await project.open('/tmp/a.json');
    expect(project.name).toBe('A');
    useDesignStore().setRepresentative('Minprog', true);
    await project.save();
    expect(host.saveProject).toHaveBeenLastCalledWith(expect.objectContaining({ name: 'A' }), '/tmp/a.json');
    await project.saveAs('/tmp/b.json');
    expect(project.path).toBe('/tmp/b.json');
  });

  it('keeps the project as it was when the user cancels a dialog, and shows host errors', async () => {
    const project = useProjectStore();
    await project.newProject();
    useDesignStore().setRepresentative('Minprog', true);
    expect(await project.open()).toBe(false); // the host's dialog was cancelled
    expect(project.dirty).toBe(true);
    expect(await project.open('/missing.json')).toBe(false);
    expect(project.error).toBe('no such file: /missing.json');
    expect(useDesignStore().design.representatives).toEqual(['Minprog']);
  });

  it('edits the notebook: notes added, edited, moved and deleted; figures follow their experiment', async () => {
    const project = useProjectStore();
    const design = useDesignStore();
    await project.newProject();
    expect(project.isEmpty).toBe(true);
    design.load(smallDesign());
    useResultsStore().add(okResult('Chess/pure-copy', 'Chess', 'pure-copy', 0));
    const note = project.addNote('# Hello');
    expect(project.isEmpty).toBe(false);
    expect(project.entries.map((entry) => entry.kind)).toEqual(['experiment', 'note']);
    project.move(note, -1);
    expect(project.entries.map((entry) => entry.kind)).toEqual(['note', 'experiment']);
    project.move(note, -1); // already first: nothing moves
    expect(project.entries[0]!.id).toBe(note);
    project.updateNote(note, '# Changed');
    const experimentId = project.entries[1]!.id;
    project.addFigure(experimentId, { kind: 'bytes' }, 'Bytes');
    expect(project.entries.map((entry) => entry.kind)).toEqual(['note', 'experiment', 'figure']);
    await project.save('/tmp/notebook.json');
    const saved = host.files.get('/tmp/notebook.json')!;
    expect(saved.entries[0]).toEqual({ kind: 'note', id: note, markdown: '# Changed' });
    expect(saved.entries[2]).toMatchObject({ kind: 'figure', experimentId, caption: 'Bytes' });
    project.remove(experimentId);
    expect(project.entries.map((entry) => entry.kind)).toEqual(['note']);
    expect(project.dirty).toBe(true);
  });

  it('opens a built-in notebook without a path, so saving asks for one', async () => {
    const project = useProjectStore();
    const doc = sampleProject();
    host.builtins.set('sample', doc);
    expect(await project.openBuiltin('sample')).toBe(true);
    expect(project.path).toBeNull();
    expect(project.builtin).toBe(true);
    expect(project.entries).toHaveLength(2);
    expect(useDesignStore().design).toEqual(sampleExperiment(doc).design);
    expect(project.toDocument()).toEqual(doc);
  });
});

describe('project store and sweeps', () => {
  it('a finished sweep adds its experiment to the notebook; a sweep of a changed design adds another', async () => {
    setActivePinia(createPinia());
    const host = new FakeHost();
    installHost(host);
    await useCatalogStore().load();
    const project = useProjectStore();
    const design = useDesignStore();
    const sweep = useSweepStore();
    await project.newProject();
    design.load(smallDesign());
    project.addNote('before');
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
    const kinds = () => project.entries.map((entry) => entry.kind);
    expect(kinds()).toEqual(['experiment', 'note']);
    const first = project.entries[0]!;
    expect(first.kind === 'experiment' && first.results).toHaveLength(6);

    design.setRepresentative('Minprog', false);
    await runSweep();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(kinds()).toEqual(['experiment', 'note', 'experiment']);
    const [a, , b] = project.entries;
    expect(a!.kind === 'experiment' && a!.design.representatives).toEqual(['Minprog', 'Chess']);
    expect(b!.kind === 'experiment' && b!.design.representatives).toEqual(['Chess']);
    expect(project.dirty).toBe(true);
  });

  it('an experiment whose design was edited after its run keeps the trial count it ran with', async () => {
    const project = useProjectStore();
    const design = useDesignStore();
    const sweep = useSweepStore();
    await project.newProject();
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
    const entry = () => project.entries.find((candidate) => candidate.kind === 'experiment')!;
    expect(entry()).not.toHaveProperty('trialCount');
    // Raising the repetitions does not make the run that was asked for fewer "partial".
    design.design.repetitions = 3;
    const edited = entry();
    expect(edited.kind === 'experiment' && edited.trialCount).toBe(ran);
    expect(edited.kind === 'experiment' && entryPartial(edited)).toBeNull();
    // Saved and opened again, the count goes with it.
    await project.saveAs('/tmp/edited.accentlab');
    await project.open('/tmp/edited.accentlab');
    const reopened = entry();
    expect(reopened.kind === 'experiment' && reopened.trialCount).toBe(ran);
    expect(reopened.kind === 'experiment' && reopened.design.repetitions).toBe(3);
    expect(useResultsStore().ranTrials).toBe(ran);
  });
});
