// The browser build carries its own Buffer, so the renderer and the command line share it.
import { stringify } from 'csv-stringify/browser/esm/sync';
import { markdownTable } from 'markdown-table';

/**
 * Tables as the app shows them and as they leave it: one shape for the summary, trials and the
 * paper's tables, written as CSV (csv-stringify), Markdown (markdown-table) or LaTeX (booktabs).
 */
export interface TableColumn {
  key: string;
  label: string;
  /** Right-aligned, sorted by number. */
  numeric: boolean;
}

export interface TableCell {
  /** As shown (and as written to Markdown and LaTeX). */
  text: string;
  /** What CSV holds and what sorting compares: the number unrounded, or the text. */
  value: number | string | null;
}

export interface Table {
  /** "summary", "trials", "table-4-1": names the exported file. */
  id: string;
  title: string;
  caption?: string;
  columns: TableColumn[];
  rows: TableCell[][];
}

export type TableFormat = 'csv' | 'latex' | 'markdown';
export const TABLE_FORMATS: readonly TableFormat[] = ['csv', 'latex', 'markdown'];
export const TABLE_EXTENSIONS: Record<TableFormat, string> = { csv: 'csv', latex: 'tex', markdown: 'md' };

export const cell = (text: string, value: number | string | null = text): TableCell => ({ text, value });

/** CSV: the unrounded values (numbers as JavaScript prints them), one header row. */
export function tableCsv(table: Table): string {
  return stringify(
    [
      table.columns.map((column) => column.label),
      ...table.rows.map((row) => row.map((item) => (item.value === null ? '' : item.value))),
    ],
    { record_delimiter: '\r\n' },
  );
}

/** Markdown (GFM): the shown text, numeric columns right-aligned. */
export function tableMarkdown(table: Table): string {
  const escape = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const body = markdownTable(
    [
      table.columns.map((column) => escape(column.label)),
      ...table.rows.map((row) => row.map((item) => escape(item.text))),
    ],
    { align: table.columns.map((column) => (column.numeric ? 'r' : 'l')) },
  );
  return `${table.caption ? `${table.title}: ${table.caption}\n\n` : `${table.title}\n\n`}${body}\n`;
}

const LATEX_SPECIALS: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '&': '\\&',
  '%': '\\%',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
  '{': '\\{',
  '}': '\\}',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
};

/** Text for LaTeX: its special characters escaped; ±, µ, − and — as math or text commands. */
export function latexEscape(text: string): string {
  return text
    .replace(/[\\&%$#_{}~^]/g, (special) => LATEX_SPECIALS[special]!)
    .replace(/±/g, '$\\pm$')
    .replace(/µ/g, '$\\mu$')
    .replace(/−/g, '$-$')
    .replace(/—/g, '---')
    .replace(/×/g, '$\\times$');
}

/** LaTeX with booktabs rules (\toprule, \midrule, \bottomrule), in a table float with a caption. */
export function tableLatex(table: Table): string {
  const spec = table.columns.map((column) => (column.numeric ? 'r' : 'l')).join('');
  const line = (cells: string[]): string => `    ${cells.join(' & ')} \\\\`;
  const caption = table.caption ? `${table.title}: ${table.caption}` : table.title;
  return [
    '% needs \\usepackage{booktabs}',
    '\\begin{table}',
    '  \\centering',
    `  \\caption{${latexEscape(caption)}}`,
    `  \\label{tab:${table.id.replace(/[^\w-]/g, '-')}}`,
    `  \\begin{tabular}{${spec}}`,
    '    \\toprule',
    line(table.columns.map((column) => latexEscape(column.label))),
    '    \\midrule',
    ...table.rows.map((row) => line(row.map((item) => latexEscape(item.text)))),
    '    \\bottomrule',
    '  \\end{tabular}',
    '\\end{table}',
    '',
  ].join('\n');
}

export function formatTable(table: Table, format: TableFormat): string {
  switch (format) {
    case 'csv':
      return tableCsv(table);
    case 'latex':
      return tableLatex(table);
    case 'markdown':
      return tableMarkdown(table);
  }
}

/** The rows sorted by one column (numbers by value, text by locale; empty cells last), stable. */
export function sortRows(table: Table, key: string, direction: 'ascending' | 'descending'): TableCell[][] {
  const at = table.columns.findIndex((column) => column.key === key);
  if (at < 0) return table.rows;
  const sign = direction === 'ascending' ? 1 : -1;
  return table.rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => {
      const x = a.row[at]?.value ?? null;
      const y = b.row[at]?.value ?? null;
      if (x === null || y === null) return x === y ? a.index - b.index : x === null ? 1 : -1;
      const order =
        typeof x === 'number' && typeof y === 'number'
          ? x - y
          : String(x).localeCompare(String(y), undefined, { numeric: true });
      return order * sign || a.index - b.index;
    })
    .map((item) => item.row);
}
