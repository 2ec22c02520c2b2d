import type { ChartConfiguration, LegendItem, TooltipItem } from 'chart.js';
import type { FigureData, FigureUnit } from './data';
import { formatPlain, formatSeconds, formatValue } from './format';
import { errorBars, fitAxisTitle, verticalMarkers, whiteBackground } from './plugins';
import { FIGURE_FONT, PAPER_THEME, type FigureTheme } from './theme';

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

const font = (size: number, weight: 'bold' | 'normal' = 'normal') => ({ family: FIGURE_FONT, size, weight });

/** The unit alone: the y-axis title of a small chart, or of one too short for the full title. */
const SHORT_UNITS: Record<FigureUnit, string> = {
  seconds: 'seconds',
  bytes: 'bytes',
  percent: 'percent',
  'bytes-per-second': 'bytes/s',
  count: 'count',
};

/** The chart.js configuration of a figure. */
export function figureConfig(data: FigureData, options: FigureConfigOptions = {}): ChartConfiguration {
  const compact = options.compact ?? false;
  const theme = options.theme ?? PAPER_THEME;
  // Small charts: a short axis title that fits beside a short plot, and no x title.
  const yTitle = compact ? SHORT_UNITS[data.unit] : data.yLabel;
  return {
    type: data.type,
    data: { ...(data.type === 'bar' ? { labels: [...data.categories] } : {}), datasets: datasets(data) },
    options: {
      responsive: options.responsive ?? false,
      maintainAspectRatio: false,
      animation: false,
      devicePixelRatio: options.scale ?? 1,
      color: theme.text,
      font: { family: FIGURE_FONT },
      ...(data.type === 'line' ? { parsing: false, normalized: true } : {}),
      interaction: { mode: 'nearest', intersect: data.type === 'bar' },
      layout: { padding: compact ? 4 : 12 },
      plugins: pluginOptions(data, theme, compact, options.legend ?? true, yTitle),
      scales: scales(data, theme, compact, yTitle),
    },
    // Always all four: the app updates a chart's data and options in place, never its plugins,
    // so error bars and markers that arrive with later results must find their plugin there.
    plugins: [whiteBackground, errorBars, verticalMarkers, fitAxisTitle],
  } as ChartConfiguration;
}

/** chart.js datasets of the figure's bars or lines, error bars riding on them. */
function datasets(data: FigureData) {
  const sets =
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
    if (series.errors) (sets[index] as { errorBars?: (number | null)[] }).errorBars = [...series.errors];
  });
  return sets;
}

/** Title, subtitle, legend, tooltip and the options of our plugins. */
function pluginOptions(
  data: FigureData,
  theme: FigureTheme,
  compact: boolean,
  legend: boolean,
  yTitle: string,
) {
  const text = theme.text;
  const hidden = new Set(data.bars.filter((series) => series.hideInLegend).map((series) => series.label));
  const markers = data.markers ?? [];
  return {
    title: {
      display: true,
      text: data.title,
      align: 'start' as const,
      color: text,
      font: font(compact ? 13 : 17, 'bold'),
      padding: { top: 2, bottom: 2 },
    },
    subtitle: {
      display: true,
      text: data.subtitle,
      align: 'start' as const,
      color: theme.muted,
      font: font(compact ? 11 : 12),
      padding: { bottom: compact ? 6 : 10 },
    },
    legend: {
      display: legend,
      position: 'bottom' as const,
      labels: {
        color: text,
        font: font(compact ? 10 : 11),
        boxWidth: 14,
        boxHeight: 10,
        filter: (item: LegendItem) => !hidden.has(item.text),
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
        label: (item: TooltipItem<'bar' | 'line'>) =>
          `${item.dataset.label}: ${formatValue(Number(item.parsed.y), data.unit)}`,
      },
    },
  };
}

/** The x and y axes: types, ticks as the figure's units read, grid and titles. */
function scales(data: FigureData, theme: FigureTheme, compact: boolean, yTitle: string) {
  const text = theme.text;
  const stacked = data.bars.some((series) => series.stack);
  // Nothing to draw (before a run, or early in one): no made-up ticks on an axis of no values.
  const blank =
    data.empty ||
    (data.type === 'line' && !data.lines.some((series) => series.points.some((point) => point.y > 0)));
  const yTick = (value: number | string): string => {
    const number = Number(value);
    return data.logarithmic ? logTick(number, data.unit) : formatValue(number, data.unit);
  };
  // Log axes end at the largest bar exactly unless given room above it.
  const barValues = data.bars
    .flatMap((series) => series.values)
    .filter((v): v is number => v !== null && v > 0);
  const logRange =
    data.logarithmic && barValues.length > 0
      ? { suggestedMin: Math.min(...barValues) / 3, suggestedMax: Math.max(...barValues) * 1.5 }
      : {};
  return {
    x: {
      type:
        data.type === 'line'
          ? data.logarithmicX
            ? ('logarithmic' as const)
            : ('linear' as const)
          : ('category' as const),
      stacked,
      ...(data.type === 'line' && data.xUnit !== 'number' && !data.logarithmicX ? { min: 0 } : {}),
      grid: { display: data.type === 'line', color: theme.grid },
      ticks: {
        color: text,
        font: font(compact ? 10 : 12),
        // Every category keeps its label (tilted when crowded): a skipped one leaves a group unnamed.
        ...(data.type === 'line' ? { callback: xTick(data) } : { autoSkip: false }),
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
      type: data.logarithmic ? ('logarithmic' as const) : ('linear' as const),
      stacked,
      ...(data.logarithmic ? {} : { beginAtZero: true }),
      grid: { color: theme.grid },
      ticks: {
        color: text,
        font: font(compact ? 10 : 12),
        autoSkip: !data.logarithmic,
        callback: yTick,
        display: !blank,
      },
      ...logRange,
      title: { display: true, text: yTitle, color: text, font: font(compact ? 11 : 13) },
    },
  };
}

/** How a line figure's x ticks read: plain numbers (a sweep) or simulated seconds. */
function xTick(data: FigureData): (value: number | string) => string {
  if (data.xUnit === 'number') {
    return (value) => {
      const number = Number(value);
      if (!data.logarithmicX) return formatPlain(number);
      // As the log y axes: only 1, 2 and 5 times a power of ten.
      const mantissa = number / 10 ** Math.floor(Math.log10(number) + 1e-9);
      return [1, 2, 5].some((keep) => Math.abs(mantissa - keep) < 1e-6) ? formatPlain(number) : '';
    };
  }
  return (value) => (data.logarithmicX ? logTick(Number(value), 'seconds') : formatSeconds(Number(value)));
}
