import { stringify } from 'csv-stringify/sync';
import { summarizeByDesignPoint } from '../engine/experiment/statistics';
import type { TrialMetrics, TrialResult, TrialSpec } from '../engine/experiment/trial';
import { TRIAL_METRIC_NAMES } from '../engine/experiment/trial';
import type { FidelityEntry, ReproductionTable } from '../engine/reproduction/paper';

/** The experiment a trial belongs to: 'paper' and 'breakeven' in the reproduction, a notebook's entry ids in `run`. */
export type ExperimentName = string;

export interface ExperimentResults {
  name: ExperimentName;
  specs: readonly TrialSpec[];
  results: readonly TrialResult[];
}

/** The metrics trials.csv leads with, in this order; the others follow in declaration order. */
const LEADING_METRICS = [
  'exciseSeconds',
  'insertSeconds',
  'coreTransferSeconds',
  'rimasTransferSeconds',
  'remoteExecSeconds',
  'endToEndSeconds',
  'bytesTotal',
  'bytesFault',
  'messages',
  'messageSecondsSource',
  'messageSecondsDest',
  'imaginaryFaults',
  'prefetchedPages',
  'prefetchHits',
  'pagesTouchedRemote',
] as const satisfies readonly (keyof TrialMetrics)[];

export const METRIC_COLUMNS: readonly (keyof TrialMetrics)[] = [
  ...LEADING_METRICS,
  ...TRIAL_METRIC_NAMES.filter((key) => !(LEADING_METRICS as readonly string[]).includes(key)),
];

export const TRIAL_CSV_COLUMNS: readonly string[] = [
  'experiment',
  'representative',
  'strategy',
  'prefetch',
  'seed',
  ...METRIC_COLUMNS,
  'id',
  'hardware',
  'replication',
  'ok',
  'error',
];

/**
 * trials.csv: one row per trial of every experiment, failed trials with empty metrics. Without
 * its header (`header: false`) for the chunks after the first of a file written piece by piece.
 */
export function trialsCsv(
  experiments: readonly Pick<ExperimentResults, 'name' | 'results'>[],
  header = true,
): string {
  const rows: (string | number | boolean | undefined)[][] = [];
  for (const experiment of experiments) {
    for (const result of experiment.results) {
      const metrics = result.metrics;
      rows.push([
        experiment.name,
        result.workload,
        result.strategy,
        result.prefetch,
        result.seed,
        // processLost reads true or false, as the ok column does.
        ...METRIC_COLUMNS.map((key) =>
          key === 'processLost' && metrics?.processLost !== undefined
            ? metrics.processLost === 1
            : metrics?.[key],
        ),
        result.id,
        result.hardware,
        result.replication,
        result.ok,
        result.error ?? '',
      ]);
    }
  }
  return stringify(rows, {
    header,
    columns: [...TRIAL_CSV_COLUMNS],
    cast: { boolean: (value) => (value ? 'true' : 'false') },
  });
}

/**
 * JSON with two-space indentation, except that arrays of plain values (series, table rows) stay
 * on one line. Deterministic: the same value always gives the same text.
 */
export function toJson(value: unknown): string {
  return `${write(value, '')}\n`;
}

function isPlain(value: unknown): boolean {
  return value === null || typeof value !== 'object';
}

function write(value: unknown, indent: string): string {
  if (value === null || typeof value !== 'object') {
    // JSON.stringify's own rules for plain values (NaN and Infinity become null).
    return JSON.stringify(value) ?? 'null';
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items: unknown[] = value.map((item) => (item === undefined ? null : item));
    if (items.every(isPlain)) return `[${items.map((item) => write(item, inner)).join(', ')}]`;
    return `[\n${items.map((item) => `${inner}${write(item, inner)}`).join(',\n')}\n${indent}]`;
  }
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return write((toJSON as () => unknown).call(value), indent);
  const entries = Object.entries(value).filter(
    ([, item]) => item !== undefined && typeof item !== 'function' && typeof item !== 'symbol',
  );
  if (entries.length === 0) return '{}';
  const lines = entries.map(([key, item]) => `${inner}${JSON.stringify(key)}: ${write(item, inner)}`);
  return `{\n${lines.join(',\n')}\n${indent}}`;
}

export interface ResultsFile {
  engineVersion: string;
  seed: number;
  hardware: Record<string, TrialSpec['hardware']>;
  workloads: Record<string, TrialSpec['workload']>;
  experiments: Record<ExperimentName, TrialResult[]>;
}

/**
 * results.json: what ran and what came out, with no timestamp or machine detail, so the same
 * seed gives the same bytes. The hardware presets and workloads the trials used are stored once
 * each, by name.
 */
export function resultsFile(
  experiments: readonly ExperimentResults[],
  seed: number,
  engineVersion: string,
): ResultsFile {
  const hardware: Record<string, TrialSpec['hardware']> = {};
  const workloads: Record<string, TrialSpec['workload']> = {};
  const byName: Record<ExperimentName, TrialResult[]> = {};
  for (const experiment of experiments) {
    for (const spec of experiment.specs) {
      hardware[spec.hardware.name] ??= spec.hardware;
      workloads[spec.workload.name] ??= spec.workload;
    }
    (byName[experiment.name] ??= []).push(...experiment.results);
  }
  return { engineVersion, seed, hardware, workloads, experiments: byName };
}

export function fidelityJson(entries: readonly FidelityEntry[]): string {
  return toJson(entries);
}

export function tablesJson(tables: readonly ReproductionTable[]): string {
  return toJson(tables);
}

export const SUMMARY_CSV_COLUMNS: readonly string[] = [
  'experiment',
  'representative',
  'strategy',
  'prefetch',
  'hardware',
  'parameter',
  'parameterValue',
  'metric',
  'n',
  'mean',
  'sd',
  'ciLow',
  'ciHigh',
];

/**
 * summary.csv: per design point (workload x strategy x prefetch x hardware, and the sweep's
 * parameter value) and metric, the mean over the finished replications with its sample standard
 * deviation and 95% Student-t confidence interval (empty with a single replication).
 */
export function summaryCsv(
  experiments: readonly (ExperimentResults & { parameter?: string | undefined })[],
): string {
  const rows: (string | number)[][] = [];
  for (const experiment of experiments) {
    for (const point of summarizeByDesignPoint(experiment.results)) {
      for (const key of METRIC_COLUMNS) {
        // A metric only some trials have (the contention means need concurrent migrations) is left out.
        const summary = point.metrics[key];
        if (!summary) continue;
        const interval = Number.isFinite(summary.halfWidth);
        rows.push([
          experiment.name,
          point.point.workload,
          point.point.strategy,
          point.point.prefetch,
          point.point.hardware,
          point.point.parameterValue === undefined ? '' : (experiment.parameter ?? ''),
          point.point.parameterValue ?? '',
          key,
          summary.n,
          summary.mean,
          summary.sd,
          interval ? summary.ciLow : '',
          interval ? summary.ciHigh : '',
        ]);
      }
    }
  }
  return stringify(rows, { header: true, columns: [...SUMMARY_CSV_COLUMNS] });
}
