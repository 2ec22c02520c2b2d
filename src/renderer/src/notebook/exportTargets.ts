import { isPaperStrategy } from '../../../engine/model/migration';
import type { FigureKind } from '../../../shared/figures/spec';
import { FIGURE_TITLES } from '../../../shared/figures/spec';
import type { ExperimentEntry, NotebookEntry } from '../../../shared/hostApi';
import { entryPartial } from '../../../shared/figures/partial';
import { summaryFigureData } from '../../../shared/figures/summarized';
import type { ExportTarget } from '../stores/figureExport';

const COMPARISONS: FigureKind[] = ['bytes', 'message-time', 'end-to-end'];
const MODERN_COMPARISONS: FigureKind[] = ['downtime', 'source-release', 'loss-risk'];

/** Every figure of a notebook that can be exported: its figure entries, then each experiment's comparisons. */
export function notebookExportTargets(entries: readonly NotebookEntry[]): ExportTarget[] {
  const experiments = new Map(
    entries.filter((e): e is ExperimentEntry => e.kind === 'experiment').map((e) => [e.id, e]),
  );
  const targets: ExportTarget[] = [];
  for (const entry of entries) {
    if (entry.kind !== 'figure') continue;
    const experiment = experiments.get(entry.experimentId);
    if (!experiment) continue;
    targets.push({
      key: entry.id,
      label: entry.figure.title ?? `${FIGURE_TITLES[entry.figure.kind]} (${experiment.design.name})`,
      spec: entry.figure,
      results: experiment.results,
      ...(experiment.summary ? { data: summaryFigureData(entry.figure, experiment.summary) } : {}),
      partial: entryPartial(experiment),
    });
  }
  for (const experiment of experiments.values()) {
    if (experiment.results.length === 0 && !experiment.summary) continue;
    const modern = (experiment.summary?.points ?? experiment.results).some(
      (result) => !isPaperStrategy(result.strategy),
    );
    for (const kind of modern ? [...COMPARISONS, ...MODERN_COMPARISONS] : COMPARISONS) {
      targets.push({
        key: `${experiment.id}:${kind}`,
        label: `${FIGURE_TITLES[kind]} (${experiment.design.name})`,
        spec: { kind },
        results: experiment.results,
        ...(experiment.summary ? { data: summaryFigureData({ kind }, experiment.summary) } : {}),
        partial: entryPartial(experiment),
      });
    }
  }
  return targets;
}
