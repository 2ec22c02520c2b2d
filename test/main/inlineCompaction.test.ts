import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandDesign } from '../../src/engine/experiment/design';
import type { ExperimentDesign } from '../../src/engine/experiment/design';
import { runTrial } from '../../src/engine/experiment/trial';
import type { TrialResult } from '../../src/engine/experiment/trial';
import { createHostServices } from '../../src/main/hostServices';
import type { HostServices } from '../../src/main/hostServices';
import { compactInlineExperiments } from '../../src/node/inlineCompaction';
import { ResultsStore } from '../../src/node/resultsStore';
import { TrialKeys } from '../../src/node/trialKeys';
import type { ExperimentEntry, NotebookDocument } from '../../src/shared/hostApi';
import { pointSummaries, summarizeTrials } from '../../src/shared/notebook/summary';
import { buildWorker, TRIAL_WORKER } from '../helpers/buildWorker';
import type { BuiltWorker } from '../helpers/buildWorker';
import { smallDesign } from '../helpers/designs';

// An old notebook's inline experiment over the inline limit is moved into the results store on
// save and kept as its summary, as a fresh large run is (issue 17). Here the byte limit is lowered
// to a few KB so that a 60-trial experiment is over it (40 MiB by default).

let worker: BuiltWorker;
let dir: string;
let services: HostServices;
// An old engine version: its trials are stored under that version's keys.
const OLD_ENGINE = '0.4.0';
const big: ExperimentDesign = smallDesign({ name: 'Old big', repetitions: 20 });
const small: ExperimentDesign = smallDesign({ name: 'Small', seed: 7 });
let bigResults: TrialResult[];
let smallResults: TrialResult[];
let inlineBytes: number;

const entry = (id: string, design: ExperimentDesign, results: TrialResult[]): ExperimentEntry => ({
  kind: 'experiment',
  id,
  design,
  results,
  engineVersion: OLD_ENGINE,
});

const oldNotebook = (): NotebookDocument => ({
  formatVersion: 3,
  name: 'Old',
  provenance: { engineVersion: OLD_ENGINE, createdBy: 'Accent Migration Lab 0.1.0' },
  entries: [
    { kind: 'note', id: 'note', markdown: 'Before the store.' },
    entry('big', big, bigResults),
    entry('small', small, smallResults),
  ],
});

const experiments = (doc: NotebookDocument): ExperimentEntry[] =>
  doc.entries.filter((item): item is ExperimentEntry => item.kind === 'experiment');

const keysOf = (design: ExperimentDesign): string[] => {
  const keys = new TrialKeys(OLD_ENGINE);
  return expandDesign(design).map((spec) => keys.key(spec));
};

beforeAll(async () => {
  worker = await buildWorker(TRIAL_WORKER);
  dir = await mkdtemp(join(tmpdir(), 'accent-lab-compaction-'));
  bigResults = expandDesign(big).map((spec) => runTrial(spec));
  smallResults = expandDesign(small).map((spec) => runTrial(spec));
  // Between the two: the small experiment stays inline, the big one is over the limit.
  inlineBytes = JSON.stringify(smallResults).length + 100;
  expect(JSON.stringify(bigResults).length).toBeGreaterThan(2 * inlineBytes);
  services = createHostServices({
    workerFile: worker.file,
    settingsDir: join(dir, 'settings'),
    workers: 1,
    inlineBytes,
  });
});

afterAll(async () => {
  await services?.close();
  await worker?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('saving an old notebook with an inline experiment over the inline limit', () => {
  it('moves its trials into the store by key and keeps the summary a run would, smaller', async () => {
    const path = join(dir, 'old.accentlab');
    const doc = oldNotebook();
    // The same notebook saved as it is (no store for the host: nothing moves), to compare sizes.
    const asItWas = join(dir, 'as-it-was.accentlab');
    await services.notebooks.save(doc, asItWas);
    const saved = (await services.saveNotebook(doc, path))!;
    expect(saved.storeWarnings).toBeUndefined();
    const expected = summarizeTrials(big, bigResults, 'old.results.duckdb');
    expect(saved.compacted).toEqual([{ experimentId: 'big', trials: 60, summary: expected }]);

    // The file holds the summary (3 figure trials: the first replication), not the 60 trials.
    expect((await stat(path)).size).toBeLessThan((await stat(asItWas)).size);
    const [bigSaved, smallSaved] = experiments(JSON.parse(await readFile(path, 'utf8')) as NotebookDocument);
    expect(bigSaved!.results).toEqual([]);
    expect(bigSaved!.summary).toEqual(expected);
    expect(bigSaved!.summary!.figureTrials).toHaveLength(3);
    const inlineEntry = experiments(JSON.parse(await readFile(asItWas, 'utf8')) as NotebookDocument)[0]!;
    expect(JSON.stringify(bigSaved).length).toBeLessThan(0.25 * JSON.stringify(inlineEntry).length);
    expect(bigSaved!.engineVersion).toBe(OLD_ENGINE);
    expect(smallSaved!.results).toEqual(smallResults);
    expect(smallSaved!.summary).toBeUndefined();

    // Every trial in the store beside it, whole, under the key a run of that engine gives it.
    const stored = await services.sweeps.stores!.inspect(join(dir, 'old.results.duckdb'), async (store) => {
      const keys = keysOf(big);
      const rows: TrialResult[] = [];
      for await (const chunk of store.trialsByKeys(keys.length, (n) => keys[n]!))
        for (const row of chunk) rows.push(row.result);
      const versions = await store.query('SELECT DISTINCT engine_version FROM trials');
      return { rows, versions: versions.map((row) => String(row[0])), count: await store.count() };
    });
    expect(stored.count).toBe(60);
    expect(stored.rows).toEqual(bigResults);
    expect(stored.versions).toEqual([OLD_ENGINE]);

    // Reopened, it shows the numbers its trials give.
    const reopened = (await services.openNotebook(path))!;
    const bigOpened = experiments(reopened.notebook)[0]!;
    expect(bigOpened.summary).toEqual(expected);
    const points = pointSummaries(bigOpened.summary!);
    expect(points).toHaveLength(3);
    for (const point of points) {
      const own = bigResults.filter(
        (result) => result.strategy === point.point.strategy && result.prefetch === point.point.prefetch,
      );
      const mean = own.reduce((sum, result) => sum + result.metrics!.endToEndSeconds, 0) / own.length;
      expect(point.metrics.endToEndSeconds!.n).toBe(20);
      expect(point.metrics.endToEndSeconds!.mean).toBeCloseTo(mean, 12);
    }

    // Saved again (the window still had the trials): nothing more is added, the same summary.
    const again = (await services.saveNotebook(doc, path))!;
    expect(again.compacted![0]!.summary).toEqual(expected);
    expect(
      await services.sweeps.stores!.inspect(join(dir, 'old.results.duckdb'), (store) => store.count()),
    ).toBe(60);
  });

  it('keeps the experiment inline, saying why, when the store cannot be written', async () => {
    // Not a DuckDB file where the store goes: it cannot be opened.
    const path = join(dir, 'blocked.accentlab');
    await writeFile(join(dir, 'blocked.results.duckdb'), 'not a results store\n');
    const saved = (await services.saveNotebook(oldNotebook(), path))!;
    expect(saved.compacted).toBeUndefined();
    expect(saved.storeWarnings).toHaveLength(1);
    expect(saved.storeWarnings![0]).toMatch(
      /^"Old big": its 60 trials stay in the notebook \(they could not be moved into the results store blocked\.results\.duckdb: /,
    );
    const [bigSaved] = experiments(JSON.parse(await readFile(path, 'utf8')) as NotebookDocument);
    expect(bigSaved!.results).toEqual(bigResults);
    expect(bigSaved!.summary).toBeUndefined();
  });

  it('leaves the notebook as it was when writing the trials fails midway', async () => {
    // A store opened read-only: the insert fails after the store opened.
    const path = join(dir, 'readonly.results.duckdb');
    await (await ResultsStore.open(path)).close();
    const store = await ResultsStore.open(path, { readOnly: true });
    try {
      const doc = oldNotebook();
      const compaction = await compactInlineExperiments(doc, {
        notebookFile: join(dir, 'readonly.accentlab'),
        open: async () => store,
        inlineBytes,
      });
      expect(compaction.compacted).toEqual([]);
      expect(compaction.notebook.entries).toEqual(doc.entries);
      expect(compaction.notebook.entries[1]).toBe(doc.entries[1]);
      expect(compaction.warnings[0]).toContain('"Old big": its 60 trials stay in the notebook');
      expect(await store.count()).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('replaces a failure the store holds of a trial the notebook has as ok, and keeps the rest of the store', async () => {
    const path = join(dir, 'mixed.results.duckdb');
    const keys = keysOf(big);
    const store = await ResultsStore.open(path);
    try {
      // The first trial stored as failed; another experiment's trial under another key.
      await store.append(keys[0]!, 'earlier', 0, { ...bigResults[0]!, ok: false, error: 'crashed' }, 'whole');
      await store.append('0123456789abcdef0123456789abcdef', 'other', 0, smallResults[0]!, 'whole');
      await store.flush();
      const compaction = await compactInlineExperiments(oldNotebook(), {
        notebookFile: join(dir, 'mixed.accentlab'),
        open: async () => store,
        inlineBytes,
      });
      expect(compaction.warnings).toEqual([]);
      expect(compaction.compacted[0]!.added).toBe(60);
      expect(compaction.compacted[0]!.entry.summary).toEqual(
        summarizeTrials(big, bigResults, 'mixed.results.duckdb'),
      );
      expect(await store.count()).toBe(61);
    } finally {
      await store.close();
    }
  });

  it("keeps an experiment inline whose trials are not its design's (edited after the run)", async () => {
    const doc = oldNotebook();
    const edited = experiments(doc)[0]!;
    edited.design = { ...edited.design, seed: 1 };
    const compaction = await compactInlineExperiments(doc, {
      notebookFile: join(dir, 'edited.accentlab'),
      open: () => Promise.reject(new Error('not opened')),
      inlineBytes,
    });
    expect(compaction.compacted).toEqual([]);
    expect(compaction.warnings[0]).toContain(
      'does not match its design (the design was edited after the run?)',
    );
  });
});
