import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
