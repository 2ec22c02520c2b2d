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
