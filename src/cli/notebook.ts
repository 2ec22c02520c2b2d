import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { expandDesign } from '../engine/experiment/design';
import { ENGINE_VERSION } from '../engine/experiment/trial';
import type { TrialResult } from '../engine/experiment/trial';
import { DEFAULT_SEED } from '../engine/reproduction/designs';
import { sweepBreakevens } from '../engine/experiment/sensitivity';
import { resolveTracePaths } from '../node/traceImport';
import { DEFAULT_FIGURE_SIZE, figureData, figureFileStem } from '../shared/figures/charts';
import { sensitivityFigureData } from '../shared/figures/sensitivity';
import { markPartial, partialOf } from '../shared/figures/partial';
import type { FigureSpec } from '../shared/figures/spec';
import type { ExperimentEntry, ProjectDocument } from '../shared/hostApi';
import { writeFigures } from './notebookFiles';
import type { NotebookFigure } from './notebookFiles';
import { resultsFile, summaryCsv, toJson, trialsCsv } from './outputs';
import type { ExperimentResults } from './outputs';
import { runDesigns } from './pool';
import type { RunExperimentsOptions } from './pool';
import { writeOutputFile } from './writeOutput';

const experimentsOf = (doc: ProjectDocument): ExperimentEntry[] =>
  doc.entries.filter((entry): entry is ExperimentEntry => entry.kind === 'experiment');

/** Default figures of an experiment that has none in the notebook. */
const DEFAULT_FIGURES: FigureSpec[] = [{ kind: 'bytes' }, { kind: 'message-time' }, { kind: 'end-to-end' }];

/**
 * Every figure of a notebook: its figure entries, in order; an experiment without a figure entry
 * gets the bytes, message-time and end-to-end comparisons; a sensitivity sweep also its sweep figure.
 */
export function notebookFigures(doc: ProjectDocument): NotebookFigure[] {
  const experiments = new Map(experimentsOf(doc).map((entry) => [entry.id, entry]));
  const figures: NotebookFigure[] = [];
  const drawn = new Set<string>();
  for (const entry of doc.entries) {
    if (entry.kind !== 'figure') continue;
    const experiment = experiments.get(entry.experimentId);
    if (!experiment) continue;
    drawn.add(experiment.id);
    const partial = partialOf(experiment.design, experiment.results);
    const data = markPartial(figureData(entry.figure, experiment.results), partial);
    const stem = figureFileStem(data.title);
    figures.push({ name: stem.startsWith(entry.id) ? stem : `${entry.id}-${stem}`, data });
  }
  for (const experiment of experiments.values()) {
    // A figure of an experiment that did not run whole says "partial: k of n trials".
    const partial = partialOf(experiment.design, experiment.results);
    // A sensitivity sweep's own figure, with its breakeven, whatever else the notebook draws.
    const sweep = experiment.design.sensitivity;
    if (sweep && experiment.results.some((result) => result.ok)) {
      figures.push({
        name: `sensitivity-${figureFileStem(experiment.id)}`,
        data: markPartial(sensitivityFigureData(sweep, experiment.results), partial),
      });
    }
    if (drawn.has(experiment.id)) continue;
    for (const spec of DEFAULT_FIGURES) {
      const data = markPartial(figureData(spec, experiment.results), partial);
      figures.push({ name: `${experiment.id}-${figureFileStem(data.title)}`, data });
    }
  }
  return figures;
}

export interface NotebookRun {
  cancelled: boolean;
  failed: TrialResult[];
  files: string[];
  /** One line per sensitivity sweep and workload: "experiment-1, Minprog: breakeven at ...". */
  breakevens: string[];
}

/**
 * `accent-lab run`: run every experiment of a notebook headless; write trials.csv and results.json,
 * summary.csv when an experiment repeats its trials, and each sensitivity sweep's figure (PNG and
 * CSV) with its breakeven.
 */
export async function runNotebook(
  doc: ProjectDocument,
  out: string,
  options: RunExperimentsOptions,
): Promise<NotebookRun> {
  const experiments = experimentsOf(doc);
  const specs = experiments.map((entry) =>
    resolveTracePaths(expandDesign(entry.design), options.baseDirectory ?? process.cwd()),
  );
  const { results, cancelled } = await runDesigns(specs, options);
  const outcome: NotebookRun = {
    cancelled,
    failed: results.flat().filter((r) => !r.ok),
    files: [],
    breakevens: [],
  };
  if (cancelled) return outcome;
  const named: (ExperimentResults & { parameter?: string | undefined })[] = experiments.map(
    (entry, index) => ({
      name: entry.id,
      specs: specs[index]!,
      results: results[index]!,
      parameter: entry.design.sensitivity?.parameter,
    }),
  );
  const dir = resolve(out);
  await mkdir(dir, { recursive: true });
  const seed = experiments[0]?.design.seed ?? DEFAULT_SEED;
  for (const [name, text] of [
    ['trials.csv', trialsCsv(named)],
    ['results.json', toJson(resultsFile(named, seed, ENGINE_VERSION))],
  ] as const) {
    const file = join(dir, name);
    await writeOutputFile(file, text);
    outcome.files.push(file);
  }
  if (experiments.some((entry) => entry.design.repetitions > 1)) {
    const file = join(dir, 'summary.csv');
    await writeOutputFile(file, summaryCsv(named));
    outcome.files.push(file);
  }
  const sweeps: NotebookFigure[] = [];
  experiments.forEach((entry, index) => {
    const sweep = entry.design.sensitivity;
    if (!sweep) return;
    sweeps.push({
      name: `sensitivity-${figureFileStem(entry.id)}`,
      data: sensitivityFigureData(sweep, results[index]!),
    });
    for (const found of sweepBreakevens(sweep, results[index]!)) {
      outcome.breakevens.push(
        `${entry.id}, ${found.workload}: ${sweep.compare.join(' vs ')} on ${sweep.metric}: ${found.description}`,
      );
    }
  });
  if (sweeps.length > 0) outcome.files.push(...(await writeFigures(sweeps, dir, DEFAULT_FIGURE_SIZE)));
  return outcome;
}
