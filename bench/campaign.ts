import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENGINE_VERSION } from '../src/engine/experiment/trial';
import { DesignTrials } from '../src/engine/experiment/design';
import { TrialKeys } from '../src/node/trialKeys';
import type { ExperimentDesign } from '../src/engine/experiment/design';
import { PERQ_1987 } from '../src/engine/hardware/presets';
import { planCampaign, runCampaign } from '../src/cli/campaign';
import { KEYS_PER_QUERY, ResultsStore } from '../src/node/resultsStore';
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

export interface ResumeVariantFigure {
  /** "set": okKeys, every stored key in a Set, each trial's key looked up in it; else okAmong. */
  variant: 'set' | 'chunks';
  /** okAmong's keys per query. */
  perQuery?: number;
  seconds: number;
  /** Heap retained above the start after a full GC (the Set; okAmong's most between chunks), MB. */
  retainedHeapMB: number;
  /** Peak RSS above the start (sampled; DuckDB's native memory included), MB. */
  peakRssGrowthMB: number;
  /** Trials found held (all of them, here). */
  held: number;
}

export interface ResumeCheckFigure {
  /** Keys in the store: every trial of the design, ended ok. */
  keys: number;
  variants: ResumeVariantFigure[];
}

const resumeDesign = (trials: number): DesignTrials =>
  new DesignTrials(
    (campaignNotebook(100, Math.ceil(trials / 100)).entries[0] as { design: ExperimentDesign }).design,
  );

/**
 * The check a resumed sweep makes of what its store holds, at `trials` keys (default 10^6, all
 * held): the old way (okKeys: a Set of every stored key) against the store asked a chunk of keys at
 * a time (okAmong, what the app's Resume does), at 10,000 and 100,000 keys a query. Each variant
 * runs in its own process (`--resume-check-child`, with --expose-gc) on a copy of one store, so
 * that one's memory does not hide in another's.
 */
export async function resumeCheck(trials = 1_000_000): Promise<ResumeCheckFigure> {
  const designTrials = resumeDesign(trials);
  const dir = await mkdtemp(join(tmpdir(), 'accent-lab-bench-resume-'));
  try {
    const master = join(dir, 'master.results.duckdb');
    const store = await ResultsStore.open(master);
    try {
      // The design's keys, as a run stores them (the columns beside the key do not matter here).
      const fill = new TrialKeys();
      await store.query('CREATE TEMP TABLE k (key VARCHAR)');
      for (let from = 0; from < designTrials.length; from += 10_000) {
        const keys: string[] = [];
        for (let at = from; at < Math.min(designTrials.length, from + 10_000); at += 1)
          keys.push(`('${fill.key(designTrials.at(at))}')`);
        await store.query(`INSERT INTO k VALUES ${keys.join(',')}`);
      }
      await store.query(
        "INSERT INTO trials (key, experiment, trial_index, trial_id, workload, strategy, prefetch, hardware, seed, replication, engine_version, ok) SELECT key, 'e', 0, 't', 'w', 'pure-iou', 0, 'h', 1, 0, 'v', true FROM k",
      );
    } finally {
      await store.close();
    }
    const variants: ResumeVariantFigure[] = [];
    for (const mode of ['set', String(KEYS_PER_QUERY), '100000']) {
      const copy = join(dir, `${mode}.results.duckdb`);
      await copyFile(master, copy);
      const output = await new Promise<string>((done, fail) => {
        const child = spawn(
          process.execPath,
          ['--expose-gc', process.argv[1]!, '--resume-check-child', mode, copy, String(trials)],
          { stdio: ['ignore', 'pipe', 'inherit'] },
        );
        let text = '';
        child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
        child.on('error', fail);
        child.on('exit', (code) =>
          code === 0 ? done(text) : fail(new Error(`resume check ${mode}: exit ${code}`)),
        );
      });
      variants.push(JSON.parse(output.trim().split('\n').pop()!) as ResumeVariantFigure);
      await rm(copy, { force: true });
    }
    return { keys: designTrials.length, variants };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** One variant of resumeCheck, in its own process: prints its figure as a JSON line. */
export async function resumeCheckChild(mode: string, path: string, trials: number): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  const designTrials = resumeDesign(trials);
  const store = await ResultsStore.open(path);
  try {
    await store.count();
    gc();
    const start = process.memoryUsage();
    let rssPeak = start.rss;
    const sample = (): void => {
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    };
    const ticker = setInterval(sample, 5);
    const began = performance.now();
    const keys = new TrialKeys();
    let held = 0;
    let retained = 0;
    let seconds: number;
    if (mode === 'set') {
      const set = await store.okKeys();
      sample();
      for (let at = 0; at < designTrials.length; at += 1)
        if (set.has(keys.key(designTrials.at(at)))) held += 1;
      sample();
      seconds = (performance.now() - began) / 1000;
      gc();
      retained = process.memoryUsage().heapUsed - start.heapUsed;
      if (set.size === 0) throw new Error('the store is empty');
    } else {
      let chunk = 0;
      for await (const found of store.okAmong(
        designTrials.length,
        (n) => keys.key(designTrials.at(n)),
        Number(mode),
      )) {
        held += found.length;
        sample();
        // A full GC every 10th chunk, for the heap retained (its time is counted: a little slower).
        if (chunk++ % 10 === 5) {
          gc();
          retained = Math.max(retained, process.memoryUsage().heapUsed - start.heapUsed);
        }
      }
      seconds = (performance.now() - began) / 1000;
    }
    clearInterval(ticker);
    const figure: ResumeVariantFigure = {
      variant: mode === 'set' ? 'set' : 'chunks',
      ...(mode === 'set' ? {} : { perQuery: Number(mode) }),
      seconds,
      retainedHeapMB: retained / MB,
      peakRssGrowthMB: (rssPeak - start.rss) / MB,
      held,
    };
    process.stdout.write(`${JSON.stringify(figure)}\n`);
  } finally {
    await store.close();
  }
}
