import { customWorkload } from '../engine/experiment/design';
import { runTrial } from '../engine/experiment/trial';
import type { TrialMetrics, TrialSpec } from '../engine/experiment/trial';
import { hardwarePreset } from '../engine/hardware/presets';
import type { HardwarePreset } from '../engine/hardware/presets';
import type { StrategyOptions } from '../engine/model/strategyOptions';
import type { WorkloadSpec } from '../engine/workloads/spec';

/**
 * The cross-check's scenarios (the grids), their mapping to our engine's trial and to SimGrid's
 * parameters, and one scenario run in our engine. See crosscheck.ts.
 */

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

/** The C++ program, kept in the repository, and how the harness builds it. */
export const SIMGRID_SOURCE = 'crosscheck/simgrid/migrate.cpp';
export const SIMGRID_BUILD = ['g++', '-O1', '-std=c++17', SIMGRID_SOURCE, '-o', 'OUT', '-lsimgrid'];

/** SimGrid's default network model (LV08) and how a single TCP flow fares in it. */
export const SIMGRID_NETWORK = {
  /** network/bandwidth-factor: share of a link's bandwidth a flow achieves. */
  bandwidthFactor: 0.97,
  /** network/latency-factor: a message's latency is this many times the route's. */
  latencyFactor: 13.01,
  /** network/crosstraffic: the ACKs of a flow load the reverse direction with this share. */
  crossTraffic: 0.05,
  /** SimGrid's live-migration plugin's fixed maximum downtime (sg_vm_get_max_downtime). */
  maxDowntimeSeconds: 0.03,
} as const;

export type CrosscheckStrategy = 'pre-copy' | 'post-copy';

/** One scenario: a VM-like process writing its working set at a set rate, migrated over one link. */
export interface CrosscheckScenario {
  name: string;
  strategy: CrosscheckStrategy;
  memoryBytes: number;
  /** The link's nominal rate (bits per second / 8). */
  bandwidthBytesPerSecond: number;
  dirtyBytesPerSecond: number;
  workingSetBytes: number;
  /** Cyclic writes follow SimGrid's rule; random writes show how far a random writer is from it. */
  order: 'cyclic' | 'random';
}

export interface MigrationFigures {
  totalMigrationSeconds: number;
  downtimeSeconds: number;
  bytesSent: number;
}

export interface OursFigures extends MigrationFigures {
  /** Bytes on the wire: page data plus message and packet headers and the Core. */
  wireBytes: number;
  rounds: number;
  /** Of the downtime, the stop-and-copy transfer of the last dirty pages. */
  stopCopySeconds: number;
  /** Of the downtime, excision and insertion of the process (per-page work SimGrid does not have). */
  exciseInsertSeconds: number;
  /** The process still ran when it froze (it did not finish at the source during the rounds). */
  ranThroughMigration: boolean;
}

export interface CrosscheckRow {
  name: string;
  strategy: CrosscheckStrategy;
  memoryBytes: number;
  pageSizeBytes: number;
  bandwidthBytesPerSecond: number;
  dirtyBytesPerSecond: number;
  workingSetBytes: number;
  writeOrder: 'cyclic' | 'random';
  /** Our cap on the rounds; SimGrid has none (only a 10^7 s timeout). */
  maxRounds: number;
  /** The stop-and-copy threshold: the maximum downtime at the link's goodput (both recompute it each round). */
  stopBytes: number;
  maxDowntimeSeconds: number;
  ours: OursFigures;
  /** SimGrid, its network mapped to ours (same goodput and latency); null for post-copy. */
  simgrid: MigrationFigures | null;
  /** SimGrid on the nominal link with its default factors: the network models' own difference. */
  simgridNominalLink: MigrationFigures | null;
  /** Post-copy: the textbook formulas (docs/model.md); null for pre-copy. */
  textbook: MigrationFigures | null;
  /** (ours - reference) / reference, per figure; the reference is SimGrid or the textbook. */
  relativeError: { totalMigrationSeconds: number; downtimeSeconds: number | null; bytesSent: number };
}

export interface CrosscheckReport {
  simgridVersion: string;
  buildCommand: string;
  grid: 'full' | 'ci';
  scenarios: CrosscheckRow[];
  summary: {
    preCopyScenarios: number;
    medianRelativeErrorTotalMigration: number;
    medianRelativeErrorDowntime: number;
    medianRelativeErrorBytes: number;
    medianRelativeErrorTotalMigrationNominalLink: number;
    postCopyScenarios: number;
    medianRelativeErrorTotalMigrationPostCopy: number | null;
  };
}

const link = { '100M': 12_500_000, '1G': 125_000_000, '10G': 1_250_000_000 } as const;

function scenario(
  name: string,
  strategy: CrosscheckStrategy,
  memoryBytes: number,
  speed: keyof typeof link,
  dirtyShareOfLink: number,
  workingSetBytes: number,
  order: 'cyclic' | 'random' = 'cyclic',
): CrosscheckScenario {
  const bandwidthBytesPerSecond = link[speed];
  return {
    name,
    strategy,
    memoryBytes,
    bandwidthBytesPerSecond,
    dirtyBytesPerSecond: dirtyShareOfLink * bandwidthBytesPerSecond,
    workingSetBytes,
    order,
  };
}

/**
 * The grid: memory 256 MiB to 4 GiB; 100 Mb/s, 1 Gb/s and 10 Gb/s; from idle to writers faster
 * than the link; working sets larger than what a round sends (90% of memory) and smaller (the
 * cap binds). Writers faster than the link converge only with a working set under the
 * stop-and-copy threshold: otherwise SimGrid, which has no round cap, runs until its 10^7 s timeout.
 */
export const FULL_GRID: CrosscheckScenario[] = [
  scenario('idle 256 MiB, 100 Mb/s', 'pre-copy', 256 * MiB, '100M', 0, 0),
  scenario('idle 1 GiB, 1 Gb/s', 'pre-copy', GiB, '1G', 0, 0),
  scenario('idle 4 GiB, 10 Gb/s', 'pre-copy', 4 * GiB, '10G', 0, 0),
  scenario('256 MiB, 100 Mb/s, 10% of link, WS 90%', 'pre-copy', 256 * MiB, '100M', 0.1, 230 * MiB),
  scenario('512 MiB, 100 Mb/s, 50% of link, WS 90%', 'pre-copy', 512 * MiB, '100M', 0.5, 460 * MiB),
  scenario('256 MiB, 100 Mb/s, 200% of link, WS 256 KiB', 'pre-copy', 256 * MiB, '100M', 2, 256 * KiB),
  scenario('1 GiB, 1 Gb/s, 10% of link, WS 90%', 'pre-copy', GiB, '1G', 0.1, 920 * MiB),
  scenario('1 GiB, 1 Gb/s, 30% of link, WS 90%', 'pre-copy', GiB, '1G', 0.3, 920 * MiB),
  scenario('1 GiB, 1 Gb/s, 60% of link, WS 90%', 'pre-copy', GiB, '1G', 0.6, 920 * MiB),
  scenario('1 GiB, 1 Gb/s, 60% of link, WS 64 MiB', 'pre-copy', GiB, '1G', 0.6, 64 * MiB),
  scenario('2 GiB, 1 Gb/s, 150% of link, WS 2 MiB', 'pre-copy', 2 * GiB, '1G', 1.5, 2 * MiB),
  scenario('4 GiB, 10 Gb/s, 30% of link, WS 90%', 'pre-copy', 4 * GiB, '10G', 0.3, 3686 * MiB),
  scenario('2 GiB, 10 Gb/s, 80% of link, WS 512 MiB', 'pre-copy', 2 * GiB, '10G', 0.8, 512 * MiB),
  scenario('1 GiB, 10 Gb/s, 120% of link, WS 16 MiB', 'pre-copy', GiB, '10G', 1.2, 16 * MiB),
  scenario(
    '1 GiB, 1 Gb/s, 30% of link, WS 90%, random writes',
    'pre-copy',
    GiB,
    '1G',
    0.3,
    920 * MiB,
    'random',
  ),
  scenario(
    '1 GiB, 1 Gb/s, 60% of link, WS 64 MiB, random writes',
    'pre-copy',
    GiB,
    '1G',
    0.6,
    64 * MiB,
    'random',
  ),
  scenario('post-copy: idle 1 GiB, 1 Gb/s', 'post-copy', GiB, '1G', 0, 0),
  scenario('post-copy: 1 GiB, 1 Gb/s, 30% of link, WS 90%', 'post-copy', GiB, '1G', 0.3, 920 * MiB),
  scenario(
    'post-copy: 512 MiB, 10 Gb/s, 80% of link, WS 256 MiB',
    'post-copy',
    512 * MiB,
    '10G',
    0.8,
    256 * MiB,
  ),
];

/** A grid small enough for CI (a few seconds): the same kinds of scenario on small memories. */
export const CI_GRID: CrosscheckScenario[] = [
  scenario('idle 16 MiB, 100 Mb/s', 'pre-copy', 16 * MiB, '100M', 0, 0),
  scenario('32 MiB, 1 Gb/s, 30% of link, WS 90%', 'pre-copy', 32 * MiB, '1G', 0.3, 28 * MiB),
  scenario('32 MiB, 1 Gb/s, 60% of link, WS 4 MiB', 'pre-copy', 32 * MiB, '1G', 0.6, 4 * MiB),
  scenario('64 MiB, 10 Gb/s, 150% of link, WS 1 MiB', 'pre-copy', 64 * MiB, '10G', 1.5, MiB),
  scenario('post-copy: 16 MiB, 1 Gb/s, 30% of link, WS 90%', 'post-copy', 16 * MiB, '1G', 0.3, 14 * MiB),
];

/** Our hardware for a link: the current-server presets, 100 Mb/s being the 1 Gb/s one slowed down. */
export function hardwareFor(bandwidthBytesPerSecond: number): HardwarePreset {
  const hardware = hardwarePreset(
    bandwidthBytesPerSecond >= link['10G'] ? 'ethernet-10g-2025' : 'ethernet-1g-2025',
  );
  hardware.network.bitsPerSecond = bandwidthBytesPerSecond * 8;
  return hardware;
}

/** Page data a second our Ethernet carries: each packet's payload over its payload and header. */
export function oursGoodput(hardware: HardwarePreset): number {
  const payload = hardware.network.maxFragmentPayloadBytes;
  return (hardware.network.bitsPerSecond / 8) * (payload / (payload + hardware.network.packetHeaderBytes));
}

/** SimGrid's single-flow rate on a link of nominal bandwidth `bandwidth` under LV08. */
export function simgridGoodput(bandwidth: number): number {
  return (bandwidth * SIMGRID_NETWORK.bandwidthFactor) / (1 + SIMGRID_NETWORK.crossTraffic);
}

/** Our stopping rule set to SimGrid's: no round cap to speak of, no page threshold, its maximum downtime. */
export const SIMGRID_STOPPING_RULE: Partial<StrategyOptions> = {
  preCopyMaxRounds: 1000,
  preCopyStopPages: 0,
  preCopyMaxDowntimeSeconds: SIMGRID_NETWORK.maxDowntimeSeconds,
};

/** How long the process runs: twice a geometric-series estimate of the migration, so it runs through it. */
export function computeSecondsFor(scenario: CrosscheckScenario, hardware: HardwarePreset): number {
  const goodput = oursGoodput(hardware);
  const firstRound = scenario.memoryBytes / goodput;
  const ratio = Math.min(0.95, scenario.dirtyBytesPerSecond / goodput);
  const estimate = scenario.strategy === 'post-copy' ? firstRound : firstRound / (1 - ratio);
  return Math.ceil(2 * estimate + 1);
}

/** The scenario as our workload (a dirty-rate custom workload, all of it resident). */
export function scenarioWorkload(scenario: CrosscheckScenario, hardware: HardwarePreset): WorkloadSpec {
  return customWorkload({
    name: scenario.name,
    realBytes: scenario.memoryBytes,
    realZeroBytes: 0,
    residentBytes: scenario.memoryBytes,
    touchedFraction: 0,
    locality: 0,
    computeSeconds: computeSecondsFor(scenario, hardware),
    dirtyRate: {
      workingSetBytes: scenario.workingSetBytes,
      dirtyBytesPerSecond: scenario.dirtyBytesPerSecond,
      order: scenario.order,
    },
  });
}

export function scenarioTrial(scenario: CrosscheckScenario): TrialSpec {
  const hardware = hardwareFor(scenario.bandwidthBytesPerSecond);
  return {
    id: `crosscheck/${scenario.name}`,
    workload: scenarioWorkload(scenario, hardware),
    strategy: scenario.strategy,
    prefetch: 0,
    hardware,
    seed: 1,
    strategyOptions: SIMGRID_STOPPING_RULE,
  };
}

export function oursFigures(metrics: TrialMetrics): OursFigures {
  const downtime = metrics.downtimeSeconds ?? 0;
  return {
    totalMigrationSeconds: metrics.totalMigrationSeconds ?? 0,
    downtimeSeconds: downtime,
    bytesSent: metrics.bytesPageData,
    wireBytes: metrics.bytesTotal,
    rounds: metrics.preCopyRounds ?? 0,
    stopCopySeconds: metrics.rimasTransferSeconds,
    exciseInsertSeconds: metrics.exciseSeconds + metrics.insertSeconds,
    ranThroughMigration: metrics.remoteExecSeconds > 0 && metrics.references > 0,
  };
}

/** Run one scenario in our engine. */
export function runOurs(scenario: CrosscheckScenario): OursFigures {
  const spec = scenarioTrial(scenario);
  const result = runTrial(spec);
  if (!result.ok || !result.metrics) throw new Error(`${scenario.name}: ${result.error ?? 'no metrics'}`);
  return oursFigures(result.metrics);
}
