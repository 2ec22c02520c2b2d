import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Table from 'cli-table3';
import { probeOutputFile, writeOutputFile } from './writeOutput';
import { customWorkload } from '../engine/experiment/design';
import type { ExperimentDesign } from '../engine/experiment/design';
import { runTrial } from '../engine/experiment/trial';
import type { TrialMetrics, TrialSpec } from '../engine/experiment/trial';
import { hardwarePreset } from '../engine/hardware/presets';
import type { HardwarePreset } from '../engine/hardware/presets';
import type { StrategyOptions } from '../engine/model/strategyOptions';
import type { WorkloadSpec } from '../engine/workloads/spec';
import { findPackageRoot } from './packageRoot';

/**
 * `accent-lab crosscheck`: the same live migrations in our engine and in SimGrid's live-migration
 * plugin (SimGrid 3.32), or, for post-copy, which SimGrid does not model, against the textbook
 * formulas. The mapping of the parameters is docs/model.md's "Cross-check against SimGrid".
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

const run = promisify(execFile);

/** Build the SimGrid program unless a build newer than its source exists; returns its path. */
export async function buildSimgrid(root = findPackageRoot()): Promise<string> {
  const source = join(root, SIMGRID_SOURCE);
  const outDir = join(root, 'out', 'crosscheck');
  const binary = join(outDir, 'simgrid-migrate');
  if (existsSync(binary) && statSync(binary).mtimeMs >= statSync(source).mtimeMs) return binary;
  mkdirSync(outDir, { recursive: true });
  const [command, ...args] = SIMGRID_BUILD.map((part) => (part === 'OUT' ? binary : part));
  try {
    await run(command!, args, { cwd: root });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(
      `could not build ${SIMGRID_SOURCE} (needs g++ and SimGrid 3.32: apt-get install libsimgrid-dev): ${stderr.trim().split('\n').slice(0, 5).join(' | ') || (error as Error).message}`,
      { cause: error },
    );
  }
  return binary;
}

/** SimGrid's version as the library the program runs on reports it (sg_version_get). */
export async function simgridVersion(binary: string): Promise<string> {
  const { stdout } = await run(binary, ['--simgrid-version']);
  return /SimGrid version ([\d.]+)/.exec(stdout)?.[1] ?? 'unknown';
}

/**
 * Run one pre-copy scenario in SimGrid. `mapped`: the link set so that SimGrid's flow gets our
 * goodput and our one-way latency; else the nominal link with SimGrid's default factors.
 */
export async function runSimgrid(
  binary: string,
  scenario: CrosscheckScenario,
  mapped: boolean,
): Promise<MigrationFigures & { messages: number }> {
  const hardware = hardwareFor(scenario.bandwidthBytesPerSecond);
  const latency = hardware.network.latencyMs / 1000;
  const bandwidth = mapped
    ? (oursGoodput(hardware) * (1 + SIMGRID_NETWORK.crossTraffic)) / SIMGRID_NETWORK.bandwidthFactor
    : scenario.bandwidthBytesPerSecond;
  const args = [
    `ram=${scenario.memoryBytes}`,
    `bandwidth=${bandwidth}`,
    `latency=${mapped ? latency / SIMGRID_NETWORK.latencyFactor : latency}`,
    `dirty=${scenario.dirtyBytesPerSecond}`,
    `workingset=${scenario.workingSetBytes}`,
    `migspeed=${bandwidth}`,
    'compute=0',
    '--log=root.thres:critical',
  ];
  const { stdout } = await run(binary, args);
  const line = stdout
    .split('\n')
    .find((text) => text.startsWith('{'))
    ?.trim();
  if (!line) throw new Error(`${scenario.name}: SimGrid printed no result`);
  const parsed = JSON.parse(line) as MigrationFigures & { messages: number };
  return parsed;
}

/**
 * The textbook post-copy (Hines and Gopalan 2009; Clark et al. 2005 for the terms): downtime is
 * the CPU state's transfer, here the one-way latency; every page crosses once, so the bytes are
 * the memory and the total is the downtime plus the memory at the link's goodput.
 */
export function textbookPostCopy(scenario: CrosscheckScenario): MigrationFigures {
  const hardware = hardwareFor(scenario.bandwidthBytesPerSecond);
  const downtime = hardware.network.latencyMs / 1000;
  return {
    totalMigrationSeconds: downtime + scenario.memoryBytes / oursGoodput(hardware),
    downtimeSeconds: downtime,
    bytesSent: scenario.memoryBytes,
  };
}

const relative = (ours: number, reference: number): number =>
  reference === 0 ? (ours === 0 ? 0 : Infinity) : (ours - reference) / reference;

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export interface CrosscheckHooks {
  onScenario?: (index: number, total: number, row: CrosscheckRow) => void;
}

/** One scenario's row: our figures beside SimGrid's (pre-copy) or the textbook's (post-copy). */
export async function compareScenario(
  binary: string,
  scenario: CrosscheckScenario,
  ours: OursFigures,
): Promise<CrosscheckRow> {
  const hardware = hardwareFor(scenario.bandwidthBytesPerSecond);
  const preCopy = scenario.strategy === 'pre-copy';
  const simgrid = preCopy ? await runSimgrid(binary, scenario, true) : null;
  const nominal = preCopy ? await runSimgrid(binary, scenario, false) : null;
  const textbook = preCopy ? null : textbookPostCopy(scenario);
  const reference = (simgrid ?? textbook)!;
  return {
    name: scenario.name,
    strategy: scenario.strategy,
    memoryBytes: scenario.memoryBytes,
    pageSizeBytes: hardware.pageSizeBytes,
    bandwidthBytesPerSecond: scenario.bandwidthBytesPerSecond,
    dirtyBytesPerSecond: scenario.dirtyBytesPerSecond,
    workingSetBytes: scenario.workingSetBytes,
    writeOrder: scenario.order,
    maxRounds: SIMGRID_STOPPING_RULE.preCopyMaxRounds!,
    stopBytes: Math.round(SIMGRID_NETWORK.maxDowntimeSeconds * oursGoodput(hardware)),
    maxDowntimeSeconds: SIMGRID_NETWORK.maxDowntimeSeconds,
    ours,
    simgrid: simgrid && pick(simgrid),
    simgridNominalLink: nominal && pick(nominal),
    textbook,
    relativeError: {
      totalMigrationSeconds: relative(ours.totalMigrationSeconds, reference.totalMigrationSeconds),
      downtimeSeconds:
        reference.downtimeSeconds > 0 ? relative(ours.downtimeSeconds, reference.downtimeSeconds) : null,
      bytesSent: relative(ours.bytesSent, reference.bytesSent),
    },
  };
}

export function gridScenarios(grid: 'full' | 'ci'): CrosscheckScenario[] {
  return grid === 'full' ? FULL_GRID : CI_GRID;
}

/** Run every scenario of a grid in both simulators (or against the textbook). */
export async function runCrosscheck(
  grid: 'full' | 'ci',
  hooks: CrosscheckHooks = {},
): Promise<CrosscheckReport> {
  const binary = await buildSimgrid();
  const scenarios = gridScenarios(grid);
  const rows: CrosscheckRow[] = [];
  for (const [index, scenario] of scenarios.entries()) {
    const row = await compareScenario(binary, scenario, runOurs(scenario));
    rows.push(row);
    hooks.onScenario?.(index, scenarios.length, row);
  }
  return crosscheckReport(binary, grid, rows);
}

export async function crosscheckReport(
  binary: string,
  grid: 'full' | 'ci',
  rows: CrosscheckRow[],
): Promise<CrosscheckReport> {
  return {
    simgridVersion: await simgridVersion(binary),
    buildCommand: SIMGRID_BUILD.join(' ').replace('OUT', 'out/crosscheck/simgrid-migrate'),
    grid,
    scenarios: rows,
    summary: summarise(rows),
  };
}

function pick(figures: MigrationFigures): MigrationFigures {
  return {
    totalMigrationSeconds: figures.totalMigrationSeconds,
    downtimeSeconds: figures.downtimeSeconds,
    bytesSent: figures.bytesSent,
  };
}

export function summarise(rows: readonly CrosscheckRow[]): CrosscheckReport['summary'] {
  const pre = rows.filter((row) => row.strategy === 'pre-copy' && row.simgrid);
  const post = rows.filter((row) => row.strategy === 'post-copy');
  const abs = (values: (number | null)[]): number[] =>
    values.filter((value): value is number => value !== null && Number.isFinite(value)).map(Math.abs);
  return {
    preCopyScenarios: pre.length,
    medianRelativeErrorTotalMigration: median(abs(pre.map((row) => row.relativeError.totalMigrationSeconds))),
    medianRelativeErrorDowntime: median(abs(pre.map((row) => row.relativeError.downtimeSeconds))),
    medianRelativeErrorBytes: median(abs(pre.map((row) => row.relativeError.bytesSent))),
    medianRelativeErrorTotalMigrationNominalLink: median(
      abs(
        pre.map((row) =>
          relative(row.ours.totalMigrationSeconds, row.simgridNominalLink!.totalMigrationSeconds),
        ),
      ),
    ),
    postCopyScenarios: post.length,
    medianRelativeErrorTotalMigrationPostCopy:
      post.length > 0 ? median(abs(post.map((row) => row.relativeError.totalMigrationSeconds))) : null,
  };
}

export async function writeCrosscheckJson(file: string, report: CrosscheckReport): Promise<void> {
  await writeOutputFile(file, `${JSON.stringify(report, null, 2)}\n`);
}

/** Our side of a grid as experiment designs (one per link speed and strategy), for the notebook. */
export function crosscheckDesigns(
  scenarios: readonly CrosscheckScenario[],
): { design: ExperimentDesign; scenarios: CrosscheckScenario[] }[] {
  const groups = new Map<string, CrosscheckScenario[]>();
  for (const one of scenarios) {
    const key = `${one.strategy} ${one.bandwidthBytesPerSecond}`;
    groups.set(key, [...(groups.get(key) ?? []), one]);
  }
  return [...groups.values()].map((chosen) => {
    const { strategy, bandwidthBytesPerSecond: speed } = chosen[0]!;
    const hardware = hardwareFor(speed);
    return {
      scenarios: chosen,
      design: {
        name: `Cross-check, ${strategy}, ${linkLabel(speed)}`,
        representatives: [],
        customWorkloads: chosen.map((one) => scenarioWorkload(one, hardware)),
        strategies: [strategy],
        prefetchValues: [0],
        hardware,
        seed: 1,
        repetitions: 1,
        strategyOptions: { ...SIMGRID_STOPPING_RULE },
      },
    };
  });
}

export function linkLabel(bandwidthBytesPerSecond: number): string {
  const bits = bandwidthBytesPerSecond * 8;
  return bits >= 1e9 ? `${bits / 1e9} Gb/s` : `${bits / 1e6} Mb/s`;
}

/** The comparison as a text table: ours against the reference, per scenario. */
export function crosscheckTable(report: CrosscheckReport): string {
  const table = new Table({
    head: [
      'scenario',
      'ours total (s)',
      'reference total (s)',
      'error',
      'ours downtime (ms)',
      'reference downtime (ms)',
      'ours bytes (MiB)',
      'reference bytes (MiB)',
    ],
  });
  for (const row of report.scenarios) {
    const reference = (row.simgrid ?? row.textbook)!;
    table.push([
      `${row.name}${row.simgrid ? '' : ' (textbook)'}`,
      row.ours.totalMigrationSeconds.toFixed(3),
      reference.totalMigrationSeconds.toFixed(3),
      percent(row.relativeError.totalMigrationSeconds),
      (row.ours.downtimeSeconds * 1000).toFixed(2),
      (reference.downtimeSeconds * 1000).toFixed(2),
      (row.ours.bytesSent / MiB).toFixed(1),
      (reference.bytesSent / MiB).toFixed(1),
    ]);
  }
  const summary = report.summary;
  return [
    table.toString(),
    `pre-copy against SimGrid ${report.simgridVersion} over ${summary.preCopyScenarios} scenarios, median |relative error|: ` +
      `total migration ${percent(summary.medianRelativeErrorTotalMigration)}, downtime ${percent(summary.medianRelativeErrorDowntime)}, ` +
      `bytes ${percent(summary.medianRelativeErrorBytes)}; total migration against SimGrid on the nominal link with its default factors ` +
      `${percent(summary.medianRelativeErrorTotalMigrationNominalLink)}`,
    summary.postCopyScenarios > 0
      ? `post-copy against the textbook formulas (SimGrid has no post-copy) over ${summary.postCopyScenarios} scenarios: ` +
        `total migration ${percent(summary.medianRelativeErrorTotalMigrationPostCopy ?? Number.NaN)}`
      : '',
  ]
    .filter((line) => line !== '')
    .join('\n');
}

function percent(value: number): string {
  return Number.isFinite(value) ? `${(100 * value).toFixed(1)}%` : 'n/a';
}

/** `accent-lab crosscheck`: run the grid, print the table, write the JSON; returns the exit code. */
export async function crosscheckCommand(
  options: { json: string; grid: 'full' | 'ci'; quiet?: boolean },
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
): Promise<number> {
  let report: CrosscheckReport;
  try {
    // A JSON file that cannot be written is found now, not after the runs (issue 14).
    await probeOutputFile(options.json);
    report = await runCrosscheck(options.grid, {
      onScenario: (index, total, row) => {
        if (!options.quiet)
          io.stderr.write(
            `crosscheck: ${index + 1}/${total} ${row.name}: ours ${row.ours.totalMigrationSeconds.toFixed(3)} s, ` +
              `${row.simgrid ? 'SimGrid' : 'textbook'} ${(row.simgrid ?? row.textbook)!.totalMigrationSeconds.toFixed(3)} s\n`,
          );
      },
    });
  } catch (error) {
    io.stderr.write(`crosscheck: ${(error as Error).message}\n`);
    return 1;
  }
  await writeCrosscheckJson(options.json, report);
  io.stdout.write(`${crosscheckTable(report)}\n`);
  io.stderr.write(`crosscheck: wrote ${options.json}\n`);
  return 0;
}
