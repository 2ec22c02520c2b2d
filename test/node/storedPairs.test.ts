import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandDesign } from '../../src/engine/experiment/design';
import type { ExperimentDesign } from '../../src/engine/experiment/design';
import { hardwarePreset } from '../../src/engine/hardware/presets';
import { ENGINE_VERSION, runTrial } from '../../src/engine/experiment/trial';
import type { TrialResult } from '../../src/engine/experiment/trial';
import { ResultsStore } from '../../src/node/resultsStore';
import { readOnlyStores, readStoredPairs } from '../../src/node/storedPairs';
import { TrialKeys } from '../../src/node/trialKeys';
import { comparisonBasis, type ComparedExperiment } from '../../src/shared/figures/compareExperiments';
import type { StoredPairs, StoredSide } from '../../src/shared/figures/storedPairs';
import { summarizeTrials } from '../../src/shared/notebook/summary';
import { pairedDifferences, pairedDifferenceTable } from '../../src/shared/tables/pairedDifferences';
import { smallDesign } from '../helpers/designs';

// Compare for summarized experiments (issue 17): where both experiments' trials are in results
// stores and their seeds pair, the paired t from the store, the same test the trials give inline.

let dir: string;
const perq: ExperimentDesign = smallDesign({
  name: 'Perq',
  representatives: ['Minprog', 'Chess'],
  repetitions: 5,
});
const fast: ExperimentDesign = { ...perq, name: 'Fast', hardware: hardwarePreset('ethernet-1g-2025') };
let perqResults: TrialResult[];
let fastResults: TrialResult[];

async function writeStore(path: string, designs: [string, ExperimentDesign, TrialResult[]][]): Promise<void> {
  const store = await ResultsStore.open(path);
  for (const [experiment, design, results] of designs) {
    const keys = new TrialKeys();
    const specs = expandDesign(design);
    for (let at = 0; at < specs.length; at += 1)
      await store.append(keys.key(specs[at]!), experiment, at, results[at]!);
  }
  await store.close();
}

const side = (id: string, design: ExperimentDesign, store: string): StoredSide => ({
  id,
  design,
  engineVersion: ENGINE_VERSION,
  store,
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'accent-lab-stored-pairs-'));
  perqResults = expandDesign(perq).map((spec) => runTrial(spec));
  fastResults = expandDesign(fast).map((spec) => runTrial(spec));
  await writeStore(join(dir, 'study.results.duckdb'), [
    ['perq', perq, perqResults],
    ['fast', fast, fastResults],
  ]);
  await writeStore(join(dir, 'fast.results.duckdb'), [['fast', fast, fastResults]]);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the paired test from the store', () => {
  const inline: ComparedExperiment[] = [];
  const summarized: ComparedExperiment[] = [];
  beforeAll(() => {
    inline.push(
      { id: 'perq', name: 'Perq', results: perqResults },
      { id: 'fast', name: 'Fast', results: fastResults },
    );
    summarized.push(
      {
        id: 'perq',
        name: 'Perq',
        results: [],
        summary: summarizeTrials(perq, perqResults, 'study.results.duckdb'),
      },
      {
        id: 'fast',
        name: 'Fast',
        results: [],
        summary: summarizeTrials(fast, fastResults, 'fast.results.duckdb'),
      },
    );
  });

  it('reads the pairs by key and gives the paired t the trials give inline, metric by metric', async () => {
    const notebookPath = join(dir, 'study.accentlab');
    // One store for both, and two stores.
    for (const store of ['study.results.duckdb', 'fast.results.duckdb']) {
      const [answer, ...more] = await readStoredPairs(
        {
          notebookPath,
          baseline: side('perq', perq, 'study.results.duckdb'),
          others: [side('fast', fast, store)],
        },
        readOnlyStores,
      );
      expect(more).toEqual([]);
      expect(answer!.reason).toBeUndefined();
      const pairs = answer!.pairs as StoredPairs;
      expect(pairs).toMatchObject({
        expected: perqResults.length,
        found: perqResults.length,
        experimentStore: store,
      });
      for (const metric of ['end-to-end', 'bytes', 'message-time', 'downtime'] as const) {
        const fromTrials = pairedDifferences(inline, metric);
        const fromStore = pairedDifferences(summarized, metric, [pairs]);
        const welch = pairedDifferences(summarized, metric);
        expect(fromTrials.length).toBeGreaterThan(0);
        expect(fromTrials.every((row) => row.method === 'paired')).toBe(true);
        expect(fromStore.map((row) => row.method)).toEqual(fromTrials.map(() => 'stored'));
        expect(welch.every((row) => row.method === 'summary')).toBe(true);
        // Not a degenerate case: replications differ, and the pairing narrows the interval.
        if (metric === 'end-to-end')
          expect(
            fromStore.some(
              (row, at) => row.test.halfWidth > 0 && row.test.halfWidth < welch[at]!.test.halfWidth,
            ),
          ).toBe(true);
        fromStore.forEach((row, at) => {
          const other = fromTrials[at]!;
          expect(row.point).toEqual(other.point);
          expect(row.nExperiment).toBe(other.nExperiment);
          for (const [x, y] of [
            [row.meanBaseline, other.meanBaseline],
            [row.meanExperiment, other.meanExperiment],
            [row.test.difference, other.test.difference],
            [row.test.ciLow, other.test.ciLow],
            [row.test.ciHigh, other.test.ciHigh],
            [row.test.p, other.test.p],
          ] as const) {
            if (!Number.isFinite(y)) expect(x).toBe(y);
            else expect(Math.abs(x - y)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(y)));
          }
        });
      }
      const table = pairedDifferenceTable(summarized, 'end-to-end', [pairs]);
      expect(table.rows.every((row) => row.some((cell) => cell.text === 'paired t from the store'))).toBe(
        true,
      );
      expect(comparisonBasis(summarized, [answer!]).at(-1)).toBe(
        `Fast against Perq: paired trials from ${store === 'study.results.duckdb' ? store : `study.results.duckdb and ${store}`} ` +
          `(${perqResults.length} of ${perqResults.length} pairs)`,
      );
    }
  });

  it('says why not, and the comparison stays Welch from summaries: a store missing, seeds apart, no trial stored', async () => {
    const notebookPath = join(dir, 'study.accentlab');
    const [missing, seeds, none, unsaved] = await readStoredPairs(
      {
        notebookPath,
        baseline: side('perq', perq, 'study.results.duckdb'),
        others: [
          side('fast', fast, 'moved.results.duckdb'),
          side('fast', { ...fast, seed: 7 }, 'fast.results.duckdb'),
          side('fast', { ...fast, repetitions: 9, representatives: ['PM-Start'] }, 'fast.results.duckdb'),
          side('fast', fast, 'fast.results.duckdb'),
        ],
      },
      readOnlyStores,
    );
    expect(missing!.reason).toBe(
      `the results store moved.results.duckdb is missing (looked for ${join(dir, 'moved.results.duckdb')})`,
    );
    expect(seeds!.reason).toBe('their seeds differ (1987 and 7): no replication pairs');
    expect(none!.reason).toBe('they share no design point');
    expect(unsaved!.pairs?.found).toBe(perqResults.length);
    const [notSaved] = await readStoredPairs(
      {
        notebookPath: null,
        baseline: side('perq', perq, 'study.results.duckdb'),
        others: [side('fast', fast, 'fast.results.duckdb')],
      },
      readOnlyStores,
    );
    expect(notSaved!.reason).toMatch(/relative to a notebook that has not been saved/);
    // A store that holds none of the trials (another experiment's).
    const [empty] = await readStoredPairs(
      {
        notebookPath,
        baseline: side('perq', perq, 'fast.results.duckdb'),
        others: [side('fast', fast, 'fast.results.duckdb')],
      },
      readOnlyStores,
    );
    expect(empty!.reason).toBe(
      `the stores hold none of the ${perqResults.length} pairs of trials (looked up by key)`,
    );
    expect(comparisonBasis(summarized, [missing!]).at(-1)).toBe(
      `Fast against Perq: Welch t from summaries, not paired from the store: ${missing!.reason}`,
    );
  });
});
