import { Simulation } from '../src/engine/kernel/simulation';
import type { ProcessBody } from '../src/engine/kernel/simulation';
import { PERQ_1987 } from '../src/engine/hardware/presets';
import { generateTrialWorkload, runTrial } from '../src/engine/experiment/trial';
import type { TrialSpec } from '../src/engine/experiment/trial';
import { STRATEGIES } from '../src/engine/model/migration';
import type { StrategyName } from '../src/engine/model/migration';
import { representative } from '../src/engine/workloads/representatives';
import type { GeneratedWorkload, SyntheticWorkloadSpec } from '../src/engine/workloads/spec';

/**
 * The engine's micro- and macro-benchmarks: the kernel's event rate, and simulated page
 * references per second of whole trials against the "bound", a raw loop over the same reference
 * string that does nothing but a present-page check.
 */

export const BENCH_SEED = 1987;

/** Kernel: `processes` generators each yielding `rounds` timeouts; returns events per second. */
export function kernelEventsPerSecond(
  processes = 100,
  rounds = 2_000,
): { events: number; perSecond: number } {
  const sim = new Simulation();
  function* worker(offset: number): ProcessBody<void> {
    for (let i = 0; i < rounds; i += 1) yield sim.timeout(1 + ((i * 7 + offset) % 13) / 16);
  }
  for (let p = 0; p < processes; p += 1) sim.process(worker(p), `p${p}`);
  const started = performance.now();
  sim.run();
  const seconds = (performance.now() - started) / 1000;
  return { events: sim.eventsProcessed, perSecond: sim.eventsProcessed / seconds };
}

export interface LongWorkloadSize {
  /** RealMem pages (512-byte pages on the Perq preset). */
  realPages: number;
  /** References to already-touched pages per first touch. */
  rereferencesPerPage: number;
}

/**
 * The long trial: some 30 million page references. Chess computes for 520 s; at this size it makes
 * about 57,000 page references a second of compute, one per 20 or so instructions of a Perq (about
 * 1 MIPS), which is what a real program's string gives once repeats of one page are merged.
 */
export const LONG_TRIAL: LongWorkloadSize = { realPages: 4_096, rereferencesPerPage: 20_000 };

/**
 * A tenth of that (3 million references, one per 175 µs of compute): the long trial before
 * issue 6's second pass. The migration's own cost (faults, messages, setup) shows more here.
 */
export const SHORT_TRIAL: LongWorkloadSize = { realPages: 4_096, rereferencesPerPage: 2_000 };

/** Chess scaled up: compute-bound, clustered random touches, many re-references. */
export function chessLike(size: LongWorkloadSize = LONG_TRIAL): SyntheticWorkloadSpec {
  const chess = representative('Chess');
  const page = PERQ_1987.pageSizeBytes;
  return {
    ...chess,
    name: 'Chess-long',
    description: 'Chess scaled up for the engine benchmark',
    realBytes: size.realPages * page,
    realZeroBytes: size.realPages * page,
    residentBytes: Math.round(size.realPages * 0.56) * page,
    touchedFractionOfReal: 0.356,
    touchedResidentFractionOfReal: 0.259,
    rereferencesPerPage: size.rereferencesPerPage,
    zeroFillPages: zeroFillFor(chess, size),
  };
}

/**
 * Heap growth lands at the start of the largest RealZeroMem run, which must hold it (the engine
 * does not check that: more would touch BadMem); keep it under the mean zero run.
 */
function zeroFillFor(spec: SyntheticWorkloadSpec, size: LongWorkloadSize): number {
  return Math.min(spec.zeroFillPages, Math.floor(size.realPages / Math.floor(spec.amapEntries / 2)));
}

/** PM-Start scaled up: files read front to back (sequential extents). */
export function pasmacLike(size: LongWorkloadSize = LONG_TRIAL): SyntheticWorkloadSpec {
  const pasmac = representative('PM-Start');
  const page = PERQ_1987.pageSizeBytes;
  return {
    ...pasmac,
    name: 'Pasmac-long',
    description: 'PM-Start scaled up for the engine benchmark',
    realBytes: size.realPages * page,
    realZeroBytes: size.realPages * page,
    residentBytes: Math.round(size.realPages * 0.29) * page,
    rereferencesPerPage: Math.round(size.rereferencesPerPage * 0.6),
    zeroFillPages: zeroFillFor(pasmac, size),
  };
}

export interface EngineFigure {
  workload: string;
  strategy: StrategyName;
  references: number;
  /** Wall seconds of runTrial on the workload generated beforehand (the fastest of five runs). */
  trialSeconds: number;
  /** Wall seconds of generating the workload (once per workload; not engine time). */
  generateSeconds: number;
  /** References per second of the trial. */
  refsPerSecond: number;
  /** References per second of the bound (present-page check only) on the same string. */
  boundRefsPerSecond: number;
  ratio: number;
  simulatedEvents: number;
}

export function longTrialSpec(
  workload: SyntheticWorkloadSpec,
  strategy: StrategyName,
  prefetch: number,
): TrialSpec {
  return {
    id: `${workload.name}/${strategy}`,
    workload,
    strategy,
    prefetch,
    hardware: structuredClone(PERQ_1987),
    seed: BENCH_SEED,
  };
}

/** The bound: one pass over the reference string with a present-page check in a byte table. */
export function boundLoop(references: Int32Array, present: Uint8Array): number {
  let hits = 0;
  for (let i = 0; i < references.length; i += 1) hits += present[references[i]!]!;
  return hits;
}

function seconds(run: () => void): number {
  const started = performance.now();
  run();
  return (performance.now() - started) / 1000;
}

/** A workload's reference string, generated once for every strategy (it depends on the seed only). */
export interface GeneratedLongWorkload {
  workload: SyntheticWorkloadSpec;
  generated: GeneratedWorkload;
  generateSeconds: number;
}

export function generateLongWorkload(workload: SyntheticWorkloadSpec): GeneratedLongWorkload {
  let generated: GeneratedWorkload | null = null;
  const generateSeconds = seconds(() => {
    generated = generateTrialWorkload(longTrialSpec(workload, 'pure-copy', 0));
  });
  return { workload, generated: generated!, generateSeconds };
}

/**
 * Run the long trial of one workload under `strategies`, on the workload generated beforehand (so
 * the time is the engine's alone), and the bound over the same references. After a warm-up run of
 * each strategy, `trialRuns` rounds each time every strategy's trial once and the bound a share of
 * its `boundRepeats` passes: a slow spell of a shared or virtual machine (its speed drifts by tens
 * of percent from one minute to the next) then falls on every strategy and the bound alike, rather
 * than on whichever one was being timed. Each figure is the fastest of its runs.
 */
export function engineFiguresOf(
  long: GeneratedLongWorkload,
  strategies: readonly StrategyName[],
  prefetch = 1,
  boundRepeats = 10,
  trialRuns = 5,
): EngineFigure[] {
  const { workload, generated } = long;
  const references = generated.references;
  const options = { workload: generated };
  const specs = strategies.map((strategy) =>
    longTrialSpec(workload, strategy, strategy === 'pure-copy' ? 0 : prefetch),
  );
  const results = specs.map((spec) => runTrial(spec, options)); // warm-up
  results.forEach((result, at) => {
    if (!result.ok || !result.metrics) throw new Error(`long trial ${specs[at]!.id} failed: ${result.error}`);
    if (result.metrics.references !== references.length) {
      throw new Error('the bound would not loop over the trial’s own reference string');
    }
  });
  let highest = 0;
  for (const page of references) if (page > highest) highest = page;
  const present = new Uint8Array(highest + 1);
  for (const page of generated.touchedPages) present[page] = 1;
  let sink = boundLoop(references, present); // warm up
  const trialSeconds = specs.map(() => Infinity);
  let boundSeconds = Infinity;
  const boundPerRound = Math.ceil(boundRepeats / trialRuns);
  for (let round = 0; round < trialRuns; round += 1) {
    specs.forEach((spec, at) => {
      trialSeconds[at] = Math.min(
        trialSeconds[at]!,
        seconds(() => runTrial(spec, options)),
      );
    });
    for (let pass = 0; pass < boundPerRound; pass += 1) {
      boundSeconds = Math.min(
        boundSeconds,
        seconds(() => (sink += boundLoop(references, present))),
      );
    }
  }
  if (sink < 0) throw new Error('unreachable');
  const boundRefsPerSecond = references.length / boundSeconds;
  return strategies.map((strategy, at) => {
    const refsPerSecond = references.length / trialSeconds[at]!;
    return {
      workload: workload.name,
      strategy,
      references: references.length,
      trialSeconds: trialSeconds[at]!,
      generateSeconds: long.generateSeconds,
      refsPerSecond,
      boundRefsPerSecond,
      ratio: refsPerSecond / boundRefsPerSecond,
      simulatedEvents: results[at]!.metrics!.simulatedEvents,
    };
  });
}

/** `engineFiguresOf` for one strategy. */
export function engineFigure(
  long: GeneratedLongWorkload,
  strategy: StrategyName,
  prefetch = 1,
  boundRepeats = 10,
  trialRuns = 5,
): EngineFigure {
  return engineFiguresOf(long, [strategy], prefetch, boundRepeats, trialRuns)[0]!;
}

export function engineFigures(size: LongWorkloadSize = LONG_TRIAL, prefetch = 1): EngineFigure[] {
  const figures: EngineFigure[] = [];
  for (const workload of [chessLike(size), pasmacLike(size)]) {
    // One workload at a time: the long ones hold some 150 MB of reference string.
    const long = generateLongWorkload(workload);
    figures.push(...engineFiguresOf(long, STRATEGIES, prefetch));
  }
  return figures;
}
