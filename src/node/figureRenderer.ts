import { createCanvas, PDFDocument, SvgExportFlag } from '@napi-rs/canvas';
import type { SKRSContext2D } from '@napi-rs/canvas';
import type { ChartConfiguration } from 'chart.js';
import { DEFAULT_FIGURE_SIZE, FIGURE_FONT, figureConfig } from '../shared/figures/charts';
import type { FigureData } from '../shared/figures/charts';
import { registerFigureCharts } from '../shared/figures/register';
import type { FigureFormat } from '../shared/figures/export';
import { FIGURE_SIDE_PIXELS, isFigureScale, isFigureSide, MAX_FIGURE_SCALE } from '../shared/figures/export';

export interface FigureSize {
  /** CSS pixels. */
  width: number;
  height: number;
  /** Device pixels per CSS pixel: the PNG is width x scale by height x scale. */
  scale: number;
}

/** Largest side of an exported PNG in device pixels. */
export const MAX_FIGURE_PIXELS = 16_384;

export function checkFigureSize(size: FigureSize): void {
  for (const [name, value] of [
    ['width', size.width],
    ['height', size.height],
  ] as const) {
    if (!isFigureSide(value)) {
      throw new Error(
        `the figure ${name} must be a whole number of pixels from ${FIGURE_SIDE_PIXELS.min} to ${FIGURE_SIDE_PIXELS.max}, got ${value}`,
      );
    }
  }
  if (!isFigureScale(size.scale)) {
    throw new Error(`the figure scale must be above 0 and at most ${MAX_FIGURE_SCALE}, got ${size.scale}`);
  }
  if (Math.max(size.width, size.height) * size.scale > MAX_FIGURE_PIXELS) {
    throw new Error(`the figure would be over ${MAX_FIGURE_PIXELS} pixels wide or high`);
  }
}

type ChartItem = ConstructorParameters<ReturnType<typeof registerFigureCharts>>[0];

/**
 * Draw the figure's chart.js configuration once on a 2D context (a canvas's, or a PDF page's) and
 * take the output before the chart is destroyed (destroying clears the canvas).
 */
function drawChart<T>(item: ChartItem, data: FigureData, scale: number, output: () => T): T {
  const Chart = registerFigureCharts();
  const chart = new Chart(item, figureConfig(data, { scale, responsive: false }) as ChartConfiguration);
  try {
    // chart.js draws once on construction (no animation, a context it takes as attached); a
    // second draw() would put every element twice into an SVG or PDF.
    return output();
  } finally {
    chart.destroy();
  }
}

/**
 * Draw a figure headless (chart.js on @napi-rs/canvas, Node only) with the same configuration the
 * renderer uses, and return it as PNG bytes of exactly width x scale by height x scale pixels.
 */
export function renderFigurePng(data: FigureData, size: FigureSize = DEFAULT_FIGURE_SIZE): Buffer {
  checkFigureSize(size);
  const canvas = createCanvas(size.width, size.height);
  // chart.js draws on any 2D context; the napi-rs canvas is one.
  return drawChart(canvas as unknown as ChartItem, data, size.scale, () => canvas.toBuffer('image/png'));
}

/**
 * The figure as SVG, drawn by the same chart.js configuration on Skia's SVG canvas
 * (@napi-rs/canvas): text stays text (<text> elements an editor or a search finds), lines and bars
 * are paths. width x height is the SVG's size in CSS pixels; the scale does not apply to vectors.
 */
export function renderFigureSvg(data: FigureData, size: FigureSize = DEFAULT_FIGURE_SIZE): string {
  checkFigureSize(size);
  const canvas = createCanvas(size.width, size.height, SvgExportFlag.NoPrettyXML);
  const svg = drawChart(canvas as unknown as ChartItem, data, 1, () => canvas.getContent().toString('utf8'));
  // Skia names the one font it drew with; a viewer without it falls back as the app's font list does.
  const fontStack = FIGURE_FONT.replace(/"/g, "'");
  return svg.replace(/font-family="([^"]*)"/g, (_whole, family: string) =>
    family.includes(',') ? `font-family="${family}"` : `font-family="'${family}', ${fontStack}"`,
  );
}

/**
 * The figure as a one-page PDF (Skia's PDF backend in @napi-rs/canvas): vector paths and text with
 * its fonts embedded (subset). The page is width x height points, one point per CSS pixel.
 */
export function renderFigurePdf(data: FigureData, size: FigureSize = DEFAULT_FIGURE_SIZE): Buffer {
  checkFigureSize(size);
  const document = new PDFDocument({ title: data.title, creator: 'Accent Migration Lab' });
  const context = document.beginPage(size.width, size.height);
  // chart.js takes a context whose .canvas says its size; a PDF page's context has none of its own.
  const page = { width: size.width, height: size.height, style: {}, getContext: () => context };
  Object.defineProperty(context, 'canvas', { value: page });
  drawChart(context as SKRSContext2D as unknown as ChartItem, data, 1, () => document.endPage());
  return document.close();
}

/** The figure in one of the export formats: PNG and PDF as bytes, SVG as UTF-8 bytes. */
export function renderFigure(data: FigureData, size: FigureSize, format: FigureFormat): Buffer {
  switch (format) {
    case 'png':
      return renderFigurePng(data, size);
    case 'svg':
      return Buffer.from(renderFigureSvg(data, size), 'utf8');
    case 'pdf':
      return renderFigurePdf(data, size);
  }
}

/** Width and height from a PNG's IHDR chunk; throws when the bytes are not a PNG. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (png.length < 24 || signature.some((byte, i) => png[i] !== byte)) throw new Error('not a PNG file');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
