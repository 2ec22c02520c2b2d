import { getEventListeners } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTrial } from '../../src/engine/experiment/trial';
import type { TrialProgress, TrialResult } from '../../src/engine/experiment/trial';
import { EnginePool, isCancelled, TRIAL_CANCELLED, trialTimeoutMessage } from '../../src/node/enginePool';
import { EXIT_CODE, THROWN_MESSAGE } from '../fixtures/faultyTrialWorker';
import { buildWorker, FAULTY_TRIAL_WORKER, TRIAL_WORKER } from '../helpers/buildWorker';
import type { BuiltWorker } from '../helpers/buildWorker';
import { trialSpec } from '../helpers/trials';

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

async function withPool<T>(
  workerFile: string,
  workers: number,
  body: (pool: EnginePool) => Promise<T>,
): Promise<T> {
  const pool = new EnginePool({ workerFile, workers });
  try {
    return await body(pool);
  } finally {
    await pool.close();
  }
}

const specs = [
  trialSpec('a', { strategy: 'pure-copy' }),
  trialSpec('b', { strategy: 'pure-iou', prefetch: 0 }),
  trialSpec('c', { strategy: 'pure-iou', prefetch: 3 }),
  trialSpec('d', { strategy: 'resident-set', prefetch: 1 }),
  trialSpec('e', { workload: 'PM-End', strategy: 'pure-iou', prefetch: 7 }),
  trialSpec('f', { workload: 'Chess', strategy: 'resident-set', prefetch: 0, seed: 7 }),
];

describe('EnginePool', () => {
  it('runs trials in workers and returns them in the order of the specs', async () => {
    const finished: string[] = [];
    const results = await withPool(realWorker.file, 3, (pool) =>
      pool.runAll(specs, {
        onTrialDone: (result, done, total) => {
          finished.push(result.id);
          expect(done).toBe(finished.length);
          expect(total).toBe(specs.length);
        },
      }),
    );
    expect(results.map((result) => result.id)).toEqual(specs.map((spec) => spec.id));
    expect(results.every((result) => result.ok && result.metrics && result.series)).toBe(true);
    expect([...finished].sort()).toEqual(specs.map((spec) => spec.id).sort());
  });

  it('keeps spec order when the trials finish in another order', async () => {
    const finished: string[] = [];
    const ordered = [trialSpec('sleep:800:slow'), trialSpec('quick')];
    const results = await withPool(faultyWorker.file, 2, (pool) =>
      pool.runAll(ordered, { onTrialDone: (result) => finished.push(result.id) }),
    );
    expect(finished).toEqual(['quick', 'sleep:800:slow']);
    expect(results.map((result) => result.id)).toEqual(['sleep:800:slow', 'quick']);
  });

  it('with one worker, runs the trials one after another in spec order, even with a signal', async () => {
    const finished: string[] = [];
    const list = specs.slice(0, 5);
    await withPool(realWorker.file, 1, (pool) =>
      pool.runAll(list, {
        signal: new AbortController().signal,
        onTrialDone: (result) => finished.push(result.id),
      }),
    );
    expect(finished).toEqual(list.map((spec) => spec.id));
  });

  it('gives the same results with 1 and 2 workers, and the same as running in-process', async () => {
    const one = await withPool(realWorker.file, 1, (pool) => pool.runAll(specs));
    const two = await withPool(realWorker.file, 2, (pool) => pool.runAll(specs));
    const inProcess = specs.map((spec) => runTrial(spec));
    expect(two).toEqual(one);
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
    expect(JSON.stringify(one)).toBe(JSON.stringify(inProcess));
  });

  it.runIf(process.platform === 'linux')(
    'lowers only its worker threads’ priority with workerNice',
    async () => {
      const niceOfThreads = (): number[] =>
        readdirSync('/proc/self/task').map((task) => {
          const stat = readFileSync(`/proc/self/task/${task}/stat`, 'utf8');
          // Fields after the command name: the 17th is the niceness (proc(5) field 19).
          return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
        });
      const before = niceOfThreads().filter((nice) => nice === 7).length;
      const pool = new EnginePool({ workerFile: realWorker.file, workers: 2, workerNice: 7 });
      try {
        // A trial on each worker: both have loaded the worker module by then.
        await pool.runAll([specs[0]!, specs[1]!]);
        expect(niceOfThreads().filter((nice) => nice === 7).length - before).toBe(2);
        expect(niceOfThreads()[0]).toBe(0);
      } finally {
        await pool.close();
      }
      expect(() => new EnginePool({ workerFile: realWorker.file, workerNice: 20 })).toThrow(/workerNice/);
    },
  );

  it('delivers a trial’s progress from its worker, all of it before the result', async () => {
    const progress: TrialProgress[] = [];
    const spec = trialSpec('progress', { workload: 'PM-Start', strategy: 'pure-iou', prefetch: 1 });
    const result = await withPool(realWorker.file, 1, (pool) =>
      pool.runTrial(spec, { onProgress: (p) => progress.push(p), progressEvery: 50 }),
    );
    expect(result.ok).toBe(true);
    expect(progress.length).toBeGreaterThan(3);
    expect(progress[0]?.phase).toBe('migrating');
    expect(progress.at(-1)).toMatchObject({ phase: 'done', referencesDone: result.metrics?.references });
    for (let i = 1; i < progress.length; i += 1) {
      expect(progress[i]!.referencesDone).toBeGreaterThanOrEqual(progress[i - 1]!.referencesDone);
      expect(progress[i]!.simulatedSeconds).toBeGreaterThanOrEqual(progress[i - 1]!.simulatedSeconds);
    }
  });

  it('gives every trial its own progress, done before its result, over one port per worker', async () => {
    // Trials of 2 workers at once, a worker replaced midway (exit:): each trial's progress reaches
    // its own listener only, ends with 'done' before the result, and the pool holds one progress
    // port per live worker (a port per trial grew the host by about 5 KB a trial).
    const ids = Array.from({ length: 24 }, (_, at) => (at === 9 ? 'exit:9' : `p-${at}`));
    const seen = new Map<string, TrialProgress[]>();
    const ports = await withPool(faultyWorker.file, 2, async (pool) => {
      await Promise.all(
        ids.map(async (id, at) => {
          const progress: TrialProgress[] = [];
          seen.set(id, progress);
          const spec = trialSpec(id, { strategy: 'pure-iou', prefetch: at % 5, seed: at });
          const result = await pool.runTrial(spec, {
            onProgress: (p) => progress.push(p),
            progressEvery: 200,
          });
          if (id.startsWith('exit:')) {
            expect(result.ok).toBe(false);
            return;
          }
          expect(result.ok).toBe(true);
          expect(progress.at(-1)).toMatchObject({
            phase: 'done',
            referencesDone: result.metrics?.references,
          });
          expect(progress.filter((p) => p.phase === 'done')).toHaveLength(1);
        }),
      );
      return pool.progressPortCount;
    });
    expect(ports).toBeLessThanOrEqual(2);
    expect(ports).toBeGreaterThan(0);
  });

  it('fails only the trial whose worker crashes or throws; the others complete', async () => {
    const mixed = [
      trialSpec('ok-1'),
      trialSpec('exit:1'),
      trialSpec('ok-2', { strategy: 'pure-copy' }),
      trialSpec('throw:1'),
      trialSpec('ok-3', { strategy: 'resident-set', prefetch: 3 }),
      trialSpec('exit:2'),
      trialSpec('ok-4', { workload: 'PM-Mid' }),
    ];
    const results = await withPool(faultyWorker.file, 2, (pool) => pool.runAll(mixed));
    expect(results.map((result) => result.id)).toEqual(mixed.map((spec) => spec.id));
    const byId = new Map(results.map((result) => [result.id, result]));
    for (const id of ['exit:1', 'exit:2']) {
      expect(byId.get(id)).toMatchObject({ ok: false, error: `worker exited with code: ${EXIT_CODE}` });
      expect(byId.get(id)?.metrics).toBeUndefined();
    }
    expect(byId.get('throw:1')).toMatchObject({ ok: false, error: THROWN_MESSAGE });
    for (const spec of mixed.filter((s) => s.id.startsWith('ok-'))) {
      expect(byId.get(spec.id)).toEqual(runTrial(spec));
    }
  });

  it('fails a trial whose worker runs out of its memory limit, and goes on', async () => {
    const pool = new EnginePool({ workerFile: faultyWorker.file, workers: 1, maxOldGenerationSizeMb: 32 });
    try {
      const [hog, after] = await pool.runAll([trialSpec('oom:1'), trialSpec('after-oom')]);
      expect(hog).toMatchObject({
        ok: false,
        error: expect.stringMatching(/memory limit.*ERR_WORKER_OUT_OF_MEMORY/),
      });
      expect(after).toMatchObject({ ok: true });
    } finally {
      await pool.close();
    }
  });

  it('fails a trial that runs past its time budget, replaces its worker and goes on', async () => {
    // The budget also covers starting the replacement worker and running a real trial on it:
    // 2 s leaves room for both on a loaded machine (at 300 ms this failed at load 20).
    const budget = 2000;
    const pool = new EnginePool({ workerFile: faultyWorker.file, workers: 1, trialTimeoutMs: budget });
    try {
      const started = Date.now();
      const [hung, after] = await pool.runAll([trialSpec('hang:budget'), trialSpec('after-budget')]);
      expect(hung).toMatchObject({ ok: false, error: trialTimeoutMessage(budget) });
      expect(hung?.error).toBe('the trial exceeded its time budget of 2000 ms');
      expect(isCancelled(hung as TrialResult)).toBe(false);
      expect(Date.now() - started).toBeGreaterThanOrEqual(budget - 10);
      expect(after).toEqual(runTrial(trialSpec('after-budget')));
    } finally {
      await pool.close();
    }
  });

  it('counts the time budget per trial from its start, and a cancellation still reads as one', async () => {
    // Two trials of ~200 ms each on one worker fit a 1500 ms budget each, not in total.
    const pool = new EnginePool({ workerFile: faultyWorker.file, workers: 1, trialTimeoutMs: 1500 });
    try {
      const results = await pool.runAll([trialSpec('sleep:200:a'), trialSpec('sleep:200:b')]);
      expect(results.every((result) => result.ok)).toBe(true);
      const controller = new AbortController();
      const hanging = pool.runTrial(trialSpec('hang:cancel'), { signal: controller.signal });
      setTimeout(() => controller.abort(), 100);
      expect(isCancelled(await hanging)).toBe(true);
    } finally {
      await pool.close();
    }
  });

  it('resolves a single crashed trial with ok:false rather than rejecting', async () => {
    const result = await withPool(faultyWorker.file, 1, (pool) => pool.runTrial(trialSpec('throw:x')));
    expect(result).toEqual({
      id: 'throw:x',
      workload: 'Minprog',
      strategy: 'pure-iou',
      prefetch: 0,
      hardware: 'perq-1987',
      seed: 1987,
      replication: 0,
      ok: false,
      error: THROWN_MESSAGE,
    });
  });

  it('cancels the running and the queued trials when the signal fires, keeping finished ones', async () => {
    const controller = new AbortController();
    const list = [
      trialSpec('first'),
      trialSpec('hang:forever'),
      trialSpec('queued-1'),
      trialSpec('queued-2'),
    ];
    let results: TrialResult[] = [];
    await withPool(faultyWorker.file, 1, async (pool) => {
      results = await pool.runAll(list, {
        signal: controller.signal,
        onTrialDone: (result) => {
          // The one worker moves on to the endless trial: stop it mid-loop.
          if (result.id === 'first') setTimeout(() => controller.abort(), 100);
        },
      });
    });
    expect(results.map((result) => result.id)).toEqual(list.map((spec) => spec.id));
    expect(results[0]).toMatchObject({ ok: true });
    for (const result of results.slice(1)) {
      expect(result).toMatchObject({ ok: false, error: TRIAL_CANCELLED });
      expect(isCancelled(result)).toBe(true);
    }
  });

  it('queues 100,000 trials on one signal with one listener of its own, and drops them all at once', async () => {
    await withPool(faultyWorker.file, 1, async (pool) => {
      const controller = new AbortController();
      const hanging = pool.runTrial(trialSpec('hang:forever'), { signal: controller.signal });
      const queued = Array.from({ length: 100_000 }, (_, i) =>
        pool.runTrial(trialSpec(`queued-${i}`), { signal: controller.signal }),
      );
      // One per running trial (piscina's) and one for every queued trial together.
      expect(getEventListeners(controller.signal, 'abort').length).toBeLessThanOrEqual(3);
      controller.abort();
      const results = await Promise.all([hanging, ...queued]);
      expect(results.every(isCancelled)).toBe(true);
      expect(await pool.runTrial(trialSpec('after'))).toMatchObject({ id: 'after', ok: true });
    });
  });

  it('runEach builds each spec only when its turn comes and keeps a few in flight', async () => {
    await withPool(realWorker.file, 2, async (pool) => {
      const built: number[] = [];
      const source = {
        length: 1_000_000,
        at: (index: number) => {
          built.push(index);
          return trialSpec(`t${index}`, { strategy: 'pure-copy', workload: 'Minprog' });
        },
      };
      const controller = new AbortController();
      const seen: number[] = [];
      const count = await pool.runEach(source, {
        signal: controller.signal,
        onResult: (index, result) => {
          seen.push(index);
          expect(result.ok || isCancelled(result)).toBe(true);
          if (seen.length === 20) controller.abort();
        },
      });
      expect(count).toBe(seen.length);
      // Twenty results, plus the few submitted when the signal fired: never the million.
      expect(built.length).toBeLessThanOrEqual(20 + 4);
      expect(built).toEqual([...built].sort((a, b) => a - b));
      const ran = await pool.runEach(source, { indices: [5, 3], onResult: (index) => seen.push(index) });
      expect(ran).toBe(2);
      expect(seen.slice(-2).sort()).toEqual([3, 5]);
    });
  });

  it('goes on after a cancellation: the worker stopped mid-trial is replaced', async () => {
    await withPool(faultyWorker.file, 1, async (pool) => {
      const controller = new AbortController();
      const hanging = pool.runTrial(trialSpec('hang:1'), { signal: controller.signal });
      setTimeout(() => controller.abort(), 100);
      expect(isCancelled(await hanging)).toBe(true);
      expect(await pool.runTrial(trialSpec('after'))).toMatchObject({ id: 'after', ok: true });
    });
  });

  it('calls onStart when a worker picks a trial up, and not for one cancelled while queued', async () => {
    const started: string[] = [];
    await withPool(faultyWorker.file, 1, async (pool) => {
      const controller = new AbortController();
      const first = pool.runTrial(trialSpec('hang:1'), {
        signal: controller.signal,
        onStart: () => started.push('hang:1'),
      });
      const queued = pool.runTrial(trialSpec('queued'), {
        signal: controller.signal,
        onStart: () => started.push('queued'),
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(started).toEqual(['hang:1']);
      controller.abort();
      expect(isCancelled(await first)).toBe(true);
      expect(isCancelled(await queued)).toBe(true);
      await pool.runTrial(trialSpec('later'), { onStart: () => started.push('later') });
    });
    expect(started).toEqual(['hang:1', 'later']);
  });

  it('does not start a trial whose signal has already fired', async () => {
    const result = await withPool(realWorker.file, 1, (pool) =>
      pool.runTrial(trialSpec('never'), { signal: AbortSignal.abort() }),
    );
    expect(isCancelled(result)).toBe(true);
  });

  it('rejects misuse: bad options, a missing worker file, a closed pool', async () => {
    expect(() => new EnginePool({ workerFile: realWorker.file, workers: 0 })).toThrow(/positive integer/);
    expect(() => new EnginePool({ workerFile: '/nonexistent/worker.js', workers: 1 })).toThrow(/not found/);
    for (const trialTimeoutMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new EnginePool({ workerFile: realWorker.file, workers: 1, trialTimeoutMs })).toThrow(
        /trialTimeoutMs must be a positive number/,
      );
    }
    expect(
      () => new EnginePool({ workerFile: realWorker.file, workers: 1, maxOldGenerationSizeMb: 0 }),
    ).toThrow(/maxOldGenerationSizeMb must be a positive number/);
    const pool = new EnginePool({ workerFile: new URL(`file://${realWorker.file}`), workers: 1 });
    await pool.close();
    await expect(pool.runTrial(trialSpec('late'))).rejects.toThrow(/closed/);
    await expect(pool.runAll([trialSpec('late')])).rejects.toThrow(/closed/);
  });

  it('close() waits for the trials already submitted', async () => {
    const pool = new EnginePool({ workerFile: realWorker.file, workers: 1 });
    const pending = pool.runAll(specs.slice(0, 3));
    await pool.close();
    const results = await pending;
    expect(results.every((result) => result.ok)).toBe(true);
  });
});
