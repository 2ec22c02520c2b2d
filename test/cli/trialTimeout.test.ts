import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTrialOnWorker } from '../../src/cli/commands/runTrial';
import { runDesigns } from '../../src/cli/pool';
import { trialTimeoutMessage } from '../../src/node/enginePool';
import { buildWorker, FAULTY_TRIAL_WORKER, type BuiltWorker } from '../helpers/buildWorker';
import { trialSpec } from '../helpers/trials';

let faultyWorker: BuiltWorker;

beforeAll(async () => {
  faultyWorker = await buildWorker(FAULTY_TRIAL_WORKER);
});

afterAll(async () => {
  await faultyWorker?.dispose();
});

describe('the CLI runs trials with a time budget', () => {
  it('fails a trial over --trial-timeout with that reason and runs the others', async () => {
    const { results, cancelled } = await runDesigns([[trialSpec('hang:1'), trialSpec('fine')]], {
      workers: 1,
      trialTimeoutMs: 700,
      workerFile: faultyWorker.file,
    });
    expect(cancelled).toBe(false);
    expect(results[0]).toMatchObject([
      { id: 'hang:1', ok: false, error: trialTimeoutMessage(700) },
      { id: 'fine', ok: true },
    ]);
  }, 30_000);

  it('runs run-trial’s one trial on a worker with the same budget: over it, it fails with the reason', async () => {
    const started = Date.now();
    const result = await runTrialOnWorker(trialSpec('hang:1'), {
      trialTimeoutMs: 700,
      workerFile: faultyWorker.file,
    });
    expect(result).toMatchObject({ id: 'hang:1', ok: false, error: trialTimeoutMessage(700) });
    // It was stopped by the budget, not by the trial's end (a hang never ends).
    expect(Date.now() - started).toBeLessThan(25_000);
    expect(
      await runTrialOnWorker(trialSpec('fine'), { trialTimeoutMs: 700, workerFile: faultyWorker.file }),
    ).toMatchObject({ id: 'fine', ok: true });
  }, 30_000);
});
