import type { ChartConfiguration, Plugin } from 'chart.js';
import type { TrialMetrics, TrialResult } from '../../engine/experiment/trial';
import type { StrategyName } from '../../engine/model/migration';
import { ignoresPrefetch, STRATEGIES } from '../../engine/model/migration';
import { lostByCrashAt } from '../../engine/experiment/lossRisk';
import { FAULT_LATENCY_EDGES_MS } from '../../engine/model/liveMigration';
import { categoryOf, compare, variantOf } from './comparison';
import type { Comparison } from './comparison';
import { colour, formatBytes, formatSeconds } from './format';
import { FIGURE_TITLES } from './spec';
import type { FigureSpec } from './spec';

/**
 * Figures as chart.js configurations: one module for the renderer and the command line, so a
 * figure exported as PNG looks the same wherever it is drawn. Each kind turns an experiment's
 * results into {@link FigureData} (what is drawn, also written as CSV), then into a configuration
 * with a title, axis labels, a white background, no animation and a fixed size.
 */

/** The size figures are exported at unless asked otherwise (CSS pixels; `scale` multiplies). */
export const DEFAULT_FIGURE_SIZE = { width: 960, height: 540, scale: 1 } as const;

/** One font everywhere, so the renderer and the command line lay text out alike. */
export const FIGURE_FONT = '"DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif';

export type FigureUnit = 'seconds' | 'bytes' | 'percent' | 'bytes-per-second' | 'count';

export interface BarSeries {
  label: string;
  values: (number | null)[];
  colour: string;
  /** Bars of one stack sit on each other (message time: source under destination). */
  stack?: string;
  /** Left out of the legend (the destination half of a stack). */
  hideInLegend?: boolean;
  /** Half-width of each value's 95% confidence interval, drawn as an error bar (null: none). */
  errors?: (number | null)[];
}

export interface LineSeries {
  label: string;
  /** (time at the end of an interval, rate over that interval); the first point is at 0. */
  points: { x: number; y: number }[];
  colour: string;
  /** Dashed (the live chart's non-fault traffic). */
  dashed?: boolean;
  /** Straight segments between marked points (a sweep), instead of steps over intervals. */
  showPoints?: boolean;
  /** Half-width of each point's 95% confidence interval, drawn as an error bar (null: none). */
  errors?: (number | null)[];
}

/** A vertical line across the plot at x, labelled (a sweep's breakeven). */
export interface VerticalMarker {
  x: number;
  label: string;
}

export interface FigureData {
  spec: FigureSpec;
  title: string;
  subtitle: string;
  type: 'bar' | 'line';
  xLabel: string;
  yLabel: string;
  unit: FigureUnit;
  logarithmic: boolean;
  categories: string[];
  bars: BarSeries[];
  lines: LineSeries[];
  /** The figure's numbers as a table (header first). */
  table: (string | number)[][];
  /** Nothing to draw: no finished trial fits the figure. */
  empty: boolean;
  /** Line figures: how x ticks read (default seconds of simulated time). */
  xUnit?: 'seconds' | 'number';
  /** Line figures: a logarithmic x axis (a sweep over equal ratios; the loss risk when release times span eras). */
  logarithmicX?: boolean;
  /** Vertical lines with labels (line figures). */
  markers?: VerticalMarker[];
}

/** Strategies in the order the charts list them: the engine's, the paper's first. */
const STRATEGY_ORDER = STRATEGIES;
const STRATEGY_HUES: Record<StrategyName, [number, number]> = {
  'pure-copy': [215, 20],
  'pure-iou': [221, 83],
  'resident-set': [25, 95],
  'pre-copy': [142, 70],
  'post-copy': [280, 60],
  hybrid: [340, 75],
  'sprite-flush': [48, 90],
};

/** Colours of strategy variants: grey for pure-copy, blues for pure-IOU, oranges for resident set, darker with more prefetch. */
export function variantColours(variants: readonly string[]): string[] {
  const byStrategy = new Map<string, string[]>();
  for (const variant of variants) {
    const strategy = variant.split(' ')[0]!;
    byStrategy.set(strategy, [...(byStrategy.get(strategy) ?? []), variant]);
  }
  return variants.map((variant) => {
    const strategy = variant.split(' ')[0]! as StrategyName;
    const group = byStrategy.get(strategy)!;
    const [hue, saturation] = STRATEGY_HUES[strategy] ?? [280, 60];
    const at = group.indexOf(variant);
    const lightness = group.length === 1 ? 45 : 68 - (36 * at) / (group.length - 1);
    return `hsl(${hue}, ${saturation}%, ${Math.round(lightness)}%)`;
  });
}

const formatPercent = (value: number): string => `${Number(value.toPrecision(3))}%`;

export function formatValue(value: number, unit: FigureUnit): string {
  switch (unit) {
    case 'bytes':
      return formatBytes(value);
    case 'bytes-per-second':
      return `${formatBytes(value)}/s`;
    case 'percent':
      return formatPercent(value);
    case 'count':
      return formatPlain(value);
    default:
      return formatSeconds(value);
  }
}

function barFigure(
  spec: FigureSpec,
  results: readonly TrialResult[],
  pick: (metrics: TrialMetrics, copy: TrialMetrics | undefined) => number | null,
  settings: { subtitle: string; yLabel: string; unit: FigureUnit; logarithmic: boolean; skipCopy?: boolean },
): FigureData {
  // Pure-copy of the same workload and replication: with common random numbers, the same process.
  const copyKey = (result: TrialResult): string => `${categoryOf(result)}\u0000${result.replication}`;
  const copies = new Map<string, TrialMetrics>();
  for (const result of results) {
    if (result.ok && result.metrics && result.strategy === 'pure-copy')
      copies.set(copyKey(result), result.metrics);
  }
  const eligible = results.filter((result) => !(settings.skipCopy && result.strategy === 'pure-copy'));
  // Per-trial values; `compare` averages repetitions. A null pick (no pure-copy to compare) drops the trial.
  const values = new Map<TrialResult, number>();
  for (const result of eligible) {
    if (!result.ok || !result.metrics) continue;
    const value = pick(result.metrics, copies.get(copyKey(result)));
    if (value !== null && Number.isFinite(value)) values.set(result, value);
  }
  const kept = eligible.filter((result) => values.has(result));
  // Each trial's value by its metrics object (the first trial holding it, as a search would find).
  const byMetrics = new Map<TrialMetrics, number>();
  for (const result of kept) {
    if (!byMetrics.has(result.metrics!)) byMetrics.set(result.metrics!, values.get(result)!);
  }
  const comparison = compare(kept, (metrics) => byMetrics.get(metrics)!);
  return comparisonBarFigure(spec, comparison, settings);
}

/**
 * A bar figure of a comparison (means and 95% half-widths per category and variant): from trials
 * (barFigure) or from a summarized experiment's design points (./summarized.ts).
 */
export function comparisonBarFigure(
  spec: FigureSpec,
  comparison: Comparison,
  settings: { subtitle: string; yLabel: string; unit: FigureUnit; logarithmic: boolean },
): FigureData {
  const colours = variantColours(comparison.series.map((series) => series.label));
  // Error bars only where some mean rests on two or more replications.
  const withErrors = comparison.series.some((series) => series.halfWidths.some((width) => width !== null));
  const bars = comparison.series.map((series, index) => ({
    label: series.label,
    values: series.values.map((value) =>
      value === null || (settings.logarithmic && value <= 0) ? null : value,
    ),
    colour: colours[index]!,
    ...(withErrors ? { errors: [...series.halfWidths] } : {}),
  }));
  const table: (string | number)[][] = [
    [
      'workload',
      ...comparison.series.flatMap((series) =>
        withErrors ? [series.label, `${series.label} ±95% CI`] : [series.label],
      ),
    ],
    ...comparison.workloads.map((workload, row) => [
      workload,
      ...comparison.series.flatMap((series) =>
        withErrors ? [series.values[row] ?? '', series.halfWidths[row] ?? ''] : [series.values[row] ?? ''],
      ),
    ]),
  ];
  return {
    spec,
    title: spec.title ?? FIGURE_TITLES[spec.kind],
    subtitle: withErrors ? `${settings.subtitle}; error bars: 95% confidence interval` : settings.subtitle,
    type: 'bar',
    xLabel: 'workload',
    yLabel: settings.yLabel,
    unit: settings.unit,
    logarithmic: settings.logarithmic,
    categories: comparison.workloads,
    bars,
    lines: [],
    table,
    empty: comparison.workloads.length === 0,
  };
}

function messageTimeFigure(spec: FigureSpec, results: readonly TrialResult[]): FigureData {
  return messageTimeBars(
    spec,
    compare(results, (m) => m.messageSecondsSource),
    compare(results, (m) => m.messageSecondsDest),
  );
}

/** The message-time figure of two comparisons, source and destination (means only). */
export function messageTimeBars(spec: FigureSpec, source: Comparison, dest: Comparison): FigureData {
  const colours = variantColours(source.series.map((series) => series.label));
  const bars: BarSeries[] = [];
  source.series.forEach((series, index) => {
    bars.push({
      label: series.label,
      values: [...series.values],
      colour: colours[index]!,
      stack: series.label,
    });
    bars.push({
      label: `${series.label} (destination)`,
      values: [...dest.series[index]!.values],
      colour: colours[index]!.replace(
        /hsl\((\d+), (\d+)%, (\d+)%\)/,
        (_all, h, s, l) => `hsla(${h}, ${s}%, ${l}%, 0.45)`,
      ),
      stack: series.label,
      hideInLegend: true,
    });
  });
  const table: (string | number)[][] = [
    [
      'workload',
      ...source.series.flatMap((series) => [`${series.label} source`, `${series.label} destination`]),
    ],
    ...source.workloads.map((workload, row) => [
      workload,
      ...source.series.flatMap((series, index) => [
        series.values[row] ?? '',
        dest.series[index]!.values[row] ?? '',
      ]),
    ]),
  ];
  return {
    spec,
    title: spec.title ?? FIGURE_TITLES[spec.kind],
    subtitle: 'each bar: source host (solid) under destination host (pale), mean over trials',
    type: 'bar',
    xLabel: 'workload',
    yLabel: 'message-handling time (seconds)',
    unit: 'seconds',
    logarithmic: false,
    categories: source.workloads,
    bars,
    lines: [],
    table,
    empty: source.workloads.length === 0,
  };
}

function byteRateFigure(spec: FigureSpec, results: readonly TrialResult[]): FigureData {
  const finished = results.filter((result) => result.ok && result.series && result.replication === 0);
  const workload = spec.workload ?? finished[0]?.workload ?? '';
  const prefetch = spec.prefetch ?? 0;
  const chosen = STRATEGY_ORDER.map((strategy) =>
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
  return {
    spec,
    title,
    subtitle,
    type: 'line',
    xLabel: 'simulated seconds since the migration request',
    yLabel: 'bytes per second',
    unit: 'bytes-per-second',
    logarithmic: false,
    categories: [],
    bars: [],
    lines,
    table,
    empty: lines.length === 0,
  };
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

/** What a figure shows, computed from an experiment's results. */
export function figureData(spec: FigureSpec, results: readonly TrialResult[]): FigureData {
  switch (spec.kind) {
    case 'remote-exec':
      return barFigure(spec, results, (m) => m.remoteExecSeconds, {
        subtitle: 'first remote instruction to exit, mean over trials (log scale)',
        yLabel: 'remote execution time (seconds)',
        unit: 'seconds',
        logarithmic: true,
      });
    case 'speedup':
      return barFigure(
        spec,
        results,
        (m, copy) =>
          copy ? (100 * (copy.endToEndSeconds - m.endToEndSeconds)) / copy.endToEndSeconds : null,
        {
          subtitle: 'end to end (transfer + remote execution) against pure-copy; above 0 is faster',
          yLabel: 'speedup over pure-copy (%)',
          unit: 'percent',
          logarithmic: false,
          skipCopy: true,
        },
      );
    case 'bytes':
      return barFigure(spec, results, (m) => m.bytesTotal, {
        subtitle: 'bytes on the network during the trial, mean over trials (log scale)',
        yLabel: 'bytes transferred',
        unit: 'bytes',
        logarithmic: true,
      });
    case 'message-time':
      return messageTimeFigure(spec, results);
    case 'byte-rate':
      return byteRateFigure(spec, results);
    case 'end-to-end':
      return barFigure(spec, results, (m) => m.endToEndSeconds, {
        subtitle: 'transfer + remote execution, mean over trials (log scale)',
        yLabel: 'end-to-end time (seconds)',
        unit: 'seconds',
        logarithmic: true,
      });
    case 'completion':
      return barFigure(spec, results, (m) => m.totalSeconds, {
        subtitle: 'migration request to exit, wherever the process ran, mean over trials (log scale)',
        yLabel: 'completion time (seconds)',
        unit: 'seconds',
        logarithmic: true,
      });
    case 'downtime':
      return barFigure(spec, results, (m) => m.downtimeSeconds ?? null, {
        subtitle: 'from the freeze to the first instruction at the destination, mean over trials (log scale)',
        yLabel: 'downtime (seconds)',
        unit: 'seconds',
        logarithmic: true,
      });
    case 'total-migration':
      return barFigure(spec, results, (m) => m.totalMigrationSeconds ?? null, {
        subtitle: 'request to the last page at the destination, mean over trials (log scale)',
        yLabel: 'total migration time (seconds)',
        unit: 'seconds',
        logarithmic: true,
      });
    case 'source-release':
      return barFigure(spec, results, (m) => m.sourceReleaseSeconds ?? null, {
        subtitle: 'request until the source owes nothing, mean over trials (log scale)',
        yLabel: 'time to release the source (seconds)',
        unit: 'seconds',
        logarithmic: true,
      });
    case 'pages-resent':
      return barFigure(spec, results, (m) => m.pagesResent ?? null, {
        subtitle: 'pages sent to the destination more than once, mean over trials',
        yLabel: 'pages re-sent',
        unit: 'count',
        logarithmic: false,
      });
    case 'loss-risk':
      return lossRiskFigure(spec, results);
    case 'fault-latency':
      return faultLatencyFigure(spec, results);
    case 'reference':
      return referenceFigure(spec, results);
  }
}

const REFERENCE_SETTINGS: Record<
  NonNullable<FigureSpec['reference']>['metric'],
  { yLabel: string; unit: FigureUnit; what: string }
> = {
  totalMigrationSeconds: {
    yLabel: 'total migration time (seconds)',
    unit: 'seconds',
    what: 'total migration time',
  },
  downtimeSeconds: { yLabel: 'downtime (seconds)', unit: 'seconds', what: 'downtime' },
  bytesPageData: { yLabel: 'page bytes sent', unit: 'bytes', what: 'page bytes sent' },
};

/**
 * The experiment's trials beside reference values of one metric, per workload (the first
 * replication's trial of each workload; one strategy and prefetch per experiment is the use).
 */
function referenceFigure(spec: FigureSpec, results: readonly TrialResult[]): FigureData {
  const reference = spec.reference;
  const metric = reference?.metric ?? 'totalMigrationSeconds';
  const settings = REFERENCE_SETTINGS[metric];
  const ours = new Map<string, number>();
  for (const result of results) {
    const value = result.ok && result.metrics ? result.metrics[metric] : undefined;
    if (value !== undefined && result.replication === 0 && !ours.has(result.workload))
      ours.set(result.workload, value);
  }
  const categories = (reference?.values ?? []).map((entry) => entry.workload);
  const theirs = (reference?.values ?? []).map((entry) => entry.value);
  const mine = categories.map((workload) => ours.get(workload) ?? null);
  const label = reference?.label ?? 'reference';
  return {
    spec,
    title: spec.title ?? `${FIGURE_TITLES.reference}: ${settings.what}`,
    subtitle: `this engine beside ${label}, per workload (log scale)`,
    type: 'bar',
    xLabel: 'workload',
    yLabel: settings.yLabel,
    unit: settings.unit,
    logarithmic: true,
    categories,
    bars: [
      {
        label: 'this engine',
        values: mine.map((value) => (value !== null && value > 0 ? value : null)),
        colour: colour(0),
      },
      { label, values: theirs.map((value) => (value > 0 ? value : null)), colour: colour(1) },
    ],
    lines: [],
    table: [
      ['workload', 'this engine', label, 'relative difference'],
      ...categories.map((workload, row) => {
        const a = mine[row];
        const b = theirs[row]!;
        return [workload, a ?? '', b, a !== null && a !== undefined && b !== 0 ? (a - b) / b : ''];
      }),
    ],
    empty: categories.length === 0 || mine.every((value) => value === null),
  };
}

/**
 * For each strategy variant, the share of its trials a source crash at time t would lose, over a
 * grid of crash times (docs/model.md, "Source failure"): derived from each trial's release time.
 */
function lossRiskFigure(spec: FigureSpec, results: readonly TrialResult[]): FigureData {
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
  return {
    spec,
    title: spec.title ?? FIGURE_TITLES['loss-risk'],
    subtitle: 'share of trials lost if the source crashes at that time: it still held part of the process',
    type: 'line',
    xLabel: 'source crash, simulated seconds after the migration request',
    yLabel: 'trials lost (%)',
    unit: 'percent',
    logarithmic: false,
    logarithmicX,
    categories: [],
    bars: [],
    lines,
    table,
    empty: lines.length === 0,
  };
}

/** Remote faults per latency bucket, summed over each variant's trials. */
function faultLatencyFigure(spec: FigureSpec, results: readonly TrialResult[]): FigureData {
  const edges = FAULT_LATENCY_EDGES_MS;
  const categories = [
    `< ${edges[0]} ms`,
    ...edges.slice(1).map((edge, index) => `${edges[index]}-${edge} ms`),
    `>= ${edges[edges.length - 1]} ms`,
  ];
  const withHistogram = results.filter((result) => result.ok && result.faultLatency);
  const variants = compare(withHistogram, () => 0).series.map((series) => series.label);
  const colours = variantColours(variants);
  const bars: BarSeries[] = variants.map((variant, index) => {
    const sums = new Array<number>(categories.length).fill(0);
    for (const result of withHistogram) {
      if (variantOf(result) !== variant) continue;
      result.faultLatency!.counts.forEach((count, bucket) => (sums[bucket]! += count));
    }
    return { label: variant, values: sums, colour: colours[index]! };
  });
  const used = categories.map((_, bucket) => bars.some((bar) => (bar.values[bucket] ?? 0) > 0));
  const first = Math.max(0, used.indexOf(true));
  const last = Math.max(first, used.lastIndexOf(true));
  const keep = (values: (number | null)[]): (number | null)[] => values.slice(first, last + 1);
  const shown = categories.slice(first, last + 1);
  const table: (string | number)[][] = [
    ['latency', ...variants],
    ...shown.map((category, row) => [category, ...bars.map((bar) => keep(bar.values)[row] ?? 0)]),
  ];
  return {
    spec,
    title: spec.title ?? FIGURE_TITLES['fault-latency'],
    subtitle: 'remote (imaginary) faults by latency, summed over trials',
    type: 'bar',
    xLabel: 'fault latency',
    yLabel: 'remote faults',
    unit: 'count',
    logarithmic: false,
    categories: shown,
    bars: bars.map((bar) => ({ ...bar, values: keep(bar.values) })),
    lines: [],
    table,
    empty: bars.every((bar) => bar.values.every((value) => !value)),
  };
}

/** The figure's numbers as CSV (RFC 4180 quoting), one header row. */
export function figureCsv(data: FigureData): string {
  const cell = (value: string | number): string => {
    const text = String(value);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return `${data.table.map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}

/**
 * The colours a figure is drawn in. Exports (PNG, the command line) always use PAPER_THEME, on
 * white; the app's live charts take theirs from the page (dark when the OS is).
 */
export interface FigureTheme {
  background: string;
  text: string;
  /** The subtitle. */
  muted: string;
  grid: string;
  /** Error-bar whiskers on bars. */
  whisker: string;
  /** Behind marker labels, so grid lines do not run through them. */
  labelBacking: string;
  markers: readonly string[];
}

/** Marker colours: the first red as before, the others apart from it and from each other. */
export const MARKER_COLOURS = ['#b91c1c', '#6d28d9', '#0f766e', '#b45309'] as const;

export const PAPER_THEME: FigureTheme = {
  background: '#ffffff',
  text: '#1e293b',
  muted: '#475569',
  grid: '#e2e8f0',
  whisker: '#0f172a',
  labelBacking: 'rgba(255, 255, 255, 0.85)',
  markers: MARKER_COLOURS,
};

/** The app's charts on a dark page: light text, dim grid, markers light enough to read. */
export const DARK_THEME: FigureTheme = {
  background: '#172033',
  text: '#e2e8f0',
  muted: '#94a3b8',
  grid: '#334155',
  whisker: '#e2e8f0',
  labelBacking: 'rgba(23, 32, 51, 0.85)',
  markers: ['#f87171', '#a78bfa', '#2dd4bf', '#fbbf24'],
};

/** Paints the canvas under the chart (white unless a theme says otherwise), so PNGs are not transparent. */
export const whiteBackground: Plugin = {
  id: 'whiteBackground',
  beforeDraw(chart, _args, options: { colour?: string }) {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.globalCompositeOperation = 'destination-over';
    ctx.fillStyle = options.colour ?? PAPER_THEME.background;
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

interface ErrorBarDataset {
  data: unknown[];
  errorBars?: (number | null)[];
  borderColor?: unknown;
}

/**
 * Draws each dataset's `errorBars` (half-widths) as a whisker with caps from mean - h to mean + h.
 * chart.js has no error bars of its own; the plugin lives here so the app and the command line's
 * PNGs both draw them. On a log axis a whisker that would reach 0 or below runs to the axis.
 */
export const errorBars: Plugin = {
  id: 'errorBars',
  afterDatasetsDraw(chart, _args, options: { colour?: string }) {
    const { ctx, chartArea } = chart;
    const y = chart.scales['y'];
    if (!y) return;
    const whisker = options.colour ?? PAPER_THEME.whisker;
    const logarithmic = y.type === 'logarithmic';
    ctx.save();
    ctx.beginPath();
    ctx.rect(
      chartArea.left,
      chartArea.top,
      chartArea.right - chartArea.left,
      chartArea.bottom - chartArea.top,
    );
    ctx.clip();
    chart.data.datasets.forEach((raw, index) => {
      const dataset = raw as unknown as ErrorBarDataset;
      const widths = dataset.errorBars;
      const meta = chart.getDatasetMeta(index);
      if (!widths || !chart.isDatasetVisible(index)) return;
      ctx.strokeStyle = meta.type === 'bar' ? whisker : String(dataset.borderColor ?? whisker);
      ctx.lineWidth = 1.2;
      meta.data.forEach((element, at) => {
        const width = widths[at];
        const point = dataset.data[at];
        const value = typeof point === 'number' ? point : (point as { y?: number } | null)?.y;
        if (width === null || width === undefined || value === null || value === undefined) return;
        if (!Number.isFinite(width) || width <= 0) return;
        const x = element.x;
        const top = y.getPixelForValue(value + width);
        const low = value - width;
        const bottom = logarithmic && low <= 0 ? chartArea.bottom : y.getPixelForValue(low);
        const barWidth = (element as unknown as { width?: number }).width;
        const cap = Math.min(6, barWidth ? barWidth / 3 : 5);
        ctx.beginPath();
        ctx.moveTo(x, top);
        ctx.lineTo(x, bottom);
        ctx.moveTo(x - cap, top);
        ctx.lineTo(x + cap, top);
        ctx.moveTo(x - cap, bottom);
        ctx.lineTo(x + cap, bottom);
        ctx.stroke();
      });
    });
    ctx.restore();
  },
};

/** Draws the figure's vertical markers (plugin options `markers`): a dashed line and its label. */
export const verticalMarkers: Plugin = {
  id: 'verticalMarkers',
  afterDatasetsDraw(
    chart,
    _args,
    options: { markers?: VerticalMarker[]; colours?: readonly string[]; backing?: string },
  ) {
    const x = chart.scales['x'];
    if (!x || !options.markers) return;
    const { ctx, chartArea } = chart;
    ctx.save();
    ctx.font = `bold 12px ${FIGURE_FONT}`;
    ctx.textBaseline = 'top';
    const ROW = 17;
    const placed: { left: number; right: number; row: number }[] = [];
    options.markers.forEach((marker, index) => {
      const at = x.getPixelForValue(marker.x);
      if (at < chartArea.left || at > chartArea.right) return;
      const colours = options.colours ?? MARKER_COLOURS;
      const colour = colours[index % colours.length]!;
      ctx.strokeStyle = colour;
      ctx.lineWidth = 1.5;
      ctx.setLineDash([6, 4]);
      ctx.beginPath();
      ctx.moveTo(at, chartArea.top);
      ctx.lineTo(at, chartArea.bottom);
      ctx.stroke();
      ctx.setLineDash([]);
      const width = ctx.measureText(marker.label).width;
      // The label beside the line, on whichever side has room, in the first row no label holds there.
      const left = at + 6 + width > chartArea.right ? at - 6 - width : at + 6;
      let row = 0;
      while (
        placed.some((other) => other.row === row && left < other.right + 4 && left + width > other.left - 4)
      )
        row += 1;
      placed.push({ left, right: left + width, row });
      const top = chartArea.top + 4 + ROW * row;
      // A white backing so grid lines and bars do not run through the text.
      ctx.fillStyle = options.backing ?? PAPER_THEME.labelBacking;
      ctx.fillRect(left - 2, top - 1, width + 4, ROW - 2);
      ctx.fillStyle = colour;
      ctx.fillText(marker.label, left, top);
    });
    ctx.restore();
  },
};

/**
 * A y-axis title taller than its plot (a short chart) would run into the subtitle above: it falls
 * back to the unit alone, and is left out when even that does not fit.
 */
export const fitAxisTitle: Plugin = {
  id: 'fitAxisTitle',
  beforeDraw(chart, _args, options: { full?: string; short?: string }) {
    const y = chart.scales['y'];
    const title = (y?.options as { title?: { display: boolean; text: string | string[]; font?: unknown } })
      ?.title;
    if (!y || !title || options.full === undefined) return;
    // Start from the full title each time: the chart may have grown since.
    title.text = options.full;
    title.display = true;
    const height = chart.chartArea.bottom - chart.chartArea.top;
    const ctx = chart.ctx;
    ctx.save();
    const font = title.font as { size?: number } | undefined;
    const size = font?.size ?? 12;
    ctx.font = `${size}px ${FIGURE_FONT}`;
    const fits = (text: string): boolean => ctx.measureText(text).width <= height;
    if (!fits(options.full)) {
      const short = options.short ?? '';
      if (short && fits(short)) title.text = short;
      else title.display = false;
    }
    ctx.restore();
  },
};

/** "1.5 M", "250 k", "0.25": SI prefixes for a sweep's parameter values. */
export function formatPlain(value: number): string {
  const size = Math.abs(value);
  const short = (number: number): string => String(Number(number.toPrecision(3)));
  if (size >= 1e9) return `${short(value / 1e9)} G`;
  if (size >= 1e6) return `${short(value / 1e6)} M`;
  if (size >= 1e4) return `${short(value / 1e3)} k`;
  return short(value);
}

/** A log axis labels only 1, 2 and 5 times a power of ten. */
const logTick = (value: number, unit: FigureUnit): string => {
  if (value <= 0) return '';
  const mantissa = value / 10 ** Math.floor(Math.log10(value) + 1e-9);
  return [1, 2, 5].some((keep) => Math.abs(mantissa - keep) < 1e-6) ? formatValue(value, unit) : '';
};

export interface FigureConfigOptions {
  /** Device pixels per CSS pixel (the export's scale). */
  scale?: number;
  /** True in the app's live views (size follows the box); exports draw at a fixed size. */
  responsive?: boolean;
  /** Show the legend (the app's comparison charts share one key instead). */
  legend?: boolean;
  /** Smaller title and text, for the app's small charts. */
  compact?: boolean;
  /** The colours (default PAPER_THEME, on white: every export uses it). */
  theme?: FigureTheme;
}

/** The chart.js configuration of a figure. */
export function figureConfig(data: FigureData, options: FigureConfigOptions = {}): ChartConfiguration {
  const font = (size: number, weight: 'bold' | 'normal' = 'normal') => ({
    family: FIGURE_FONT,
    size,
    weight,
  });
  const compact = options.compact ?? false;
  const theme = options.theme ?? PAPER_THEME;
  const text = theme.text;
  const grid = theme.grid;
  const tick = (value: number | string): string => {
    const number = Number(value);
    return data.logarithmic ? logTick(number, data.unit) : formatValue(number, data.unit);
  };
  const datasets =
    data.type === 'bar'
      ? data.bars.map((series) => ({
          label: series.label,
          data: [...series.values],
          backgroundColor: series.colour,
          borderColor: series.colour,
          borderWidth: 0,
          maxBarThickness: 28,
          ...(series.stack ? { stack: series.stack } : {}),
        }))
      : data.lines.map((series) => ({
          label: series.label,
          data: series.points.map((point) => ({ ...point })),
          borderColor: series.colour,
          // A dashed line's key is a dashed outline (chart.js keys fill with backgroundColor).
          backgroundColor: series.dashed ? 'transparent' : series.colour,
          borderWidth: 1.5,
          ...(series.dashed ? { borderDash: [5, 3] } : {}),
          ...(series.showPoints
            ? { stepped: false as const, pointRadius: 3 }
            : { stepped: 'after' as const, pointRadius: 0 }),
        }));
  // Error bars ride on the datasets, so an in-place update of the data moves them too.
  (data.type === 'bar' ? data.bars : data.lines).forEach((series, index) => {
    if (series.errors) (datasets[index] as { errorBars?: (number | null)[] }).errorBars = [...series.errors];
  });
  const markers = data.markers ?? [];
  const plainTick = (value: number | string): string => {
    const number = Number(value);
    if (!data.logarithmicX) return formatPlain(number);
    // As the log y axes: only 1, 2 and 5 times a power of ten.
    const mantissa = number / 10 ** Math.floor(Math.log10(number) + 1e-9);
    return [1, 2, 5].some((keep) => Math.abs(mantissa - keep) < 1e-6) ? formatPlain(number) : '';
  };
  const secondsTick = (value: number | string): string =>
    data.logarithmicX ? logTick(Number(value), 'seconds') : formatSeconds(Number(value));
  const xTick = data.xUnit === 'number' ? plainTick : secondsTick;
  const hidden = new Set(data.bars.filter((series) => series.hideInLegend).map((series) => series.label));
  // Log axes end at the largest bar exactly unless given room above it.
  const barValues = data.bars
    .flatMap((series) => series.values)
    .filter((v): v is number => v !== null && v > 0);
  const logRange =
    data.logarithmic && barValues.length > 0
      ? { suggestedMin: Math.min(...barValues) / 3, suggestedMax: Math.max(...barValues) * 1.5 }
      : {};
  const SHORT_UNITS: Record<FigureUnit, string> = {
    seconds: 'seconds',
    bytes: 'bytes',
    percent: 'percent',
    'bytes-per-second': 'bytes/s',
    count: 'count',
  };
  // Small charts: a short axis title that fits beside a short plot, and no x title.
  const yTitle = compact ? SHORT_UNITS[data.unit] : data.yLabel;
  const stacked = data.bars.some((series) => series.stack);
  // Nothing to draw (before a run, or early in one): no made-up ticks on an axis of no values.
  const blank =
    data.empty ||
    (data.type === 'line' && !data.lines.some((series) => series.points.some((point) => point.y > 0)));
  return {
    type: data.type,
    data: { ...(data.type === 'bar' ? { labels: [...data.categories] } : {}), datasets },
    options: {
      responsive: options.responsive ?? false,
      maintainAspectRatio: false,
      animation: false,
      devicePixelRatio: options.scale ?? 1,
      color: text,
      font: { family: FIGURE_FONT },
      ...(data.type === 'line' ? { parsing: false, normalized: true } : {}),
      interaction: { mode: 'nearest', intersect: data.type === 'bar' },
      layout: { padding: compact ? 4 : 12 },
      plugins: {
        title: {
          display: true,
          text: data.title,
          align: 'start',
          color: text,
          font: font(compact ? 13 : 17, 'bold'),
          padding: { top: 2, bottom: 2 },
        },
        subtitle: {
          display: true,
          text: data.subtitle,
          align: 'start',
          color: theme.muted,
          font: font(compact ? 11 : 12),
          padding: { bottom: compact ? 6 : 10 },
        },
        legend: {
          display: options.legend ?? true,
          position: 'bottom',
          labels: {
            color: text,
            font: font(compact ? 10 : 11),
            boxWidth: 14,
            boxHeight: 10,
            filter: (item) => !hidden.has(item.text),
          },
        },
        fitAxisTitle: { full: yTitle, short: SHORT_UNITS[data.unit] },
        whiteBackground: { colour: theme.background },
        errorBars: { colour: theme.whisker },
        ...(markers.length > 0
          ? {
              verticalMarkers: {
                markers: markers.map((marker) => ({ ...marker })),
                colours: theme.markers,
                backing: theme.labelBacking,
              },
            }
          : {}),
        tooltip: {
          callbacks: {
            label: (item) => `${item.dataset.label}: ${formatValue(Number(item.parsed.y), data.unit)}`,
          },
        },
      },
      scales: {
        x: {
          type: data.type === 'line' ? (data.logarithmicX ? 'logarithmic' : 'linear') : 'category',
          stacked,
          ...(data.type === 'line' && data.xUnit !== 'number' && !data.logarithmicX ? { min: 0 } : {}),
          grid: { display: data.type === 'line', color: grid },
          ticks: {
            color: text,
            font: font(compact ? 10 : 12),
            // Every category keeps its label (tilted when crowded): a skipped one leaves a group unnamed.
            ...(data.type === 'line' ? { callback: xTick } : { autoSkip: false }),
            display: !blank,
          },
          title: {
            display: !compact || data.type === 'line',
            text: data.xLabel,
            color: text,
            font: font(compact ? 11 : 13),
          },
        },
        y: {
          type: data.logarithmic ? 'logarithmic' : 'linear',
          stacked,
          ...(data.logarithmic ? {} : { beginAtZero: true }),
          grid: { color: grid },
          ticks: {
            color: text,
            font: font(compact ? 10 : 12),
            autoSkip: !data.logarithmic,
            callback: tick,
            display: !blank,
          },
          ...logRange,
          title: { display: true, text: yTitle, color: text, font: font(compact ? 11 : 13) },
        },
      },
    },
    // Always all three: the app updates a chart's data and options in place, never its plugins,
    // so error bars and markers that arrive with later results must find their plugin there.
    plugins: [whiteBackground, errorBars, verticalMarkers, fitAxisTitle],
  } as ChartConfiguration;
}

/** "Bytes on the network" -> "bytes-on-the-network". */
export function figureFileStem(title: string): string {
  const stem = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return stem || 'figure';
}
