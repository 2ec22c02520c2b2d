import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STRATEGIES } from '../../src/engine/model/migration';
import type { NotebookDocument } from '../../src/shared/hostApi';
import { countTrace, lackeyMissing, makeTinyTrace } from '../helpers/lackey';
import { buildCliIfStale, cli, repositoryRoot } from '../helpers/cli';

// The trace commands of the built CLI: trace-info, run-trial --trace, the sample-trace notebook.
const root = repositoryRoot;
const NOTEBOOK = join(root, 'resources', 'notebooks', 'real-traces.accentlab');

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'accent-lab-trace-cli-'));
  await buildCliIfStale();
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const missing = lackeyMissing();
if (missing) console.warn(`skipping the CLI tests on a fresh lackey trace: ${missing}`);

describe.skipIf(missing !== null)(
  'accent-lab trace-info and run-trial --trace on a fresh lackey trace',
  () => {
    it('prints the counts an independent count of the raw trace finds, and runs a trial on it', async () => {
      const trace = join(dir, 'tiny.trace');
      await copyFile(makeTinyTrace(), trace);
      const info = await cli('trace-info', trace, '--page-size', '4096', '--json');
      expect(info.code).toBe(0);
      const summary = JSON.parse(info.stdout) as Record<string, unknown>;
      const expected = countTrace(trace, 4096);
      expect(summary).toMatchObject({
        references: expected.references,
        referencesByKind: {
          instruction: expected.I,
          load: expected.L,
          store: expected.S,
          modify: expected.M,
        },
        instructions: expected.I,
        distinctPages: expected.distinctPages,
        fromCache: false,
      });
      const again = await cli('trace-info', trace, '--page-size', '4096', '--json');
      expect(JSON.parse(again.stdout)).toMatchObject({
        distinctPages: expected.distinctPages,
        fromCache: true,
      });

      const trial = await cli(
        'run-trial',
        '--trace',
        trace,
        '--migrate-at',
        '0.5',
        '--strategy',
        'pure-iou',
        '--prefetch',
        '1',
        '--hardware',
        'modern-2025',
        '--json',
      );
      expect(trial.stderr).toBe('');
      expect(trial.code).toBe(0);
      const result = JSON.parse(trial.stdout) as {
        ok: boolean;
        workload: string;
        metrics: Record<string, number>;
      };
      expect(result.ok).toBe(true);
      expect(result.workload).toBe('tiny');
      expect(result.metrics['realPages']! + result.metrics['realZeroPages']!).toBe(expected.distinctPages);
      expect(result.metrics['pagesTouchedNeverArrived']).toBe(0);
    });
  },
);

describe('accent-lab trace-info errors', () => {
  it('names the line of a garbled trace and exits 1', async () => {
    const bad = join(dir, 'bad.trace');
    await import('node:fs/promises').then((fs) =>
      fs.writeFile(bad, 'I  0401ab70,3\n S 1fff000778,8\nI  zz,3\n'),
    );
    const outcome = await cli('trace-info', bad, '--page-size', '4096');
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/bad\.trace, line 3: .*hexadecimal/);
  });

  it('refuses a bad page size or migration point', async () => {
    expect((await cli('trace-info', 'x.trace', '--page-size', '1000')).stderr).toMatch(/power of two/);
    const outcome = await cli(
      'run-trial',
      '--trace',
      'x',
      '--migrate-at',
      '-1',
      '--strategy',
      'pure-iou',
      '--prefetch',
      '0',
    );
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/--migrate-at must be/);
  });
});

describe('the real-traces notebook', () => {
  it('is what make-trace-notebook generates, byte for byte', async () => {
    // Written beside the shipped one: the notebook names its traces relative to itself.
    const file = join(root, 'resources', 'notebooks', `.test-${process.pid}.accentlab`);
    try {
      const outcome = await cli('make-trace-notebook', '--out', file, '--quiet', '--workers', '2');
      expect(outcome.code).toBe(0);
      expect(await readFile(file, 'utf8')).toBe(await readFile(NOTEBOOK, 'utf8'));
    } finally {
      await rm(file, { force: true });
    }
  });

  it('compares every strategy on the three sample traces, and re-runs to identical results', async () => {
    const doc = JSON.parse(await readFile(NOTEBOOK, 'utf8')) as NotebookDocument;
    const experiment = doc.entries.find((entry) => entry.kind === 'experiment')!;
    if (experiment.kind !== 'experiment') throw new Error('no experiment');
    expect(experiment.design.customWorkloads.map((workload) => workload.trace?.path)).toEqual([
      '../traces/sort.trace.gz',
      '../traces/interpreter.trace.gz',
      '../traces/server.trace.gz',
    ]);
    expect(new Set(experiment.results.map((result) => result.strategy))).toEqual(new Set(STRATEGIES));
    expect(experiment.results.every((result) => result.ok)).toBe(true);
    // What the notebook's closing note says, checked against its stored results.
    const metric = (id: string) => experiment.results.find((result) => result.id === id)!.metrics!;
    for (const name of ['sort', 'interpreter', 'server']) {
      const copy = metric(`${name}/pure-copy`);
      const iou = metric(`${name}/pure-iou/pf0`);
      expect(iou.bytesTotal / copy.bytesTotal).toBeGreaterThan(0.4);
      expect(iou.bytesTotal / copy.bytesTotal).toBeLessThan(0.6);
      expect(iou.endToEndSeconds / copy.endToEndSeconds).toBeGreaterThan(1.17);
      expect(iou.endToEndSeconds / copy.endToEndSeconds).toBeLessThan(1.43);
      const bestIou = Math.min(
        metric(`${name}/pure-iou/pf3`).endToEndSeconds,
        metric(`${name}/pure-iou/pf7`).endToEndSeconds,
      );
      if (name === 'server') expect(bestIou).toBeGreaterThan(copy.endToEndSeconds);
      else expect(1 - bestIou / copy.endToEndSeconds).toBeGreaterThan(0.04);
      for (const prefetch of [0, 1, 3, 7]) {
        const resident = metric(`${name}/resident-set/pf${prefetch}`);
        expect(resident.endToEndSeconds).toBeGreaterThan(copy.endToEndSeconds);
        expect(resident.bytesTotal).toBeGreaterThan(copy.bytesTotal);
        expect(resident.residentPages).toBe(copy.residentPages);
      }
      // Beyond 1987, as the closing note tells it.
      const all = experiment.results.filter((result) => result.workload === name).map((r) => r.metrics!);
      const ofStrategy = (strategy: string) =>
        experiment.results
          .filter((r) => r.workload === name && r.strategy === strategy)
          .map((r) => r.metrics!);
      const least = (values: number[]) => Math.min(...values);
      const postCopy = ofStrategy('post-copy');
      const hybrid = ofStrategy('hybrid');
      expect(least(hybrid.map((m) => m.totalSeconds))).toBe(least(all.map((m) => m.totalSeconds)));
      // On the Perq the push cannot outrun the NetMessageServer: post-copy completes near pure-copy.
      for (const m of postCopy) expect(Math.abs(m.totalSeconds / copy.totalSeconds - 1)).toBeLessThan(0.07);
      for (const m of postCopy) expect(m.downtimeSeconds).toBeLessThan(4);
      expect(copy.downtimeSeconds).toBeGreaterThan(19);
      const preCopy = metric(`${name}/pre-copy`);
      expect(preCopy.downtimeSeconds).toBeLessThan(copy.downtimeSeconds! / 3);
      expect(preCopy.pagesResent).toBeGreaterThan(0);
      expect(preCopy.bytesTotal).toBeGreaterThan(copy.bytesTotal);
      expect(Math.abs(preCopy.totalSeconds / copy.totalSeconds - 1)).toBeLessThan(0.05);
      for (const m of ofStrategy('hybrid')) {
        expect(m.residualDependencySeconds).toBe(0);
        expect(m.downtimeSeconds).toBeLessThan(4);
      }
      const sprite = ofStrategy('sprite-flush');
      for (const m of sprite) expect(m.sourceReleaseSeconds).toBeLessThan(copy.sourceReleaseSeconds! * 0.9);
      expect(least(sprite.map((m) => m.totalSeconds))).toBeGreaterThan(
        Math.max(...all.filter((m) => !sprite.includes(m)).map((m) => m.totalSeconds)),
      );
    }
    const out = join(dir, 'rerun');
    const outcome = await cli(
      'run',
      NOTEBOOK,
      '--out',
      out,
      '--store',
      join(dir, 'rerun.duckdb'),
      '--quiet',
      '--workers',
      '2',
    );
    expect(outcome.code).toBe(0);
    const rerun = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as {
      experiments: Record<string, { id: string; metrics: Record<string, number> }[]>;
    };
    const rerunById = new Map(rerun.experiments['real-traces']!.map((result) => [result.id, result.metrics]));
    for (const result of experiment.results) {
      expect(rerunById.get(result.id)?.['endToEndSeconds']).toBe(result.metrics!.endToEndSeconds);
      expect(rerunById.get(result.id)?.['bytesTotal']).toBe(result.metrics!.bytesTotal);
    }
  });
});
