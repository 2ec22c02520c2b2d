import { mkdtemp, readFile, rm } from 'node:fs/promises';
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
});
