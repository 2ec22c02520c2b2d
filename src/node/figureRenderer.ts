import { createCanvas } from '@napi-rs/canvas';
import type { ChartConfiguration } from 'chart.js';
import { DEFAULT_FIGURE_SIZE, figureConfig } from '../shared/figures/charts';
import type { FigureData } from '../shared/figures/charts';
import { registerFigureCharts } from '../shared/figures/register';

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
    if (!Number.isInteger(value) || value < 50 || value > 8_000) {
      throw new Error(`the figure ${name} must be a whole number of pixels from 50 to 8000, got ${value}`);
    }
  }
  if (!Number.isFinite(size.scale) || size.scale <= 0 || size.scale > 8) {
    throw new Error(`the figure scale must be above 0 and at most 8, got ${size.scale}`);
  }
  if (Math.max(size.width, size.height) * size.scale > MAX_FIGURE_PIXELS) {
    throw new Error(`the figure would be over ${MAX_FIGURE_PIXELS} pixels wide or high`);
  }
}

/**
 * Draw a figure headless (chart.js on @napi-rs/canvas, Node only) with the same configuration the
 * renderer uses, and return it as PNG bytes of exactly width x scale by height x scale pixels.
 */
export function renderFigurePng(data: FigureData, size: FigureSize = DEFAULT_FIGURE_SIZE): Buffer {
  checkFigureSize(size);
  const Chart = registerFigureCharts();
  const canvas = createCanvas(size.width, size.height);
  const config = figureConfig(data, { scale: size.scale, responsive: false });
  // chart.js draws on any 2D context; the napi-rs canvas is one.
  const chart = new Chart(
    canvas as unknown as ConstructorParameters<typeof Chart>[0],
    config as ChartConfiguration,
  );
  try {
    chart.draw();
    return canvas.toBuffer('image/png');
  } finally {
    chart.destroy();
  }
}

/** Width and height from a PNG's IHDR chunk; throws when the bytes are not a PNG. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (png.length < 24 || signature.some((byte, i) => png[i] !== byte)) throw new Error('not a PNG file');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
