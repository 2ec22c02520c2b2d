import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExperimentDesign } from '../src/engine/experiment/design';
import { PERQ_1987 } from '../src/engine/hardware/presets';
import { breakevenTrials, paperTrials } from '../src/engine/reproduction/designs';
import { runReproduction } from '../src/cli/reproduce';
import { EnginePool } from '../src/node/enginePool';
import { SweepService } from '../src/main/services/sweepService';

/** Node-side benchmarks: the reproduction on the EnginePool, a 10,000-trial sweep, the notebook file. */

const MB = 1024 * 1024;

export interface ReproduceFigure {
  workers: number;
  trials: number;
  seconds: number;
  /**
   * Processor time of the whole process (main thread and worker threads, user + system) over the
   * same interval: on a shared machine it moves far less with the load than the wall time does.
   */
  cpuSeconds: number;
  failed: number;
}

/** The reproduce command's work (77 paper trials + the breakeven sweep a replication, report, files), timed. */
export async function reproduceSeconds(
  workers: number,
  workerFile: string,
  replications: number,
): Promise<ReproduceFigure> {
  const out = mkdtempSync(join(tmpdir(), 'accent-bench-reproduce-'));
  try {
    const trials = paperTrials(1987, replications).length + breakevenTrials(1987, replications).length;
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const outcome = await runReproduction({ out, workers, seed: 1987, workerFile, replications });
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    return { workers, trials, seconds, cpuSeconds, failed: outcome.failed.length };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export interface SweepFigure {
  trials: number;
  seconds: number;
  /** Peak resident set of the whole process (main thread and worker threads), sampled. */
  peakRssMB: number;
  /** Peak heap used on the main thread, sampled. */
  peakHeapMB: number;
  /** Main-thread heap after the sweep and a GC, less before it: what the kept results cost. */
  retainedHeapMB: number;
  retainedBytesPerTrial: number;
  events: number;
  ok: number;
}

/** A design of `trials` short trials: Minprog, pure-IOU at prefetch 0, repeated. */
export function shortSweepDesign(trials: number): ExperimentDesign {
  return {
    name: `bench sweep ${trials}`,
    representatives: ['Minprog'],
    customWorkloads: [],
    strategies: ['pure-iou'],
    prefetchValues: [0],
    hardware: structuredClone(PERQ_1987),
    seed: 1987,
    repetitions: trials,
  };
}

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
}

/** Run `trials` short trials through the SweepService on an EnginePool, sampling memory. */
export async function sweepMemory(trials: number, workers: number, workerFile: string): Promise<SweepFigure> {
  const pool = new EnginePool({ workerFile, workers });
  let events = 0;
  let ok = 0;
  let finished!: () => void;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const service = new SweepService(pool, {
    emit: (event) => {
      events += 1;
      if (event.type === 'trial-finished' && event.result.ok) ok += 1;
      if (event.type === 'sweep-finished') finished();
    },
  });
  collect();
  const before = process.memoryUsage();
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  const sample = (): void => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  };
  const timer = setInterval(sample, 50);
  const started = performance.now();
  try {
    const { sweepId } = service.startSweep(shortSweepDesign(trials));
    await done;
    await service.settled(sweepId);
    const seconds = (performance.now() - started) / 1000;
    sample();
    collect();
    const retained = process.memoryUsage().heapUsed - before.heapUsed;
    // The service still holds the results here: that is the memory the sweep is allowed to keep.
    if (service.results(sweepId).results.length !== trials) throw new Error('sweep lost trials');
    return {
      trials,
      seconds,
      peakRssMB: peakRss / MB,
      peakHeapMB: peakHeap / MB,
      retainedHeapMB: retained / MB,
      retainedBytesPerTrial: retained / trials,
      events,
      ok,
    };
  } finally {
    clearInterval(timer);
    await pool.close();
  }
}

export interface NotebookFigure {
  bytes: number | null;
  note?: string;
}

export const REPRODUCTION_NOTEBOOK = 'resources/notebooks/reproduce-zayas-1987.accentlab';

/** Size of the saved reproduction notebook, or null when it has not been built yet. */
export function notebookBytes(root: string, file = REPRODUCTION_NOTEBOOK): NotebookFigure {
  try {
    return { bytes: statSync(join(root, file)).size };
  } catch {
    return { bytes: null, note: 'notebook not built yet' };
  }
}
