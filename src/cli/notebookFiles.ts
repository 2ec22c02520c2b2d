import { mkdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { FigureSize } from '../node/figureRenderer';
import { deserializeNotebook, readNotebookFile, serializeNotebook } from '../node/notebookFile';
import { figureCsv } from '../shared/figures/charts';
import type { NotebookFigure as SharedNotebookFigure } from '../shared/figures/notebookFigures';
import type { FigureFormat } from '../shared/figures/export';
import type { NotebookDocument } from '../shared/hostApi';
import { packageVersion } from './packageRoot';
import { writeOutputFile } from './writeOutput';

/**
 * A notebook file, upgraded to the current format and validated. Read as the app reads a notebook
 * (readNotebookFile): a regular file of at most MAX_NOTEBOOK_FILE_BYTES, refused by its size before
 * any of it is read.
 */
export async function loadNotebook(file: string): Promise<NotebookDocument> {
  const text = await readNotebookFile(file);
  return deserializeNotebook(text, basename(file), packageVersion());
}

/** A figure to write: its file stem and what it draws. */
export type NotebookFigure = Pick<SharedNotebookFigure, 'name' | 'data'>;

/** Write figures as PNG, SVG or PDF (and their data as CSV) under `out`; returns the files written. */
export async function writeFigures(
  figures: readonly NotebookFigure[],
  out: string,
  size: FigureSize,
  format: FigureFormat = 'png',
): Promise<string[]> {
  const dir = resolve(out);
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  if (figures.length === 0) return files;
  // Loaded when a figure is drawn: chart.js and the canvas binary take a good part of a second to
  // load, which a command that draws no figure (a campaign's start) should not wait for.
  const { renderFigure } = await import('../node/figureRenderer');
  for (const figure of figures) {
    const drawn = join(dir, `${figure.name}.${format}`);
    await writeOutputFile(drawn, renderFigure(figure.data, size, format));
    const csv = join(dir, `${figure.name}.csv`);
    await writeOutputFile(csv, figureCsv(figure.data));
    files.push(drawn, csv);
  }
  return files;
}

/** Write a generated notebook atomically, its folder made if need be; returns its size in bytes. */
export async function writeNotebookFile(file: string, doc: NotebookDocument): Promise<number> {
  const text = serializeNotebook(doc);
  await mkdir(dirname(resolve(file)), { recursive: true });
  await writeOutputFile(resolve(file), text);
  return Buffer.byteLength(text);
}
