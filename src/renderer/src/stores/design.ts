import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import {
  countTrials,
  customWorkload,
  designProblems,
  designVariants,
  LARGE_DESIGN_TRIALS,
  type CustomWorkloadParameters,
  type ExperimentDesign,
} from '../../../engine/experiment/design';
import { isGeometric, sensitivityParameter, sweepValues } from '../../../engine/experiment/sensitivity';
import type { SensitivityParameter, SweepRange } from '../../../engine/experiment/sensitivity';
import type { HardwarePreset } from '../../../engine/hardware/presets';
import { PERQ_1987 } from '../../../engine/hardware/presets';
import type { StrategyOptions } from '../../../engine/model/strategyOptions';
import type { StrategyName } from '../../../engine/model/migration';
import type { WorkloadSpec } from '../../../engine/workloads/spec';

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

/** The range a sweep's values were made from (the smallest, the largest and how many). */
function rangeOf(values: readonly number[]): SweepRange {
  return values.length === 0
    ? { from: 0, to: 0, steps: 0 }
    : {
        from: Math.min(...values),
        to: Math.max(...values),
        steps: values.length,
        ...(isGeometric(values) ? { logarithmic: true } : {}),
      };
}

const toggled = <T>(list: T[], value: T, on: boolean): T[] =>
  on ? (list.includes(value) ? list : [...list, value]) : list.filter((item) => item !== value);

/** The experiment being edited, its trial count and what stops it from running. */
export const useDesignStore = defineStore('design', () => {
  const design = ref<ExperimentDesign>(defaultDesign());
  /** The preset the hardware was last taken from, to tell edited parameters apart. */
  const basePreset = ref<HardwarePreset>(structuredClone(PERQ_1987));
  /** The sensitivity sweep's range as the form shows it; its values follow from it. */
  const sweepRange = ref<SweepRange>(rangeOf([]));
  /** The strategy variants the design runs, for choosing the two a sweep compares. */
  const variants = computed(() => designVariants(design.value));

  const trialCount = computed(() => countTrials(design.value));
  const problems = computed(() => designProblems(design.value));
  const canRun = computed(() => problems.value.length === 0 && trialCount.value > 0);
  const isLarge = computed(() => trialCount.value > LARGE_DESIGN_TRIALS);
  const hardwareEdited = computed(
    () => JSON.stringify(design.value.hardware) !== JSON.stringify(basePreset.value),
  );

  function load(next: ExperimentDesign): void {
    design.value = structuredClone(next);
    basePreset.value = structuredClone(next.hardware);
    sweepRange.value = rangeOf(next.sensitivity?.values ?? []);
  }

  /** Turn the sensitivity sweep on (network speed, the first two variants, end-to-end time) or off. */
  function setSensitivity(on: boolean): void {
    if (!on) {
      delete design.value.sensitivity;
      return;
    }
    if (design.value.sensitivity) return;
    const parameter: SensitivityParameter = 'network-bits-per-second';
    const [first = 'pure-copy', second = 'pure-iou pf0'] = variants.value;
    sweepRange.value = { ...sensitivityParameter(parameter).defaultRange };
    design.value.sensitivity = {
      parameter,
      values: sweepValues(parameter, sweepRange.value),
      compare: [first, second],
      metric: 'endToEndSeconds',
    };
  }

  /** Sweep another parameter, over its default range. */
  function setSweepParameter(parameter: SensitivityParameter): void {
    const sweep = design.value.sensitivity;
    if (!sweep) return;
    sweep.parameter = parameter;
    setSweepRange({ ...sensitivityParameter(parameter).defaultRange });
  }

  function setSweepRange(range: SweepRange): void {
    sweepRange.value = { ...range };
    const sweep = design.value.sensitivity;
    if (sweep) sweep.values = sweepValues(sweep.parameter, range);
  }

  function reset(hardware?: HardwarePreset): void {
    load(defaultDesign(hardware));
  }

  function applyHardwarePreset(preset: HardwarePreset): void {
    // A plain copy: the preset may be a reactive proxy (Restore passes basePreset), which
    // structuredClone refuses.
    const plainPreset = JSON.parse(JSON.stringify(preset)) as HardwarePreset;
    design.value.hardware = structuredClone(plainPreset);
    basePreset.value = plainPreset;
  }

  function setRepresentative(name: string, on: boolean): void {
    design.value.representatives = toggled(design.value.representatives, name, on);
  }

  function setStrategy(strategy: StrategyName, on: boolean): void {
    design.value.strategies = toggled(design.value.strategies, strategy, on);
  }

  function setPrefetch(value: number, on: boolean): void {
    const next = toggled(design.value.prefetchValues, value, on);
    design.value.prefetchValues = [...next].sort((a, b) => a - b);
  }

  /** Set one option of the strategies beyond 1987; null goes back to its default. */
  function setStrategyOption(key: keyof StrategyOptions, value: number | null): void {
    const options = { ...design.value.strategyOptions };
    if (value === null) delete options[key];
    else options[key] = value;
    if (Object.keys(options).length === 0) delete design.value.strategyOptions;
    else design.value.strategyOptions = options;
  }

  /** Crash the source this many seconds after each request; null for no crash. */
  function setSourceFailure(seconds: number | null): void {
    if (seconds === null) delete design.value.sourceFailureSeconds;
    else design.value.sourceFailureSeconds = seconds;
  }

  /** Migrations per trial sharing the Ethernet; null for one. */
  function setConcurrentMigrations(count: number | null): void {
    if (count === null) delete design.value.concurrentMigrations;
    else design.value.concurrentMigrations = count;
  }

  function addCustomWorkload(parameters: CustomWorkloadParameters): void {
    design.value.customWorkloads = [...design.value.customWorkloads, customWorkload(parameters)];
  }

  /** A workload made elsewhere, e.g. from an imported trace. */
  function addWorkload(workload: WorkloadSpec): void {
    design.value.customWorkloads = [...design.value.customWorkloads, structuredClone(workload)];
  }

  function removeCustomWorkload(index: number): void {
    design.value.customWorkloads = design.value.customWorkloads.filter((_, at) => at !== index);
  }

  /** A deep, plain copy for the host (no reactive proxies cross the bridge). */
  function snapshot(): ExperimentDesign {
    return JSON.parse(JSON.stringify(design.value)) as ExperimentDesign;
  }

  return {
    design,
    basePreset,
    sweepRange,
    variants,
    trialCount,
    problems,
    canRun,
    isLarge,
    hardwareEdited,
    load,
    reset,
    applyHardwarePreset,
    setRepresentative,
    setStrategy,
    setPrefetch,
    setStrategyOption,
    setSourceFailure,
    setConcurrentMigrations,
    addCustomWorkload,
    addWorkload,
    removeCustomWorkload,
    setSensitivity,
    setSweepParameter,
    setSweepRange,
    snapshot,
  };
});
