import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENGINE_VERSION } from '../src/engine/experiment/trial';
import type { ExperimentDesign } from '../src/engine/experiment/design';
import { PERQ_1987 } from '../src/engine/hardware/presets';
import { planCampaign, runCampaign } from '../src/cli/campaign';
import { ResultsStore } from '../src/node/resultsStore';
import { EnginePool } from '../src/node/enginePool';
import { SweepService } from '../src/main/services/sweepService';
import type { NotebookDocument } from '../src/shared/hostApi';

const MB = 1024 * 1024;

/** A notebook of one experiment: Minprog (short trials), pure-IOU over `prefetch` values, repeated. */
function campaignNotebook(prefetchValues: number, repetitions: number): NotebookDocument {
  const design: ExperimentDesign = {
    name: 'bench campaign',
    representatives: ['Minprog'],
    customWorkloads: [],
    strategies: ['pure-iou'],
    prefetchValues: Array.from({ length: prefetchValues }, (_, i) => i),
    hardware: structuredClone(PERQ_1987),
    seed: 1987,
    repetitions,
  };
  return {
    formatVersion: 3,
    name: 'Bench campaign',
    provenance: { engineVersion: ENGINE_VERSION, createdBy: 'Accent Migration Lab bench' },
    entries: [{ kind: 'experiment', id: 'campaign', design, results: [], engineVersion: ENGINE_VERSION }],
  };
}

export interface ThroughputFigure {
  workers: number;
  trials: number;
  seconds: number;
  trialsPerSecond: number;
}

/** Trials per second of runCampaign (pool and store, no CLI start-up) on `trials` short trials. */
export async function campaignThroughput(
  workers: number,
  trials: number,
  workerFile: string,
): Promise<ThroughputFigure> {
  const dir = await mkdtemp(join(tmpdir(), 'accent-lab-bench-'));
  const store = await ResultsStore.open(join(dir, 'store.duckdb'));
  try {
    const plan = planCampaign(campaignNotebook(100, Math.ceil(trials / 100)), dir, new Set());
    plan.toRun = plan.toRun.subarray(0, trials);
    const outcome = await runCampaign(plan, store, { workers, workerFile });
    if (outcome.ran !== trials || outcome.failed.length > 0) throw new Error('campaign bench: trials failed');
    return { workers, trials, seconds: outcome.seconds, trialsPerSecond: trials / outcome.seconds };
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export interface CliCampaignFigure {
  trials: number;
  seconds: number;
  peakRssMB: number;
  storeBytes: number;
  /** Seconds from start until the CLI said what it runs (its first line). */
  firstLineSeconds: number;
  /**
   * CPU seconds (user + system, worker threads included) the CLI had used by its first line and
   * by its estimate: what the start costs, whatever else the machine is doing.
   */
  firstLineCpuSeconds: number;
  runningAfterCpuSeconds: number;
  /** Seconds from start until the CLI printed its estimate: planned, calibrated, trials running. */
  runningAfterSeconds: number;
  /** Seconds from SIGINT to exit (when interrupted). */
  stopSeconds: number | null;
  exitCode: number | null;
}

/** CPU seconds (utime + stime of /proc/PID/stat, at 100 ticks a second) of a process; NaN when gone. */
async function cpuSeconds(pid: number): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at state, field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** VmHWM (peak resident set) of a process, in bytes; 0 when gone. */
async function peakRss(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * `accent-lab run` as a user runs it, on a notebook of prefetch x repetitions trials, into a fresh
 * store: wall time, peak RSS (the process's VmHWM, workers included), store size. With
 * `interruptAfter`, SIGINT that many seconds after the trials started, and the time to exit.
 */
export async function cliCampaign(
  root: string,
  prefetchValues: number,
  repetitions: number,
  workers: number,
  interruptAfter?: number,
): Promise<CliCampaignFigure> {
  const [figure] = await cliCampaignRuns(root, prefetchValues, repetitions, workers, 1, interruptAfter);
  return figure!;
}

/**
 * `runs` runs of cliCampaign's one after the other on the same notebook and store (the second
 * resumes the first: its start checks every trial's key against the store).
 */
export async function cliCampaignRuns(
  root: string,
  prefetchValues: number,
  repetitions: number,
  workers: number,
  runs: number,
  interruptAfter?: number,
): Promise<CliCampaignFigure[]> {
  const dir = await mkdtemp(join(tmpdir(), 'accent-lab-bench-'));
  try {
    const notebook = join(dir, 'campaign.accentlab');
    await writeFile(notebook, JSON.stringify(campaignNotebook(prefetchValues, repetitions)));
    const store = join(dir, 'campaign.duckdb');
    const figures: CliCampaignFigure[] = [];
    for (let run = 0; run < runs; run += 1) {
      figures.push(
        await cliRun(root, notebook, store, prefetchValues * repetitions, workers, interruptAfter),
      );
    }
    return figures;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function cliRun(
  root: string,
  notebook: string,
  store: string,
  trials: number,
  workers: number,
  interruptAfter?: number,
): Promise<CliCampaignFigure> {
  const start = performance.now();
  const child = spawn(
    process.execPath,
    [
      join(root, 'bin/accent-lab.js'),
      'run',
      notebook,
      '--store',
      store,
      '--workers',
      String(workers),
      '--yes',
      '--quiet',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let peak = 0;
  const poll = setInterval(
    () => void peakRss(child.pid!).then((bytes) => (peak = Math.max(peak, bytes))),
    200,
  );
  let firstLine = NaN;
  let runningAfter = NaN;
  let firstLineCpu: Promise<number> = Promise.resolve(NaN);
  let runningAfterCpu: Promise<number> = Promise.resolve(NaN);
  let interruptedAt: number | null = null;
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (Number.isNaN(firstLine) && stderr.includes('\n')) {
      firstLine = (performance.now() - start) / 1000;
      firstLineCpu = cpuSeconds(child.pid!);
    }
    if (Number.isNaN(runningAfter) && stderr.includes('run: estimate')) {
      runningAfter = (performance.now() - start) / 1000;
      runningAfterCpu = cpuSeconds(child.pid!);
      if (interruptAfter !== undefined) {
        setTimeout(() => {
          interruptedAt = performance.now();
          child.kill('SIGINT');
        }, interruptAfter * 1000);
      }
    }
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  const end = performance.now();
  clearInterval(poll);
  if (code !== 0 && interruptAfter === undefined)
    throw new Error(`campaign bench: run failed (${code}): ${stderr}`);
  return {
    trials,
    seconds: (end - start) / 1000,
    peakRssMB: peak / MB,
    storeBytes: (await stat(store)).size,
    firstLineSeconds: firstLine,
    firstLineCpuSeconds: await firstLineCpu,
    runningAfterSeconds: runningAfter,
    runningAfterCpuSeconds: await runningAfterCpu,
    stopSeconds: interruptedAt === null ? null : (end - interruptedAt) / 1000,
    exitCode: code,
  };
}

export interface MergeFigure {
  shards: number;
  trials: number;
  seconds: number;
}

/**
 * Merge time of `shards` shard stores: a campaign of `trials` short trials is run once into one
 * store, split into that many shard stores by key, and the shards are merged into a fresh store.
 */
export async function mergeShards(
  shards: number,
  trials: number,
  workers: number,
  workerFile: string,
): Promise<MergeFigure> {
  const dir = await mkdtemp(join(tmpdir(), 'accent-lab-bench-'));
  try {
    const source = await ResultsStore.open(join(dir, 'source.duckdb'));
    try {
      const plan = planCampaign(campaignNotebook(100, Math.ceil(trials / 100)), dir, new Set());
      plan.toRun = plan.toRun.subarray(0, trials);
      await runCampaign(plan, source, { workers, workerFile });
      for (let shard = 0; shard < shards; shard += 1) {
        const file = join(dir, `shard-${shard}.duckdb`);
        const target = await ResultsStore.open(file);
        await target.close();
        await source.query(`ATTACH '${file}' AS s`);
        await source.query(
          `INSERT INTO s.trials SELECT * FROM trials WHERE hash(key) % ${shards} = ${shard}`,
        );
        await source.query('DETACH s');
      }
    } finally {
      await source.close();
    }
    const merged = await ResultsStore.open(join(dir, 'merged.duckdb'));
    try {
      const start = performance.now();
      const added = await merged.merge(
        Array.from({ length: shards }, (_, s) => join(dir, `shard-${s}.duckdb`)),
      );
      const seconds = (performance.now() - start) / 1000;
      if (added !== trials) throw new Error(`merge bench: ${added} of ${trials} trials merged`);
      return { shards, trials, seconds };
    } finally {
      await merged.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface HostMillionFigure {
  trials: number;
  /** Seconds from startSweep to 'sweep-started' (the store opened and checked, trials running). */
  startedSeconds: number;
  /** Seconds from startSweep to the first finished trial. */
  firstResultSeconds: number;
  /** Seconds from cancelSweep to 'sweep-finished'. */
  cancelSeconds: number;
  /** Longest the host's event loop was late (a 10 ms timer's lag), from start to finish. */
  maxLoopLagMs: number;
  peakRssMB: number;
}

/**
 * The app host's path: SweepService on an EnginePool with a 1,000,000-trial design, cancelled
 * `cancelAfter` seconds after its first result. The event loop's lag shows whether the host
 * answers requests meanwhile.
 */
export async function hostMillion(
  workers: number,
  workerFile: string,
  cancelAfter = 3,
): Promise<HostMillionFigure> {
  const pool = new EnginePool({ workerFile, workers });
  const dir = await mkdtemp(join(tmpdir(), 'accent-lab-bench-host-'));
  let startedAt = NaN;
  let firstResult = NaN;
  let cancelledAt = NaN;
  let finishedAt = NaN;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  let peak = process.memoryUsage().rss;
  let lag = 0;
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    lag = Math.max(lag, now - last - 10);
    last = now;
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const start = performance.now();
  const service = new SweepService(pool, {
    // As the app runs it: every trial into the notebook's results store.
    stores: { untitled: join(dir, 'untitled.results.duckdb') },
    emit: (event) => {
      if (event.type === 'sweep-started') startedAt = (performance.now() - start) / 1000;
      if (event.type === 'trial-finished' && Number.isNaN(firstResult)) {
        firstResult = (performance.now() - start) / 1000;
        setTimeout(() => {
          cancelledAt = performance.now();
          service.cancelSweep(sweepId);
        }, cancelAfter * 1000);
      }
      if (event.type === 'sweep-finished') {
        finishedAt = performance.now();
        done();
      }
    },
  });
  const design = campaignNotebook(100, 10_000).entries[0]! as { design: ExperimentDesign };
  const { sweepId, trialCount } = service.startSweep(design.design, {
    confirmLarge: true,
    notebookPath: join(dir, 'bench.accentlab'),
  });
  try {
    await finished;
  } finally {
    clearInterval(ticker);
    await service.closeStores();
    await pool.close();
    await rm(dir, { recursive: true, force: true });
  }
  return {
    trials: trialCount,
    startedSeconds: startedAt,
    firstResultSeconds: firstResult,
    cancelSeconds: (finishedAt - cancelledAt) / 1000,
    maxLoopLagMs: lag,
    peakRssMB: peak / MB,
  };
}

export interface HostCampaignFigure {
  trials: number;
  workers: number;
  seconds: number;
  /** The process's VmHWM (host and worker threads): the app host's peak. */
  peakRssMB: number;
  storeBytes: number;
  /** Bytes of the summary the notebook keeps (its JSON). */
  summaryBytes: number;
}

/**
 * A whole app campaign: SweepService, with its results store, runs `trials` short trials to the
 * end (the summary built from the store included): wall time, the process's peak RSS, the store's
 * size and the summary's.
 */
export async function hostCampaign(
  trials: number,
  workers: number,
  workerFile: string,
): Promise<HostCampaignFigure> {
  const pool = new EnginePool({ workerFile, workers });
  const dir = await mkdtemp(join(tmpdir(), 'accent-lab-bench-host-'));
  let done!: (summaryBytes: number) => void;
  const finished = new Promise<number>((resolve) => (done = resolve));
  const service = new SweepService(pool, {
    stores: { untitled: join(dir, 'untitled.results.duckdb') },
    emit: (event) => {
      if (event.type === 'sweep-finished') done(event.summary ? JSON.stringify(event.summary).length : 0);
    },
  });
  const design = campaignNotebook(100, Math.ceil(trials / 100)).entries[0]! as { design: ExperimentDesign };
  const start = performance.now();
  try {
    const { trialCount } = service.startSweep(design.design, {
      confirmLarge: true,
      notebookPath: join(dir, 'bench.accentlab'),
    });
    const summaryBytes = await finished;
    const seconds = (performance.now() - start) / 1000;
    await service.closeStores();
    const status = await readFile('/proc/self/status', 'utf8');
    const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) * 1024;
    return {
      trials: trialCount,
      workers,
      seconds,
      peakRssMB: hwm / MB,
      storeBytes: (await stat(join(dir, 'bench.results.duckdb'))).size,
      summaryBytes,
    };
  } finally {
    await pool.close();
    await rm(dir, { recursive: true, force: true });
  }
}
