import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCliIfStale, cli, repositoryRoot } from '../helpers/cli';

// `accent-lab tables`: the notebook's tables as CSV, LaTeX and Markdown, as the app copies them.
const BUILTIN = join(repositoryRoot, 'resources', 'notebooks', 'reproduce-zayas-1987.accentlab');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'accent-lab-tables-cli-'));
  await buildCliIfStale();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('accent-lab tables', () => {
  it("writes each experiment's trials and summary and the paper's tables, in each format", async () => {
    const csv = await cli('tables', BUILTIN, '--out', join(dir, 'csv'));
    expect(csv.code).toBe(0);
    const files = csv.stdout.trim().split('\n');
    const names = files.map((file) => file.replace(/^.*\//, ''));
    expect(names).toEqual(
      expect.arrayContaining([
        'table4-1.csv',
        'table4-4.csv',
        'breakeven.csv',
        'zayas-1987-section-4-the-representatives-trials.csv',
      ]),
    );
    const trials = parse(
      await readFile(join(dir, 'csv', 'zayas-1987-section-4-the-representatives-trials.csv'), 'utf8'),
    ) as string[][];
    expect(trials[0]!.slice(0, 3)).toEqual(['Workload', 'Strategy', 'Rep.']);
    // 77 trials in each of the notebook's 10 replications, and the header; CSV keeps the numbers unrounded.
    expect(trials).toHaveLength(77 * 10 + 1);
    expect(Number(trials[1]![3])).toBeGreaterThan(0);

    const latex = await cli('tables', BUILTIN, '--out', join(dir, 'tex'), '--format', 'latex');
    expect(latex.code).toBe(0);
    const t44 = await readFile(join(dir, 'tex', 'table4-4.tex'), 'utf8');
    expect(t44).toMatch(/\\toprule[\s\S]*\\midrule[\s\S]*\\bottomrule/);
    expect(t44).toContain('\\%');
    expect(t44).not.toContain('-0.0\\%');

    const markdown = await cli('tables', BUILTIN, '--out', join(dir, 'md'), '--format', 'markdown');
    expect(markdown.code).toBe(0);
    const t41 = await readFile(join(dir, 'md', 'table4-1.md'), 'utf8');
    expect(t41).toMatch(/^\| Representative +\|/m);
    expect(t41).toMatch(/^\| :?-+ +\| +-+: \|/m);
  });

  it('refuses an unknown format, writing nothing', async () => {
    const outcome = await cli('tables', BUILTIN, '--out', join(dir, 'none'), '--format', 'docx');
    expect(outcome.code).not.toBe(0);
    expect(outcome.stderr).toContain('--format must be one of csv, latex, markdown');
  });
});
