/** The file formats a figure is exported in: PNG for screens, SVG and PDF (vector) for papers. */
export const FIGURE_FORMATS = ['png', 'svg', 'pdf'] as const;
export type FigureFormat = (typeof FIGURE_FORMATS)[number];

export const FIGURE_MIME_TYPES: Record<FigureFormat, string> = {
  png: 'image/png',
  svg: 'image/svg+xml',
  pdf: 'application/pdf',
};

export function isFigureFormat(value: unknown): value is FigureFormat {
  return typeof value === 'string' && (FIGURE_FORMATS as readonly string[]).includes(value);
}

/**
 * The sides of an exported figure in whole pixels, and the most device pixels per pixel of a PNG:
 * one rule for the app's export dialog, the CLI's --width/--height/--scale and the figure renderer.
 */
export const FIGURE_SIDE_PIXELS = { min: 50, max: 8000 } as const;
export const MAX_FIGURE_SCALE = 8;

export const isFigureSide = (value: number): boolean =>
  Number.isInteger(value) && value >= FIGURE_SIDE_PIXELS.min && value <= FIGURE_SIDE_PIXELS.max;

export const isFigureScale = (value: number): boolean =>
  Number.isFinite(value) && value > 0 && value <= MAX_FIGURE_SCALE;
