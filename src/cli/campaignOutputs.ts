import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { studentTQuantile } from '../engine/experiment/statistics';
import { ENGINE_VERSION, TRIAL_METRIC_NAMES } from '../engine/experiment/trial';
import type { TrialResult } from '../engine/experiment/trial';
import { sweepBreakevens } from '../engine/experiment/sensitivity';
import { DEFAULT_SEED } from '../engine/reproduction/paper';
import type { ResultsStore } from '../node/resultsStore';
import { removeStaleTemporaries, temporaryPathFor, writeAll } from '../node/wholeFile';
import { INLINE_TRIALS } from '../shared/estimate';
import { DEFAULT_FIGURE_SIZE, figureFileStem } from '../shared/figures/charts';
import { markPartial } from '../shared/figures/partial';
import { sensitivityFigureData } from '../shared/figures/sensitivity';
import type { ExperimentEntry } from '../shared/hostApi';
import type { CampaignPlan } from './campaignPlan';
import type { CliIo } from './context';
import { writeFigures } from './notebookFiles';
import type { NotebookFigure } from './notebookFiles';
import { METRIC_COLUMNS, resultsFile, SUMMARY_CSV_COLUMNS, summaryCsv, toJson, trialsCsv } from './outputs';
import type { ExperimentResults } from './outputs';
import { writeOutputFile } from './writeOutput';
import { messageOf } from '../shared/messageOf';

// A campaign's outputs, written from its results store: trials.csv streamed in trial order,
// summary.csv, and results.json and figures for the experiments small enough to hold whole.

/**
 * Write a file from chunks, whole or not at all, as writeWholeFile does (every write looped until
 * all its bytes are down, flushed, its size checked, then renamed over the file), without holding
 * the whole text in memory.
 */
async function writeChunks(file: string, chunks: AsyncIterable<string>): Promise<void> {
  await removeStaleTemporaries(file);
  const temporary = temporaryPathFor(file);
  const handle = await open(temporary, 'wx', 0o666);
  let renamed = false;
  try {
    try {
      let length = 0;
      for await (const chunk of chunks) {
        const bytes = Buffer.from(chunk, 'utf8');
        await writeAll(handle, bytes, length, file);
        length += bytes.length;
      }
      await handle.sync();
      const { size } = await handle.stat();
      if (size !== length) throw new Error(`ENOSPC: no space left on device, write '${file}'`);
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
    renamed = true;
  } catch (error) {
    throw new Error(`cannot write ${file}: ${messageOf(error)}`, { cause: error });
  } finally {
    if (!renamed) await unlink(temporary).catch(() => undefined);
  }
}

/** An experiment of at most INLINE_TRIALS trials, its results held whole for results.json and figures. */
type SmallExperiment = ExperimentResults & { parameter?: string | undefined; entry: ExperimentEntry };

/**
 * trials.csv under `dir`: every stored trial of the plan, in trial order, streamed from the store.
 * Also how many trials of each experiment the store held, and the results of the experiments it
 * keeps whole (the small ones).
 */
async function writeTrialsCsv(
  plan: CampaignPlan,
  store: ResultsStore,
  dir: string,
): Promise<{ file: string; counts: Map<string, number>; kept: Map<string, TrialResult[]> }> {
  const counts = new Map<string, number>();
  const keepFor = new Set(plan.experiments.filter((e) => e.detail === 'whole').map((e) => e.entry.id));
  const kept = new Map<string, TrialResult[]>();
  async function* csvChunks(): AsyncGenerator<string> {
    let header = true;
    for (const experiment of plan.experiments) {
      const id = experiment.entry.id;
      let count = 0;
      const keep: TrialResult[] | null = keepFor.has(id) ? [] : null;
      const trials = experiment.trials;
      for await (const chunk of store.trialsByKeys(trials.length, (n) =>
        plan.key(experiment, trials.at(n)),
      )) {
        count += chunk.length;
        // A trial shared with another experiment was stored under that one's id.
        const results = chunk.map((row) => Object.assign(row.result, { id: trials.at(row.index).id }));
        keep?.push(...results);
        yield trialsCsv([{ name: id, results }], header);
        header = false;
      }
      if (header) {
        yield trialsCsv([{ name: id, results: [] }], true);
        header = false;
      }
      counts.set(id, count);
      if (keep) kept.set(id, keep);
    }
  }
  const file = join(dir, 'trials.csv');
  await writeChunks(file, csvChunks());
  return { file, counts, kept };
}

export interface CampaignOutputs {
  files: string[];
  /** Experiments whose trials the store does not all hold: their outputs are partial. */
  partial: { experiment: string; stored: number; total: number }[];
  breakevens: string[];
  notes: string[];
}

/**
 * Write a notebook's outputs from its store under `out`: trials.csv (every stored trial, in trial
 * order, streamed), summary.csv when trials repeat, and, for experiments of at most INLINE_TRIALS
 * trials, results.json and the sensitivity figures as `run` wrote them before the store.
 */
export async function writeCampaignOutputs(
  plan: CampaignPlan,
  store: ResultsStore,
  out: string,
): Promise<CampaignOutputs> {
  const dir = resolve(out);
  await mkdir(dir, { recursive: true });
  const outputs: CampaignOutputs = { files: [], partial: [], breakevens: [], notes: [] };
  const small: SmallExperiment[] = [];
  const { file: trialsFile, counts, kept } = await writeTrialsCsv(plan, store, dir);
  outputs.files.push(trialsFile);

  for (const experiment of plan.experiments) {
    const id = experiment.entry.id;
    const stored = counts.get(id) ?? 0;
    if (stored < experiment.trials.length) {
      outputs.partial.push({ experiment: id, stored, total: experiment.trials.length });
    }
    const results = kept.get(id);
    if (results) {
      const specs = Array.from({ length: experiment.trials.length }, (_, at) => experiment.trials.at(at));
      small.push({
        name: id,
        specs,
        results,
        parameter: experiment.entry.design.sensitivity?.parameter,
        entry: experiment.entry,
      });
    } else {
      outputs.notes.push(
        `${id}: ${experiment.trials.length.toLocaleString('en-US')} trials, more than ${INLINE_TRIALS.toLocaleString('en-US')}: ` +
          'trials.csv and summary.csv only (results.json and figures are for smaller experiments)',
      );
    }
  }
  if (small.length > 0) {
    const seed = plan.experiments[0]?.entry.design.seed ?? DEFAULT_SEED;
    const file = join(dir, 'results.json');
    await writeOutputFile(file, toJson(resultsFile(small, seed, ENGINE_VERSION)));
    outputs.files.push(file);
  }
  if (plan.experiments.some((experiment) => experiment.entry.design.repetitions > 1)) {
    const large = plan.experiments.filter((experiment) => !kept.has(experiment.entry.id));
    let text = summaryCsv(small);
    for (const experiment of large) text += await storeSummaryCsv(store, experiment.entry, text.length === 0);
    const file = join(dir, 'summary.csv');
    await writeOutputFile(file, text);
    outputs.files.push(file);
  }
  outputs.files.push(...(await writeSensitivityOutputs(small, outputs, dir)));
  return outputs;
}

/**
 * The sensitivity figures of the small experiments (marked partial when the store lacks trials),
 * written under `dir`; their breakevens go to `outputs`. Returns the files written.
 */
async function writeSensitivityOutputs(
  small: SmallExperiment[],
  outputs: CampaignOutputs,
  dir: string,
): Promise<string[]> {
  const sweeps: NotebookFigure[] = [];
  for (const experiment of small) {
    const sweep = experiment.entry.design.sensitivity;
    if (!sweep) continue;
    const partial = outputs.partial.find((part) => part.experiment === experiment.name);
    sweeps.push({
      name: `sensitivity-${figureFileStem(experiment.name)}`,
      data: markPartial(
        sensitivityFigureData(sweep, experiment.results),
        partial ? { done: partial.stored, total: partial.total } : null,
      ),
    });
    for (const found of sweepBreakevens(sweep, experiment.results)) {
      outputs.breakevens.push(
        `${experiment.name}, ${found.workload}: ${sweep.compare.join(' vs ')} on ${sweep.metric}: ${found.description}`,
      );
    }
  }
  return sweeps.length > 0 ? await writeFigures(sweeps, dir, DEFAULT_FIGURE_SIZE) : [];
}

/**
 * summary.csv rows of a large experiment, computed by the store (DuckDB's mean and sample
 * standard deviation over the ok trials of each design point; the interval with Student's t).
 */
async function storeSummaryCsv(
  store: ResultsStore,
  entry: ExperimentEntry,
  header: boolean,
): Promise<string> {
  const rows: (string | number)[][] = [];
  const metrics = METRIC_COLUMNS.filter((key) => (TRIAL_METRIC_NAMES as readonly string[]).includes(key));
  const select = metrics
    .map((key, at) => `count("${key}") AS n${at}, avg("${key}") AS m${at}, stddev_samp("${key}") AS s${at}`)
    .join(', ');
  const found = await store.query(
    `SELECT workload, strategy, prefetch, hardware, parameter_value, ${select} FROM trials ` +
      'WHERE experiment = $experiment AND ok GROUP BY ALL ORDER BY parameter_value NULLS FIRST, workload, strategy, prefetch, hardware',
    { experiment: entry.id },
  );
  const parameter = entry.design.sensitivity?.parameter ?? '';
  for (const row of found) {
    metrics.forEach((key, at) => {
      const n = Number(row[5 + at * 3]);
      if (n === 0) return;
      const mean = Number(row[6 + at * 3]);
      const sd = n > 1 ? Number(row[7 + at * 3]) : 0;
      const half = n > 1 ? (studentTQuantile(0.975, n - 1) * sd) / Math.sqrt(n) : NaN;
      const value = row[4] === null ? '' : Number(row[4]);
      rows.push([
        entry.id,
        String(row[0]),
        String(row[1]),
        Number(row[2]),
        String(row[3]),
        value === '' ? '' : parameter,
        value,
        key,
        n,
        mean,
        sd,
        Number.isFinite(half) ? mean - half : '',
        Number.isFinite(half) ? mean + half : '',
      ]);
    });
  }
  return stringify(rows, { header, columns: [...SUMMARY_CSV_COLUMNS] });
}

/** Say what a command wrote, which experiments are partial, and any breakevens. */
export function reportOutputs(
  io: CliIo,
  command: string,
  outputs: Awaited<ReturnType<typeof writeCampaignOutputs>>,
): void {
  for (const part of outputs.partial) {
    io.stderr.write(
      `${command}: ${part.experiment} is partial: ${part.stored.toLocaleString('en-US')} of ` +
        `${part.total.toLocaleString('en-US')} trials in the store\n`,
    );
  }
  for (const note of outputs.notes) io.stderr.write(`${command}: ${note}\n`);
  for (const line of outputs.breakevens) io.stdout.write(`${line}\n`);
  io.stderr.write(`${command}: wrote ${outputs.files.join(', ')}\n`);
}
