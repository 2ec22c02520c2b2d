import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  SubTitle,
  Title,
  Tooltip,
} from 'chart.js';
import { FIGURE_FONT } from './theme';

let registered = false;

/**
 * Register the chart.js parts the figures use (once), with still defaults. The renderer and the
 * command line's headless renderer both call it, so they draw with the same chart.js setup.
 */
export function registerFigureCharts(): typeof Chart {
  if (!registered) {
    Chart.register(
      BarController,
      BarElement,
      CategoryScale,
      Filler,
      Legend,
      LinearScale,
      LineController,
      LineElement,
      LogarithmicScale,
      PointElement,
      SubTitle,
      Title,
      Tooltip,
    );
    Chart.defaults.animation = false;
    Chart.defaults.font.family = FIGURE_FONT;
    Chart.defaults.color = '#334155';
    registered = true;
  }
  return Chart;
}
