import type { SensitivitySweep } from '../../engine/experiment/sensitivity';
import { breakevenOf } from '../../engine/experiment/sensitivity';
import type { Breakeven } from '../../engine/experiment/sensitivity';
import type { Summary } from '../../engine/experiment/statistics';
import type { TrialMetrics } from '../../engine/experiment/trial';
import { variantName } from '../../engine/model/migration';
import type { DesignPointSummary, ExperimentEntry, ExperimentSummary, MetricSummary } from '../hostApi';
import { asSummary } from '../notebook/summary';
import { comparisonBarFigure, figureData, messageTimeBars } from './charts';
import type { FigureData } from './charts';
import { categoryOf, comparePoints } from './comparison';
import type { Comparison } from './comparison';
import { sensitivityFigureData, sweepFigure } from './sensitivity';
import type { FigureSpec } from './spec';

/**
 * Figures of an experiment, inline or summarized (src/shared/notebook/summary.ts). A summarized
 * experiment's bar figures draw each design point's mean and 95% interval from its summary (the
 * same numbers its trials would give); its byte-rate and reference figures draw its figure trials
 * (the first replication of each point, as they always did); its loss-risk and fault-latency
 * figures, which count trials, draw the figure trials and say so in their subtitle.
 */

/** Which summary each bar figure draws: a metric of the points, or their paired speedup. */
const BAR_METRICS: Partial<Record<FigureSpec['kind'], keyof TrialMetrics | 'speedup'>> = {
  'remote-exec': 'remoteExecSeconds',
  speedup: 'speedup',
  bytes: 'bytesTotal',
  'end-to-end': 'endToEndSeconds',
  completion: 'totalSeconds',
  downtime: 'downtimeSeconds',
  'total-migration': 'totalMigrationSeconds',
  'source-release': 'sourceReleaseSeconds',
  'pages-resent': 'pagesResent',
};

/** A note on figures that count trials, drawn from the figure trials of a summarized experiment. */
export const SUMMARIZED_NOTE = 'first replication of each design point (the trials are summarized)';

function pointComparison(
  summary: ExperimentSummary,
  pick: (point: DesignPointSummary) => MetricSummary | undefined,
  skipCopy = false,
): Comparison {
  const cells: { workload: string; variant: string; summary: Summary }[] = [];
  for (const point of summary.points) {
    if (skipCopy && point.strategy === 'pure-copy') continue;
    const found = pick(point);
    if (!found || found.n === 0) continue;
    cells.push({
      workload: categoryOf(point),
      variant: variantName(point.strategy, point.prefetch),
      summary: asSummary(found),
    });
  }
  return comparePoints(cells);
}

/** A figure of a summarized experiment (see above). */
export function summaryFigureData(spec: FigureSpec, summary: ExperimentSummary): FigureData {
  // The frame (title, subtitle, axes) as the trials would draw it.
  const frame = figureData(spec, summary.figureTrials);
  if (spec.kind === 'message-time') {
    return messageTimeBars(
      spec,
      pointComparison(summary, (point) => point.metrics.messageSecondsSource),
      pointComparison(summary, (point) => point.metrics.messageSecondsDest),
    );
  }
  const metric = BAR_METRICS[spec.kind];
  if (metric !== undefined) {
    const comparison = pointComparison(
      summary,
      (point) => (metric === 'speedup' ? point.speedup : point.metrics[metric]),
      metric === 'speedup',
    );
    // The frame's subtitle is the figure's own (its figure trials are one replication each).
    return comparisonBarFigure(spec, comparison, {
      subtitle: frame.subtitle,
      yLabel: frame.yLabel,
      unit: frame.unit,
      logarithmic: frame.logarithmic,
    });
  }
  if (spec.kind === 'loss-risk' || spec.kind === 'fault-latency') {
    return { ...frame, subtitle: `${frame.subtitle}; ${SUMMARIZED_NOTE}` };
  }
  return frame;
}

/** A figure of an experiment entry, inline or summarized. */
export function experimentFigureData(
  spec: FigureSpec,
  entry: Pick<ExperimentEntry, 'results' | 'summary'>,
): FigureData {
  return entry.summary ? summaryFigureData(spec, entry.summary) : figureData(spec, entry.results);
}

/** A sensitivity sweep's figure of an experiment entry, inline or summarized. */
export function experimentSweepData(
  sweep: SensitivitySweep,
  entry: Pick<ExperimentEntry, 'results' | 'summary'>,
): FigureData {
  const summary = entry.summary;
  if (!summary) return sensitivityFigureData(sweep, entry.results);
  const points = summary.points.filter(
    (point) => point.n > 0 && point.parameterValue !== undefined && point.metrics[sweep.metric],
  );
  const workloads = [...new Set(points.map((point) => point.workload))];
  const variants = [...new Set(points.map((point) => variantName(point.strategy, point.prefetch)))];
  const cell = (workload: string, variant: string, value: number): Summary | null => {
    const found = points.find(
      (point) =>
        point.workload === workload &&
        point.parameterValue === value &&
        variantName(point.strategy, point.prefetch) === variant,
    );
    return found ? asSummary(found.metrics[sweep.metric]!) : null;
  };
  return sweepFigure(sweep, workloads, variants, cell, summaryBreakevens(sweep, summary));
}

/** A summarized sweep's breakeven per workload, from its paired differences' means. */
export function summaryBreakevens(sweep: SensitivitySweep, summary: ExperimentSummary): Breakeven[] {
  const differences = summary.differences ?? [];
  const workloads = [
    ...new Set(summary.points.filter((point) => point.n > 0).map((point) => point.workload)),
  ];
  return workloads.map((workload) =>
    breakevenOf(
      sweep,
      workload,
      differences
        .filter((found) => found.workload === workload && found.difference.n > 0)
        .sort((a, b) => a.value - b.value)
        .map((found) => ({ value: found.value, difference: asSummary(found.difference) })),
    ),
  );
}

/** Whether an entry has anything to draw: ok trials inline, or summarized ones. */
export function hasResults(entry: Pick<ExperimentEntry, 'results' | 'summary'>): boolean {
  return entry.summary
    ? entry.summary.trials > entry.summary.failed
    : entry.results.some((result) => result.ok);
}
