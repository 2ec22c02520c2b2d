import Table from 'cli-table3';
import { fidelityHeadline } from '../engine/reproduction/paper';
import type { FidelityEntry, ReproductionReport, ReproductionTable } from '../engine/reproduction/paper';

const integers = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const large = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const medium = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });
const small = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 });

/**
 * A number for people: integers with thousands separators, others with a precision that suits
 * their size (1 decimal from 100, 3 decimals from 1, 3 significant digits below). Files keep the
 * full values; this is for the terminal only.
 */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return integers.format(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return large.format(value);
  if (magnitude >= 1) return medium.format(value);
  return small.format(value);
}

export function formatCell(value: string | number): string {
  return typeof value === 'number' ? formatNumber(value) : value;
}

/** Plain tables: no colour codes, so the output reads the same in a terminal, a pipe or a file. */
function newTable(head: string[]): Table.Table {
  return new Table({ head, style: { head: [], border: [], compact: true } });
}

export function renderTable(table: ReproductionTable): string {
  const out = newTable(table.columns);
  for (const row of table.rows) {
    out.push(
      row.map((value) =>
        typeof value === 'number'
          ? { content: formatNumber(value), hAlign: 'right' as const }
          : { content: value, hAlign: 'left' as const },
      ),
    );
  }
  const lines = [table.title, out.toString()];
  if (table.note) lines.push(`Note: ${table.note}`);
  return lines.join('\n');
}

const share = (value: number | undefined): string =>
  value === undefined ? '-' : `${Math.round(100 * value)}%`;

export function renderFidelity(entries: readonly FidelityEntry[]): string {
  const out = newTable([
    'Check',
    'Tier',
    'Paper',
    'Ours (mean)',
    'Tolerance',
    'Result',
    'Reps held',
    'Seeds held',
  ]);
  for (const entry of entries) {
    out.push([
      entry.name,
      entry.tier,
      { content: formatCell(entry.paper), hAlign: 'right' as const },
      { content: formatCell(entry.ours), hAlign: 'right' as const },
      entry.tolerance,
      entry.pass ? 'PASS' : 'MISS',
      { content: share(entry.replicationShare), hAlign: 'right' as const },
      {
        content: entry.seedShare === undefined ? '-' : `${share(entry.seedShare)} of ${entry.seeds}`,
        hAlign: 'right' as const,
      },
    ]);
  }
  return [
    'Fidelity to the paper (judged on the mean over replications)',
    out.toString(),
    fidelitySummary(entries),
  ].join('\n');
}

export function fidelitySummary(entries: readonly FidelityEntry[]): string {
  return `fidelity: ${fidelityHeadline(entries)}`;
}

/** Every table (title above each), then the fidelity list and its summary line. */
export function renderReport(report: ReproductionReport): string {
  return [...report.tables.map(renderTable), renderFidelity(report.fidelity)].join('\n\n') + '\n';
}
