import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customWorkload, designProblems } from '../../src/engine/experiment/design';
import { footprintProblem, trialFootprint } from '../../src/engine/experiment/footprint';
import type { TrialResult, TrialSpec } from '../../src/engine/experiment/trial';
import { hardwarePreset } from '../../src/engine/hardware/presets';
import type { WorkloadSpec } from '../../src/engine/workloads/spec';
import { EnginePool } from '../../src/node/enginePool';
import { serializeNotebook } from '../../src/node/notebookFile';
import { buildWorker, TRIAL_WORKER } from '../helpers/buildWorker';
import type { BuiltWorker } from '../helpers/buildWorker';
import { buildCliIfStale, cli } from '../helpers/cli';
import { sampleNotebook, sampleExperiment, smallDesign } from '../helpers/designs';
import { trialSpec } from '../helpers/trials';

// Finding 2 of issue 14: one pre-copy trial of a 16 GiB workload at 4 KiB pages ran a worker out of
// heap (and, per the audit, could abort the whole process). It is now refused before it runs.

const GIB = 2 ** 30;
const hardware = hardwarePreset('ethernet-1g-2025'); // 4 KiB pages

function hugeWorkload(bytes = 16 * GIB): WorkloadSpec {
  return customWorkload({
    name: 'Huge',
    realBytes: bytes,
    realZeroBytes: GIB,
    residentBytes: bytes / 2,
    touchedFraction: 0.5,
    locality: 0.5,
    computeSeconds: 10,
  });
}

const hugeSpec: TrialSpec = {
  id: 'huge',
  workload: hugeWorkload(),
  strategy: 'pre-copy',
  prefetch: 0,
  hardware,
  seed: 1,
};

let dir: string;
let worker: BuiltWorker;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'accent-footprint-'));
  [worker] = await Promise.all([buildWorker(TRIAL_WORKER), buildCliIfStale()]);
});

afterAll(async () => {
  await worker?.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('a trial too large for its worker', () => {
  it('is estimated from its design: pages, references, bytes', () => {
    const footprint = trialFootprint(hugeSpec);
    expect(footprint.pages).toBe(4_194_304);
    expect(footprint.references).toBe(2_097_152 * 5);
    expect(footprint.bytes).toBeGreaterThan(4 * GIB);
    expect(footprintProblem(hugeSpec, 1024)).toMatch(
      /would need about [\d,]+ MB \(4,194,304 pages, 10,485,760 references\), over its worker's memory limit of 1,024 MB/,
    );
    // The paper's trials fit with room to spare.
    expect(footprintProblem(trialSpec('m', { workload: 'Lisp-Del' }), 64)).toBeNull();
  });

  it('is refused at once by the pool, alone: the other trials run', async () => {
    const pool = new EnginePool({ workerFile: worker.file, workers: 1 });
    try {
      const started = performance.now();
      const [huge, small] = await pool.runAll([hugeSpec, trialSpec('fine')]);
      expect(huge).toMatchObject({
        id: 'huge',
        ok: false,
        error: expect.stringMatching(/refused before it ran/),
      });
      expect(small).toMatchObject({ id: 'fine', ok: true });
      expect(performance.now() - started).toBeLessThan(10_000);
    } finally {
      await pool.close();
    }
  });

  it('fails alone in `accent-lab run`: exit 1, the reason printed and in results.json, no crash', async () => {
    const notebook = sampleNotebook();
    sampleExperiment(notebook).design = smallDesign({
      representatives: ['Minprog'],
      customWorkloads: [hugeWorkload()],
      strategies: ['pre-copy'],
      prefetchValues: [0],
      hardware,
    });
    const file = join(dir, 'huge.accentlab');
    await writeFile(file, serializeNotebook(notebook));
    const out = join(dir, 'out');
    const started = performance.now();
    const { code, stderr } = await cli('run', file, '--out', out, '--quiet', '--workers', '1');
    const seconds = (performance.now() - started) / 1000;
    expect(code).toBe(1); // failed trials, not a signal (a crash has no exit code)
    expect(stderr).toMatch(/trial Huge\/pre-copy failed: the trial would need about [\d,]+ MB/);
    const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as {
      experiments: Record<string, TrialResult[]>;
    };
    const trials = Object.values(results.experiments).flat();
    expect(trials.map((trial) => [trial.workload, trial.ok])).toEqual([
      ['Minprog', true],
      ['Huge', false],
    ]);
    expect(seconds).toBeLessThan(30);
  }, 60_000);
});

describe('hard limits on designs', () => {
  it('refuses a workload over 2^22 pages and an absurd number of references', () => {
    const over = smallDesign({ customWorkloads: [hugeWorkload(32 * GIB)], hardware });
    expect(designProblems(over).join('\n')).toMatch(/over the limit of 4,194,304 pages per workload/);
    const chatty = { ...hugeWorkload(GIB), rereferencesPerPage: 1_000_000 };
    expect(designProblems(smallDesign({ customWorkloads: [chatty], hardware })).join('\n')).toMatch(
      /would make about [\d,]+ references, over the limit of 268,435,456/,
    );
  });

  it('refuses a design of 20,000,000 trials at once', () => {
    const started = performance.now();
    const design = smallDesign({
      prefetchValues: Array.from({ length: 1000 }, (_, index) => index % 1025),
      repetitions: 10_000,
      strategies: ['pure-iou', 'resident-set'],
    });
    expect(designProblems(design).join('\n')).toMatch(
      /expands to 20,000,000 trials, over the limit of 10,000,000/,
    );
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
