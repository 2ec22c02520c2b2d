import { mkdir, readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { expandDesign } from '../engine/experiment/design';
import { ENGINE_VERSION } from '../engine/experiment/trial';
import type { TrialResult, TrialSpec } from '../engine/experiment/trial';
import { DEFAULT_SEED } from '../engine/reproduction/paper';
import { DEFAULT_TRIAL_TIMEOUT_MS, EnginePool, isCancelled } from '../node/enginePool';
import { renderFigurePng } from '../node/figureRenderer';
import { resolveTracePaths } from '../node/traceImport';
import type { FigureSize } from '../node/figureRenderer';
import { currentProvenance, deserializeProject, serializeProject } from '../node/projectFile';
import { DEFAULT_FIGURE_SIZE, figureCsv, figureData, figureFileStem } from '../shared/figures/charts';
import { sensitivityFigureData } from '../shared/figures/sensitivity';
import { sweepBreakevens } from '../engine/experiment/sensitivity';
import type { FigureData } from '../shared/figures/charts';
import { downsampleSeries } from '../shared/figures/series';
import type { FigureSpec } from '../shared/figures/spec';
import type { ExperimentEntry, NotebookEntry, ProjectDocument } from '../shared/hostApi';
import {
  BREAKEVEN_EXPERIMENT_ID,
  breakevenDesign,
  PAPER_EXPERIMENT_ID,
  PAPER_FIGURES,
  paperDesign,
} from '../shared/project/reproduction';
import {
  BEYOND_EXPERIMENTS,
  BEYOND_FIGURES,
  BEYOND_PREFETCH,
  beyondDesign,
} from '../shared/project/beyond1987';
import { resultsFile, summaryCsv, toJson, trialsCsv } from './outputs';
import type { ExperimentResults } from './outputs';
import { defaultWorkerFile, packageVersion } from './packageRoot';
import { writeOutputFile } from './writeOutput';

/** A notebook file, upgraded to the current format and validated. */
export async function loadNotebook(file: string): Promise<ProjectDocument> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  return deserializeProject(text, basename(file), packageVersion());
}

const experimentsOf = (doc: ProjectDocument): ExperimentEntry[] =>
  doc.entries.filter((entry): entry is ExperimentEntry => entry.kind === 'experiment');

export interface NotebookFigure {
  /** File stem: "figure-4-1-remote-execution-times". */
  name: string;
  data: FigureData;
}

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
    const data = figureData(entry.figure, experiment.results);
    const stem = figureFileStem(data.title);
    figures.push({ name: stem.startsWith(entry.id) ? stem : `${entry.id}-${stem}`, data });
  }
  for (const experiment of experiments.values()) {
    // A sensitivity sweep's own figure, with its breakeven, whatever else the notebook draws.
    const sweep = experiment.design.sensitivity;
    if (sweep && experiment.results.some((result) => result.ok)) {
      figures.push({
        name: `sensitivity-${figureFileStem(experiment.id)}`,
        data: sensitivityFigureData(sweep, experiment.results),
      });
    }
    if (drawn.has(experiment.id)) continue;
    for (const spec of DEFAULT_FIGURES) {
      const data = figureData(spec, experiment.results);
      figures.push({ name: `${experiment.id}-${figureFileStem(data.title)}`, data });
    }
  }
  return figures;
}

/** Write figures as PNG (and their data as CSV) under `out`; returns the files written. */
export async function writeFigures(
  figures: readonly NotebookFigure[],
  out: string,
  size: FigureSize,
): Promise<string[]> {
  const dir = resolve(out);
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  for (const figure of figures) {
    const png = join(dir, `${figure.name}.png`);
    await writeOutputFile(png, renderFigurePng(figure.data, size));
    const csv = join(dir, `${figure.name}.csv`);
    await writeOutputFile(csv, figureCsv(figure.data));
    files.push(png, csv);
  }
  return files;
}

export interface RunExperimentsOptions {
  workers: number;
  /** A trial's time budget (default DEFAULT_TRIAL_TIMEOUT_MS); a trial over it fails. */
  trialTimeoutMs?: number;
  signal?: AbortSignal;
  onTrialDone?: (result: TrialResult, done: number, total: number) => void;
  workerFile?: string | URL;
  /** Folder that relative trace paths are relative to (the notebook's). */
  baseDirectory?: string;
}

/** Run designs on an EnginePool; results per design, in spec order. */
export async function runDesigns(
  specsByExperiment: readonly TrialSpec[][],
  options: RunExperimentsOptions,
): Promise<{ results: TrialResult[][]; cancelled: boolean }> {
  const all = specsByExperiment.flat();
  const pool = new EnginePool({
    workerFile: options.workerFile ?? defaultWorkerFile(),
    workers: Math.max(1, Math.min(options.workers, all.length)),
    trialTimeoutMs: options.trialTimeoutMs ?? DEFAULT_TRIAL_TIMEOUT_MS,
  });
  let flat: TrialResult[];
  try {
    flat = await pool.runAll(all, {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onTrialDone ? { onTrialDone: options.onTrialDone } : {}),
    });
  } finally {
    await pool.close();
  }
  const results: TrialResult[][] = [];
  let at = 0;
  for (const specs of specsByExperiment) {
    results.push(flat.slice(at, at + specs.length));
    at += specs.length;
  }
  return { results, cancelled: flat.some(isCancelled) };
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

/** Bins kept per stored byte-rate series in the built-in notebook (keeps the file small). */
export const NOTEBOOK_SERIES_BINS = 300;

const slim = (results: readonly TrialResult[]): TrialResult[] =>
  results.map((result) =>
    result.series ? { ...result, series: downsampleSeries(result.series, NOTEBOOK_SERIES_BINS) } : result,
  );

const INTRO = `# Reproducing Zayas 1987

This notebook holds the evaluation of Edward Zayas, *Attacking the Process Migration Bottleneck*
(SOSP 1987, section 4), run on the lab's model of Accent: the seven representative processes under
pure-copy, pure-IOU (copy-on-reference) and resident-set transfer at prefetch 0, 1, 3, 7 and 15
(77 trials), and the breakeven sweep of section 4.3.4.

The results are stored, so the tables and figures below are drawn without running anything. Edit a
design in the **Design** tab and run it to compare; re-running a stored experiment with its stored
seed gives identical results. Every constant of the \`perq-1987\` hardware preset is documented in
\`docs/model.md\`.`;

const TABLES_NOTE = `## The paper's tables

Under the experiment below, Tables 4-1 to 4-5 show the paper's published values beside ours, with
the relative error. Tables 4-1 and 4-2 are sizes the workloads are built to match exactly; Table 4-3
is how much of each address space is shipped without prefetch; Table 4-4 the excision times (within
15%); Table 4-5 the RIMAS transfer times per strategy (within 10%).`;

const FIGURES_NOTE = `## Figures 4-1 to 4-5

The paper's figures, regenerated from the stored results. Pure-copy is grey, pure-IOU blue and the
resident-set strategy orange, darker with more prefetch. The byte-rate figure draws the stored
series, downsampled to at most ${NOTEBOOK_SERIES_BINS} intervals per trial with the bytes kept.`;

const BREAKEVEN_NOTE = `## Breakeven (section 4.3.4)

A synthetic process with 300 KB of RealMem touches a growing share of it after migration. Pure-IOU
wins while few pages are touched; the paper puts the breakeven near 25% of RealMem touched.`;

/** The built-in notebook from the two experiments' results (deterministic: no dates, no paths). */
export function reproductionNotebook(
  paperResults: readonly TrialResult[],
  breakevenResults: readonly TrialResult[],
  seed: number,
): ProjectDocument {
  const entries: NotebookEntry[] = [
    { kind: 'note', id: 'introduction', markdown: INTRO },
    { kind: 'note', id: 'tables', markdown: TABLES_NOTE },
    {
      kind: 'experiment',
      id: PAPER_EXPERIMENT_ID,
      design: paperDesign(seed),
      results: slim(paperResults),
      engineVersion: ENGINE_VERSION,
    },
    { kind: 'note', id: 'figures', markdown: FIGURES_NOTE },
    ...PAPER_FIGURES.map((figure): NotebookEntry => ({
      kind: 'figure',
      id: figure.id,
      experimentId: PAPER_EXPERIMENT_ID,
      figure: figure.figure,
      caption: figure.caption,
    })),
    { kind: 'note', id: 'breakeven-note', markdown: BREAKEVEN_NOTE },
    {
      kind: 'experiment',
      id: BREAKEVEN_EXPERIMENT_ID,
      design: breakevenDesign(seed),
      results: slim(breakevenResults),
      engineVersion: ENGINE_VERSION,
    },
    {
      kind: 'figure',
      id: 'figure-breakeven',
      experimentId: BREAKEVEN_EXPERIMENT_ID,
      figure: { kind: 'end-to-end', title: 'Breakeven: end-to-end time by share of RealMem touched' },
      caption: 'Pure-copy against pure-IOU for the synthetic process, by the share of its RealMem touched.',
    },
  ];
  return {
    formatVersion: 3,
    name: 'Reproduce Zayas 1987',
    provenance: currentProvenance(packageVersion()),
    entries,
  };
}

/** `accent-lab make-notebook`: run both experiments and write the built-in notebook. */
export async function makeReproductionNotebook(
  file: string,
  options: RunExperimentsOptions & { seed: number },
): Promise<{ cancelled: boolean; failed: TrialResult[]; bytes: number }> {
  const specs = [expandDesign(paperDesign(options.seed)), expandDesign(breakevenDesign(options.seed))];
  const { results, cancelled } = await runDesigns(specs, options);
  const failed = results.flat().filter((r) => !r.ok);
  if (cancelled || failed.length > 0) return { cancelled, failed, bytes: 0 };
  const bytes = await writeNotebookFile(file, reproductionNotebook(results[0]!, results[1]!, options.seed));
  return { cancelled: false, failed: [], bytes };
}

/** Write a generated notebook atomically, its folder made if need be; returns its size in bytes. */
export async function writeNotebookFile(file: string, doc: ProjectDocument): Promise<number> {
  const text = serializeProject(doc);
  await mkdir(dirname(resolve(file)), { recursive: true });
  await writeOutputFile(resolve(file), text);
  return Buffer.byteLength(text);
}

const BEYOND_INTRO = `# Beyond 1987

Today's migration systems use strategies the paper never had: iterative **pre-copy** (the V system,
Xen and QEMU live migration), **post-copy** with active push and adaptive pre-paging (QEMU
post-copy, CRIU lazy pages, Hines and Gopalan), a **hybrid** of the two, and **Sprite**'s flush of
dirty pages to a file server. Here they run in the same engine as the paper's pure-copy, pure-IOU and
resident-set strategies, on the same seven representatives, once on the 1987 Perq and once on
current servers with 1 Gb/s Ethernet and 4 KiB pages.

Besides the paper's metrics, each trial measures its **downtime** (the process frozen), the **total
migration time**, the pages **re-sent**, when the **source can be released**, and the **residual
dependency** on it. The loss-risk figures turn the release times into the chance that a crash of the
source loses the process. The model and its assumptions (write shares, what a crash loses) are in
\`docs/model.md\`, section "Beyond 1987". Strategies that fault pages in use prefetch ${BEYOND_PREFETCH}; the defaults
of the strategy options apply (at most 30 pre-copy rounds, stop at 50 dirty pages, 1 hybrid round,
8 pages per push).`;

const BEYOND_HARDWARE_NOTE = (title: string): string => `## On ${title}`;

const BEYOND_READING = `## Reading the two eras

On the Perq a page costs about 24 ms to ship, so copying a large address space takes longer than
most of the processes run: pre-copy's first round is still going when Lisp-Del or Minprog would
have finished, and those processes simply finish at the source. On current hardware a round takes
milliseconds, the dirty set after it is small, and pre-copy's downtime falls below a millisecond
while the source is freed as soon as the copy ends. Post-copy always has the shortest freeze, but
leaves the process depending on the source until the last owed page is pushed; the loss-risk chart
shows that window. Pure-IOU's dependency lasts as long as the process runs.`;

/** The "Beyond 1987" notebook from its experiments' results (deterministic: no dates, no paths). */
export function beyondNotebook(resultsByExperiment: readonly TrialResult[][], seed: number): ProjectDocument {
  const entries: NotebookEntry[] = [{ kind: 'note', id: 'introduction', markdown: BEYOND_INTRO }];
  BEYOND_EXPERIMENTS.forEach((experiment, index) => {
    entries.push({
      kind: 'note',
      id: `${experiment.id}-note`,
      markdown: BEYOND_HARDWARE_NOTE(experiment.title),
    });
    entries.push({
      kind: 'experiment',
      id: experiment.id,
      design: beyondDesign(experiment.hardware, seed),
      results: slim(resultsByExperiment[index]!),
      engineVersion: ENGINE_VERSION,
    });
    for (const figure of BEYOND_FIGURES) {
      const title = `${experiment.hardware.name}: ${figure.title}`;
      entries.push({
        kind: 'figure',
        id: figureFileStem(title),
        experimentId: experiment.id,
        figure: { kind: figure.kind, title },
        caption: figure.caption,
      });
    }
  });
  entries.push({ kind: 'note', id: 'reading', markdown: BEYOND_READING });
  return {
    formatVersion: 3,
    name: 'Beyond 1987',
    provenance: currentProvenance(packageVersion()),
    entries,
  };
}

/** The built-in notebooks `make-notebook` can write. */
export const BUILTIN_NOTEBOOKS = ['reproduce-zayas-1987', 'beyond-1987'] as const;

/** `accent-lab make-notebook --notebook beyond-1987`: run every strategy on both presets. */
export async function makeBeyondNotebook(
  file: string,
  options: RunExperimentsOptions & { seed: number },
): Promise<{ cancelled: boolean; failed: TrialResult[]; bytes: number }> {
  const specs = BEYOND_EXPERIMENTS.map((experiment) =>
    expandDesign(beyondDesign(experiment.hardware, options.seed)),
  );
  const { results, cancelled } = await runDesigns(specs, options);
  const failed = results.flat().filter((r) => !r.ok);
  if (cancelled || failed.length > 0) return { cancelled, failed, bytes: 0 };
  const bytes = await writeNotebookFile(file, beyondNotebook(results, options.seed));
  return { cancelled: false, failed: [], bytes };
}

/** Trials of the "Beyond 1987" notebook, for progress bars. */
export function beyondTrialCount(seed: number): number {
  return BEYOND_EXPERIMENTS.reduce(
    (sum, experiment) => sum + expandDesign(beyondDesign(experiment.hardware, seed)).length,
    0,
  );
}
