import type { Chart, Plugin } from 'chart.js';

/** Paints the canvas white under the chart, so exported PNGs are not transparent. */
export const whiteBackground: Plugin = {
  id: 'whiteBackground',
  beforeDraw(chart) {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.globalCompositeOperation = 'destination-over';
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

/** "Bytes on the network" -> "bytes-on-the-network.png". */
export function pngFileName(title: string): string {
  const stem = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `${stem || 'chart'}.png`;
}

/** Save a chart as a PNG through the browser's download (Electron asks where). */
export function useChartExport(): { exportPng: (chart: Chart, title: string) => void } {
  return {
    exportPng(chart, title) {
      const link = document.createElement('a');
      link.href = chart.toBase64Image('image/png', 1);
      link.download = pngFileName(title);
      link.click();
    },
  };
}
