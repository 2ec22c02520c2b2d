import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { expandDesign } from '../engine/experiment/design';
import { ENGINE_VERSION } from '../engine/experiment/trial';
import type { TrialResult } from '../engine/experiment/trial';
import { DEFAULT_SEED } from '../engine/reproduction/designs';
import { sweepBreakevens } from '../engine/experiment/sensitivity';
import { resolveTracePaths } from '../node/traceImport';
import { DEFAULT_FIGURE_SIZE, figureFileStem } from '../shared/figures/charts';
import { sensitivityFigureData } from '../shared/figures/sensitivity';
import type { ExperimentEntry, NotebookDocument } from '../shared/hostApi';
import { writeFigures } from './notebookFiles';
import type { NotebookFigure } from './notebookFiles';
import { resultsFile, summaryCsv, toJson, trialsCsv } from './outputs';
import type { ExperimentResults } from './outputs';
import { runDesigns } from './pool';
import type { RunExperimentsOptions } from './pool';
import { writeOutputFile } from './writeOutput';

const experimentsOf = (doc: NotebookDocument): ExperimentEntry[] =>
  doc.entries.filter((entry): entry is ExperimentEntry => entry.kind === 'experiment');

export { notebookFigures } from '../shared/figures/notebookFigures';

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
  doc: NotebookDocument,
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
