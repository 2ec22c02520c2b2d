import type { TrialMetrics, TrialResult, TrialSpec } from '../../src/engine/experiment/trial';
import { hardwarePreset } from '../../src/engine/hardware/presets';
import type { StrategyName } from '../../src/engine/model/migration';
import { representative } from '../../src/engine/workloads/representatives';

/** A small trial spec for tests (Minprog runs in milliseconds). */
export function trialSpec(
  id: string,
  options: { workload?: string; strategy?: StrategyName; prefetch?: number; seed?: number } = {},
): TrialSpec {
  return {
    id,
    workload: representative(options.workload ?? 'Minprog'),
    strategy: options.strategy ?? 'pure-iou',
    prefetch: options.prefetch ?? 0,
    hardware: hardwarePreset('perq-1987'),
    seed: options.seed ?? 1987,
  };
}

/**
 * A made-up result of workload "W" on the Perq, for tests of what reads results (statistics,
 * sweeps, figures): only the given metrics are set; a failed one has none.
 */
export function madeUpResult(options: {
  strategy: StrategyName;
  replication: number;
  metrics: Partial<TrialMetrics>;
  parameterValue?: number;
  ok?: boolean;
}): TrialResult {
  const { strategy, replication, metrics, parameterValue, ok = true } = options;
  return {
    id: `${parameterValue ?? 'W'}/${strategy}/${replication}`,
    workload: 'W',
    strategy,
    prefetch: 0,
    hardware: 'perq-1987',
    seed: 1,
    replication,
    ...(parameterValue === undefined ? {} : { parameterValue }),
    ok,
    ...(ok ? { metrics: metrics as TrialMetrics } : {}),
  };
}
