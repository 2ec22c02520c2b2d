import { dirname, resolve } from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { Command } from 'commander';
import { nodeMarkdownRenderer } from '../../node/markdown';
import { renderFigureSvg } from '../../node/figureRenderer';
import { DEFAULT_FIGURE_SIZE } from '../../shared/figures/charts';
import { notebookReport } from '../../shared/report/report';
import type { CommandContext } from '../context';
import { loadNotebook } from '../notebookFiles';
import { parsePixels } from '../options';
import { loadPaperValues, packageVersion } from '../packageRoot';
import { writeOutputFile } from '../writeOutput';

interface ReportCliOptions {
  out: string;
  width: number;
  height: number;
}

/** `accent-lab report`: a notebook as one self-contained HTML file to share. */
export function registerReport(program: Command, context: CommandContext): void {
  const { io } = context;
  program
    .command('report')
    .description(
      'Write a notebook as one self-contained HTML file to share: its notes rendered as the app renders ' +
        "them, each experiment's summary and trials, every figure as inline SVG and the paper's tables; " +
        'it loads nothing from anywhere',
    )
    .argument('<notebook>', 'notebook file (.accentlab)')
    .requiredOption('--out <file>', 'the HTML file to write (its folder is created if missing)')
    .option('--width <px>', 'figure width in pixels', parsePixels, DEFAULT_FIGURE_SIZE.width)
    .option('--height <px>', 'figure height in pixels', parsePixels, DEFAULT_FIGURE_SIZE.height)
    .action(async (notebook: string, options: ReportCliOptions) => {
      const doc = await loadNotebook(notebook);
      const size = { width: options.width, height: options.height, scale: 1 };
      const html = await notebookReport(doc, {
        renderNote: nodeMarkdownRenderer({ offline: true }),
        drawFigure: async (data) => renderFigureSvg(data, size),
        paper: loadPaperValues(),
        generator: `Accent Migration Lab ${packageVersion()}`,
      });
      const file = resolve(options.out);
      await mkdir(dirname(file), { recursive: true });
      await writeOutputFile(file, html);
      io.stderr.write(`report: wrote ${options.out} (${Buffer.byteLength(html)} bytes)\n`);
      io.stdout.write(`${file}\n`);
    });
}
