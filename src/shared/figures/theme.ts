/** One font everywhere, so the renderer and the command line lay text out alike. */
export const FIGURE_FONT = '"DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif';

/**
 * The colours a figure is drawn in. Exports (PNG, the command line) always use PAPER_THEME, on
 * white; the app's live charts take theirs from the page (dark when the OS is).
 */
export interface FigureTheme {
  background: string;
  text: string;
  /** The subtitle. */
  muted: string;
  grid: string;
  /** Error-bar whiskers on bars. */
  whisker: string;
  /** Behind marker labels, so grid lines do not run through them. */
  labelBacking: string;
  markers: readonly string[];
}

/** Marker colours: the first red as before, the others apart from it and from each other. */
export const MARKER_COLOURS = ['#b91c1c', '#6d28d9', '#0f766e', '#b45309'] as const;

export const PAPER_THEME: FigureTheme = {
  background: '#ffffff',
  text: '#1e293b',
  muted: '#475569',
  grid: '#e2e8f0',
  whisker: '#0f172a',
  labelBacking: 'rgba(255, 255, 255, 0.85)',
  markers: MARKER_COLOURS,
};

/** The app's charts on a dark page: light text, dim grid, markers light enough to read. */
export const DARK_THEME: FigureTheme = {
  background: '#172033',
  text: '#e2e8f0',
  muted: '#94a3b8',
  grid: '#334155',
  whisker: '#e2e8f0',
  labelBacking: 'rgba(23, 32, 51, 0.85)',
  markers: ['#f87171', '#a78bfa', '#2dd4bf', '#fbbf24'],
};
