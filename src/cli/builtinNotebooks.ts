import { expandDesign } from '../engine/experiment/design';
import { ENGINE_VERSION } from '../engine/experiment/trial';
import type { TrialResult } from '../engine/experiment/trial';
import { currentProvenance } from '../node/projectFile';
import { figureFileStem } from '../shared/figures/charts';
import { downsampleSeries } from '../shared/figures/series';
import type { NotebookEntry, ProjectDocument } from '../shared/hostApi';
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
import { writeNotebookFile } from './notebookFiles';
import { packageVersion } from './packageRoot';
import { runDesigns } from './pool';
import type { RunExperimentsOptions } from './pool';

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
