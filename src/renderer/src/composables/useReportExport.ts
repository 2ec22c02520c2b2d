import { ref } from 'vue';
import { DEFAULT_FIGURE_SIZE, figureFileStem } from '../../../shared/figures/charts';
import type { NotebookDocument } from '../../../shared/hostApi';
import { messageOf } from '../../../shared/messageOf';
import { notebookReport } from '../../../shared/report/report';
import { renderMarkdownOffline } from '../notebook/markdown';
import { PAPER_VALUES } from '../notebook/paperValues';
import { useHost } from '../host/currentHost';
import { download, renderFigureFile } from './useChartExport';

/**
 * The notebook as one self-contained HTML file, as `accent-lab report` writes it: notes by the app's
 * own renderer, tables, and every figure as SVG drawn by the host's headless renderer.
 */
export async function notebookReportHtml(doc: NotebookDocument, generator: string): Promise<string> {
  const decoder = new TextDecoder();
  return notebookReport(doc, {
    renderNote: renderMarkdownOffline,
    drawFigure: async (data) => decoder.decode(await renderFigureFile(data, DEFAULT_FIGURE_SIZE, 'svg')),
    paper: PAPER_VALUES,
    generator,
  });
}

/** Build the report and hand it to the browser's download; returns the file name. */
export async function exportNotebookReport(doc: NotebookDocument, generator: string): Promise<string> {
  const html = await notebookReportHtml(doc, generator);
  const name = `${figureFileStem(doc.name || 'notebook')}.html`;
  const url = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
  download(url, name);
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}

/** Export Report's state, shared by the notebook's button and the menu: null, working, or what happened. */
export const reportState = ref<{ working: boolean; message: string; failed: boolean } | null>(null);

/**
 * Export Report… (the notebook's button, File ▸ Export Report…, Mod+Shift+E): write the notebook's
 * report, saying in `reportState` what happened. A second request while one is written is ignored.
 */
export async function exportReport(doc: NotebookDocument): Promise<void> {
  if (reportState.value?.working) return;
  reportState.value = { working: true, message: 'Writing the report…', failed: false };
  try {
    const version = await useHost()
      .version()
      .catch(() => '');
    const name = await exportNotebookReport(doc, `Accent Migration Lab ${version}`.trim());
    reportState.value = { working: false, message: `Saved the report as ${name}`, failed: false };
  } catch (error) {
    reportState.value = {
      working: false,
      message: `The report could not be written: ${messageOf(error)}`,
      failed: true,
    };
  }
}
