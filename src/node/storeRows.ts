import type { DuckDBAppender, DuckDBValue } from '@duckdb/node-api';
import type { TrialMetrics, TrialResult } from '../engine/experiment/trial';
import { ENGINE_VERSION, TRIAL_METRIC_NAMES } from '../engine/experiment/trial';
import type { StrategyName } from '../engine/model/migration';
import { downsampleSeries } from '../shared/figures/series';

// A trial as a row of the results store's table (resultsStore.ts): the columns, what a row keeps
// beside the metrics, and a row back as a TrialResult.

/** One DOUBLE column per metric, in declaration order (NULL where a result has none). */
export const STORE_METRICS = TRIAL_METRIC_NAMES;

/** Bins kept of a stored trial's byte-rate series (the figures draw no finer). */
export const STORE_SERIES_BINS = 300;

/** Bumped when the table's columns change; a store of another version is refused. */
export const STORE_SCHEMA_VERSION = 1;

export const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

export const TRIAL_COLUMNS = `
  key VARCHAR PRIMARY KEY,
  experiment VARCHAR NOT NULL,
  trial_index UBIGINT NOT NULL,
  trial_id VARCHAR NOT NULL,
  workload VARCHAR NOT NULL,
  strategy VARCHAR NOT NULL,
  prefetch INTEGER NOT NULL,
  hardware VARCHAR NOT NULL,
  seed BIGINT NOT NULL,
  replication INTEGER NOT NULL,
  parameter_value DOUBLE,
  engine_version VARCHAR NOT NULL,
  ok BOOLEAN NOT NULL,
  error VARCHAR,
  ${STORE_METRICS.map((name) => `${quote(name)} DOUBLE`).join(',\n  ')},
  extra VARCHAR`;

/** Column names of the trials table, in order (the appender fills them in this order). */
export const STORE_COLUMNS = [
  'key',
  'experiment',
  'trial_index',
  'trial_id',
  'workload',
  'strategy',
  'prefetch',
  'hardware',
  'seed',
  'replication',
  'parameter_value',
  'engine_version',
  'ok',
  'error',
  ...STORE_METRICS,
  'extra',
];

/** A stored row: where it came from and its result. */
export interface StoredTrial {
  key: string;
  experiment: string;
  index: number;
  result: TrialResult;
}

/**
 * The JSON kept beside the metrics. A small experiment keeps the whole result (`result`: the
 * engine's object as it came, series and all, so outputs built from the store are the bytes a run
 * in memory gives); a large one what a figure needs that is not a single number.
 */
interface Extra {
  result?: TrialResult;
  series?: TrialResult['series'];
  faultLatency?: TrialResult['faultLatency'];
  concurrent?: TrialResult['concurrent'];
}

/** How much of a trial the store keeps beside its metrics (see Extra). */
export type StoreDetail = 'whole' | 'figures';

/** The JSON a trial keeps beside its metrics at a detail (see Extra); null when there is none. */
export function extraOf(result: TrialResult, detail: StoreDetail): string | null {
  if (detail === 'whole') return JSON.stringify({ result } satisfies Extra);
  const extra: Extra = {};
  // Series are kept for the first replication of each point: the byte-rate figures draw those.
  if (result.series && result.replication === 0) {
    extra.series = downsampleSeries(result.series, STORE_SERIES_BINS);
  }
  if (result.faultLatency) extra.faultLatency = result.faultLatency;
  if (result.concurrent) extra.concurrent = result.concurrent;
  return Object.keys(extra).length > 0 ? JSON.stringify(extra) : null;
}

const asNumber = (value: DuckDBValue): number | undefined =>
  value === null || value === undefined
    ? undefined
    : typeof value === 'bigint'
      ? Number(value)
      : Number(value);

/** A stored row back as a TrialResult (with the stored, downsampled series). */
export function rowToResult(row: readonly DuckDBValue[]): StoredTrial {
  const at = (name: string): DuckDBValue => row[STORE_COLUMNS.indexOf(name)] ?? null;
  const ok = at('ok') === true;
  const result: TrialResult = {
    id: String(at('trial_id')),
    workload: String(at('workload')),
    strategy: String(at('strategy')) as StrategyName,
    prefetch: asNumber(at('prefetch'))!,
    hardware: String(at('hardware')),
    seed: asNumber(at('seed'))!,
    replication: asNumber(at('replication'))!,
    ...(at('parameter_value') === null ? {} : { parameterValue: asNumber(at('parameter_value'))! }),
    ok,
    ...(at('error') === null ? {} : { error: String(at('error')) }),
  };
  if (ok) {
    const metrics: Partial<Record<keyof TrialMetrics, number>> = {};
    for (const name of STORE_METRICS) {
      const value = asNumber(at(name));
      if (value !== undefined) metrics[name] = value;
    }
    result.metrics = metrics as TrialMetrics;
  }
  const text = at('extra');
  const extra = text === null ? null : (JSON.parse(String(text)) as Extra);
  return {
    key: String(at('key')),
    experiment: String(at('experiment')),
    index: asNumber(at('trial_index'))!,
    result: extra?.result ?? (extra ? Object.assign(result, extra) : result),
  };
}

/** One trial's row (see ResultsStore.append; `engineVersion`: the engine that ran it, default this one). */
export interface TrialRow {
  key: string;
  experiment: string;
  index: number;
  result: TrialResult;
  detail: StoreDetail;
  engineVersion?: string;
}

/** Append a trial's row, its columns in STORE_COLUMNS order. */
export function appendRow(a: DuckDBAppender, row: TrialRow): void {
  const { key, experiment, index, result, detail } = row;
  a.appendVarchar(key);
  a.appendVarchar(experiment);
  a.appendUBigInt(BigInt(index));
  a.appendVarchar(result.id);
  a.appendVarchar(result.workload);
  a.appendVarchar(result.strategy);
  a.appendInteger(result.prefetch);
  a.appendVarchar(result.hardware);
  a.appendBigInt(BigInt(result.seed));
  a.appendInteger(result.replication);
  if (result.parameterValue === undefined) a.appendNull();
  else a.appendDouble(result.parameterValue);
  a.appendVarchar(row.engineVersion ?? ENGINE_VERSION);
  a.appendBoolean(result.ok);
  if (result.error === undefined) a.appendNull();
  else a.appendVarchar(result.error);
  const metrics = result.metrics;
  for (const name of STORE_METRICS) {
    const value = metrics?.[name];
    if (value === undefined) a.appendNull();
    else a.appendDouble(value);
  }
  const extra = extraOf(result, detail);
  if (extra === null) a.appendNull();
  else a.appendVarchar(extra);
  a.endRow();
}
