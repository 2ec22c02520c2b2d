import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countTrials } from '../../src/engine/experiment/design';
import { EnginePool } from '../../src/node/enginePool';
import { CampaignService } from '../../src/main/services/campaignService';
import { buildWorker, TRIAL_WORKER } from '../helpers/buildWorker';
import type { BuiltWorker } from '../helpers/buildWorker';
import { sampleNotebook, smallDesign } from '../helpers/designs';

let worker: BuiltWorker;
let pool: EnginePool;
let dir: string;

beforeAll(async () => {
  worker = await buildWorker(TRIAL_WORKER);
  pool = new EnginePool({ workerFile: worker.file, workers: 2 });
  dir = await mkdtemp(join(tmpdir(), 'accent-lab-campaign-service-'));
});

afterAll(async () => {
  await pool?.close();
  await worker?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the designer’s estimate and "Run on a cluster…"', () => {
  it('estimates a design from a few of its own trials: time on the workers and size', async () => {
    const service = new CampaignService(pool, { cliPath: null });
    const design = smallDesign({ repetitions: 50 });
    const estimate = await service.estimateDesign(design);
    expect(estimate.trials).toBe(countTrials(design));
    expect(estimate.workers).toBe(2);
    expect(estimate.calibrationTrials).toBe(4);
    expect(estimate.seconds).toBeGreaterThan(0);
    // A Minprog trial's JSON is some hundreds of bytes to some kilobytes: the notebook's share.
    expect(estimate.notebookBytes! / estimate.trials).toBeGreaterThan(100);
    // A small design is stored whole: twice its trials' JSON (the measured ratio's upper end).
    expect(Math.abs(estimate.storeBytes - 2 * estimate.notebookBytes!)).toBeLessThanOrEqual(1);
    await expect(service.estimateDesign({ ...design, repetitions: 0 })).rejects.toThrow(/cannot run/);
  }, 60_000);

  it('writes the Slurm bundle of a saved notebook, as `accent-lab slurm` does', async () => {
    const cli = join(dir, 'bin', 'accent-lab.js');
    const service = new CampaignService(pool, { cliPath: cli });
    const notebook = join(dir, 'study.accentlab');
    const out = join(dir, 'study-cluster');
    await expect(
      service.writeClusterBundle({ notebookPath: notebook, out, tasks: 3, workers: 2 }),
    ).rejects.toThrow(/save it first/);
    await writeFile(notebook, JSON.stringify(sampleNotebook()));
    const bundle = await service.writeClusterBundle({ notebookPath: notebook, out, tasks: 3, workers: 2 });
    const array = await readFile(bundle.arrayScript, 'utf8');
    expect(array).toContain('#SBATCH --array=0-2');
    expect(array).toContain('#SBATCH --cpus-per-task=2');
    expect(array).toContain(`'${cli}' run '${notebook}' --shard auto/3`);
    const merge = await readFile(bundle.mergeScript, 'utf8');
    expect(merge).toContain(`merge '${notebook}'`);
    expect(bundle.commands[1]).toContain('--dependency=afterok:$ARRAY');
    expect(bundle.trialsCsv).toBe(join(out, 'trials.csv'));
    await expect(
      new CampaignService(pool, { cliPath: null }).writeClusterBundle({
        notebookPath: notebook,
        out,
        tasks: 3,
        workers: 1,
      }),
    ).rejects.toThrow(/no command line/);
  });
});
