import type { Plugin } from 'chart.js';
import type { VerticalMarker } from './data';
import { FIGURE_FONT, MARKER_COLOURS, PAPER_THEME } from './theme';

/**
 * The chart.js plugins every figure carries (./chartOptions.ts): a background, error bars,
 * vertical markers and a y-axis title that fits. They live here, not in the renderer, so the
 * app and the command line's PNG, SVG and PDF exports draw them alike.
 */

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
