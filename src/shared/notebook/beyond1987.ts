import type { ExperimentDesign } from '../../engine/experiment/design';
import { ETHERNET_1G_2025, PERQ_1987 } from '../../engine/hardware/presets';
import type { HardwarePreset } from '../../engine/hardware/presets';
import { STRATEGIES } from '../../engine/model/migration';
import { DEFAULT_SEED } from '../../engine/reproduction/designs';
import { REPRESENTATIVES } from '../../engine/workloads/representatives';
import type { FigureSpec } from '../figures/spec';

/**
 * The built-in notebook "Beyond 1987": every strategy, the paper's and today's, on the seven
 * representatives, on the 1987 Perq and on current 1 Gb/s hardware (docs/model.md, "Beyond 1987").
 */

export const BEYOND_EXPERIMENTS: { id: string; hardware: HardwarePreset; title: string }[] = [
  { id: 'beyond-perq-1987', hardware: PERQ_1987, title: 'the 1987 Perq (10 Mb/s, 512-byte pages)' },
  {
    id: 'beyond-ethernet-1g-2025',
    hardware: ETHERNET_1G_2025,
    title: 'current servers (1 Gb/s, 4 KiB pages)',
  },
];

/** Prefetch 1 for the strategies that fault: the paper's best single value for most processes. */
export const BEYOND_PREFETCH = 1;

export function beyondDesign(hardware: HardwarePreset, seed: number = DEFAULT_SEED): ExperimentDesign {
  return {
    name: `Every strategy on ${hardware.name}`,
    representatives: REPRESENTATIVES.map((workload) => workload.name),
    customWorkloads: [],
    strategies: [...STRATEGIES],
    prefetchValues: [BEYOND_PREFETCH],
    hardware: structuredClone(hardware),
    seed,
    repetitions: 1,
  };
}

/** The figures drawn for each hardware, with their captions. */
export const BEYOND_FIGURES: { kind: FigureSpec['kind']; title: string; caption: string }[] = [
  {
    kind: 'downtime',
    title: 'Downtime',
    caption:
      'How long the process is frozen. The paper strategies freeze at the request and resume after the transfer; pre-copy only for its last round.',
  },
  {
    kind: 'total-migration',
    title: 'Total migration time',
    caption:
      'From the request until the process is at the destination with none of its pages still on the way.',
  },
  {
    kind: 'source-release',
    title: 'Time until the source can be released',
    caption:
      'Until the source owes nothing: pure-copy and pre-copy at the end of the transfer, Sprite after its flush, the lazy strategies at their last owed page or the process exit.',
  },
  {
    kind: 'loss-risk',
    title: 'Risk of losing the process to a source crash',
    caption:
      'The share of trials a crash of the source at each time would lose: the residual dependency as a risk.',
  },
  {
    kind: 'completion',
    title: 'Completion time',
    caption:
      "From the request to the process's exit. Pre-copy runs part of the process at the source, so the paper's end-to-end sum (transfer + remote execution) would not compare.",
  },
  {
    kind: 'pages-resent',
    title: 'Pages sent more than once',
    caption: 'Only pre-copy and the hybrid re-send pages: those written at the source after they were sent.',
  },
  {
    kind: 'fault-latency',
    title: 'Remote-fault latency',
    caption: 'Remote faults by latency, over all representatives.',
  },
];
