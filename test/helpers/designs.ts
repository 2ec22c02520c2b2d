import type { ExperimentDesign } from '../../src/engine/experiment/design';
import { hardwarePreset } from '../../src/engine/hardware/presets';
import { ENGINE_VERSION } from '../../src/engine/experiment/trial';
import type { ExperimentEntry, NotebookDocument, NotebookDocumentV1 } from '../../src/shared/hostApi';

/** A small design for tests: Minprog runs in milliseconds. */
export function smallDesign(overrides: Partial<ExperimentDesign> = {}): ExperimentDesign {
  return {
    name: 'small',
    representatives: ['Minprog'],
    customWorkloads: [],
    strategies: ['pure-copy', 'pure-iou'],
    prefetchValues: [0, 1],
    hardware: hardwarePreset('perq-1987'),
    seed: 1987,
    repetitions: 1,
    ...overrides,
  };
}

export function sampleNotebook(): NotebookDocument {
  return {
    formatVersion: 3,
    name: 'Sample',
    provenance: { engineVersion: ENGINE_VERSION, createdBy: 'Accent Migration Lab 0.1.0' },
    entries: [
      { kind: 'note', id: 'note-1', markdown: '# Sample\n\nA *small* experiment.' },
      {
        kind: 'experiment',
        id: 'experiment-1',
        design: smallDesign(),
        results: [],
        engineVersion: ENGINE_VERSION,
      },
    ],
  };
}

/** The experiment entry of sampleNotebook(). */
export function sampleExperiment(notebook: NotebookDocument): ExperimentEntry {
  const entry = notebook.entries.find((item) => item.kind === 'experiment');
  if (!entry || entry.kind !== 'experiment') throw new Error('no experiment entry');
  return entry;
}

/** A format-1 file's document, from before notebooks. */
export function sampleNotebookV1(): NotebookDocumentV1 {
  return { formatVersion: 1, name: 'Sample', experiments: [{ design: smallDesign(), results: [] }] };
}
