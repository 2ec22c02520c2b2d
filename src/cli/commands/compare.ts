import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_FIGURE_SIZE } from '../../shared/figures/charts';
import {
  COMPARE_METRICS,
  comparisonBasis,
  experimentsFigure,
  type CompareMetricKey,
  type ComparedExperiment,
} from '../../shared/figures/compareExperiments';
import { FIGURE_FORMATS, isFigureFormat, type FigureFormat } from '../../shared/figures/export';
import type { ExperimentEntry, NotebookDocument } from '../../shared/hostApi';
import type { StoredPairs, StoredPairsAnswer, StoredSide } from '../../shared/figures/storedPairs';
import { experimentCounts } from '../../shared/notebook/summary';
import { readOnlyStores, readStoredPairs } from '../../node/storedPairs';
import { pairedDifferenceTable } from '../../shared/tables/pairedDifferences';
import { formatTable, TABLE_EXTENSIONS, TABLE_FORMATS, type TableFormat } from '../../shared/tables/table';
import type { CommandContext } from '../context';
import { loadNotebook, writeFigures } from '../notebookFiles';
import { parsePixels, parseScale, UsageError } from '../options';
import { writeOutputFile } from '../writeOutput';

interface CompareCliOptions {
  experiments: string;
  out: string;
  metric: string;
  format: FigureFormat;
  tableFormat: TableFormat;
  log: boolean;
  width: number;
  height: number;
  scale: number;
}

const METRIC_KEYS = COMPARE_METRICS.map((metric) => metric.key);

/**
 * The experiments `--experiments` names (entry ids or design names, comma-separated), in that
 * order: the first is the baseline. Each must name exactly one experiment with results (its
 * trials, or a summarized experiment's summary: compared from that).
 */
export function pickExperiments(doc: NotebookDocument, list: string): ComparedExperiment[] {
  const names = list
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
  if (names.length < 2) throw new UsageError('--experiments needs two experiments or more, comma-separated');
  const experiments = doc.entries.filter((entry): entry is ExperimentEntry => entry.kind === 'experiment');
  const known = experiments.map((entry) => `${entry.id} ("${entry.design.name}")`).join(', ');
  const picked = names.map((name) => {
    const byId = experiments.filter((entry) => entry.id === name);
    const matches = byId.length > 0 ? byId : experiments.filter((entry) => entry.design.name === name);
    if (matches.length === 0)
      throw new UsageError(`no experiment has the id or name "${name}"; the notebook has ${known || 'none'}`);
    if (matches.length > 1)
      throw new UsageError(`${matches.length} experiments are named "${name}": give its id (${known})`);
    const entry = matches[0]!;
    if (experimentCounts(entry).ok === 0)
      throw new UsageError(`experiment "${name}" has no finished trial to compare`);
    return entry;
  });
  if (new Set(picked.map((entry) => entry.id)).size !== picked.length)
    throw new UsageError('--experiments names one experiment twice');
  const twice = (entry: ExperimentEntry): boolean =>
    picked.filter((other) => other.design.name === entry.design.name).length > 1;
  return picked.map((entry) => ({
    id: entry.id,
    name: twice(entry) ? `${entry.design.name} (${entry.id})` : entry.design.name || entry.id,
    results: entry.results,
    ...(entry.summary ? { summary: entry.summary } : {}),
  }));
}

/**
 * The summarized experiments paired with a summarized baseline from their results stores (see
 * shared/figures/storedPairs.ts): none when the baseline or every other is inline.
 */
export async function storedPairsOf(
  doc: NotebookDocument,
  notebookPath: string,
  experiments: readonly ComparedExperiment[],
): Promise<StoredPairsAnswer[]> {
  const side = (experiment: ComparedExperiment): StoredSide | null => {
    const entry = doc.entries.find((found) => found.kind === 'experiment' && found.id === experiment.id);
    if (!entry || entry.kind !== 'experiment' || !entry.summary) return null;
    return {
      id: entry.id,
      design: entry.design,
      engineVersion: entry.engineVersion,
      store: entry.summary.store,
    };
  };
  const [first, ...rest] = experiments;
  const baseline = first ? side(first) : null;
  const others = rest.map(side).filter((found): found is StoredSide => found !== null);
  if (!baseline || others.length === 0) return [];
  return readStoredPairs({ notebookPath: resolve(notebookPath), baseline, others }, readOnlyStores);
}

/** `accent-lab compare`: experiments of a notebook side by side, as the app's Compare experiments shows them. */
export function registerCompare(program: Command, context: CommandContext): void {
  const { io } = context;
  program
    .command('compare')
    .description(
      "Compare experiments of a notebook as the app's Compare experiments does: per metric, a figure with " +
        "a bar per experiment at every design point, and a table of each experiment's difference to the " +
        "first (mean, 95% interval, p; paired t where the replications ran the same process, Welch's t " +
        'where they cannot be paired; two summarized experiments paired from their results stores where their ' +
        "seeds pair, else Welch's t from their summaries)",
    )
    .argument('<notebook>', 'notebook file (.accentlab)')
    .requiredOption(
      '--experiments <list>',
      'experiment ids or design names, comma-separated; the first is the baseline',
    )
    .requiredOption('--out <dir>', 'output folder, created if missing')
    .option('--metric <metric>', `one of ${METRIC_KEYS.join(', ')}, or all`, 'all')
    .option(
      '--format <format>',
      `figure format, one of ${FIGURE_FORMATS.join(', ')}`,
      (value: string) => {
        if (!isFigureFormat(value))
          throw new UsageError(`--format must be one of ${FIGURE_FORMATS.join(', ')} (got "${value}")`);
        return value;
      },
      'png' as FigureFormat,
    )
    .option(
      '--table-format <format>',
      `table format, one of ${TABLE_FORMATS.join(', ')}`,
      (value: string) => {
        if (!(TABLE_FORMATS as readonly string[]).includes(value))
          throw new UsageError(`--table-format must be one of ${TABLE_FORMATS.join(', ')} (got "${value}")`);
        return value as TableFormat;
      },
      'csv' as TableFormat,
    )
    .option('--log', 'draw the figures on a logarithmic scale', false)
    .option('--width <px>', 'figure width in pixels', parsePixels, DEFAULT_FIGURE_SIZE.width)
    .option('--height <px>', 'figure height in pixels', parsePixels, DEFAULT_FIGURE_SIZE.height)
    .option('--scale <s>', 'device pixels per pixel (PNG only)', parseScale, 1)
    .action(async (notebook: string, options: CompareCliOptions) => {
      if (options.metric !== 'all' && !(METRIC_KEYS as readonly string[]).includes(options.metric))
        throw new UsageError(
          `--metric must be one of ${METRIC_KEYS.join(', ')}, or all (got "${options.metric}")`,
        );
      const doc = await loadNotebook(notebook);
      const experiments = pickExperiments(doc, options.experiments);
      const answers = await storedPairsOf(doc, notebook, experiments);
      const stored: StoredPairs[] = answers.flatMap((answer) => (answer.pairs ? [answer.pairs] : []));
      const metrics = (options.metric === 'all' ? METRIC_KEYS : [options.metric]) as CompareMetricKey[];
      const figures = metrics.map((metric) => ({
        name: `compare-${metric}`,
        data: experimentsFigure(experiments, metric, { logarithmic: options.log }),
        entryId: experiments[0]!.id,
      }));
      const files = await writeFigures(figures, options.out, options, options.format);
      for (const metric of metrics) {
        const table = pairedDifferenceTable(experiments, metric, stored);
        const file = join(options.out, `${table.id}.${TABLE_EXTENSIONS[options.tableFormat]}`);
        await writeOutputFile(file, formatTable(table, options.tableFormat));
        files.push(file);
      }
      io.stderr.write(
        `compare: ${experiments.map((experiment) => experiment.name).join(' against ')}; ` +
          `based on ${comparisonBasis(experiments, answers).join('; ')}; wrote ${files.length} files to ${options.out}\n`,
      );
      for (const file of files) io.stdout.write(`${file}\n`);
    });
}
