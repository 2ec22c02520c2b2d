import { figureConfig, figureCsv, figureFileStem } from '../../../shared/figures/charts';
import type { FigureData } from '../../../shared/figures/charts';
import { FIGURE_MIME_TYPES } from '../../../shared/figures/export';
import type { FigureFormat } from '../../../shared/figures/export';
import { setupCharts } from '../charts/setup';
import { useHost } from '../host/currentHost';

/** "Bytes on the network" -> "bytes-on-the-network.png". */
export function pngFileName(title: string): string {
  return `${figureFileStem(title)}.png`;
}

export interface ExportSize {
  width: number;
  height: number;
  scale: number;
}

/** Hand a file to the browser's download (Electron asks where to save it). */
export function download(href: string, fileName: string): void {
  const link = document.createElement('a');
  link.href = href;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
}

/**
 * A figure drawn off screen at a fixed size with the shared figure configuration (the same one
 * `accent-lab figures` draws with), as a PNG data URL of width x scale by height x scale pixels.
 */
export function figurePngUrl(data: FigureData, size: ExportSize): string {
  const ChartJs = setupCharts();
  const canvas = document.createElement('canvas');
  canvas.width = size.width;
  canvas.height = size.height;
  const chart = new ChartJs(canvas, figureConfig(data, { scale: size.scale, responsive: false }));
  try {
    chart.draw();
    return chart.toBase64Image('image/png', 1);
  } finally {
    chart.destroy();
  }
}

export function exportFigurePng(data: FigureData, size: ExportSize): void {
  download(figurePngUrl(data, size), `${figureFileStem(data.title)}.png`);
}

export function exportFigureCsv(data: FigureData): void {
  const url = URL.createObjectURL(new Blob([figureCsv(data)], { type: 'text/csv' }));
  download(url, `${figureFileStem(data.title)}.csv`);
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Bytes of a base64 text (the host sends files so). */
export function base64Bytes(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i += 1) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/**
 * A figure drawn by the host's headless renderer (the one `accent-lab figures` uses): SVG with its
 * text as text, or a one-page PDF, or a PNG. Returns the file's bytes.
 */
export async function renderFigureFile(
  data: FigureData,
  size: ExportSize,
  format: FigureFormat,
): Promise<Uint8Array<ArrayBuffer>> {
  // A plain copy: no reactive proxies across the bridge.
  const figure = JSON.parse(JSON.stringify(data)) as FigureData;
  const drawn = await useHost().renderFigure({ figure, format, ...size });
  return base64Bytes(drawn.base64);
}

/** Save a figure as SVG or PDF (or PNG) drawn by the host; resolves once the download started. */
export async function exportFigureFile(
  data: FigureData,
  size: ExportSize,
  format: FigureFormat,
): Promise<void> {
  const bytes = await renderFigureFile(data, size, format);
  const url = URL.createObjectURL(new Blob([bytes], { type: FIGURE_MIME_TYPES[format] }));
  download(url, `${figureFileStem(data.title)}.${format}`);
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
