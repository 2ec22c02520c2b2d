import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandDesign } from '../../src/engine/experiment/design';
import { runTrial } from '../../src/engine/experiment/trial';
import type { TrialResult } from '../../src/engine/experiment/trial';
import { DEFAULT_REPLICATIONS } from '../../src/engine/reproduction/designs';
import { notebookFigures } from '../../src/cli/notebook';
import { loadPaperValues } from '../../src/cli/packageRoot';
import { pngSize } from '../../src/node/figureRenderer';
import { NotebookService } from '../../src/main/services/notebookService';
import { seriesBytes } from '../../src/shared/figures/series';
import { notebookReproduction } from '../../src/shared/notebook/reproduction';
import { sampleExperiment, sampleNotebook } from '../helpers/designs';
import { buildCliIfStale, cli, repositoryRoot } from '../helpers/cli';

// The notebook commands of the built CLI: figures, run and the built-in notebook's generator.
const root = repositoryRoot;
const BUILTIN = join(root, 'resources', 'notebooks', 'reproduce-zayas-1987.accentlab');

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'accent-lab-notebook-cli-'));
  await buildCliIfStale();
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('accent-lab figures', () => {
  it('writes every figure of the built-in notebook as a PNG of the requested size, with its CSV', async () => {
    const out = join(dir, 'figures');
    const outcome = await cli(
      'figures',
      BUILTIN,
      '--out',
      out,
      '--width',
      '640',
      '--height',
      '360',
      '--scale',
      '2',
    );
    expect(outcome.stderr).toContain('wrote 6 figures');
    expect(outcome.code).toBe(0);
    const files = (await readdir(out)).sort();
    const pngs = files.filter((file) => file.endsWith('.png'));
    expect(pngs).toEqual([
      'figure-4-1-remote-execution-times.png',
      'figure-4-2-percent-speedup-over-pure-copy.png',
      'figure-4-3-bytes-transferred.png',
      'figure-4-4-message-handling-time-per-host.png',
      'figure-4-5-byte-transfer-rates-for-lisp-del-no-prefetch.png',
      'figure-breakeven-breakeven-end-to-end-time-by-share-of-realmem-touched.png',
    ]);
    for (const png of pngs) {
      const bytes = await readFile(join(out, png));
      expect(pngSize(bytes)).toEqual({ width: 1280, height: 720 });
      // Not blank: a drawn chart compresses to well over a few kilobytes.
      expect(bytes.length).toBeGreaterThan(10_000);
    }
    const csv = await readFile(join(out, 'figure-4-3-bytes-transferred.csv'), 'utf8');
    // The notebook stores 10 replications: each variant's mean, then its 95% interval's half-width.
    const variants = [
      'pure-copy',
      ...['pure-iou', 'resident-set'].flatMap((strategy) =>
        [0, 1, 3, 7, 15].map((n) => `${strategy} pf${n}`),
      ),
    ];
    expect(csv.split('\r\n')[0]).toBe(
      ['workload', ...variants.flatMap((variant) => [variant, `${variant} ±95% CI`])].join(','),
    );
    expect(csv.split('\r\n')).toHaveLength(9); // header, seven representatives, final newline
  });

  it('--format svg and pdf: the same figures as vector files, text kept as text', async () => {
    for (const format of ['svg', 'pdf'] as const) {
      const out = join(dir, `figures-${format}`);
      const outcome = await cli('figures', BUILTIN, '--out', out, '--format', format);
      expect(outcome.code).toBe(0);
      const drawn = (await readdir(out)).filter((file) => file.endsWith(`.${format}`)).sort();
      expect(drawn).toHaveLength(6);
      expect(drawn[2]).toBe(`figure-4-3-bytes-transferred.${format}`);
      const bytes = await readFile(join(out, drawn[2]!));
      if (format === 'svg') {
        expect(bytes.toString('utf8')).toMatch(/<text\b[^>]*>Figure 4-3: Bytes transferred<\/text>/);
      } else {
        const pdf = await PDFDocument.load(bytes);
        expect(pdf.getPageCount()).toBe(1);
        expect(pdf.getPage(0).getSize()).toEqual({ width: 960, height: 540 });
      }
    }
    const bad = await cli('figures', BUILTIN, '--out', join(dir, 'z'), '--format', 'jpg');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--format must be one of png, svg, pdf/);
  });

  it('refuses a bad size and a file that is not a notebook', async () => {
    const bad = await cli('figures', BUILTIN, '--out', join(dir, 'x'), '--width', '10');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/pixels from 50 to 8000/);
    const missing = await cli('figures', join(dir, 'nothing.accentlab'), '--out', join(dir, 'y'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot open .*nothing\.accentlab: the file does not exist/);
  });
});

describe('accent-lab report', () => {
  it("writes the built-in notebook as one self-contained HTML file: notes, tables, the paper's tables, figures as SVG", async () => {
    const file = join(dir, 'report', 'zayas.html');
    const outcome = await cli('report', BUILTIN, '--out', file);
    expect(outcome.code).toBe(0);
    expect(outcome.stderr).toMatch(/report: wrote .*zayas\.html/);
    const html = await readFile(file, 'utf8');
    expect(html).toContain('<title>Reproduce Zayas 1987</title>');
    // Every figure inline, its title as SVG text.
    expect((html.match(/<svg /g) ?? []).length).toBe(6);
    expect(html).toMatch(/<text\b[^>]*>Figure 4-3: Bytes transferred<\/text>/);
    expect(html).toContain("The paper's tables beside this notebook's results");
    expect(html).toContain('Table 4-4');
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/<script/i);
    const missing = await cli('report', join(dir, 'nothing.accentlab'), '--out', join(dir, 'r.html'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot open .*nothing\.accentlab: the file does not exist/);
  });
});

describe('accent-lab reproduce', () => {
  it("also writes the paper's five figures as PNG under figures/", async () => {
    const out = join(dir, 'reproduction');
    const outcome = await cli('reproduce', '--out', out, '--quiet');
    expect(outcome.code).toBe(0);
    const pngs = (await readdir(join(out, 'figures'))).filter((file) => file.endsWith('.png')).sort();
    expect(pngs).toEqual([
      'figure-4-1-remote-execution-times.png',
      'figure-4-2-percent-speedup-over-pure-copy.png',
      'figure-4-3-bytes-transferred.png',
      'figure-4-4-message-handling-time-per-host.png',
      'figure-4-5-byte-transfer-rates-for-lisp-del-no-prefetch.png',
    ]);
    for (const png of pngs) {
      expect(pngSize(await readFile(join(out, 'figures', png)))).toEqual({ width: 960, height: 540 });
    }
  }, 120_000);
});

describe('accent-lab run', () => {
  it("re-runs a notebook's experiments with their stored seeds to identical results", async () => {
    const notebook = sampleNotebook();
    const experiment = sampleExperiment(notebook);
    experiment.results = expandDesign(experiment.design).map((spec) => runTrial(spec));
    const file = join(dir, 'sample.accentlab');
    await new NotebookService({ settingsDir: join(dir, 'settings') }).save(notebook, file);
    const out = join(dir, 'run');
    const outcome = await cli('run', file, '--out', out, '--workers', '2', '--quiet');
    expect(outcome.code).toBe(0);
    const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as {
      experiments: Record<string, TrialResult[]>;
    };
    expect(results.experiments['experiment-1']).toEqual(JSON.parse(JSON.stringify(experiment.results)));
    const csv = await readFile(join(out, 'trials.csv'), 'utf8');
    expect(csv.trim().split('\n')).toHaveLength(1 + experiment.results.length);
  });

  it('refuses to run hardware out of bounds, naming the parameter and its bounds', async () => {
    const notebook = sampleNotebook();
    sampleExperiment(notebook).design.hardware.network.latencyMs = 1e9;
    const file = join(dir, 'far.accentlab');
    await new NotebookService({ settingsDir: join(dir, 'settings') }).save(notebook, file);
    const outcome = await cli('run', file, '--out', join(dir, 'far'), '--quiet');
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(
      'cannot run: hardware: Latency (ms) must be a number from 0 to 60,000 (got 1,000,000,000)',
    );
  });
});

describe('accent-lab run with statistics', () => {
  it('writes summary.csv for repeated trials, and a sensitivity sweep’s figure and breakeven', async () => {
    const notebook = sampleNotebook();
    const experiment = sampleExperiment(notebook);
    experiment.design = {
      ...experiment.design,
      strategies: ['pure-copy', 'pure-iou'],
      prefetchValues: [0],
      repetitions: 2,
      sensitivity: {
        parameter: 'touched-fraction',
        values: [0.05, 0.6],
        compare: ['pure-copy', 'pure-iou pf0'],
        metric: 'endToEndSeconds',
      },
    };
    const file = join(dir, 'sweep.accentlab');
    await new NotebookService({ settingsDir: join(dir, 'settings') }).save(notebook, file);
    const out = join(dir, 'sweep-run');
    const outcome = await cli('run', file, '--out', out, '--workers', '2', '--quiet');
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(
      /^experiment-1, Minprog: pure-copy vs pure-iou pf0 on endToEndSeconds: breakeven at 0\.\d+ fraction: pure-iou pf0 is better below, pure-copy above$/m,
    );
    const summary = (await readFile(join(out, 'summary.csv'), 'utf8')).trim().split('\n');
    expect(summary[0]).toBe(
      'experiment,representative,strategy,prefetch,hardware,parameter,parameterValue,metric,n,mean,sd,ciLow,ciHigh',
    );
    // 2 values x 2 variants design points, every metric each.
    const endToEnd = summary.filter((line) => line.includes(',endToEndSeconds,'));
    expect(endToEnd).toHaveLength(4);
    expect(endToEnd[0]).toMatch(
      /^experiment-1,Minprog,pure-copy,0,perq-1987,touched-fraction,0\.05,endToEndSeconds,2,/,
    );
    const png = join(out, 'sensitivity-experiment-1.png');
    expect(pngSize(await readFile(png))).toEqual({ width: 960, height: 540 });
    expect(await readFile(join(out, 'sensitivity-experiment-1.csv'), 'utf8')).toMatch(/^breakeven,Minprog,/m);
  }, 120_000);
});

describe('notebookFigures', () => {
  it('draws a sensitivity sweep’s figure beside the default comparisons', () => {
    const notebook = sampleNotebook();
    const experiment = sampleExperiment(notebook);
    experiment.design = {
      ...experiment.design,
      strategies: ['pure-copy', 'pure-iou'],
      prefetchValues: [0],
      sensitivity: {
        parameter: 'touched-fraction',
        values: [0.05, 0.6],
        compare: ['pure-copy', 'pure-iou pf0'],
        metric: 'endToEndSeconds',
      },
    };
    experiment.results = expandDesign(experiment.design).map((spec) => runTrial(spec));
    const figures = notebookFigures(notebook);
    expect(figures.map((figure) => figure.name)).toEqual([
      'sensitivity-experiment-1',
      'experiment-1-bytes-transferred',
      'experiment-1-message-handling-time-per-host',
      'experiment-1-end-to-end-time-transfer-remote-execution',
    ]);
    expect(figures[0]!.data.markers).toHaveLength(1);
  });
});

describe('the built-in notebook', () => {
  it('is what make-notebook generates, byte for byte, and stays under 5 MB', async () => {
    const file = join(dir, 'again.accentlab');
    const outcome = await cli('make-notebook', '--out', file, '--quiet');
    expect(outcome.code).toBe(0);
    expect(await readFile(file, 'utf8')).toBe(await readFile(BUILTIN, 'utf8'));
    expect((await stat(BUILTIN)).size).toBeLessThan(5 * 1024 * 1024);
  }, 120_000);

  it('keeps every trial, at most 300 bins per series with the bytes exact, and the tables', async () => {
    const doc = JSON.parse(await readFile(BUILTIN, 'utf8')) as ReturnType<typeof sampleNotebook>;
    const experiments = doc.entries.filter((entry) => entry.kind === 'experiment');
    expect(
      experiments.map((entry) => [entry.id, entry.kind === 'experiment' && entry.results.length]),
    ).toEqual([
      ['paper', 77 * DEFAULT_REPLICATIONS],
      ['breakeven', 24 * DEFAULT_REPLICATIONS],
    ]);
    for (const entry of experiments) {
      if (entry.kind !== 'experiment') continue;
      for (const result of entry.results) {
        expect(result.ok).toBe(true);
        // Series are kept for replication 0, the one the byte-rate figure draws.
        if (result.replication > 0) {
          expect(result.series).toBeUndefined();
          continue;
        }
        const series = result.series!;
        expect(series.fault.length).toBeLessThanOrEqual(300);
        const bytes = seriesBytes(series);
        expect(bytes.fault + bytes.other).toBeCloseTo(result.metrics!.bytesTotal, 3);
        expect(bytes.fault).toBeCloseTo(result.metrics!.bytesFault, 3);
      }
    }
    const report = notebookReproduction(doc.entries, loadPaperValues());
    expect(report!.tables.map((table) => table.id)).toEqual(
      expect.arrayContaining(['table4_1', 'table4_2', 'table4_3', 'table4_4', 'table4_5', 'breakeven']),
    );
    const share = report!.fidelity.find((entry) => entry.name.startsWith('Breakeven'));
    expect(share?.pass).toBe(true);
  });
});

describe('the Beyond 1987 notebook', () => {
  const BEYOND = join(root, 'resources', 'notebooks', 'beyond-1987.accentlab');

  it('compares every strategy on the seven representatives on 1987 and current hardware, under 5 MB', async () => {
    expect((await stat(BEYOND)).size).toBeLessThan(5 * 1024 * 1024);
    const doc = JSON.parse(await readFile(BEYOND, 'utf8')) as ReturnType<typeof sampleNotebook>;
    const experiments = doc.entries.filter((entry) => entry.kind === 'experiment');
    expect(experiments.map((entry) => entry.kind === 'experiment' && entry.design.hardware.name)).toEqual([
      'perq-1987',
      'ethernet-1g-2025',
    ]);
    for (const entry of experiments) {
      if (entry.kind !== 'experiment') continue;
      expect(entry.results).toHaveLength(7 * 7);
      expect(entry.results.every((result) => result.ok)).toBe(true);
      expect(new Set(entry.results.map((result) => result.strategy))).toEqual(
        new Set(['pure-copy', 'pure-iou', 'resident-set', 'pre-copy', 'post-copy', 'hybrid', 'sprite-flush']),
      );
      // Stored results are what the engine gives now: re-run one trial per strategy.
      const specs = expandDesign(entry.design).filter((spec) => spec.workload.name === 'PM-Mid');
      for (const spec of specs) {
        const stored = entry.results.find((result) => result.id === spec.id)!;
        expect(runTrial(spec).metrics, spec.id).toEqual(stored.metrics);
      }
    }
    expect(doc.entries.filter((entry) => entry.kind === 'figure').length).toBe(14);
  });

  it('accent-lab run writes trials.csv with the new strategies and columns', async () => {
    // The notebook's designs cut to one representative, to keep the test quick.
    const doc = JSON.parse(await readFile(BEYOND, 'utf8')) as ReturnType<typeof sampleNotebook>;
    for (const entry of doc.entries) {
      if (entry.kind !== 'experiment') continue;
      entry.design.representatives = ['PM-End'];
      entry.results = [];
    }
    const file = join(dir, 'beyond-small.accentlab');
    await new NotebookService({ settingsDir: join(dir, 'settings') }).save(doc, file);
    const out = join(dir, 'beyond-run');
    const outcome = await cli('run', file, '--out', out, '--workers', '2', '--quiet');
    expect(outcome.code).toBe(0);
    const [header, ...rows] = (await readFile(join(out, 'trials.csv'), 'utf8')).trim().split('\n');
    const columns = header!.split(',');
    for (const column of [
      'downtimeSeconds',
      'totalMigrationSeconds',
      'pagesResent',
      'sourceReleaseSeconds',
      'processLost',
    ])
      expect(columns).toContain(column);
    const strategies = rows.map((row) => row.split(',')[columns.indexOf('strategy')]);
    for (const strategy of ['pre-copy', 'post-copy', 'hybrid', 'sprite-flush', 'pure-copy', 'pure-iou'])
      expect(strategies).toContain(strategy);
    expect(rows).toHaveLength(14);
    expect(new Set(rows.map((row) => row.split(',')[columns.indexOf('processLost')]))).toEqual(
      new Set(['false']),
    );
  });
});
