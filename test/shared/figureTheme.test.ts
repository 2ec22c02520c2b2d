import { createCanvas } from '@napi-rs/canvas';
import type { ChartConfiguration } from 'chart.js';
import { describe, expect, it } from 'vitest';
import { expandDesign } from '../../src/engine/experiment/design';
import { runTrial } from '../../src/engine/experiment/trial';
import {
  DARK_THEME,
  figureConfig,
  figureData,
  PAPER_THEME,
  type FigureTheme,
} from '../../src/shared/figures/charts';
import { registerFigureCharts } from '../../src/shared/figures/register';
import { smallDesign } from '../helpers/designs';

const results = expandDesign(
  smallDesign({ representatives: ['Minprog'], strategies: ['pure-copy', 'pure-iou'] }),
).map((spec) => runTrial(spec));

/** Draw the bytes figure headless and return the colour of its top-left pixel and its text. */
function draw(theme?: FigureTheme): { corner: number[]; options: Record<string, unknown> } {
  const Chart = registerFigureCharts();
  const canvas = createCanvas(400, 260);
  const config = figureConfig(figureData({ kind: 'bytes' }, results), theme ? { theme } : {});
  const chart = new Chart(
    canvas as unknown as ConstructorParameters<typeof Chart>[0],
    config as ChartConfiguration,
  );
  try {
    chart.draw();
    const pixel = canvas.getContext('2d').getImageData(1, 1, 1, 1).data;
    return { corner: [...pixel], options: config.options as Record<string, unknown> };
  } finally {
    chart.destroy();
  }
}

const rgb = (hex: string): number[] => [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16));

describe('figure themes', () => {
  it('draws on white by default: every export and the command line', () => {
    const { corner, options } = draw();
    expect(corner).toEqual([255, 255, 255, 255]);
    expect((options['plugins'] as { title: { color: string } }).title.color).toBe(PAPER_THEME.text);
  });

  it('draws the app’s dark charts on the dark background, with light text and a dim grid', () => {
    const { corner, options } = draw(DARK_THEME);
    expect(corner).toEqual([...rgb(DARK_THEME.background), 255]);
    const plugins = options['plugins'] as { title: { color: string }; subtitle: { color: string } };
    expect(plugins.title.color).toBe(DARK_THEME.text);
    expect(plugins.subtitle.color).toBe(DARK_THEME.muted);
    const scales = options['scales'] as { y: { grid: { color: string }; ticks: { color: string } } };
    expect(scales.y.grid.color).toBe(DARK_THEME.grid);
    expect(scales.y.ticks.color).toBe(DARK_THEME.text);
  });
});
