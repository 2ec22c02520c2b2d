import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import {
  countTrials,
  designProblems,
  designVariants,
  LARGE_DESIGN_TRIALS,
  type ExperimentDesign,
} from '../../../engine/experiment/design';
import type { HardwarePreset } from '../../../engine/hardware/presets';
import { PERQ_1987 } from '../../../engine/hardware/presets';
import { createHardwareChoice, createRunChoices, createSensitivityChoice, rangeOf } from './designEdits';

export function defaultDesign(hardware: HardwarePreset = PERQ_1987): ExperimentDesign {
  return {
    name: 'Experiment 1',
    representatives: [],
    customWorkloads: [],
    strategies: ['pure-copy', 'pure-iou'],
    prefetchValues: [0],
    hardware: structuredClone(hardware),
    seed: 1987,
    repetitions: 1,
  };
}

/**
 * A design's trial count, or null when it cannot be counted (an unfinished design, one read from a
 * damaged file: the host will say why). The notebook's entries and the sweep store both use it.
 */
export function trialsOrNull(design: ExperimentDesign): number | null {
  try {
    return countTrials(design);
  } catch {
    return null;
  }
}

/**
 * The experiment being edited, its trial count and what stops it from running. Its edits are in
 * ./designEdits.ts: what is run, the hardware, the sensitivity sweep.
 */
export const useDesignStore = defineStore('design', () => {
  const design = ref<ExperimentDesign>(defaultDesign());
  /** The strategy variants the design runs, for choosing the two a sweep compares. */
  const variants = computed(() => designVariants(design.value));
  const hardware = createHardwareChoice(design);
  const sensitivity = createSensitivityChoice(design, variants);

  const trialCount = computed(() => countTrials(design.value));
  const problems = computed(() => designProblems(design.value));
  const canRun = computed(() => problems.value.length === 0 && trialCount.value > 0);
  const isLarge = computed(() => trialCount.value > LARGE_DESIGN_TRIALS);

  function load(next: ExperimentDesign): void {
    design.value = structuredClone(next);
    hardware.basePreset.value = structuredClone(next.hardware);
    sensitivity.sweepRange.value = rangeOf(next.sensitivity?.values ?? []);
  }

  function reset(preset?: HardwarePreset): void {
    load(defaultDesign(preset));
  }

  /** A deep, plain copy for the host (no reactive proxies cross the bridge). */
  function snapshot(): ExperimentDesign {
    return JSON.parse(JSON.stringify(design.value)) as ExperimentDesign;
  }

  return {
    design,
    basePreset: hardware.basePreset,
    sweepRange: sensitivity.sweepRange,
    variants,
    trialCount,
    problems,
    canRun,
    isLarge,
    hardwareEdited: hardware.hardwareEdited,
    load,
    reset,
    applyHardwarePreset: hardware.applyHardwarePreset,
    ...createRunChoices(design),
    setSensitivity: sensitivity.setSensitivity,
    setSweepParameter: sensitivity.setSweepParameter,
    setSweepRange: sensitivity.setSweepRange,
    snapshot,
  };
});
