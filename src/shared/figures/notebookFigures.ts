import type { ExperimentEntry, NotebookDocument } from '../hostApi';
import { figureFileStem } from './charts';
import type { FigureData } from './charts';
import { entryPartial, markPartial } from './partial';
import { experimentFigureData, experimentSweepData, hasResults } from './summarized';
import type { FigureSpec } from './spec';

export interface NotebookFigure {
  /** File stem: "figure-4-1-remote-execution-times". */
  name: string;
  data: FigureData;
  /** The entry the figure belongs to: a figure entry's id, or the experiment's it is drawn for. */
  entryId: string;
  /** A figure entry's caption. */
  caption?: string;
}

const experimentsOf = (doc: NotebookDocument): ExperimentEntry[] =>
  doc.entries.filter((entry): entry is ExperimentEntry => entry.kind === 'experiment');

/** Default figures of an experiment that has none in the notebook. */
const DEFAULT_FIGURES: FigureSpec[] = [{ kind: 'bytes' }, { kind: 'message-time' }, { kind: 'end-to-end' }];

/**
 * Every figure of a notebook, as `accent-lab figures` and the report draw them: its figure entries,
 * in order; an experiment without a figure entry gets the bytes, message-time and end-to-end
 * comparisons; a sensitivity sweep also its sweep figure.
 */
export function notebookFigures(doc: NotebookDocument): NotebookFigure[] {
  const experiments = new Map(experimentsOf(doc).map((entry) => [entry.id, entry]));
  const figures: NotebookFigure[] = [];
  const drawn = new Set<string>();
  for (const entry of doc.entries) {
    if (entry.kind !== 'figure') continue;
    const experiment = experiments.get(entry.experimentId);
    if (!experiment) continue;
    drawn.add(experiment.id);
    // A figure of an experiment that did not run whole says "partial: k of n trials".
    const partial = entryPartial(experiment);
    const data = markPartial(experimentFigureData(entry.figure, experiment), partial);
    const stem = figureFileStem(data.title);
    figures.push({
      name: stem.startsWith(entry.id) ? stem : `${entry.id}-${stem}`,
      data,
      entryId: entry.id,
      ...(entry.caption ? { caption: entry.caption } : {}),
    });
  }
  for (const experiment of experiments.values()) {
    const partial = entryPartial(experiment);
    // A sensitivity sweep's own figure, with its breakeven, whatever else the notebook draws.
    const sweep = experiment.design.sensitivity;
    if (sweep && hasResults(experiment)) {
      figures.push({
        name: `sensitivity-${figureFileStem(experiment.id)}`,
        data: markPartial(experimentSweepData(sweep, experiment), partial),
        entryId: experiment.id,
      });
    }
    if (drawn.has(experiment.id)) continue;
    for (const spec of DEFAULT_FIGURES) {
      const data = markPartial(experimentFigureData(spec, experiment), partial);
      figures.push({ name: `${experiment.id}-${figureFileStem(data.title)}`, data, entryId: experiment.id });
    }
  }
  return figures;
}
