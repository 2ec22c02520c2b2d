import type { TrialResult } from '../../engine/experiment/trial';
import { faultLatencyFigure, messageTimeFigure, metricBarFigure, referenceFigure } from './barCharts';

export { comparisonBarFigure, messageTimeBars } from './barCharts';
import type { FigureData } from './data';
import { byteRateFigure } from './lineCharts';
import { lossRiskFigure } from './riskCharts';
import type { FigureSpec } from './spec';

/**
 * Figures as chart.js configurations: one module for the renderer and the command line, so a
 * figure exported as PNG looks the same wherever it is drawn. Each kind turns an experiment's
 * results into {@link FigureData} (what is drawn, also written as CSV: ./data.ts; bar, line and
 * risk figures: ./barCharts.ts, ./lineCharts.ts, ./riskCharts.ts), then into a configuration with
 * a title, axis labels, a background, no animation and a fixed size (./chartOptions.ts, with the
 * plugins of ./plugins.ts and the colours of ./theme.ts). This module picks the kind and exports
 * them all.
 */

export {
  DEFAULT_FIGURE_SIZE,
  figureCsv,
  figureFileStem,
  makeFigure,
  type BarSeries,
  type FigureData,
  type FigureFields,
  type FigureUnit,
  type LineSeries,
  type VerticalMarker,
} from './data';
export { formatPlain, formatValue, variantColours } from './format';
export { liveByteRateData, type LiveRateTrial } from './lineCharts';
export { figureConfig, type FigureConfigOptions } from './chartOptions';
export { errorBars, fitAxisTitle, verticalMarkers, whiteBackground } from './plugins';
export { DARK_THEME, FIGURE_FONT, MARKER_COLOURS, PAPER_THEME, type FigureTheme } from './theme';

/** What a figure shows, computed from an experiment's results. */
export function figureData(spec: FigureSpec, results: readonly TrialResult[]): FigureData {
  const kind = spec.kind;
  switch (kind) {
    case 'message-time':
      return messageTimeFigure(spec, results);
    case 'byte-rate':
      return byteRateFigure(spec, results);
    case 'loss-risk':
      return lossRiskFigure(spec, results);
    case 'fault-latency':
      return faultLatencyFigure(spec, results);
    case 'reference':
      return referenceFigure(spec, results);
    default:
      return metricBarFigure(spec, kind, results);
  }
}
