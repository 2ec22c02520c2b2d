import { lostByCrashAt } from '../../engine/experiment/lossRisk';
import type { TrialResult } from '../../engine/experiment/trial';
import { compare, variantOf } from './comparison';
import { makeFigure, type FigureData, type LineSeries } from './data';
import { variantColours } from './format';
import type { FigureSpec } from './spec';

/**
 * For each strategy variant, the share of its trials a source crash at time t would lose, over a
 * grid of crash times (docs/model.md, "Source failure"): derived from each trial's release time.
 */
export function lossRiskFigure(spec: FigureSpec, results: readonly TrialResult[]): FigureData {
  const finished = results.filter(
    (result) =>
      result.ok && result.metrics?.sourceReleaseSeconds !== undefined && !result.metrics.processLost,
  );
  const ends = finished.map((result) =>
    Math.min(result.metrics!.sourceReleaseSeconds!, result.metrics!.totalSeconds),
  );
  const horizon = Math.max(0, ...ends);
  const earliest = Math.min(...ends.filter((end) => end > 0));
  // Release times a hundred-fold apart (milliseconds against a whole run) need a log time axis.
  const logarithmicX = Number.isFinite(earliest) && horizon / earliest > 100;
  const steps = 200;
  const times = logarithmicX
    ? Array.from(
        { length: steps + 1 },
        (_, index) => (earliest / 2) * ((horizon * 2.1) / earliest) ** (index / steps),
      )
    : Array.from({ length: steps + 1 }, (_, index) => (horizon * 1.05 * index) / steps);
  const variants = compare(finished, () => 0).series.map((series) => series.label);
  const colours = variantColours(variants);
  const lines: LineSeries[] = variants.map((variant, index) => {
    const trials = finished.filter((result) => variantOf(result) === variant);
    return {
      label: variant,
      colour: colours[index]!,
      points: times.map((time) => ({
        x: time,
        y: (100 * trials.filter((result) => lostByCrashAt(result.metrics!, time)).length) / trials.length,
      })),
    };
  });
  const table: (string | number)[][] = [
    ['crash at (s)', ...variants.map((variant) => `${variant} lost (%)`)],
  ];
  times.forEach((time, at) => table.push([time, ...lines.map((line) => line.points[at]!.y)]));
  return makeFigure(spec, {
    subtitle: 'share of trials lost if the source crashes at that time: it still held part of the process',
    type: 'line',
    xLabel: 'source crash, simulated seconds after the migration request',
    yLabel: 'trials lost (%)',
    unit: 'percent',
    logarithmicX,
    lines,
    table,
    empty: lines.length === 0,
  });
}
