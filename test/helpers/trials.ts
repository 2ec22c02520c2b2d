import type { TrialSpec } from '../../src/engine/experiment/trial';
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
