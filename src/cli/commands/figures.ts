import type { Command } from 'commander';
import { DEFAULT_FIGURE_SIZE } from '../../shared/figures/charts';
import type { CommandContext } from '../context';
import { notebookFigures } from '../notebook';
import { loadNotebook, writeFigures } from '../notebookFiles';
import { parsePixels, parseScale } from '../options';

interface FigureCliOptions {
  out: string;
  width: number;
  height: number;
  scale: number;
}

/** `accent-lab figures`: every figure of a notebook as PNG and CSV. */
export function registerFigures(program: Command, context: CommandContext): void {
  const { io } = context;
  program
    .command('figures')
    .description(
      'Draw every figure of a notebook headless (chart.js on a native canvas) and write each as PNG, ' +
        'with its data as CSV',
    )
    .argument('<project>', 'notebook file (.accentlab)')
    .requiredOption('--out <dir>', 'output folder, created if missing')
    .option('--width <px>', 'figure width in pixels', parsePixels, DEFAULT_FIGURE_SIZE.width)
    .option('--height <px>', 'figure height in pixels', parsePixels, DEFAULT_FIGURE_SIZE.height)
    .option('--scale <s>', 'device pixels per pixel (2 for a high-resolution PNG)', parseScale, 1)
    .action(async (project: string, options: FigureCliOptions) => {
      const doc = await loadNotebook(project);
      const figures = notebookFigures(doc);
      const files = await writeFigures(figures, options.out, options);
      io.stderr.write(
        `figures: wrote ${figures.length} figure${figures.length === 1 ? '' : 's'} (${files.length} files) to ${options.out}\n`,
      );
      for (const file of files) io.stdout.write(`${file}\n`);
    });
}
