import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customWorkload, expandDesign, LARGE_DESIGN_TRIALS } from '../../src/engine/experiment/design';
import type { ExperimentDesign } from '../../src/engine/experiment/design';
import { runTrial } from '../../src/engine/experiment/trial';
import { representative } from '../../src/engine/workloads/representatives';
import type { WorkloadSpec } from '../../src/engine/workloads/spec';
import { EnginePool, trialTimeoutMessage } from '../../src/node/enginePool';
import { SweepService } from '../../src/main/services/sweepService';
import type { HostEvent } from '../../src/shared/hostApi';
import { EXIT_CODE, exitOnceMarker, faultOnceMarker, THROWN_MESSAGE } from '../fixtures/faultyTrialWorker';
import { buildWorker, FAULTY_TRIAL_WORKER, TRIAL_WORKER } from '../helpers/buildWorker';
import type { BuiltWorker } from '../helpers/buildWorker';
import { smallDesign } from '../helpers/designs';

let realWorker: BuiltWorker;
let faultyWorker: BuiltWorker;

beforeAll(async () => {
  [realWorker, faultyWorker] = await Promise.all([
    buildWorker(TRIAL_WORKER),
    buildWorker(FAULTY_TRIAL_WORKER),
  ]);
});

afterAll(async () => {
  await Promise.all([realWorker?.dispose(), faultyWorker?.dispose()]);
});

interface Harness {
  service: SweepService;
  events: HostEvent[];
  /** performance.now() when each event was emitted. */
  times: number[];
  /** Resolves with the events up to and including this sweep's next 'sweep-finished'. */
  finished: (sweepId: string) => Promise<HostEvent[]>;
  waitFor: (test: (event: HostEvent) => boolean) => Promise<HostEvent>;
}

async function withService<T>(
  workerFile: string,
  workers: number,
  body: (harness: Harness) => Promise<T>,
  options: {
    progressIntervalMs?: number;
    progressEvery?: number;
    keepFinished?: number;
    keepFinishedResults?: number;
  } = {},
  poolOptions: { trialTimeoutMs?: number; maxOldGenerationSizeMb?: number } = {},
): Promise<T> {
  const pool = new EnginePool({ workerFile, workers, ...poolOptions });
  const events: HostEvent[] = [];
  const times: number[] = [];
  const waiters: { test: (event: HostEvent) => boolean; resolve: (event: HostEvent) => void }[] = [];
  const service = new SweepService(pool, {
    emit: (event) => {
      events.push(event);
      times.push(performance.now());
      for (const waiter of [...waiters]) {
        if (waiter.test(event)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(event);
        }
      }
    },
    ...options,
  });
  const waitFor = (test: (event: HostEvent) => boolean): Promise<HostEvent> =>
    new Promise((resolve) => waiters.push({ test, resolve }));
  const finished = async (sweepId: string): Promise<HostEvent[]> => {
    await waitFor((event) => event.type === 'sweep-finished' && event.sweepId === sweepId);
    return [...events];
  };
  try {
    return await body({ service, events, times, finished, waitFor });
  } finally {
    await service.cancelAll();
    await pool.close();
  }
}

function workload(name: string): WorkloadSpec {
  return customWorkload({
    name,
    realBytes: 512 * 64,
    realZeroBytes: 512 * 16,
    residentBytes: 512 * 8,
    touchedFraction: 0.25,
    locality: 0.5,
    computeSeconds: 0.5,
  });
}

function customDesign(names: string[], overrides: Partial<ExperimentDesign> = {}): ExperimentDesign {
  return smallDesign({
    representatives: [],
    customWorkloads: names.map(workload),
    strategies: ['pure-copy'],
    ...overrides,
  });
}

describe('SweepService', () => {
  it('frees finished sweeps beyond the few it keeps for retries (issue 14, finding 8)', async () => {
    await withService(
      realWorker.file,
      1,
      async ({ service, finished }) => {
        const ids: string[] = [];
        for (const name of ['w1', 'w2', 'w3', 'w4']) {
          const started = service.startSweep(customDesign([name]));
          await finished(started.sweepId);
          ids.push(started.sweepId);
        }
        for (const old of ids.slice(0, 2)) {
          expect(() => service.results(old)).toThrow(/unknown sweep .*kept for retries until 2 newer ones/);
        }
        for (const kept of ids.slice(2)) expect(service.results(kept).results).toHaveLength(1);
        // A kept one can still be retried.
        const trialId = service.results(ids[2]!).results[0]!.id;
        service.retryTrial(ids[2]!, trialId);
        await service.settled(ids[2]!);
        // The results budget frees sweeps too: one more sweep of 2 trials over a budget of 2.
        const two = service.startSweep(customDesign(['x1', 'x2']));
        await finished(two.sweepId);
        expect(() => service.results(ids[3]!)).toThrow(/unknown sweep/);
        expect(service.results(two.sweepId).results).toHaveLength(2);
      },
      { keepFinished: 2, keepFinishedResults: 2 },
    );
  });

  it('runs a design and reports its events in order', async () => {
    await withService(
      realWorker.file,
      2,
      async ({ service, finished }) => {
        const design = smallDesign({ representatives: ['Minprog', 'PM-Start'] });
        const started = service.startSweep(design);
        expect(started.trialCount).toBe(6);
        expect(started.trials.map((trial) => trial.id)).toEqual([
          'Minprog/pure-copy',
          'Minprog/pure-iou/pf0',
          'Minprog/pure-iou/pf1',
          'PM-Start/pure-copy',
          'PM-Start/pure-iou/pf0',
          'PM-Start/pure-iou/pf1',
        ]);
        expect(started.trials[2]).toEqual({
          id: 'Minprog/pure-iou/pf1',
          workload: 'Minprog',
          strategy: 'pure-iou',
          prefetch: 1,
          replication: 0,
        });
        const all = await finished(started.sweepId);
        const events = all.filter((event) => 'sweepId' in event && event.sweepId === started.sweepId);
        expect(events[0]).toEqual({ type: 'sweep-started', sweepId: started.sweepId, trialCount: 6 });
        expect(events.at(-1)).toEqual({
          type: 'sweep-finished',
          sweepId: started.sweepId,
          done: 6,
          failed: 0,
          cancelled: false,
        });
        for (const trial of started.trials) {
          const mine = events.filter(
            (event) =>
              (event.type === 'trial-started' || event.type === 'trial-progress') &&
              event.trialId === trial.id,
          );
          const finishedAt = events.findIndex(
            (event) => event.type === 'trial-finished' && event.result.id === trial.id,
          );
          expect(mine[0]?.type).toBe('trial-started');
          expect(mine.filter((event) => event.type === 'trial-started')).toHaveLength(1);
          expect(events.indexOf(mine.at(-1)!)).toBeLessThan(finishedAt);
          const progress = mine.filter((event) => event.type === 'trial-progress');
          expect(progress.at(-1)).toMatchObject({ progress: { phase: 'done' } });
        }
        // The results are the engine's, kept in run order.
        const snapshot = service.results(started.sweepId);
        expect(snapshot.finished).toBe(true);
        expect(snapshot.results[0]).toEqual(
          runTrial({
            id: 'Minprog/pure-copy',
            workload: representative('Minprog'),
            strategy: 'pure-copy',
            prefetch: 0,
            hardware: design.hardware,
            seed: design.seed,
            replication: 0,
          }),
        );
      },
      { progressEvery: 5 },
    );
  });

  it('sends at most one progress event per interval per trial, and always the last', async () => {
    const design = smallDesign({
      representatives: ['PM-End'],
      strategies: ['pure-iou'],
      prefetchValues: [0],
    });
    // What the worker reports when asked for progress after every simulation event.
    let raw = 0;
    const pool = new EnginePool({ workerFile: realWorker.file, workers: 1 });
    const t0 = performance.now();
    try {
      const [spec] = expandDesign(design);
      await pool.runTrial(spec!, { onProgress: () => (raw += 1), progressEvery: 1 });
    } finally {
      await pool.close();
    }
    const duration = performance.now() - t0;
    expect(raw).toBeGreaterThan(1000);

    await withService(
      realWorker.file,
      1,
      async ({ service, finished, times }) => {
        const started = service.startSweep(design);
        const events = await finished(started.sweepId);
        const progress = events.flatMap((event, i) =>
          event.type === 'trial-progress' ? [{ event, at: times[i]! }] : [],
        );
        expect(progress.at(-1)?.event).toMatchObject({ progress: { phase: 'done' } });
        for (let i = 1; i < progress.length - 1; i += 1) {
          expect(progress[i]!.at - progress[i - 1]!.at).toBeGreaterThanOrEqual(99);
        }
        expect(progress.length).toBeLessThanOrEqual(Math.ceil((3 * duration) / 100) + 2);
        expect(progress.length).toBeLessThan(raw / 10);
      },
      { progressEvery: 1, progressIntervalMs: 100 },
    );
  });

  it('refuses a design with problems, or one over the large-design limit', async () => {
    await withService(realWorker.file, 1, async ({ service, events }) => {
      expect(() => service.startSweep(smallDesign({ representatives: ['Nope'] }))).toThrow(
        /cannot run: unknown representative "Nope"/,
      );
      const huge = smallDesign({
        representatives: ['Minprog', 'PM-Start', 'PM-Mid', 'PM-End'],
        prefetchValues: Array.from({ length: 100 }, (_, i) => i),
        repetitions: 250,
      });
      expect(() => service.startSweep(huge)).toThrow(
        new RegExp(
          `more than the ${LARGE_DESIGN_TRIALS.toLocaleString('en-US')} a sweep runs without asking`,
        ),
      );
      // Over the hard limit, confirmed or not, it is refused at once (issue 14, finding 6).
      const absurd = {
        ...huge,
        prefetchValues: Array.from({ length: 1000 }, (_, i) => i),
        repetitions: 10_000,
      };
      expect(() => service.startSweep(absurd, { confirmLarge: true })).toThrow(
        /expands to 40,040,000 trials, over the limit of 10,000,000/,
      );
      await new Promise((resolve) => setImmediate(resolve));
      expect(events).toEqual([]);
    });
  });

  it('cancels a long sweep: the running trial is stopped, the queued ones dropped', async () => {
    await withService(faultyWorker.file, 1, async ({ service, finished, waitFor }) => {
      const started = service.startSweep(customDesign(['hang:forever'], { repetitions: 5 }));
      expect(started.trialCount).toBe(5);
      await waitFor((event) => event.type === 'trial-started');
      const t0 = Date.now();
      service.cancelSweep(started.sweepId);
      const events = await finished(started.sweepId);
      expect(Date.now() - t0).toBeLessThan(5_000);
      expect(events.filter((event) => event.type === 'trial-started')).toHaveLength(1);
      // The running trial ends as cancelled, so do the few submitted behind it (one per worker);
      // the ones never submitted send nothing.
      const results = events.flatMap((event) => (event.type === 'trial-finished' ? [event.result] : []));
      expect(results.length).toBeGreaterThanOrEqual(1);
      expect(results.length).toBeLessThan(5);
      expect(results.every((result) => !result.ok && result.error === 'cancelled')).toBe(true);
      expect(events.at(-1)).toEqual({
        type: 'sweep-finished',
        sweepId: started.sweepId,
        done: 0,
        failed: 0,
        cancelled: true,
      });
      expect(service.results(started.sweepId)).toMatchObject({ finished: true, cancelled: true });
    });
  });

  it('starts a million-trial design at once, holds a few trials at a time, and stops at once', async () => {
    await withService(realWorker.file, 2, async ({ service, finished, waitFor, events }) => {
      const design = smallDesign({
        strategies: ['pure-iou'],
        prefetchValues: Array.from({ length: 100 }, (_, i) => i),
        repetitions: 10_000,
      });
      const t0 = performance.now();
      const started = service.startSweep(design, { confirmLarge: true });
      expect(started.trialCount).toBe(1_000_000);
      expect(started.trials).toEqual([]);
      await waitFor((event) => event.type === 'trial-finished');
      const firstResult = performance.now() - t0;
      // Before the fix every queued trial added an abort listener: minutes before the first trial.
      expect(firstResult).toBeLessThan(10_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const t1 = performance.now();
      service.cancelSweep(started.sweepId);
      const all = await finished(started.sweepId);
      expect(performance.now() - t1).toBeLessThan(10_000);
      expect(all.at(-1)).toMatchObject({ type: 'sweep-finished', cancelled: true });
      // Only the trials submitted report: those started, and at most a worker's worth behind them.
      const startedTrials = events.filter((event) => event.type === 'trial-started').length;
      const finishedTrials = events.filter((event) => event.type === 'trial-finished').length;
      expect(finishedTrials).toBeGreaterThanOrEqual(startedTrials);
      expect(finishedTrials).toBeLessThanOrEqual(startedTrials + 2);
      expect(finishedTrials).toBeLessThan(100_000);
      expect(service.results(started.sweepId).results).toEqual([]);
    });
  }, 60_000);

  it('fails a crashing trial alone; it can be retried after the sweep', async () => {
    const seed = 40_000 + Math.floor(Math.random() * 1_000_000);
    await rm(exitOnceMarker(seed), { force: true });
    try {
      await withService(faultyWorker.file, 2, async ({ service, finished, waitFor, events }) => {
        const design = customDesign(['ok-a', 'exitonce:x', 'ok-b'], { seed });
        const started = service.startSweep(design);
        const all = await finished(started.sweepId);
        expect(all.at(-1)).toEqual({
          type: 'sweep-finished',
          sweepId: started.sweepId,
          done: 2,
          failed: 1,
          cancelled: false,
        });
        const snapshot = service.results(started.sweepId);
        expect(snapshot.results.map((result) => result?.ok)).toEqual([true, false, true]);
        expect(snapshot.results[1]?.error).toBe(`worker exited with code: ${EXIT_CODE}`);

        const before = events.length;
        expect(() => service.retryTrial(started.sweepId, 'nope')).toThrow(/has no trial "nope"/);
        expect(() => service.retryTrial('nope', 'x')).toThrow(/unknown sweep/);
        service.retryTrial(started.sweepId, 'exitonce:x/pure-copy');
        const retried = await waitFor((event) => event.type === 'trial-finished');
        await service.settled(started.sweepId);
        const after = events.slice(before);
        expect(after[0]).toEqual({
          type: 'trial-started',
          sweepId: started.sweepId,
          trialId: 'exitonce:x/pure-copy',
        });
        expect(after.at(-1)).toBe(retried);
        expect(after.some((event) => event.type === 'sweep-finished')).toBe(false);
        expect(retried.type === 'trial-finished' && retried.result).toMatchObject({
          id: 'exitonce:x/pure-copy',
          ok: true,
        });
        expect(service.results(started.sweepId).results.map((result) => result?.ok)).toEqual([
          true,
          true,
          true,
        ]);
      });
    } finally {
      await rm(exitOnceMarker(seed), { force: true });
    }
  });

  it('retries a cancelled trial of a cancelled sweep, and refuses to retry one still queued', async () => {
    await withService(faultyWorker.file, 1, async ({ service, finished, waitFor }) => {
      const started = service.startSweep(customDesign(['hang:1', 'fine'], { strategies: ['pure-copy'] }));
      await waitFor((event) => event.type === 'trial-started');
      expect(() => service.retryTrial(started.sweepId, 'fine/pure-copy')).toThrow(/still queued/);
      expect(() => service.retryTrial(started.sweepId, 'hang:1/pure-copy')).toThrow(/still running/);
      service.cancelSweep(started.sweepId);
      await finished(started.sweepId);
      service.retryTrial(started.sweepId, 'fine/pure-copy');
      const retried = await waitFor((event) => event.type === 'trial-finished');
      expect(retried.type === 'trial-finished' && retried.result).toMatchObject({
        id: 'fine/pure-copy',
        ok: true,
      });
    });
  });

  it('a trial that throws, runs out of memory or overruns its time budget fails with that reason; the sweep goes on; each can be retried', async () => {
    const seed = 40_000 + Math.floor(Math.random() * 1_000_000);
    const kinds = ['throw', 'oom', 'hang'] as const;
    const markers = kinds.map((kind) => faultOnceMarker(kind, seed));
    const budget = 2000;
    await Promise.all(markers.map((marker) => rm(marker, { force: true })));
    try {
      await withService(
        faultyWorker.file,
        2,
        async ({ service, finished, waitFor }) => {
          const design = customDesign(['throwonce:a', 'ok-a', 'oomonce:b', 'hangonce:c', 'ok-b'], { seed });
          const started = service.startSweep(design);
          const all = await finished(started.sweepId);
          expect(all.at(-1)).toMatchObject({ type: 'sweep-finished', done: 2, failed: 3, cancelled: false });
          const results = service.results(started.sweepId).results;
          expect(results.map((result) => result?.ok)).toEqual([false, true, false, false, true]);
          expect(results[0]?.error).toContain(THROWN_MESSAGE);
          expect(results[2]?.error).toMatch(/memory limit.*ERR_WORKER_OUT_OF_MEMORY/);
          expect(results[3]?.error).toBe(trialTimeoutMessage(budget));

          for (const id of ['throwonce:a/pure-copy', 'oomonce:b/pure-copy', 'hangonce:c/pure-copy']) {
            service.retryTrial(started.sweepId, id);
            const retried = await waitFor(
              (event) => event.type === 'trial-finished' && event.result.id === id,
            );
            expect(retried.type === 'trial-finished' && retried.result).toMatchObject({ id, ok: true });
          }
          await service.settled(started.sweepId);
          expect(service.results(started.sweepId).results.every((result) => result?.ok)).toBe(true);
        },
        {},
        { trialTimeoutMs: budget, maxOldGenerationSizeMb: 48 },
      );
    } finally {
      await Promise.all(markers.map((marker) => rm(marker, { force: true })));
    }
  }, 60_000);
});

describe('SweepService with a results store (issue 17 item 3)', () => {
  it('streams finished trials into the notebook’s store; a sweep run again runs only what is missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sweep-store-'));
    const pool = new EnginePool({ workerFile: realWorker.file, workers: 1 });
    const events: HostEvent[] = [];
    let onEvent: (event: HostEvent) => void = () => undefined;
    const service = new SweepService(pool, {
      emit: (event) => {
        events.push(event);
        onEvent(event);
      },
      stores: { untitled: join(dir, 'untitled.results.duckdb') },
    });
    const notebookPath = join(dir, 'study.accentlab');
    const design = smallDesign({ repetitions: 4 }); // 12 trials
    const run = (cancelAfter?: number): Promise<HostEvent[]> =>
      new Promise((resolve) => {
        const mine: HostEvent[] = [];
        let ok = 0;
        const { sweepId } = service.startSweep(design, { notebookPath, experiment: 'e1' });
        onEvent = (event) => {
          if (!('sweepId' in event) || event.sweepId !== sweepId) return;
          mine.push(event);
          if (event.type === 'trial-finished' && event.result.ok && ++ok === cancelAfter)
            service.cancelSweep(sweepId);
          if (event.type === 'sweep-finished') resolve(mine);
        };
      });
    try {
      const first = await run(5);
      const firstOk = first.filter((event) => event.type === 'trial-finished' && event.result.ok);
      expect(first.at(-1)).toMatchObject({ type: 'sweep-finished', cancelled: true });
      expect(firstOk.length).toBeGreaterThanOrEqual(5);
      expect(firstOk.length).toBeLessThan(12);
      // Run again (the app's Resume): the stored trials come back first, only the rest run.
      const second = await run();
      const started = second.find((event) => event.type === 'sweep-started');
      expect(started).toMatchObject({ trialCount: 12, stored: firstOk.length });
      const ran = second.filter((event) => event.type === 'trial-started').length;
      expect(ran).toBe(12 - firstOk.length);
      const finished = second.filter(
        (event): event is Extract<HostEvent, { type: 'trial-finished' }> => event.type === 'trial-finished',
      );
      expect(finished.filter((event) => event.result.ok)).toHaveLength(12);
      expect(second.at(-1)).toMatchObject({ type: 'sweep-finished', done: 12, failed: 0, cancelled: false });
      // The stored results are the results: the same as running each trial here.
      const expected = new Map(expandDesign(design).map((spec) => [spec.id, runTrial(spec)]));
      for (const event of finished) expect(event.result).toEqual(expected.get(event.result.id));
      // A third run runs nothing.
      const third = await run();
      expect(third.filter((event) => event.type === 'trial-started')).toHaveLength(0);
      expect(third.find((event) => event.type === 'sweep-started')).toMatchObject({ stored: 12 });
    } finally {
      await service.cancelAll();
      await service.closeStores();
      await pool.close();
    }
    // The store is the CLI's: beside the notebook, every trial under its key.
    const { ResultsStore } = await import('../../src/node/resultsStore');
    const store = await ResultsStore.open(join(dir, 'study.results.duckdb'), { readOnly: true });
    try {
      expect(await store.count()).toBe(12);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('SweepService: the inline byte limit (issue 17)', () => {
  it('summarizes a listed sweep whose trials take more than the byte limit, from the store it filled', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sweep-bytes-'));
    const pool = new EnginePool({ workerFile: realWorker.file, workers: 1 });
    let finished!: (event: Extract<HostEvent, { type: 'sweep-finished' }>) => void;
    const ended = new Promise<Extract<HostEvent, { type: 'sweep-finished' }>>(
      (resolve) => (finished = resolve),
    );
    const service = new SweepService(pool, {
      emit: (event) => {
        if (event.type === 'sweep-finished') finished(event);
      },
      stores: { untitled: join(dir, 'untitled.results.duckdb') },
      // A few short trials are a few KB each: over this limit, as long trials are over 40 MiB.
      inlineBytes: 4_000,
    });
    try {
      const design = smallDesign({ repetitions: 2 });
      service.startSweep(design, { notebookPath: join(dir, 'long.accentlab'), experiment: 'e1' });
      const event = await ended;
      expect(event.done).toBe(6);
      expect(event.summary).toMatchObject({ trials: 6, failed: 0, store: 'long.results.duckdb' });
      expect(event.summary!.points.map((point) => point.n)).toEqual([2, 2, 2]);
      // Replication 0 of each point, for the figures that draw single trials.
      expect(event.summary!.figureTrials).toHaveLength(3);
    } finally {
      await service.cancelAll();
      await service.closeStores();
      await pool.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('SweepService: a summarized experiment whose store is missing (issue 17)', () => {
  it('says so when the sweep starts, instead of running its trials again silently', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sweep-missing-'));
    const pool = new EnginePool({ workerFile: realWorker.file, workers: 1 });
    const started: HostEvent[] = [];
    let finished!: () => void;
    const ended = new Promise<void>((resolve) => (finished = resolve));
    const service = new SweepService(pool, {
      emit: (event) => {
        if (event.type === 'sweep-started') started.push(event);
        if (event.type === 'sweep-finished') finished();
      },
      stores: { untitled: join(dir, 'untitled.results.duckdb') },
    });
    try {
      const notebookPath = join(dir, 'moved.accentlab');
      service.startSweep(smallDesign(), {
        notebookPath,
        experiment: 'e1',
        summarized: { store: 'elsewhere.results.duckdb', trials: 3 },
      });
      await ended;
      expect(started[0]).toMatchObject({ type: 'sweep-started', stored: 0 });
      const warning = (started[0] as { storeWarning?: string }).storeWarning;
      expect(warning).toContain(
        "this experiment's summary names the results store elsewhere.results.duckdb, which is missing: 3 of its trials run again",
      );
      // Its store holds them now: resuming again warns no more.
      started.length = 0;
      const again = new Promise<void>((resolve) => (finished = resolve));
      service.startSweep(smallDesign(), {
        notebookPath,
        experiment: 'e1',
        summarized: { store: 'moved.results.duckdb', trials: 3 },
      });
      await again;
      expect(started[0]).toMatchObject({ stored: 3 });
      expect(started[0]).not.toHaveProperty('storeWarning');
    } finally {
      await service.cancelAll();
      await service.closeStores();
      await pool.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
