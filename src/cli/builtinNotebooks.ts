import { expandDesign } from '../engine/experiment/design';
import { ENGINE_VERSION } from '../engine/experiment/trial';
import type { TrialResult } from '../engine/experiment/trial';
import { currentProvenance } from '../node/notebookFile';
import { figureFileStem } from '../shared/figures/charts';
import { downsampleSeries } from '../shared/figures/series';
import type { NotebookEntry, NotebookDocument } from '../shared/hostApi';
import {
  BREAKEVEN_EXPERIMENT_ID,
  breakevenDesign,
  PAPER_EXPERIMENT_ID,
  PAPER_FIGURES,
  paperDesign,
} from '../shared/notebook/reproduction';
import {
  BEYOND_EXPERIMENTS,
  BEYOND_FIGURES,
  BEYOND_PREFETCH,
  beyondDesign,
} from '../shared/notebook/beyond1987';
import { writeNotebookFile } from './notebookFiles';
import { packageVersion } from './packageRoot';
import { DEFAULT_REPLICATIONS } from '../engine/reproduction/designs';
import { runDesigns } from './pool';
import type { RunExperimentsOptions } from './pool';

/** Bins kept per stored byte-rate series in the built-in notebook (keeps the file small). */
export const NOTEBOOK_SERIES_BINS = 300;

/**
 * Results as the notebook stores them: byte-rate series downsampled, and kept for replication 0 only
 * (the byte-rate figure draws that one; ten replications of series would pass 5 MB).
 */
const slim = (results: readonly TrialResult[]): TrialResult[] =>
  results.map((result) => {
    if (!result.series) return result;
    if (result.replication > 0) {
      const { series: _dropped, ...rest } = result;
      return rest;
    }
    return { ...result, series: downsampleSeries(result.series, NOTEBOOK_SERIES_BINS) };
  });

const INTRO = `# Reproducing Zayas 1987

This notebook holds the evaluation of Edward Zayas, *Attacking the Process Migration Bottleneck*
(SOSP 1987, section 4), run on the lab's model of Accent: the seven representative processes under
pure-copy, pure-IOU (copy-on-reference) and resident-set transfer at prefetch 0, 1, 3, 7 and 15
(77 trials a replication), and the breakeven sweep of section 4.3.4, each over
${DEFAULT_REPLICATIONS} replications with common random numbers. Tables show the mean ± its 95%
interval, and every check is judged on the mean.

**Which numbers are evidence.** Every statement of the paper's section 4 and conclusions is in
the claims register (\`resources/paper/claims.json\`), and every check carries its tier:

- **Inputs** are numbers the workloads are built from: the sizes of Tables 4-1 and 4-2 and the
  touched shares of Table 4-3. They are restated, never counted as agreement.
- **Calibrated** checks had a constant or a per-representative knob fitted to that very number:
  Table 4-4 (\`amapEntries\`, the RIMAS and insertion constants), Table 4-5 (\`memoryObjects\`,
  \`residentRunPages\`, the bulk copy per page), the Core message (\`portRights\`), the fault costs,
  the 44x of Minprog and the 3% of Chess (compute times), the Lisp and Pasmac hit ratios
  (\`continueProbability\`, \`density\`), the 58.2% byte and 47.8% message savings (header sizes, the
  per-message cost). Agreement there shows the fit, not the model.
- **Predictions** had nothing fitted to them: the breakeven, what prefetch does, whom resident sets
  help, Pasmac's -21% and +44%, bytes and message times by strategy and prefetch. Only these are
  evidence; some miss, and the report says which.
- **Disputed** checks are claims the paper's own numbers contradict for some representatives; the
  arithmetic is in \`docs/model.md\`. They are shown, not counted.

The results are stored, so the tables and figures below are drawn without running anything. Edit a
design in the **Design** tab and run it to compare; re-running a stored experiment with its stored
seed gives identical results. Every constant of the \`perq-1987\` hardware preset is documented in
\`docs/model.md\`, with a calibration table (knob, the number it was fitted to, the checks it
therefore cannot count as predictions).`;

const TABLES_NOTE = `## The paper's tables

Under the experiment below, the headline counts predictions, calibrated, disputed and input checks
apart. Tables 4-1 to 4-5 show the paper's published values beside ours (mean ± 95% interval over the
replications), with the mean's relative error. Tables 4-1, 4-2 and 4-3 are inputs; Table 4-4 (within
15%) and Table 4-5 (within 10%) are calibrated.

**Cross-validation.** Only Table 4-5's Copy column is fitted by constants shared across the
representatives, so only it can be cross-validated: a bulk-copy law (a per page + b per non-resident
page) fitted on six rows predicts the seventh within 8.2% (Minprog +6.8%, Lisp-T +7.4%, Lisp-Del
-7.0%, PM-Start +0.3%, PM-Mid +5.2%, PM-End -8.2%, Chess +4.3%). The engine's constants saw all
seven rows, so those cells stay calibrated (\`docs/model.md\`).`;

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
): NotebookDocument {
  const entries: NotebookEntry[] = [
    { kind: 'note', id: 'introduction', markdown: INTRO },
    { kind: 'note', id: 'tables', markdown: TABLES_NOTE },
    {
      kind: 'experiment',
      id: PAPER_EXPERIMENT_ID,
      design: paperDesign(seed, DEFAULT_REPLICATIONS),
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
      design: breakevenDesign(seed, DEFAULT_REPLICATIONS),
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
  const specs = [
    expandDesign(paperDesign(options.seed, DEFAULT_REPLICATIONS)),
    expandDesign(breakevenDesign(options.seed, DEFAULT_REPLICATIONS)),
  ];
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
8 pages per push message, 4 push messages in flight).`;

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
export function beyondNotebook(
  resultsByExperiment: readonly TrialResult[][],
  seed: number,
): NotebookDocument {
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
