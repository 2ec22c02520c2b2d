import { experimentCounts } from '../notebook/summary';
import type { PaperValues } from '../../engine/reproduction/paper';
import { variantName } from '../../engine/model/migration';
import { figureFileStem } from '../figures/charts';
import type { FigureData } from '../figures/charts';
import { formatSwept } from '../figures/format';
import { notebookFigures } from '../figures/notebookFigures';
import type { NotebookFigure } from '../figures/notebookFigures';
import type { ExperimentEntry, NotebookDocument } from '../hostApi';
import { PAPER_EXPERIMENT_ID } from '../notebook/reproduction';
import { experimentTables, paperTables } from '../tables/notebook';
import type { Table } from '../tables/table';
import { REPORT_STYLE } from './style';

/**
 * A notebook as one self-contained HTML file to share (what nbconvert is to Jupyter): its notes
 * rendered as the app renders them, each experiment's design, summary and trials, every figure as
 * inline SVG (text kept as text), and the paper's tables where the notebook holds the reproduction.
 * Nothing is fetched: styles are inline, images are SVG or data: URLs, and a Content-Security-Policy
 * forbids any other load. `accent-lab report` and the app's Export Report both call this.
 */
export interface ReportOptions {
  /** The app's note renderer, offline (markdownRenderer(purify, { offline: true })). */
  renderNote: (markdown: string) => string;
  /** A figure as an SVG document (the host's renderer; `accent-lab figures --format svg`). */
  drawFigure: (data: FigureData) => Promise<string>;
  /** The paper's values, for its tables beside a reproduction. */
  paper?: PaperValues | undefined;
  /** "Accent Migration Lab 0.1.0". */
  generator: string;
}

/** The page may load nothing: inline styles and data: images only. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A table as HTML: numeric columns right-aligned, the caption above. */
export function tableHtml(table: Table): string {
  const align = (numeric: boolean): string => (numeric ? ' class="num"' : '');
  const caption = table.caption ? `${table.title}: ${table.caption}` : table.title;
  const head = table.columns
    .map((column) => `<th scope="col"${align(column.numeric)}>${escapeHtml(column.label)}</th>`)
    .join('');
  const rows = table.rows
    .map(
      (row) =>
        `<tr>${row
          .map((item, at) => `<td${align(table.columns[at]?.numeric ?? false)}>${escapeHtml(item.text)}</td>`)
          .join('')}</tr>`,
    )
    .join('\n');
  return (
    `<div class="table-wrap"><table class="data" id="table-${escapeHtml(table.id)}">` +
    `<caption>${escapeHtml(caption)}</caption>` +
    `<thead><tr>${head}</tr></thead>\n<tbody>\n${rows}\n</tbody></table></div>`
  );
}

/**
 * An SVG document made fit to sit in the page: no XML declaration, its ids (Skia's clip paths)
 * prefixed so that figures do not share them, scaled to the column by a viewBox, named for readers.
 */
export function inlineSvg(svg: string, prefix: string, title: string): string {
  const body = svg.replace(/^\s*<\?xml[^>]*\?>\s*/, '');
  const renamed = body
    .replace(/\bid="([^"]+)"/g, (_all, id: string) => `id="${prefix}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_all, id: string) => `url(#${prefix}-${id})`)
    .replace(
      /\b(xlink:href|href)="#([^"]+)"/g,
      (_all, name: string, id: string) => `${name}="#${prefix}-${id}"`,
    );
  return renamed.replace(/^<svg\b([^>]*)>/, (_all, attributes: string) => {
    const width = /\bwidth="([\d.]+)"/.exec(attributes)?.[1];
    const height = /\bheight="([\d.]+)"/.exec(attributes)?.[1];
    const viewBox =
      width && height && !/viewBox=/.test(attributes) ? ` viewBox="0 0 ${width} ${height}"` : '';
    return `<svg${attributes}${viewBox} role="img" aria-label="${escapeHtml(title)}">`;
  });
}

function designLine(entry: ExperimentEntry): string {
  const { design } = entry;
  const workloads = [...design.representatives, ...design.customWorkloads.map((workload) => workload.name)];
  const variants = design.strategies.length;
  const { ok, failed } = experimentCounts(entry);
  const trials = ok + failed;
  const parts = [
    `${trials.toLocaleString('en-US')} trial${trials === 1 ? '' : 's'}`,
    `workloads ${workloads.join(', ') || '—'}`,
    `strategies ${design.strategies.join(', ')}${variants > 0 ? `, prefetch ${design.prefetchValues.join(', ')}` : ''}`,
    `${design.repetitions} repetition${design.repetitions === 1 ? '' : 's'}`,
    `hardware ${design.hardware.name}`,
    `seed ${design.seed}`,
    `engine ${entry.engineVersion}`,
  ];
  if (design.sensitivity) {
    parts.push(
      `sweeping ${design.sensitivity.parameter} over ${design.sensitivity.values.map(formatSwept).join(', ')}`,
    );
  }
  return parts.join('; ');
}

function failedLine(entry: ExperimentEntry): string {
  if (entry.summary) {
    const count = entry.summary.failed;
    return count === 0
      ? ''
      : `<p class="failed">${count.toLocaleString('en-US')} trial${count === 1 ? '' : 's'} failed (see the results store).</p>`;
  }
  const failed = entry.results.filter((result) => !result.ok);
  if (failed.length === 0) return '';
  const shown = failed
    .slice(0, 3)
    .map(
      (result) =>
        `${result.workload} ${variantName(result.strategy, result.prefetch)}: ${result.error ?? 'failed'}`,
    );
  return `<p class="failed">${failed.length} trial${failed.length === 1 ? '' : 's'} failed (${escapeHtml(shown.join('; '))}${failed.length > 3 ? '; …' : ''}).</p>`;
}

/** Draws a notebook's figures as inline SVG, numbering them in the order drawn (their ids' prefixes). */
type DrawFigure = (figure: NotebookFigure) => Promise<string>;

/** The report of a notebook (see ReportOptions): its entries in order, then the page around them. */
export async function notebookReport(doc: NotebookDocument, options: ReportOptions): Promise<string> {
  const byEntry = new Map<string, NotebookFigure[]>();
  for (const figure of notebookFigures(doc))
    byEntry.set(figure.entryId, [...(byEntry.get(figure.entryId) ?? []), figure]);
  let figureCount = 0;
  const drawn: DrawFigure = async (figure) => {
    figureCount += 1;
    const svg = inlineSvg(await options.drawFigure(figure.data), `f${figureCount}`, figure.data.title);
    const caption = figure.caption ? `<figcaption>${escapeHtml(figure.caption)}</figcaption>` : '';
    return `<figure id="figure-${escapeHtml(figure.name)}">${svg}${caption}</figure>`;
  };

  const sections: string[] = [];
  const usedStems = new Set<string>();
  for (const entry of doc.entries) {
    if (entry.kind === 'note') {
      sections.push(
        `<section class="note" id="${escapeHtml(entry.id)}">${options.renderNote(entry.markdown)}</section>`,
      );
    } else if (entry.kind === 'figure') {
      for (const figure of byEntry.get(entry.id) ?? []) sections.push(await drawn(figure));
    } else {
      sections.push(await experimentSection(entry, byEntry.get(entry.id) ?? [], drawn, usedStems));
    }
  }
  if (options.paper) insertPaperTables(sections, paperTables(doc, options.paper));
  return reportPage(doc, options.generator, sections, figureCount);
}

/**
 * An experiment's section: its design and failures, its figures, its summary table, and its trials
 * (all of them, or a summarized experiment's first replications) folded away. `usedStems` keeps
 * the tables' ids distinct between experiments of the same name.
 */
async function experimentSection(
  entry: ExperimentEntry,
  figures: readonly NotebookFigure[],
  drawn: DrawFigure,
  usedStems: Set<string>,
): Promise<string> {
  const parts = [
    `<h2>${escapeHtml(entry.design.name || entry.id)}</h2>`,
    `<p class="design">${escapeHtml(designLine(entry))}</p>`,
    failedLine(entry),
  ];
  if (entry.results.length === 0 && !entry.summary) {
    parts.push('<p class="empty">Not run yet: no results.</p>');
  } else {
    for (const figure of figures) parts.push(await drawn(figure));
    let stem = figureFileStem(entry.design.name || entry.id);
    for (let n = 2; usedStems.has(stem); n += 1)
      stem = `${figureFileStem(entry.design.name || entry.id)}-${n}`;
    usedStems.add(stem);
    const [trials, summary] = experimentTables(entry, stem);
    parts.push(tableHtml(summary!));
    parts.push(
      entry.summary
        ? `<p class="store">Its ${entry.summary.trials.toLocaleString('en-US')} trials are summarized here; every trial is in the results store ${escapeHtml(entry.summary.store)}.</p>` +
            `<details><summary>The first replication of each design point</summary>${tableHtml(trials!)}</details>`
        : `<details><summary>All ${entry.results.length} trials</summary>${tableHtml(trials!)}</details>`,
    );
  }
  return `<section class="experiment" id="${escapeHtml(entry.id)}">${parts.join('\n')}</section>`;
}

/** The paper's tables, below the reproduction's experiment as the app shows them; else at the end. */
function insertPaperTables(sections: string[], paper: readonly Table[]): void {
  if (paper.length === 0) return;
  const at = sections.findIndex((section) =>
    section.startsWith(`<section class="experiment" id="${PAPER_EXPERIMENT_ID}">`),
  );
  sections.splice(
    at < 0 ? sections.length : at + 1,
    0,
    `<section class="paper"><h2>The paper's tables beside this notebook's results</h2>${paper.map(tableHtml).join('\n')}</section>`,
  );
}

/** The whole page: head with its CSP and style, the notebook's name and provenance, the sections. */
function reportPage(
  doc: NotebookDocument,
  generator: string,
  sections: readonly string[],
  figureCount: number,
): string {
  const engines = [
    ...new Set(doc.entries.flatMap((entry) => (entry.kind === 'experiment' ? [entry.engineVersion] : []))),
  ];
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="${escapeHtml(generator)}">`,
    `<title>${escapeHtml(doc.name)}</title>`,
    `<style>${REPORT_STYLE}</style>`,
    '</head>',
    '<body>',
    '<header>',
    `<h1>${escapeHtml(doc.name)}</h1>`,
    `<p class="provenance">A report of an Accent Migration Lab notebook, written by ${escapeHtml(generator)}` +
      `${engines.length > 0 ? `; results from engine ${escapeHtml(engines.join(', '))}` : ''}` +
      `; ${figureCount} figure${figureCount === 1 ? '' : 's'}. Every number and figure is in this file.</p>`,
    '</header>',
    '<main>',
    ...sections,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
