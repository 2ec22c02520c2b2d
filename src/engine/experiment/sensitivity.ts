import type { HardwarePreset } from '../hardware/presets';
import { variantName } from '../model/migration';
import type { WorkloadSpec } from '../workloads/spec';
import { pairedComparison } from './statistics';
import type { Summary } from './statistics';
import type { TrialMetrics, TrialResult } from './trial';

/**
 * Sensitivity sweeps: one parameter of the hardware or the workload takes a list of values, the
 * rest of the design stays, and the breakeven between two strategies is where their difference
 * on one metric changes sign.
 */

export interface SensitivityParameterInfo {
  key: string;
  label: string;
  /** Unit of the values, for axes and forms. */
  unit: string;
  /** What the values may be, checked for each value. */
  problem: (value: number) => string | null;
  /** The range a new sweep of this parameter starts with. */
  defaultRange: SweepRange;
}

/**
 * Values from `from` to `to`: `steps` evenly spaced (in ratio when `logarithmic`), or the powers of
 * two between them (page size).
 */
export interface SweepRange {
  from: number;
  to: number;
  steps: number;
  logarithmic?: boolean;
}

const positiveValue = (value: number): string | null =>
  Number.isFinite(value) && value > 0 ? null : `must be a positive finite number (got ${value})`;
const nonNegativeValue = (value: number): string | null =>
  Number.isFinite(value) && value >= 0 ? null : `must be a non-negative finite number (got ${value})`;

/** Most parameter values one sensitivity sweep may run (at least two). */
export const MAX_SWEEP_VALUES = 100;

export const SENSITIVITY_PARAMETERS = [
  {
    key: 'network-bits-per-second',
    label: 'network speed',
    unit: 'bits/s',
    problem: positiveValue,
    defaultRange: { from: 1_000_000, to: 20_000_000, steps: 5 },
  },
  {
    key: 'imaginary-fault-overhead-ms',
    label: 'imaginary fault overhead',
    unit: 'ms',
    problem: nonNegativeValue,
    defaultRange: { from: 0, to: 100, steps: 6 },
  },
  {
    key: 'disk-read-ms',
    label: 'disk random read',
    unit: 'ms',
    problem: nonNegativeValue,
    defaultRange: { from: 5, to: 80, steps: 6 },
  },
  {
    key: 'page-size-bytes',
    label: 'page size',
    unit: 'bytes',
    problem: (value: number) =>
      Number.isInteger(value) && value >= 128 && value <= 1_048_576 && (value & (value - 1)) === 0
        ? null
        : `must be a power of two from 128 to 1,048,576 bytes (got ${value})`,
    defaultRange: { from: 256, to: 8192, steps: 6 },
  },
  {
    key: 'touched-fraction',
    label: 'touched fraction of RealMem',
    unit: 'fraction',
    problem: (value: number) =>
      Number.isFinite(value) && value >= 0 && value <= 1 ? null : `must be from 0 to 1 (got ${value})`,
    defaultRange: { from: 0.05, to: 0.8, steps: 6 },
  },
] as const satisfies readonly SensitivityParameterInfo[];

export type SensitivityParameter = (typeof SENSITIVITY_PARAMETERS)[number]['key'];
export const SENSITIVITY_PARAMETER_KEYS = SENSITIVITY_PARAMETERS.map((info) => info.key) as [
  SensitivityParameter,
  ...SensitivityParameter[],
];

/** The metrics a breakeven can be sought on (lower is better for each). */
export const SENSITIVITY_METRICS = [
  'endToEndSeconds',
  'totalSeconds',
  'transferSeconds',
  'remoteExecSeconds',
  'bytesTotal',
  'messages',
] as const satisfies readonly (keyof TrialMetrics)[];
export type SensitivityMetric = (typeof SENSITIVITY_METRICS)[number];

/** A strategy variant as the charts name it: "pure-copy", "pure-iou pf1". */
export type StrategyVariant = string;

export interface SensitivitySweep {
  parameter: SensitivityParameter;
  /** The parameter's values, each run with the whole rest of the design. */
  values: number[];
  /** The two strategy variants whose breakeven is sought. */
  compare: [StrategyVariant, StrategyVariant];
  metric: SensitivityMetric;
}

export function sensitivityParameter(key: SensitivityParameter): SensitivityParameterInfo {
  const info = SENSITIVITY_PARAMETERS.find((candidate) => candidate.key === key);
  if (!info) throw new Error(`unknown sensitivity parameter "${key}"`);
  return info;
}

/**
 * The values of a range: `steps` evenly spaced from `from` to `to` (rounded to 6 significant
 * digits, so 0.1 + 0.2 reads 0.3), or for the page size every power of two from `from` to `to`.
 */
export function sweepValues(parameter: SensitivityParameter, range: SweepRange): number[] {
  const { from, to } = range;
  if (!Number.isFinite(from) || !Number.isFinite(to)) return [];
  if (parameter === 'page-size-bytes') {
    const values: number[] = [];
    for (let page = 128; page <= Math.min(to, 1_048_576); page *= 2) if (page >= from) values.push(page);
    return values;
  }
  const steps = Math.floor(range.steps);
  if (!(steps >= 2)) return [from];
  const geometric = range.logarithmic === true && from > 0 && to > 0;
  return Array.from({ length: steps }, (_, index) => {
    const at = index / (steps - 1);
    const value = geometric ? from * (to / from) ** at : from + (to - from) * at;
    return Number(value.toPrecision(6));
  });
}

/** Whether sorted values grow by one ratio (three or more, all positive): a logarithmic range. */
export function isGeometric(values: readonly number[]): boolean {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length < 3 || sorted[0]! <= 0) return false;
  const ratio = sorted[1]! / sorted[0]!;
  if (Math.abs(ratio - 1) < 1e-9) return false;
  return sorted.every(
    (value, index) => index === 0 || Math.abs(value / sorted[index - 1]! / ratio - 1) < 1e-4,
  );
}

/** The hardware with the parameter set to `value` (hardware parameters only; others unchanged). */
export function hardwareAt(
  hardware: HardwarePreset,
  parameter: SensitivityParameter,
  value: number,
): HardwarePreset {
  // Copies of the groups a parameter lives in (not structuredClone: the app's designs are proxies).
  const changed: HardwarePreset = {
    ...hardware,
    cpu: { ...hardware.cpu },
    disk: { ...hardware.disk },
    network: { ...hardware.network },
  };
  switch (parameter) {
    case 'network-bits-per-second':
      changed.network.bitsPerSecond = value;
      break;
    case 'imaginary-fault-overhead-ms':
      changed.cpu.imaginaryFaultOverheadMs = value;
      break;
    case 'disk-read-ms':
      changed.disk.randomReadMs = value;
      break;
    case 'page-size-bytes':
      changed.pageSizeBytes = value;
      break;
    case 'touched-fraction':
      break;
  }
  return changed;
}

/**
 * The workload with the parameter set to `value` (touched fraction only). The share of touched
 * pages that were resident at migration stays what it was, within what the resident and the
 * non-resident pages can hold.
 */
export function workloadAt(
  workload: WorkloadSpec,
  parameter: SensitivityParameter,
  value: number,
): WorkloadSpec {
  // A trace touches what it touches: designProblems refuses the sweep for one.
  if (parameter !== 'touched-fraction' || workload.trace) return workload;
  const residentShare = workload.realBytes > 0 ? workload.residentBytes / workload.realBytes : 0;
  const residentOfTouched =
    workload.touchedFractionOfReal > 0
      ? workload.touchedResidentFractionOfReal / workload.touchedFractionOfReal
      : residentShare;
  // At least the touched pages that the non-resident ones cannot hold; at most the resident ones.
  const fewest = Math.max(0, value - (1 - residentShare));
  const most = Math.min(value, residentShare);
  return {
    ...workload,
    touchedFractionOfReal: value,
    touchedResidentFractionOfReal: Math.min(most, Math.max(fewest, value * residentOfTouched)),
  };
}

// --- Breakeven -------------------------------------------------------------------------------

export interface SweepDifference {
  value: number;
  /** Mean of (first - second) over paired replications, with its paired-t interval. */
  difference: Summary;
}

export interface Breakeven {
  workload: string;
  /** The differences first - second at each parameter value, ascending. */
  differences: SweepDifference[];
  /** The parameter value where the difference is zero, or null when it keeps one sign. */
  breakeven: number | null;
  /** "pure-iou pf1 is better below 2.3e6 bits/s" or "no breakeven in range". */
  description: string;
}

/**
 * The parameter value where f(v) = 0 between the points, by linear interpolation between the two
 * values that bracket the first change of sign; a point that is exactly 0 is the breakeven
 * itself. Null when every difference has the same sign (no breakeven in range).
 */
export function interpolateBreakeven(
  points: readonly { value: number; difference: number }[],
): number | null {
  const sorted = [...points].sort((a, b) => a.value - b.value);
  for (let i = 0; i < sorted.length; i += 1) {
    const here = sorted[i]!;
    if (here.difference === 0) return here.value;
    const next = sorted[i + 1];
    if (!next) break;
    if (Math.sign(here.difference) !== Math.sign(next.difference) && next.difference !== 0) {
      return here.value + ((next.value - here.value) * here.difference) / (here.difference - next.difference);
    }
  }
  return null;
}

/**
 * The breakeven of a sweep per workload, from its results: at each parameter value the paired
 * difference of the metric between the two compared variants (matched by replication).
 */
export function sweepBreakevens(sweep: SensitivitySweep, results: readonly TrialResult[]): Breakeven[] {
  const [first, second] = sweep.compare;
  const workloads: string[] = [];
  for (const result of results) if (!workloads.includes(result.workload)) workloads.push(result.workload);
  return workloads.map((workload) => {
    const differences: SweepDifference[] = [];
    for (const value of [...new Set(sweep.values)].sort((a, b) => a - b)) {
      const at = (variant: StrategyVariant): TrialResult[] =>
        results.filter(
          (result) =>
            result.workload === workload &&
            result.parameterValue === value &&
            variantName(result.strategy, result.prefetch) === variant,
        );
      try {
        const difference = pairedComparison(at(first), at(second), (metrics) => metrics[sweep.metric]);
        differences.push({ value, difference });
      } catch {
        // No replication finished for both variants at this value: the value is left out.
      }
    }
    return breakevenOf(sweep, workload, differences);
  });
}

/**
 * A workload's breakeven from its paired differences (ascending by value; values without a
 * difference left out): from trials (sweepBreakevens) or from a summarized experiment's.
 */
export function breakevenOf(
  sweep: SensitivitySweep,
  workload: string,
  differences: SweepDifference[],
): Breakeven {
  const [first, second] = sweep.compare;
  const info = sensitivityParameter(sweep.parameter);
  // A bracket is two neighbouring values of the sweep, both with results: across a value that
  // has none (a cancelled or partial sweep) nothing is interpolated.
  const values = [...new Set(sweep.values)].sort((a, b) => a - b);
  const positionOf = new Map(values.map((value, position) => [value, position]));
  let breakeven: number | null = null;
  for (let i = 0; i < differences.length && breakeven === null; i += 1) {
    const here = differences[i]!;
    const next = differences[i + 1];
    const adjacent = next !== undefined && positionOf.get(next.value)! === positionOf.get(here.value)! + 1;
    breakeven = interpolateBreakeven(
      [here, ...(adjacent ? [next] : [])].map((point) => ({
        value: point.value,
        difference: point.difference.mean,
      })),
    );
  }
  const missing = values.length - differences.length;
  let description =
    missing === 0
      ? 'no breakeven in range'
      : `no breakeven where there are results (partial: ${differences.length} of ${values.length} values have results for both)`;
  if (breakeven !== null) {
    const below = differences.find((point) => point.value < breakeven && point.difference.mean !== 0);
    const above = differences.find((point) => point.value > breakeven && point.difference.mean !== 0);
    const betterBelow = below ? (below.difference.mean < 0 ? first : second) : undefined;
    const betterAbove = above ? (above.difference.mean < 0 ? first : second) : undefined;
    const at = `${Number(breakeven.toPrecision(4))} ${info.unit}`;
    description =
      betterBelow && betterAbove && betterBelow !== betterAbove
        ? `breakeven at ${at}: ${betterBelow} is better below, ${betterAbove} above`
        : `breakeven at ${at}`;
  }
  return { workload, differences, breakeven, description };
}
