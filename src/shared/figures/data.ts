import type { FigureSpec } from './spec';
import { FIGURE_TITLES } from './spec';

/**
 * What a figure draws, independent of how: its series with units, its labels and its numbers as
 * a table (written as CSV). Each kind builds one from an experiment's results (./barCharts.ts,
 * ./lineCharts.ts, ./riskCharts.ts, ./sensitivity.ts, ./compareExperiments.ts), and
 * ./chartOptions.ts turns it into a chart.js configuration.
 */

/** The size figures are exported at unless asked otherwise (CSS pixels; `scale` multiplies). */
export const DEFAULT_FIGURE_SIZE = { width: 960, height: 540, scale: 1 } as const;

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

/** What a figure kind says about itself; {@link makeFigure} gives the rest their defaults. */
export interface FigureFields {
  /** Default: the spec's title, else the kind's (FIGURE_TITLES). */
  title?: string;
  subtitle: string;
  type: 'bar' | 'line';
  xLabel: string;
  yLabel: string;
  unit: FigureUnit;
  /** Default false. */
  logarithmic?: boolean;
  /** Default none (line figures have none). */
  categories?: string[];
  bars?: BarSeries[];
  lines?: LineSeries[];
  table: (string | number)[][];
  empty: boolean;
  xUnit?: FigureData['xUnit'];
  logarithmicX?: boolean;
  markers?: VerticalMarker[];
}

/** A figure's data: `fields` with the defaults every kind shares, keys in one order. */
export function makeFigure(spec: FigureSpec, fields: FigureFields): FigureData {
  const { xUnit, logarithmicX, markers } = fields;
  return {
    spec,
    title: fields.title ?? spec.title ?? FIGURE_TITLES[spec.kind],
    subtitle: fields.subtitle,
    type: fields.type,
    xLabel: fields.xLabel,
    yLabel: fields.yLabel,
    unit: fields.unit,
    logarithmic: fields.logarithmic ?? false,
    categories: fields.categories ?? [],
    bars: fields.bars ?? [],
    lines: fields.lines ?? [],
    table: fields.table,
    empty: fields.empty,
    ...(xUnit !== undefined ? { xUnit } : {}),
    ...(logarithmicX !== undefined ? { logarithmicX } : {}),
    ...(markers !== undefined ? { markers } : {}),
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

/** "Bytes on the network" -> "bytes-on-the-network". */
export function figureFileStem(title: string): string {
  const stem = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return stem || 'figure';
}
