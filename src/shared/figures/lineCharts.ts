import type { TrialResult } from '../../engine/experiment/trial';
import { ignoresPrefetch, STRATEGIES } from '../../engine/model/migration';
import { variantOf } from './comparison';
import { makeFigure, type FigureData, type LineSeries } from './data';
import { colour, variantColours } from './format';
import type { FigureSpec } from './spec';
import { FIGURE_TITLES } from './spec';

/** The line figures over simulated time: an experiment's byte rate (Figure 4-5) and the Run tab's live one. */

export function byteRateFigure(spec: FigureSpec, results: readonly TrialResult[]): FigureData {
  const finished = results.filter((result) => result.ok && result.series && result.replication === 0);
  const workload = spec.workload ?? finished[0]?.workload ?? '';
  const prefetch = spec.prefetch ?? 0;
  const chosen = STRATEGIES.map((strategy) =>
    finished.find(
      (result) =>
        result.workload === workload &&
        result.strategy === strategy &&
        (ignoresPrefetch(strategy) || result.prefetch === prefetch),
    ),
  ).filter((result): result is TrialResult => result !== undefined);
  const colours = variantColours(chosen.map((result) => variantOf(result)));
  // As the paper's Figure 4-5: traffic in support of imaginary faults apart from the rest.
  const lines = chosen.flatMap((result, index) => {
    const series = result.series!;
    const points = [{ x: 0, fault: series.fault[0] ?? 0, other: series.other[0] ?? 0 }];
    series.fault.forEach((fault, i) =>
      points.push({ x: (i + 1) * series.binSeconds, fault, other: series.other[i] ?? 0 }),
    );
    return trafficLines(variantOf(result), colours[index]!, points);
  });
  const table: (string | number)[][] = [
    ['strategy', 'bin start (s)', 'bin end (s)', 'fault bytes/s', 'other bytes/s'],
  ];
  for (const result of chosen) {
    const series = result.series!;
    series.fault.forEach((fault, i) =>
      table.push([
        variantOf(result),
        i * series.binSeconds,
        (i + 1) * series.binSeconds,
        fault,
        series.other[i] ?? 0,
      ]),
    );
  }
  return rateFigure(
    spec,
    spec.title ?? `${FIGURE_TITLES['byte-rate']}: ${workload || 'no trials'}, prefetch ${prefetch}`,
    'fault traffic solid, other traffic dashed, per strategy; each step is the mean rate over its interval',
    lines,
    table,
  );
}

/** A trial's traffic as two lines, fault traffic solid and the rest dashed (as Figure 4-5). */
function trafficLines(
  label: string,
  lineColour: string,
  points: readonly { x: number; fault: number; other: number }[],
): LineSeries[] {
  return [
    { label: `${label} · fault`, points: points.map((p) => ({ x: p.x, y: p.fault })), colour: lineColour },
    {
      label: `${label} · other`,
      points: points.map((p) => ({ x: p.x, y: p.other })),
      colour: lineColour,
      dashed: true,
    },
  ];
}

/** A byte-rate figure over simulated time. */
function rateFigure(
  spec: FigureSpec,
  title: string,
  subtitle: string,
  lines: LineSeries[],
  table: (string | number)[][],
): FigureData {
  return makeFigure(spec, {
    title,
    subtitle,
    type: 'line',
    xLabel: 'simulated seconds since the migration request',
    yLabel: 'bytes per second',
    unit: 'bytes-per-second',
    lines,
    table,
    empty: lines.length === 0,
  });
}

/** One trial's live byte rate: (end of interval, fault rate, other rate) per progress report. */
export interface LiveRateTrial {
  label: string;
  points: readonly { x: number; fault: number; other: number }[];
}

/**
 * The Run tab's live byte-rate chart, as a figure: per trial, fault traffic solid and the rest
 * dashed, in one colour per trial.
 */
export function liveByteRateData(trials: readonly LiveRateTrial[]): FigureData {
  const lines = trials.flatMap((trial, index) => trafficLines(trial.label, colour(index), trial.points));
  const table: (string | number)[][] = [['trial', 'interval end (s)', 'fault bytes/s', 'other bytes/s']];
  for (const trial of trials) {
    for (const point of trial.points) table.push([trial.label, point.x, point.fault, point.other]);
  }
  const figure = rateFigure(
    { kind: 'byte-rate', title: 'Network byte rate over simulated time' },
    'Network byte rate over simulated time',
    'fault traffic solid, other traffic dashed; running trials, else the last ones run',
    lines,
    table,
  );
  // Empty until some interval carried bytes (a trial's first report is often all zero).
  const traffic = trials.some((trial) => trial.points.some((point) => point.fault > 0 || point.other > 0));
  return { ...figure, empty: !traffic };
}
