import type { ExperimentDesign } from '../../src/engine/experiment/design';
import { hardwarePreset } from '../../src/engine/hardware/presets';
import type { ProjectDocument } from '../../src/shared/hostApi';

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

export function sampleProject(): ProjectDocument {
  return { formatVersion: 1, name: 'Sample', experiments: [{ design: smallDesign(), results: [] }] };
}
