import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planCampaign, runCampaign } from '../../src/cli/campaign';
import {
  notebookFromStore,
  saveNotebookInPlace,
  storeLabel,
  storeWarnings,
} from '../../src/cli/campaignNotebook';
import { ResultsStore } from '../../src/node/resultsStore';
import type { ExperimentEntry } from '../../src/shared/hostApi';
import { buildWorker, TRIAL_WORKER } from '../helpers/buildWorker';
import type { BuiltWorker } from '../helpers/buildWorker';
import { sampleExperiment, sampleNotebook } from '../helpers/designs';

let worker: BuiltWorker;
let dir: string;

beforeAll(async () => {
  worker = await buildWorker(TRIAL_WORKER);
  dir = await mkdtemp(join(tmpdir(), 'campaign-notebook-'));
});

afterAll(async () => {
  await worker?.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('the notebook a campaign writes back (issue 17)', () => {
  it('keeps small experiments inline, summarizes past the byte limit, and never replaces results with fewer', async () => {
    const doc = sampleNotebook();
    sampleExperiment(doc).design.repetitions = 2; // 6 trials, 3 design points
    const store = await ResultsStore.open(join(dir, 'study.results.duckdb'));
    const empty = await ResultsStore.open(join(dir, 'other.duckdb'));
    try {
      const plan = planCampaign(doc, dir, new Set());
      const ran = await runCampaign(plan, store, { workers: 1, workerFile: worker.file });
      expect(ran.ran).toBe(6);
      const label = storeLabel(join(dir, 'study.accentlab'), store.path);
      expect(label).toBe('study.results.duckdb');

      const inline = await notebookFromStore(doc, plan, store, label);
      const kept = sampleExperiment(inline.doc);
      expect(inline.updated).toEqual(['experiment-1']);
      const trials = plan.experiments[0]!.trials;
      expect(kept.results.map((result) => result.id)).toEqual(
        Array.from({ length: trials.length }, (_, at) => trials.at(at).id),
      );
      expect(kept.summary).toBeUndefined();

      // Over the byte limit (here a few KB; 40 MiB by default): a summary, built from the store.
      const summarized = await notebookFromStore(doc, plan, store, label, 4_000);
      const entry = sampleExperiment(summarized.doc);
      expect(entry.results).toEqual([]);
      expect(entry.summary).toMatchObject({ trials: 6, failed: 0, store: 'study.results.duckdb' });
      expect(entry.summary!.points.map((point) => point.n)).toEqual([2, 2, 2]);

      // A store that lacks the trials the notebook records: the notebook's stay, with a warning.
      const planned = planCampaign(summarized.doc, dir, new Set());
      const lacking = await notebookFromStore(summarized.doc, planned, empty, 'other.duckdb');
      expect(lacking.updated).toEqual([]);
      expect(sampleExperiment(lacking.doc)).toBe(entry);
      expect(lacking.warnings[0]).toContain(
        'holds 0 of its trials, the notebook 6 (its summary names the store study.results.duckdb)',
      );

      // Before a run: the summary's store missing, or another store used that holds none of them.
      const file = join(dir, 'study.accentlab');
      expect(storeWarnings(file, planned, store.path, [6])).toEqual([]);
      expect(storeWarnings(file, planned, join(dir, 'other.duckdb'), [0])[0]).toContain(
        `its summary names the store study.results.duckdb, not ${join(dir, 'other.duckdb')}`,
      );
      (sampleExperiment(summarized.doc) as ExperimentEntry).summary!.store = 'moved.results.duckdb';
      expect(storeWarnings(file, planned, store.path, [0])[0]).toContain(
        'its summary names the store moved.results.duckdb, which is missing; the trials the store lacks run again',
      );

      // Written back as the app saves: the previous version kept, nothing written when unchanged.
      await writeFile(file, '{"old": true}\n');
      expect(await saveNotebookInPlace(file, inline.doc)).toBe(true);
      expect(await readFile(`${file}.bak`, 'utf8')).toBe('{"old": true}\n');
      expect(await saveNotebookInPlace(file, inline.doc)).toBe(false);
    } finally {
      await store.close();
      await empty.close();
    }
  }, 60_000);
});
