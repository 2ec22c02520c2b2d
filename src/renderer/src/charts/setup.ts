import type { Chart } from 'chart.js';
import { registerFigureCharts } from '../../../shared/figures/register';

export { colour, formatBytes, formatSeconds, PALETTE } from '../../../shared/figures/format';

/** Register the chart.js parts the lab uses (once), as the shared figure module does. */
export function setupCharts(): typeof Chart {
  return registerFigureCharts();
}
