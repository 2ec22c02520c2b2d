import type { Command } from 'commander';
import { DEFAULT_FIGURE_SIZE } from '../../shared/figures/charts';
import { FIGURE_FORMATS, isFigureFormat, type FigureFormat } from '../../shared/figures/export';
import type { CommandContext } from '../context';
import { notebookFigures } from '../notebook';
import { loadNotebook, writeFigures } from '../notebookFiles';
import { parsePixels, parseScale, UsageError } from '../options';

interface FigureCliOptions {
  out: string;
  width: number;
  height: number;
  scale: number;
  format: FigureFormat;
}

function parseFormat(value: string): FigureFormat {
  if (!isFigureFormat(value)) {
    throw new UsageError(`--format must be one of ${FIGURE_FORMATS.join(', ')} (got "${value}")`);
  }
  return value;
}

/** `accent-lab figures`: every figure of a notebook as PNG, SVG or PDF, and its data as CSV. */
export function registerFigures(program: Command, context: CommandContext): void {
  const { io } = context;
  program
    .command('figures')
    .description(
      'Draw every figure of a notebook headless (chart.js on a native canvas) and write each as PNG, ' +
        'SVG or PDF (vector, text kept as text), with its data as CSV',
    )
    .argument('<notebook>', 'notebook file (.accentlab)')
    .requiredOption('--out <dir>', 'output folder, created if missing')
    .option('--width <px>', 'figure width in pixels', parsePixels, DEFAULT_FIGURE_SIZE.width)
    .option('--height <px>', 'figure height in pixels', parsePixels, DEFAULT_FIGURE_SIZE.height)
    .option('--scale <s>', 'device pixels per pixel (2 for a high-resolution PNG)', parseScale, 1)
    .option(
      '--format <format>',
      `one of ${FIGURE_FORMATS.join(', ')} (SVG and PDF are vector: width x height in pixels, or points in a PDF)`,
      parseFormat,
      'png' as FigureFormat,
    )
    .action(async (notebook: string, options: FigureCliOptions) => {
      const doc = await loadNotebook(notebook);
      const figures = notebookFigures(doc);
      const files = await writeFigures(figures, options.out, options, options.format);
      io.stderr.write(
        `figures: wrote ${figures.length} figure${figures.length === 1 ? '' : 's'} (${files.length} files) to ${options.out}\n`,
      );
      for (const file of files) io.stdout.write(`${file}\n`);
    });
}
