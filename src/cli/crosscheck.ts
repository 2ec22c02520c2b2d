import Table from 'cli-table3';
import type { ExperimentDesign } from '../engine/experiment/design';
import { probeOutputFile, writeOutputFile } from './writeOutput';
import type {
  CrosscheckReport,
  CrosscheckRow,
  CrosscheckScenario,
  MigrationFigures,
  OursFigures,
} from './crosscheckScenarios';
import {
  CI_GRID,
  FULL_GRID,
  hardwareFor,
  oursGoodput,
  runOurs,
  scenarioWorkload,
  SIMGRID_BUILD,
  SIMGRID_NETWORK,
  SIMGRID_STOPPING_RULE,
} from './crosscheckScenarios';
import { buildSimgrid, runSimgrid, simgridVersion, textbookPostCopy } from './crosscheckSimgrid';
import { messageOf } from '../shared/messageOf';
export * from './crosscheckScenarios';
export * from './crosscheckSimgrid';

/**
 * `accent-lab crosscheck`: the same live migrations in our engine and in SimGrid's live-migration
 * plugin (SimGrid 3.32), or, for post-copy, which SimGrid does not model, against the textbook
 * formulas. The mapping of the parameters is docs/model.md's "Cross-check against SimGrid".
 * The scenarios and their mapping are crosscheckScenarios.ts, the SimGrid program and the textbook
 * post-copy crosscheckSimgrid.ts; this file compares, summarises and prints (and re-exports both).
 */

const MiB = 1024 * 1024;

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
    io.stderr.write(`crosscheck: ${messageOf(error)}\n`);
    return 1;
  }
  await writeCrosscheckJson(options.json, report);
  io.stdout.write(`${crosscheckTable(report)}\n`);
  io.stderr.write(`crosscheck: wrote ${options.json}\n`);
  return 0;
}
