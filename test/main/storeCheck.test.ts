import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandDesign } from '../../src/engine/experiment/design';
import type { ExperimentDesign } from '../../src/engine/experiment/design';
import { ENGINE_VERSION, runTrial } from '../../src/engine/experiment/trial';
import type { TrialResult } from '../../src/engine/experiment/trial';
import { serializeNotebook } from '../../src/node/notebookFile';
import { ResultsStore } from '../../src/node/resultsStore';
import { TrialKeys } from '../../src/node/trialKeys';
import { checkNotebookStores, locateStore, sampleIndices } from '../../src/main/services/storeCheck';
import { SweepStores } from '../../src/main/services/sweepStores';
import type { NotebookDocument } from '../../src/shared/hostApi';
import { summarizeTrials } from '../../src/shared/notebook/summary';
import { smallDesign } from '../helpers/designs';

// The results-store check at notebook open (issue 17): a summarized experiment's store missing,
// moved, another's or short of trials is said, and the check changes nothing.

let dir: string;
let stores: SweepStores;
const design: ExperimentDesign = smallDesign({ name: 'Big', repetitions: 30 });
const other: ExperimentDesign = { ...design, seed: 1 };
let results: TrialResult[];
let otherResults: TrialResult[];

const inspect = <T>(path: string, use: (store: ResultsStore) => Promise<T>): Promise<T> =>
  stores.inspect(path, use);

/** A store holding `trials` of `from` (the first `count` of them). */
async function writeStore(
  path: string,
  from: ExperimentDesign,
  trials: TrialResult[],
  count = trials.length,
) {
  const keys = new TrialKeys();
  const specs = expandDesign(from);
  const store = await ResultsStore.open(path);
  for (let at = 0; at < count; at += 1) await store.append(keys.key(specs[at]!), 'e', at, trials[at]!);
  await store.close();
}

async function writeNotebook(name: string, store: string): Promise<string> {
  const path = join(dir, `${name}.accentlab`);
  const notebook: NotebookDocument = {
    formatVersion: 3,
    name,
    provenance: { engineVersion: ENGINE_VERSION, createdBy: 'test' },
    entries: [
      {
        kind: 'experiment',
        id: 'big',
        design,
        results: [],
        engineVersion: ENGINE_VERSION,
        summary: summarizeTrials(design, results, store),
      },
    ],
  };
  await writeFile(path, serializeNotebook(notebook));
  return path;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'accent-lab-store-check-'));
  stores = new SweepStores(join(dir, 'untitled.results.duckdb'));
  results = expandDesign(design).map((spec) => runTrial(spec));
  otherResults = expandDesign(other).map((spec) => runTrial(spec));
});

afterAll(async () => {
  await stores?.closeAll();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the results-store check at notebook open', () => {
  it('looks up a sample spread over the design, the first trial included', () => {
    expect(sampleIndices(3, 64)).toEqual([0, 1, 2]);
    const spread = sampleIndices(1000, 64);
    expect(spread).toHaveLength(64);
    expect(spread[0]).toBe(0);
    expect(spread[63]).toBeGreaterThan(980);
    expect(new Set(spread).size).toBe(64);
  });

  it('says nothing when the store beside the notebook holds the experiment’s trials', async () => {
    const notebook = await writeNotebook('fine', 'fine.results.duckdb');
    await writeStore(join(dir, 'fine.results.duckdb'), design, results);
    expect(await checkNotebookStores(notebook, inspect)).toEqual([]);
    // Also through the store a sweep holds open (DuckDB locks the file: no second instance).
    await stores.openFile(join(dir, 'fine.results.duckdb'));
    expect(await checkNotebookStores(notebook, inspect)).toEqual([]);
  });

  it('says a missing store is missing, what to do, and creates nothing', async () => {
    const notebook = await writeNotebook('gone', 'gone.results.duckdb');
    const [notice, ...more] = await checkNotebookStores(notebook, inspect);
    expect(more).toEqual([]);
    expect(notice).toMatchObject({
      experimentId: 'big',
      problem: 'missing',
      store: 'gone.results.duckdb',
      path: join(dir, 'gone.results.duckdb'),
      expected: join(dir, 'gone.results.duckdb'),
    });
    expect(notice!.message).toBe(
      `"Big": its ${results.length} trials are in the results store gone.results.duckdb, which is missing ` +
        `(looked for ${join(dir, 'gone.results.duckdb')}).`,
    );
    expect(notice!.fix).toContain('put it beside the notebook as gone.results.duckdb');
    expect(existsSync(join(dir, 'gone.results.duckdb'))).toBe(false);
  });

  it('says a store holding other results holds none of its trials (by key)', async () => {
    const notebook = await writeNotebook('swapped', 'swapped.results.duckdb');
    await writeStore(join(dir, 'swapped.results.duckdb'), other, otherResults);
    const [notice] = await checkNotebookStores(notebook, inspect);
    expect(notice!.problem).toBe('other');
    expect(notice!.message).toContain('holds other results: none of 64 of its trials looked up by key');
    expect(notice!.message).toContain(`engine version ${ENGINE_VERSION}`);
  });

  it('says a complete experiment’s store lacks some trials, and names a store elsewhere', async () => {
    const notebook = await writeNotebook('short', 'short.results.duckdb');
    await writeStore(join(dir, 'short.results.duckdb'), design, results, 45);
    const [notice] = await checkNotebookStores(notebook, inspect);
    expect(notice!.problem).toBe('partial');
    expect(notice!.message).toMatch(/lacks some of its trials: \d+ of 64 looked up by key are in it/);

    // The summary names a store that is not the one beside the notebook (Resume would not use it).
    const away = join(dir, 'away.results.duckdb');
    await writeStore(away, design, results);
    const moved = await writeNotebook('moved', away);
    const [elsewhere] = await checkNotebookStores(moved, inspect);
    expect(elsewhere).toMatchObject({
      problem: 'elsewhere',
      path: away,
      expected: join(dir, 'moved.results.duckdb'),
    });
    expect(elsewhere!.fix).toContain(`copy or move ${away} to ${join(dir, 'moved.results.duckdb')}`);
    expect(existsSync(join(dir, 'moved.results.duckdb'))).toBe(false);
  });

  it('refuses a path that is not an absolute notebook file', async () => {
    await expect(checkNotebookStores('relative.accentlab', inspect)).rejects.toThrow('must be absolute');
    await expect(checkNotebookStores(join(dir, 'x.txt'), inspect)).rejects.toThrow('not a notebook file');
  });

  it('verifies a store the user locates: it holds the experiment’s trials (by key), named relative beside the notebook', async () => {
    const notebookPath = join(dir, 'located.accentlab');
    const request = {
      notebookPath,
      experiments: [
        { id: 'big', name: 'Big', design, engineVersion: ENGINE_VERSION },
        { id: 'other', name: 'Other', design: other, engineVersion: ENGINE_VERSION },
      ],
    };
    mkdirSync(join(dir, 'found'));
    const away = join(dir, 'found', 'campaign.duckdb');
    await writeStore(away, design, results);
    expect(await locateStore(request, away, inspect)).toEqual({
      path: away,
      store: away,
      found: [
        { experimentId: 'big', held: 64, checked: 64 },
        { experimentId: 'other', held: 0, checked: 64 },
      ],
    });
    const beside = join(dir, 'beside.duckdb');
    await writeStore(beside, other, otherResults, 10);
    // The first 10 of its 90 trials: 8 of the 64 looked up (spread over the design).
    expect(await locateStore(request, beside, inspect)).toMatchObject({
      store: 'beside.duckdb',
      found: [
        { experimentId: 'big', held: 0 },
        { experimentId: 'other', held: 8 },
      ],
    });
    // Untitled notebook: the absolute path.
    expect((await locateStore({ ...request, notebookPath: null }, beside, inspect)).store).toBe(beside);
    // Refused, saying why; nothing is created.
    await expect(locateStore(request, 'campaign.duckdb', inspect)).rejects.toThrow(
      'the store\'s path must be absolute, got "campaign.duckdb"',
    );
    await expect(locateStore(request, join(dir, 'nope.duckdb'), inspect)).rejects.toThrow(
      `${join(dir, 'nope.duckdb')} does not exist`,
    );
    expect(existsSync(join(dir, 'nope.duckdb'))).toBe(false);
    await expect(locateStore(request, join(dir, 'found'), inspect)).rejects.toThrow('is a folder');
    await expect(locateStore(request, notebookPath.replace('located', 'fine'), inspect)).rejects.toThrow(
      'fine.accentlab cannot be read as a results store',
    );
    await expect(
      locateStore({ ...request, experiments: request.experiments.slice(1) }, away, inspect),
    ).rejects.toThrow('campaign.duckdb holds none of the trials of "Other": none of 64 looked up by key');
  });
});
