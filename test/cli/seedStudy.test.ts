import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPaperValues } from '../../src/cli/packageRoot';
import { fingerprint, runSeedStudy, withSeedShares } from '../../src/cli/seedStudy';
import type { SeedStudy } from '../../src/cli/seedStudy';
import type { TrialResult } from '../../src/engine/experiment/trial';
import { DEFAULT_SEED } from '../../src/engine/reproduction/designs';
import type { FidelityEntry } from '../../src/engine/reproduction/paper';
import { buildWorker, TRIAL_WORKER } from '../helpers/buildWorker';
import type { BuiltWorker } from '../helpers/buildWorker';

let worker: BuiltWorker;

beforeAll(async () => {
  worker = await buildWorker(TRIAL_WORKER);
});

afterAll(async () => {
  await worker?.dispose();
});

describe('the seed study', () => {
  it('judges each seed on the mean of its replications and counts the seeds a check holds in', async () => {
    let trials = 0;
    let lastDone = 0;
    const totals = new Set<number>();
    const { study, failed, cancelled } = await runSeedStudy(
      [1, 2],
      loadPaperValues(),
      {
        workers: 2,
        workerFile: worker.file,
        onTrialDone: (_, done, total) => {
          trials += 1;
          lastDone = Math.max(lastDone, done);
          totals.add(total);
        },
      },
      2,
    );
    expect(cancelled).toBe(false);
    expect(failed).toEqual([]);
    // Replication 0 of the default seed for the fingerprint, then 2 seeds x 2 replications.
    expect(trials).toBe(77 + 2 * 2 * (77 + 24));
    // Progress counts over the whole study, not each seed's run from 0.
    expect([...totals]).toEqual([trials]);
    expect(lastDone).toBe(trials);
    expect(study!.replications).toBe(2);
    expect(study!.seeds).toEqual([1, 2]);
    const shares = Object.values(study!.shares);
    expect(shares.length).toBeGreaterThan(100);
    for (const share of shares) expect([0, 0.5, 1]).toContain(share);
    // Some checks hold on every seed, and the disputed ones the model does not follow on none.
    expect(shares).toContain(1);
    expect(shares).toContain(0);
  }, 300_000);

  it('attaches the shares to the report it describes, saying how they were judged', () => {
    const entry = { name: 'a check' } as FidelityEntry;
    const results = [
      { seed: DEFAULT_SEED, replication: 0, workload: 'Minprog', strategy: 'pure-copy', prefetch: 0 },
    ] as unknown as TrialResult[];
    const study = (replications?: number): SeedStudy => ({
      fingerprint: fingerprint(results),
      seeds: [1, 2, 3],
      ...(replications ? { replications } : {}),
      shares: { 'a check': 2 / 3 },
    });
    const attached = withSeedShares([entry], results, study(10));
    expect(attached.entries[0]).toMatchObject({ seedShare: 2 / 3, seeds: 3 });
    expect(attached.note).toBe(
      'seed shares from 3 seeds (1-3), each judged on the mean of its 10 replications',
    );
    expect(withSeedShares([entry], results, study()).note).toMatch(/one replication each$/);
    expect(withSeedShares([entry], results, { ...study(10), fingerprint: 'other' }).note).toMatch(/stale/);
  });
});
