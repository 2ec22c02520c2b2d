import type { TrialResult } from '../../engine/experiment/trial';
import { variantName } from '../../engine/model/migration';
import type { PaperValues, ReproductionTable } from '../../engine/reproduction/paper';
import { figureFileStem } from '../figures/charts';
import { formatSwept } from '../figures/format';
import type { ExperimentEntry, NotebookDocument } from '../hostApi';
import { BREAKEVEN_EXPERIMENT_ID, notebookReproduction, PAPER_EXPERIMENT_ID } from '../notebook/reproduction';
import { pointSummaries } from '../notebook/summary';
import { summaryTable, summaryTableOf } from './summary';
import { cell, type Table, type TableCell } from './table';

/**
 * Every table of a notebook, as the app shows them: per experiment its trials and its summary
 * (mean and 95% interval per design point), and the paper's Tables 4-1 to 4-5 beside ours where
 * the notebook holds the reproduction. `accent-lab tables` writes them; the app copies each.
 */

const seconds = (value: number | undefined): TableCell =>
  value === undefined ? cell('—', null) : cell(value.toFixed(3), value);
const whole = (value: number | undefined): TableCell =>
  value === undefined ? cell('—', null) : cell(String(value), value);

/** One row per trial, in the order they ran: its design point, times in seconds, bytes, faults. */
export function trialsTable(results: readonly TrialResult[], id = 'trials', title = 'Trials'): Table {
  const swept = results.some((result) => result.parameterValue !== undefined);
  return {
    id,
    title,
    caption: 'one row per trial; times in simulated seconds',
    columns: [
      { key: 'workload', label: 'Workload', numeric: false },
      { key: 'strategy', label: 'Strategy', numeric: false },
      ...(swept ? [{ key: 'parameter', label: 'Parameter', numeric: true }] : []),
      { key: 'replication', label: 'Rep.', numeric: true },
      { key: 'endToEnd', label: 'End-to-end (s)', numeric: true },
      { key: 'remoteExec', label: 'Remote exec (s)', numeric: true },
      { key: 'transfer', label: 'Transfer (s)', numeric: true },
      { key: 'downtime', label: 'Downtime (s)', numeric: true },
      { key: 'sourceRelease', label: 'Source release (s)', numeric: true },
      { key: 'bytes', label: 'Bytes', numeric: true },
      { key: 'faults', label: 'Imag. faults', numeric: true },
      { key: 'error', label: 'Error', numeric: false },
    ],
    rows: results.map((result) => {
      const m = result.metrics;
      return [
        cell(result.workload),
        cell(variantName(result.strategy, result.prefetch)),
        ...(swept
          ? [
              result.parameterValue === undefined
                ? cell('—', null)
                : cell(formatSwept(result.parameterValue), result.parameterValue),
            ]
          : []),
        whole(result.replication),
        seconds(m?.endToEndSeconds),
        seconds(m?.remoteExecSeconds),
        seconds(m?.transferSeconds),
        seconds(m?.downtimeSeconds),
        seconds(m?.sourceReleaseSeconds),
        whole(m?.bytesTotal),
        whole(m?.imaginaryFaults),
        cell(result.ok ? '' : (result.error ?? 'failed')),
      ];
    }),
  };
}

/** One formatter for the paper's tables: at most three decimals, as the notebook shows them. */
const NUMBER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3, useGrouping: false });

/** A table of the reproduction report (Tables 4-1 to 4-5, the breakeven) as a shared table. */
export function paperTable(table: ReproductionTable): Table {
  return {
    id: table.id.replace(/_/g, '-'),
    title: table.title,
    ...(table.note ? { caption: table.note } : {}),
    columns: table.columns.map((label, index) => ({
      key: `c${index}`,
      label,
      numeric: table.rows.some((row) => typeof row[index] === 'number'),
    })),
    rows: table.rows.map((row) =>
      row.map((value) => (typeof value === 'number' ? cell(NUMBER.format(value), value) : cell(value))),
    ),
  };
}

/** The paper's tables the notebook shows (Tables 4-1 to 4-5 and the breakeven). */
const PAPER_TABLES = ['table4_1', 'table4_2', 'table4_3', 'table4_4', 'table4_5', 'breakeven'];

/** An experiment's trials and summary tables, their ids made from `stem`. */
export function experimentTables(entry: ExperimentEntry, stem: string): Table[] {
  const name = entry.design.name || entry.id;
  if (entry.summary) {
    // Its trials are in the store: the figure trials (a replication of each point) and the summary.
    const summary = entry.summary;
    return [
      {
        ...trialsTable(summary.figureTrials, `${stem}-trials`, `${name}: trials (first replication)`),
        caption: `the first replication of each design point; all ${summary.trials.toLocaleString('en-US')} trials are in the results store ${summary.store}; times in simulated seconds`,
      },
      { ...summaryTableOf(pointSummaries(summary)), id: `${stem}-summary`, title: `${name}: summary` },
    ];
  }
  return [
    trialsTable(entry.results, `${stem}-trials`, `${name}: trials`),
    { ...summaryTable(entry.results), id: `${stem}-summary`, title: `${name}: summary` },
  ];
}

const REPRODUCTION_IDS = [PAPER_EXPERIMENT_ID, BREAKEVEN_EXPERIMENT_ID];

/** The paper's tables beside the notebook's reproduction results; none without one. */
export function paperTables(doc: NotebookDocument, paper: PaperValues): Table[] {
  // A reproduction whose trials are summarized (in a store) has no paper tables here: the app says why.
  if (
    doc.entries.some(
      (entry) => entry.kind === 'experiment' && entry.summary && REPRODUCTION_IDS.includes(entry.id),
    )
  )
    return [];
  const report = notebookReproduction(doc.entries, paper);
  return (report?.tables ?? []).filter((table) => PAPER_TABLES.includes(table.id)).map(paperTable);
}

export function notebookTables(doc: NotebookDocument, paper?: PaperValues): Table[] {
  const tables: Table[] = [];
  const used = new Set<string>();
  const unique = (stem: string): string => {
    let name = stem;
    for (let n = 2; used.has(name); n += 1) name = `${stem}-${n}`;
    used.add(name);
    return name;
  };
  for (const entry of doc.entries) {
    if (entry.kind !== 'experiment' || (entry.results.length === 0 && !entry.summary)) continue;
    tables.push(...experimentTables(entry, unique(figureFileStem(entry.design.name || entry.id))));
  }
  if (paper) tables.push(...paperTables(doc, paper));
  return tables;
}
