import { computed, ref } from 'vue';
import type { ComputedRef, Ref } from 'vue';
import {
  customWorkload,
  type CustomWorkloadParameters,
  type ExperimentDesign,
} from '../../../engine/experiment/design';
import { isGeometric, sensitivityParameter, sweepValues } from '../../../engine/experiment/sensitivity';
import type { SensitivityParameter, SweepRange } from '../../../engine/experiment/sensitivity';
import type { HardwarePreset } from '../../../engine/hardware/presets';
import { PERQ_1987 } from '../../../engine/hardware/presets';
import type { StrategyName } from '../../../engine/model/migration';
import type { StrategyOptions } from '../../../engine/model/strategyOptions';
import type { WorkloadSpec } from '../../../engine/workloads/spec';

/**
 * The design store's edits (./design.ts puts them together), each part on one subject: what is
 * run (workloads, strategies, prefetch, options), the hardware and its preset, and the
 * sensitivity sweep. Each takes the design being edited.
 */

const toggled = <T>(list: T[], value: T, on: boolean): T[] =>
  on ? (list.includes(value) ? list : [...list, value]) : list.filter((item) => item !== value);

/** What a design runs: workloads, strategies, prefetch values and the options beyond 1987. */
export function createRunChoices(design: Ref<ExperimentDesign>) {
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

  return {
    setRepresentative,
    setStrategy,
    setPrefetch,
    setStrategyOption,
    setSourceFailure,
    setConcurrentMigrations,
    addCustomWorkload,
    addWorkload,
    removeCustomWorkload,
  };
}

/** The design's hardware and the preset it was last taken from, to tell edited parameters apart. */
export function createHardwareChoice(design: Ref<ExperimentDesign>) {
  const basePreset = ref<HardwarePreset>(structuredClone(PERQ_1987));
  const hardwareEdited = computed(
    () => JSON.stringify(design.value.hardware) !== JSON.stringify(basePreset.value),
  );

  function applyHardwarePreset(preset: HardwarePreset): void {
    // A plain copy: the preset may be a reactive proxy (Restore passes basePreset), which
    // structuredClone refuses.
    const plainPreset = JSON.parse(JSON.stringify(preset)) as HardwarePreset;
    design.value.hardware = structuredClone(plainPreset);
    basePreset.value = plainPreset;
  }

  return { basePreset, hardwareEdited, applyHardwarePreset };
}

/** The range a sweep's values were made from (the smallest, the largest and how many). */
export function rangeOf(values: readonly number[]): SweepRange {
  return values.length === 0
    ? { from: 0, to: 0, steps: 0 }
    : {
        from: Math.min(...values),
        to: Math.max(...values),
        steps: values.length,
        ...(isGeometric(values) ? { logarithmic: true } : {}),
      };
}

/** The sensitivity sweep: on or off, its parameter, and its range as the form shows it. */
export function createSensitivityChoice(design: Ref<ExperimentDesign>, variants: ComputedRef<string[]>) {
  /** The sweep's range as the form shows it; its values follow from it. */
  const sweepRange = ref<SweepRange>(rangeOf([]));

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

  return { sweepRange, setSensitivity, setSweepParameter, setSweepRange };
}
