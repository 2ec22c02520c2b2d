import type { TrialResult } from '../../../engine/experiment/trial';
import { ignoresPrefetch } from '../../../engine/model/migration';
import { formatBytes } from '../charts/setup';

// The results table's columns (./ResultsTable.vue): what each shows of a trial, and how it sorts.

export type Value = string | number | null;
export interface Column {
  key: string;
  label: string;
  numeric: boolean;
  value: (result: TrialResult) => Value;
  format?: (value: number) => string;
}

const seconds = (value: number): string => value.toFixed(3);
/** One formatter for every integer cell: `toLocaleString()` builds a new one per call. */
const INTEGER = new Intl.NumberFormat();
export const integer = (value: number): string => INTEGER.format(value);
export const COLUMNS: Column[] = [
  { key: 'workload', label: 'Workload', numeric: false, value: (r) => r.workload },
  { key: 'strategy', label: 'Strategy', numeric: false, value: (r) => r.strategy },
  {
    key: 'prefetch',
    label: 'Prefetch',
    numeric: true,
    value: (r) => (ignoresPrefetch(r.strategy) ? null : r.prefetch),
  },
  { key: 'replication', label: 'Rep.', numeric: true, value: (r) => r.replication },
  {
    key: 'endToEnd',
    label: 'End-to-end (s)',
    numeric: true,
    value: (r) => r.metrics?.endToEndSeconds ?? null,
    format: seconds,
  },
  {
    key: 'remoteExec',
    label: 'Remote exec (s)',
    numeric: true,
    value: (r) => r.metrics?.remoteExecSeconds ?? null,
    format: seconds,
  },
  {
    key: 'transfer',
    label: 'Transfer (s)',
    numeric: true,
    value: (r) => r.metrics?.transferSeconds ?? null,
    format: seconds,
  },
  {
    key: 'bytes',
    label: 'Bytes',
    numeric: true,
    value: (r) => r.metrics?.bytesTotal ?? null,
    format: formatBytes,
  },
  {
    key: 'faults',
    label: 'Imag. faults',
    numeric: true,
    value: (r) => r.metrics?.imaginaryFaults ?? null,
    format: integer,
  },
  {
    key: 'messageTime',
    label: 'Message time (s)',
    numeric: true,
    value: (r) => (r.metrics ? r.metrics.messageSecondsSource + r.metrics.messageSecondsDest : null),
    format: seconds,
  },
  {
    key: 'downtime',
    label: 'Downtime (s)',
    numeric: true,
    value: (r) => r.metrics?.downtimeSeconds ?? null,
    format: seconds,
  },
  {
    key: 'sourceRelease',
    label: 'Source released (s)',
    numeric: true,
    value: (r) => r.metrics?.sourceReleaseSeconds ?? null,
    format: seconds,
  },
  {
    key: 'resent',
    label: 'Pages re-sent',
    numeric: true,
    value: (r) => r.metrics?.pagesResent ?? null,
    format: integer,
  },
  {
    key: 'lost',
    label: 'Lost',
    numeric: false,
    value: (r) => (r.metrics?.processLost === undefined ? null : r.metrics.processLost ? 'lost' : 'no'),
  },
];
/** The columns a failed trial's error spans (all but the first four, which name the trial). */
export const METRIC_COLUMNS = COLUMNS.length - 4;

/** Sort order of two cells' values: numbers by size, text naturally; empty cells last. */
export function compareValues(a: Value, b: Value): number {
  if (a === b) return 0;
  if (a === null) return 1; // empty cells last, whichever the direction
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}

/** A cell's text: its value formatted, or a dash when it is empty. */
export function cell(column: Column, result: TrialResult): string {
  const value = column.value(result);
  if (value === null) return '—';
  if (typeof value === 'number' && column.format) return column.format(value);
  return String(value);
}
