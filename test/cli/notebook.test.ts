import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandDesign } from '../../src/engine/experiment/design';
import { runTrial } from '../../src/engine/experiment/trial';
import type { TrialResult } from '../../src/engine/experiment/trial';
import { notebookFigures } from '../../src/cli/notebook';
import { loadPaperValues } from '../../src/cli/packageRoot';
import { pngSize } from '../../src/main/services/figureRenderer';
import { ProjectService } from '../../src/main/services/projectService';
import { seriesBytes } from '../../src/shared/figures/series';
import { notebookReproduction } from '../../src/shared/project/reproduction';
import { sampleExperiment, sampleProject } from '../helpers/designs';

// The notebook commands of the built CLI: figures, run and the built-in notebook's generator.
const root = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);
const BUILTIN = join(root, 'resources', 'notebooks', 'reproduce-zayas-1987.accentlab');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'accent-lab-notebook-cli-'));
  const bundles = ['main.js', 'trialWorker.js'].map((name) => join(root, 'out', 'cli', name));
  const built = bundles.every(existsSync) ? Math.min(...bundles.map((file) => statSync(file).mtimeMs)) : 0;
  const sources = Math.max(
    ...['src/cli', 'src/main', 'src/engine', 'src/shared'].map((folder) => newestSource(join(root, folder))),
  );
  if (built < sources) await run(process.execPath, [join(root, 'scripts', 'build-cli.mjs')], { cwd: root });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(root, 'bin', 'accent-lab.js'), ...args], {
      cwd: root,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

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
    expect(csv.split('\r\n')[0]).toBe(
      'workload,pure-copy,pure-iou pf0,pure-iou pf1,pure-iou pf3,pure-iou pf7,pure-iou pf15,' +
        'resident-set pf0,resident-set pf1,resident-set pf3,resident-set pf7,resident-set pf15',
    );
    expect(csv.split('\r\n')).toHaveLength(9); // header, seven representatives, final newline
  });

  it('refuses a bad size and a file that is not a notebook', async () => {
    const bad = await cli('figures', BUILTIN, '--out', join(dir, 'x'), '--width', '10');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/pixels from 50 to 8000/);
    const missing = await cli('figures', join(dir, 'nothing.accentlab'), '--out', join(dir, 'y'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read .*nothing\.accentlab/);
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
    const project = sampleProject();
    const experiment = sampleExperiment(project);
    experiment.results = expandDesign(experiment.design).map((spec) => runTrial(spec));
    const file = join(dir, 'sample.accentlab');
    await new ProjectService({ settingsDir: join(dir, 'settings') }).save(project, file);
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
});

describe('accent-lab run with statistics', () => {
  it('writes summary.csv for repeated trials, and a sensitivity sweep’s figure and breakeven', async () => {
    const project = sampleProject();
    const experiment = sampleExperiment(project);
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
    await new ProjectService({ settingsDir: join(dir, 'settings') }).save(project, file);
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
    const project = sampleProject();
    const experiment = sampleExperiment(project);
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
    const figures = notebookFigures(project);
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
    const doc = JSON.parse(await readFile(BUILTIN, 'utf8')) as ReturnType<typeof sampleProject>;
    const experiments = doc.entries.filter((entry) => entry.kind === 'experiment');
    expect(
      experiments.map((entry) => [entry.id, entry.kind === 'experiment' && entry.results.length]),
    ).toEqual([
      ['paper', 77],
      ['breakeven', 24],
    ]);
    for (const entry of experiments) {
      if (entry.kind !== 'experiment') continue;
      for (const result of entry.results) {
        expect(result.ok).toBe(true);
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
