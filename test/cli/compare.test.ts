import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pickExperiments } from '../../src/cli/commands/compare';
import type { ExperimentEntry } from '../../src/shared/hostApi';
import { summarizeTrials } from '../../src/shared/notebook/summary';
import { buildCliIfStale, cli, repositoryRoot } from '../helpers/cli';
import { sampleNotebook } from '../helpers/designs';
import { runTrial } from '../../src/engine/experiment/trial';
import { expandDesign } from '../../src/engine/experiment/design';
import { ENGINE_VERSION } from '../../src/engine/experiment/trial';
import { hardwarePreset } from '../../src/engine/hardware/presets';
import { serializeNotebook } from '../../src/node/notebookFile';
import { ResultsStore } from '../../src/node/resultsStore';
import { TrialKeys } from '../../src/node/trialKeys';
import { smallDesign } from '../helpers/designs';

const okTrial = (entry: ExperimentEntry): ReturnType<typeof runTrial> =>
  runTrial(expandDesign(entry.design)[0]!);

// `accent-lab compare`: the app's Compare experiments, from the command line.
const BEYOND = join(repositoryRoot, 'resources', 'notebooks', 'beyond-1987.accentlab');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'accent-lab-compare-cli-'));
  await buildCliIfStale();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('accent-lab compare', () => {
  it("writes Beyond 1987's Perq against 1 Gb/s: a figure and a table of differences per metric", async () => {
    const out = join(dir, 'beyond');
    const run = await cli(
      'compare',
      BEYOND,
      '--experiments',
      'beyond-perq-1987,Every strategy on ethernet-1g-2025',
      '--out',
      out,
      '--metric',
      'downtime',
      '--format',
      'svg',
    );
    expect(run.code).toBe(0);
    expect(
      run.stdout
        .trim()
        .split('\n')
        .map((file) => file.replace(/^.*\//, '')),
    ).toEqual(['compare-downtime.svg', 'compare-downtime.csv', 'differences-downtime.csv']);
    const svg = await readFile(join(out, 'compare-downtime.svg'), 'utf8');
    expect(svg).toMatch(/<text\b[^>]*>Every strategy on perq-1987<\/text>/);
    const rows = parse(await readFile(join(out, 'differences-downtime.csv'), 'utf8')) as string[][];
    expect(rows[0]).toEqual([
      'Workload',
      'Strategy',
      'Test',
      'n',
      'Every strategy on perq-1987 (s)',
      'Every strategy on ethernet-1g-2025 (s)',
      'Difference (s)',
      '95% CI low (s)',
      '95% CI high (s)',
      'p',
    ]);
    // 7 workloads x 7 strategies, one replication each (the same seed): differences without intervals.
    expect(rows).toHaveLength(50);
    expect(rows[1]!.slice(0, 4)).toEqual(['Minprog', 'pure-copy', 'none', '1']);
    expect(Number(rows[1]![6])).toBeCloseTo(Number(rows[1]![5]) - Number(rows[1]![4]), 9);
    expect(rows[1]![9]).toBe('');
  });

  it('refuses an experiment it cannot find, naming the ones there are', async () => {
    const run = await cli(
      'compare',
      BEYOND,
      '--experiments',
      'beyond-perq-1987,nope',
      '--out',
      join(dir, 'x'),
    );
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('no experiment has the id or name "nope"');
    expect(run.stderr).toContain('beyond-ethernet-1g-2025 ("Every strategy on ethernet-1g-2025")');
  });

  it('compares a summarized experiment from its summary (issue 17)', () => {
    const doc = sampleNotebook();
    const first = doc.entries.find((entry): entry is ExperimentEntry => entry.kind === 'experiment')!;
    const second: ExperimentEntry = {
      ...first,
      id: 'big',
      design: { ...first.design, name: 'big' },
      summary: summarizeTrials(first.design, [], 'big.results.duckdb'),
    };
    first.results = [okTrial(first)];
    doc.entries.push(second);
    // A summary without a finished trial has nothing to compare.
    expect(() => pickExperiments(doc, 'experiment-1,big')).toThrow(
      'experiment "big" has no finished trial to compare',
    );
    second.summary = summarizeTrials(first.design, [okTrial(first)], 'big.results.duckdb');
    const picked = pickExperiments(doc, 'experiment-1,big');
    expect(
      picked.map((experiment) => [experiment.name, experiment.results.length, experiment.summary?.store]),
    ).toEqual([
      [first.design.name, 1, undefined],
      ['big', 0, 'big.results.duckdb'],
    ]);
  });

  it('pairs two summarized experiments from their results store where seeds pair; Welch with the reason when it is missing', async () => {
    const folder = join(dir, 'stored');
    const perq = smallDesign({ name: 'Perq', representatives: ['Minprog', 'Chess'], repetitions: 4 });
    const fast = { ...perq, name: 'Fast', hardware: hardwarePreset('ethernet-1g-2025') };
    const doc = sampleNotebook();
    doc.entries = [];
    await (await import('node:fs/promises')).mkdir(folder, { recursive: true });
    const store = await ResultsStore.open(join(folder, 'study.results.duckdb'));
    for (const [id, design] of [
      ['perq', perq],
      ['fast', fast],
    ] as const) {
      const specs = expandDesign(design);
      const results = specs.map((spec) => runTrial(spec));
      const keys = new TrialKeys();
      for (let at = 0; at < specs.length; at += 1)
        await store.append(keys.key(specs[at]!), id, at, results[at]!);
      doc.entries.push({
        kind: 'experiment',
        id,
        design,
        results: [],
        engineVersion: ENGINE_VERSION,
        summary: summarizeTrials(design, results, 'study.results.duckdb'),
      });
    }
    await store.close();
    const notebook = join(folder, 'study.accentlab');
    await writeFile(notebook, serializeNotebook(doc));
    const compare = (out: string) =>
      cli(
        'compare',
        notebook,
        '--experiments',
        'perq,fast',
        '--out',
        join(folder, out),
        '--metric',
        'end-to-end',
      );
    const tests = async (out: string): Promise<string[]> => {
      const rows = parse(
        await readFile(join(folder, out, 'differences-end-to-end.csv'), 'utf8'),
      ) as string[][];
      const at = rows[0]!.indexOf('Test');
      return [...new Set(rows.slice(1).map((row) => row[at]!))];
    };
    const paired = await compare('paired');
    expect(paired.code).toBe(0);
    expect(paired.stderr).toContain(
      'Fast against Perq: paired trials from study.results.duckdb (24 of 24 pairs)',
    );
    expect(await tests('paired')).toEqual(['stored']);
    await rename(join(folder, 'study.results.duckdb'), join(folder, 'moved.duckdb'));
    const welch = await compare('welch');
    expect(welch.code).toBe(0);
    expect(welch.stderr).toContain(
      'Fast against Perq: Welch t from summaries, not paired from the store: the results store study.results.duckdb is missing',
    );
    expect(await tests('welch')).toEqual(['summary']);
  });
});
