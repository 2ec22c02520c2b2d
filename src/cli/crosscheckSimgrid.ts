import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CrosscheckScenario, MigrationFigures } from './crosscheckScenarios';
import {
  hardwareFor,
  oursGoodput,
  SIMGRID_BUILD,
  SIMGRID_NETWORK,
  SIMGRID_SOURCE,
} from './crosscheckScenarios';
import { findPackageRoot } from './packageRoot';
import { messageOf } from '../shared/messageOf';

/** The references a scenario is checked against: SimGrid's program, built and run, and the textbook post-copy. */

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
      `could not build ${SIMGRID_SOURCE} (needs g++ and SimGrid 3.32: apt-get install libsimgrid-dev): ${stderr.trim().split('\n').slice(0, 5).join(' | ') || messageOf(error)}`,
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
