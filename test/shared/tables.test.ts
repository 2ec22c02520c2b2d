import { describe, expect, it } from 'vitest';
import { decimalsFor, summaryTable } from '../../src/shared/tables/summary';
import { madeUpResult } from '../helpers/trials';
import {
  cell,
  latexEscape,
  sortRows,
  tableCsv,
  tableLatex,
  tableMarkdown,
  type Table,
} from '../../src/shared/tables/table';

const table: Table = {
  id: 'demo',
  title: 'Demo',
  caption: 'costs & 50% of 1_000',
  columns: [
    { key: 'name', label: 'Name', numeric: false },
    { key: 'time', label: 'Time (s)', numeric: true },
  ],
  rows: [
    [cell('b|c'), cell('2.50', 2.5)],
    [cell('a, "quoted"'), cell('10.00', 10)],
    [cell('none'), cell('—', null)],
  ],
};

describe('table writers', () => {
  it('write CSV with unrounded values and RFC 4180 quoting', () => {
    expect(tableCsv(table)).toBe('Name,Time (s)\r\nb|c,2.5\r\n"a, ""quoted""",10\r\nnone,\r\n');
  });

  it('write LaTeX with booktabs rules, escaped text and right-aligned numbers', () => {
    const latex = tableLatex(table);
    expect(latex).toContain('\\begin{tabular}{lr}');
    expect(latex).toContain('\\caption{Demo: costs \\& 50\\% of 1\\_000}');
    expect(latex).toMatch(/\\toprule\n {4}Name & Time \(s\) \\\\\n {4}\\midrule/);
    expect(latex).toContain('\\bottomrule');
    expect(latexEscape('3 ± 1 µs')).toBe('3 $\\pm$ 1 $\\mu$s');
  });

  it('write a GFM table with numbers right-aligned and pipes escaped', () => {
    const markdown = tableMarkdown(table);
    expect(markdown).toContain('| Name');
    expect(markdown).toMatch(/\| :?-+ +\| -+: \|/);
    expect(markdown).toContain('b\\|c');
  });

  it('sort by value, empty cells last, stably', () => {
    expect(sortRows(table, 'time', 'descending').map((row) => row[0]!.text)).toEqual([
      'a, "quoted"',
      'b|c',
      'none',
    ]);
    expect(sortRows(table, 'name', 'ascending').map((row) => row[0]!.text)).toEqual([
      'a, "quoted"',
      'b|c',
      'none',
    ]);
  });
});

describe('summary precision', () => {
  it('rounds a mean to the place of its interval (two digits of the half-width)', () => {
    expect(decimalsFor(537.2, 0.155)).toBe(2);
    expect(decimalsFor(537.2, 12)).toBe(0);
    expect(decimalsFor(0.0123, null)).toBe(5);
  });
});

describe('summary order', () => {
  it('puts numbered workloads in number order (Synthetic-5% before Synthetic-10%)', () => {
    const results = ['Synthetic-10%', 'Synthetic-5%', 'Synthetic-60%'].flatMap((workload) =>
      [0, 1].map((replication) => ({
        ...madeUpResult({
          strategy: 'pure-copy',
          replication,
          metrics: { endToEndSeconds: 1 + replication },
        }),
        workload,
        id: `${workload}/${replication}`,
      })),
    );
    expect(summaryTable(results).rows.map((row) => row[0]!.text)).toEqual([
      'Synthetic-5%',
      'Synthetic-10%',
      'Synthetic-60%',
    ]);
  });
});
