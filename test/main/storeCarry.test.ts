import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandDesign } from '../../src/engine/experiment/design';
import type { ExperimentDesign } from '../../src/engine/experiment/design';
import { ENGINE_VERSION, runTrial } from '../../src/engine/experiment/trial';
import type { TrialResult } from '../../src/engine/experiment/trial';
import type { ResultsStore } from '../../src/node/resultsStore';
import { TrialKeys } from '../../src/node/trialKeys';
import { carryStores } from '../../src/main/services/storeCarry';
import { SweepStores } from '../../src/main/services/sweepStores';
import type { ExperimentEntry, NotebookDocument } from '../../src/shared/hostApi';
import { summarizeTrials } from '../../src/shared/notebook/summary';
import { smallDesign } from '../helpers/designs';

// Save As carries an experiment's trials into the store beside the saved notebook (issue 17):
// from the app's shared untitled store, or from the store beside the file it came from.

let dir: string;
let untitled: string;
let stores: SweepStores;
const big: ExperimentDesign = smallDesign({ name: 'Big', repetitions: 5 });
const small: ExperimentDesign = smallDesign({ name: 'Small', seed: 7 });
const elsewhere: ExperimentDesign = smallDesign({ name: 'Another untitled notebook', seed: 99 });
const ran = new Map<ExperimentDesign, TrialResult[]>();

const open = (path: string): Promise<ResultsStore> => stores.openFile(path);

/** The rows of a store, by key, as text (every column: a copy is row for row). */
async function rows(path: string): Promise<Map<string, string>> {
  const store = await open(path);
  const found = await store.query('SELECT * FROM trials ORDER BY key');
  return new Map(
    found.map((row) => [
      String(row[0]),
      JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? String(v) : v)),
    ]),
  );
}

async function storeTrials(path: string, design: ExperimentDesign): Promise<void> {
  const store = await open(path);
  const keys = new TrialKeys();
  for (const [at, spec] of expandDesign(design).entries())
    await store.append(keys.key(spec), design.name, at, ran.get(design)![at]!, 'whole');
  await store.flush();
}

const entry = (id: string, design: ExperimentDesign, store?: string): ExperimentEntry => ({
  kind: 'experiment',
  id,
  design,
  results: store ? [] : ran.get(design)!,
  engineVersion: ENGINE_VERSION,
  ...(store ? { summary: summarizeTrials(design, ran.get(design)!, store) } : {}),
});

const notebookOf = (...entries: ExperimentEntry[]): NotebookDocument => ({
  formatVersion: 3,
  name: 'Study',
  provenance: { engineVersion: ENGINE_VERSION, createdBy: 'test' },
  entries,
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'accent-lab-store-carry-'));
  untitled = join(dir, 'settings', 'results', 'untitled.results.duckdb');
  stores = new SweepStores(untitled);
  for (const design of [big, small, elsewhere])
    ran.set(
      design,
      expandDesign(design).map((spec) => runTrial(spec)),
    );
  await mkdir(join(dir, 'settings', 'results'), { recursive: true });
  // The shared untitled store: this notebook's experiments and another untitled notebook's.
  for (const design of [big, small, elsewhere]) await storeTrials(untitled, design);
});

afterAll(async () => {
  await stores?.closeAll();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('Save As carries the results store with the notebook', () => {
  it("copies an untitled notebook's trials from the shared untitled store into the store beside it", async () => {
    const before = await rows(untitled);
    const notebook = notebookOf(entry('big', big, untitled), entry('small', small));
    const to = join(dir, 'study.accentlab');
    const carried = await carryStores(notebook, { from: undefined, to, untitled, open });
    expect(carried.warnings).toEqual([]);
    const bigCount = ran.get(big)!.length;
    const smallCount = ran.get(small)!.length;
    expect(carried.carried).toEqual([
      { experimentId: 'big', store: 'study.results.duckdb', trials: bigCount },
      { experimentId: 'small', store: 'study.results.duckdb', trials: smallCount },
    ]);
    // The summary names the store beside the notebook; the inline experiment is unchanged.
    const [bigEntry, smallEntry] = carried.notebook.entries as ExperimentEntry[];
    expect(bigEntry!.summary!.store).toBe('study.results.duckdb');
    expect(smallEntry).toEqual(notebook.entries[1]);
    expect((notebook.entries[0] as ExperimentEntry).summary!.store).toBe(untitled);
    // Row for row this notebook's trials, not the other untitled notebook's; the untitled store keeps all.
    const beside = await rows(join(dir, 'study.results.duckdb'));
    expect(beside.size).toBe(bigCount + smallCount);
    for (const [key, row] of beside) expect(before.get(key)).toBe(row);
    expect(await rows(untitled)).toEqual(before);
    // No scratch file left behind.
    expect((await readdir(dir)).filter((file) => file.includes('.copy-'))).toEqual([]);
  });

  it('copies a saved notebook saved elsewhere from the store beside the file it came from', async () => {
    const from = join(dir, 'study.accentlab');
    await mkdir(join(dir, 'mail'));
    const to = join(dir, 'mail', 'copy.accentlab');
    const notebook = notebookOf(entry('big', big, 'study.results.duckdb'));
    const carried = await carryStores(notebook, { from, to, untitled, open });
    expect(carried.carried).toEqual([
      { experimentId: 'big', store: 'copy.results.duckdb', trials: ran.get(big)!.length },
    ]);
    expect((await rows(join(dir, 'mail', 'copy.results.duckdb'))).size).toBe(ran.get(big)!.length);
    // Saved in place: nothing copied, nothing changed.
    const again = await carryStores(carried.notebook, { from: to, to, untitled, open });
    expect(again).toEqual({ notebook: carried.notebook, carried: [], warnings: [] });
  });

  it('creates no store for experiments with no stored trial, and keeps the old store named when a copy fails', async () => {
    const to = join(dir, 'fresh', 'fresh.accentlab');
    await mkdir(join(dir, 'fresh'));
    const unstored = smallDesign({ name: 'Never stored', seed: 12345 });
    ran.set(unstored, []);
    const quiet = await carryStores(notebookOf(entry('none', unstored)), {
      from: undefined,
      to,
      untitled,
      open,
    });
    expect(quiet.carried).toEqual([]);
    expect(existsSync(join(dir, 'fresh', 'fresh.results.duckdb'))).toBe(false);

    // The store beside the new file cannot be opened: the summary names the old store (absolute),
    // the save is told why, and nothing of the old store is lost.
    const before = await rows(untitled);
    const failing = (path: string): Promise<ResultsStore> =>
      path === untitled ? open(path) : Promise.reject(new Error('disk full'));
    const notebook = notebookOf(entry('big', big, untitled));
    const carried = await carryStores(notebook, { from: undefined, to, untitled, open: failing });
    expect((carried.notebook.entries[0] as ExperimentEntry).summary!.store).toBe(untitled);
    expect(carried.warnings).toEqual([
      `"Big": copying its trials from ${untitled} into fresh.results.duckdb beside the notebook failed (disk full); ` +
        'its trials stay there and its summary names that store',
    ]);
    expect(await rows(untitled)).toEqual(before);
  });
});
