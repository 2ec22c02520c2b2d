import { figureConfig, figureCsv, figureFileStem } from '../../../shared/figures/charts';
import type { FigureData } from '../../../shared/figures/charts';
import { setupCharts } from '../charts/setup';

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
