import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExperimentDesign } from '../../src/engine/experiment/design';
import { parseShard, planCampaign, shardIndexFromEnvironment } from '../../src/cli/campaign';
import { resolveShard } from '../../src/cli/commands/run';
import { NotebookService } from '../../src/main/services/notebookService';
import { ResultsStore } from '../../src/node/resultsStore';
import { runTrial, trialIdentity } from '../../src/engine/experiment/trial';
import type { TrialResult } from '../../src/engine/experiment/trial';
import { INLINE_TRIALS } from '../../src/shared/estimate';
import type { NotebookDocument } from '../../src/shared/hostApi';
import { sampleExperiment, sampleNotebook } from '../helpers/designs';
import { buildCliIfStale, cli } from '../helpers/cli';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'accent-lab-campaign-'));
  await buildCliIfStale();
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeNotebook(name: string, design: Partial<ExperimentDesign>): Promise<string> {
  const notebook = sampleNotebook();
  const experiment = sampleExperiment(notebook);
  experiment.design = { ...experiment.design, ...design };
  const file = join(dir, `${name}.accentlab`);
  await new NotebookService({ settingsDir: join(dir, 'settings') }).save(notebook, file);
  return file;
}

const toRun = (stderr: string): number => Number(/, ([\d,]+) to run/.exec(stderr)?.[1]?.replace(/,/g, ''));

describe('campaigns: the results store, resume, shards, merge, export', () => {
  it('resumes from the store, runs only new repetitions, and merges shards to the single-machine results', async () => {
    const design = { representatives: ['Minprog', 'PM-Start'], repetitions: 2 };
    const file = await writeNotebook('study', design);
    const store = join(dir, 'study.results.duckdb');

    const whole = await cli('run', file, '--out', join(dir, 'whole'), '--workers', '2', '--quiet', '--save');
    expect(whole.code).toBe(0);
    expect(toRun(whole.stderr)).toBe(12);
    expect(whole.stderr).toMatch(/estimate for the \d+ trials left: about .* in the store/);
    expect((await stat(store)).size).toBeGreaterThan(0);
    // The notebook keeps the results as the app does (inline: 12 trials of at most 10,000).
    expect(whole.stderr).toContain(`run: saved the results of experiment-1 into ${file}`);
    const saved = JSON.parse(await readFile(file, 'utf8')) as NotebookDocument;
    expect(sampleExperiment(saved).results).toHaveLength(12);

    // Everything is in the store: nothing runs again, and the outputs are the same.
    const again = await cli('run', file, '--out', join(dir, 'again'), '--workers', '2', '--quiet', '--save');
    expect(again.code).toBe(0);
    expect(toRun(again.stderr)).toBe(0);
    expect(again.stderr).not.toContain('saved the results');
    const trials = await readFile(join(dir, 'whole', 'trials.csv'), 'utf8');
    expect(await readFile(join(dir, 'again', 'trials.csv'), 'utf8')).toBe(trials);
    expect(trials.trim().split('\n')).toHaveLength(1 + 12);

    // 2 -> 5 repetitions: only the 18 new trials run.
    const more = await writeNotebook('study', { ...design, repetitions: 5 });
    const grown = await cli('run', more, '--workers', '2', '--quiet');
    expect(grown.code).toBe(0);
    expect(toRun(grown.stderr)).toBe(18);

    // Three shards of a fresh copy, each into its own store, merged: the same trials, byte for byte.
    const copy = await writeNotebook('sharded', design);
    for (let index = 0; index < 3; index += 1) {
      const shard = await cli(
        'run',
        copy,
        '--shard',
        `${index}/3`,
        '--store',
        join(dir, 'shards', `shard-${index}.duckdb`),
        '--workers',
        '1',
        '--quiet',
      );
      expect(shard.code).toBe(0);
      expect(shard.stderr).toContain(`shard ${index}/3 runs 4`);
    }
    const merged = await cli(
      'merge',
      copy,
      ...[0, 1, 2].map((index) => join(dir, 'shards', `shard-${index}.duckdb`)),
      '--out',
      join(dir, 'merged'),
      '--save',
    );
    expect(merged.code).toBe(0);
    expect(merged.stderr).toContain('12 new trials');
    expect(await readFile(join(dir, 'merged', 'trials.csv'), 'utf8')).toBe(trials);
    expect(await readFile(join(dir, 'merged', 'results.json'), 'utf8')).toBe(
      await readFile(join(dir, 'whole', 'results.json'), 'utf8'),
    );

    // A partial store says so.
    const partial = await cli(
      'merge',
      copy,
      join(dir, 'shards', 'shard-0.duckdb'),
      '--out',
      join(dir, 'p'),
      '--store',
      join(dir, 'partial.duckdb'),
      '--save',
    );
    expect(partial.stderr).toContain('experiment-1 is partial: 4 of 12 trials in the store');
    // ...and does not replace the 12 trials the merged notebook keeps with its 4.
    expect(partial.stderr).toContain('holds 4 of its trials, the notebook 12');
    expect(
      sampleExperiment(JSON.parse(await readFile(copy, 'utf8')) as NotebookDocument).results,
    ).toHaveLength(12);

    // Parquet export: every stored trial.
    const exported = await cli('export', copy, '--parquet', join(dir, 'parquet'));
    expect(exported.code).toBe(0);
    const reader = await ResultsStore.open(join(dir, 'sharded.results.duckdb'), { readOnly: true });
    try {
      const [row] = await reader.query(
        `SELECT count(*), count(DISTINCT key) FROM read_parquet('${join(dir, 'parquet', 'trials.parquet')}')`,
      );
      expect(row!.map(Number)).toEqual([12, 12]);
    } finally {
      await reader.close();
    }
  }, 240_000);

  it('saves a summary for an experiment of more than 10,000 trials (run --save, its trials in the store)', async () => {
    // The sample design runs 3 trials a repetition: 3,401 repetitions are 10,203 trials, a
    // summarized experiment by its count (not by the byte limit, which the campaign notebook test takes).
    const repetitions = Math.floor(INLINE_TRIALS / 3) + 68;
    const file = await writeNotebook('large', { repetitions });
    const doc = JSON.parse(await readFile(file, 'utf8')) as NotebookDocument;
    const plan = planCampaign(doc, dir, new Set());
    const experiment = plan.experiments[0]!;
    expect(experiment.trials.length).toBeGreaterThan(INLINE_TRIALS);
    expect(experiment.detail).toBe('figures');
    // The store holds every trial (each variant run once here, its metrics given to each of its
    // replications), so the run has none left to run and goes straight to the summary.
    const byVariant = new Map<string, TrialResult>();
    const store = await ResultsStore.open(join(dir, 'large.results.duckdb'));
    try {
      for (let at = 0; at < experiment.trials.length; at += 1) {
        const spec = experiment.trials.at(at);
        const variant = `${spec.strategy} ${spec.prefetch}`;
        if (!byVariant.has(variant)) byVariant.set(variant, runTrial(spec));
        const result = { ...byVariant.get(variant)!, ...trialIdentity(spec) };
        await store.append(plan.key(experiment, spec), experiment.entry.id, at, result, experiment.detail);
      }
    } finally {
      await store.close();
    }
    const ran = await cli('run', file, '--save', '--workers', '1');
    expect(ran.code, ran.stderr).toBe(0);
    expect(toRun(ran.stderr)).toBe(0);
    const entry = sampleExperiment(JSON.parse(await readFile(file, 'utf8')) as NotebookDocument);
    expect(entry.results).toEqual([]);
    const summary = entry.summary!;
    expect(summary).toMatchObject({
      trials: experiment.trials.length,
      failed: 0,
      store: 'large.results.duckdb',
    });
    expect(summary.points).toHaveLength(byVariant.size);
    for (const point of summary.points) {
      const same = byVariant.get(`${point.strategy} ${point.prefetch}`)!;
      expect(point.n).toBe(repetitions);
      expect(point.metrics.endToEndSeconds).toMatchObject({ n: repetitions, sd: 0 });
      expect(point.metrics.endToEndSeconds!.mean).toBeCloseTo(same.metrics!.endToEndSeconds, 9);
    }
    expect(summary.figureTrials.map((trial) => trial.replication)).toEqual([0, 0, 0]);
  }, 120_000);

  it('without a terminal, refuses a large design unless --yes, after estimating it', async () => {
    const file = await writeNotebook('huge', {
      strategies: ['pure-iou'],
      prefetchValues: Array.from({ length: 100 }, (_, i) => i),
      repetitions: 10_000,
    });
    const refused = await cli('run', file, '--store', join(dir, 'huge.duckdb'), '--workers', '1', '--quiet');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('1,000,000 trials');
    expect(refused.stderr).toMatch(/estimate for the 999,998 trials left: about .* h on 1 worker/);
    expect(refused.stderr).toContain('add --yes to run them');
  }, 120_000);

  it('writes a Slurm job array and a merge job that runs after it', async () => {
    const file = await writeNotebook('cluster', {});
    const out = join(dir, 'cluster');
    const outcome = await cli('slurm', file, '--tasks', '4', '--out', out);
    expect(outcome.code).toBe(0);
    const array = await readFile(join(out, 'campaign.sbatch'), 'utf8');
    expect(array).toContain('#SBATCH --array=0-3');
    expect(array).toContain('--shard auto/4');
    expect(array).toContain('SLURM_ARRAY_TASK_ID');
    // The merge job leaves the results in the notebook too (a large experiment's summary).
    expect(await readFile(join(out, 'merge.sbatch'), 'utf8')).toMatch(/ merge .* --save\n/);
    expect(outcome.stdout).toContain('--dependency=afterok:$ARRAY');
  });

  it('parses shards and takes the index from a batch system', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['4/4', '-1/3', '1/0', 'a/b', '3']) expect(() => parseShard(bad)).toThrow(/--shard/);
    expect(shardIndexFromEnvironment({ SLURM_ARRAY_TASK_ID: '3' })).toBe(3);
    expect(shardIndexFromEnvironment({ JOB_COMPLETION_INDEX: '1' })).toBe(1);
    expect(shardIndexFromEnvironment({ PBS_ARRAY_INDEX: '0' })).toBe(0);
    expect(shardIndexFromEnvironment({})).toBeUndefined();
    expect(resolveShard('auto/5', { PBS_ARRAY_INDEX: '4' })).toEqual({ index: 4, count: 5 });
    expect(() => resolveShard('auto/5', {})).toThrow(/none is set/);
  });
});
