import { RandomStream } from '../kernel/random';
import { Resource } from '../kernel/resource';
import { Simulation } from '../kernel/simulation';
import { hardwareProblems } from '../hardware/presets';
import { MigrationRun } from './migrationRun';
import { MAX_CONCURRENT_MIGRATIONS } from './trialTypes';
import type { RunTrialOptions, TrialMetrics, TrialResult, TrialSpec } from './trialTypes';

// A trial: its types (./trialTypes), its streams and process (./trialSetup), one migration
// (./migrationRun, with the strategies beyond 1987 in ./liveStrategies) and its metrics
// (./trialMetrics). Importers may keep importing all of it from here.
export {
  ENGINE_VERSION,
  MAX_CONCURRENT_MIGRATIONS,
  TRIAL_METRIC_NAMES,
  TRIAL_METRIC_PRESENCE,
  trialIdentity,
} from './trialTypes';
export type {
  ByteRateSeries,
  ConcurrentMigrationTimes,
  FaultLatencyHistogram,
  RunTrialOptions,
  TrialMetrics,
  TrialProgress,
  TrialResult,
  TrialSpec,
} from './trialTypes';
export { generateTrialWorkload, trialStreams } from './trialSetup';

/** Run one trial to completion. Never throws for a model-level error: the result says what failed. */
export function runTrial(spec: TrialSpec, options: RunTrialOptions = {}): TrialResult {
  checkTrialSpec(spec);
  const concurrent = spec.concurrentMigrations ?? 1;
  const sim = new Simulation();
  // One stream per replication, jumped from the experiment seed; strategies compared at the same
  // replication see the same process (common random numbers).
  const random = RandomStream.fromSeed(spec.seed).substream(spec.replication ?? 0);
  // Concurrent migrations: each its own pair of hosts, all on one Ethernet.
  const link = new Resource(sim, 'ethernet');
  let running = concurrent;
  const done = (): void => {
    running -= 1;
    if (running === 0) sim.stop();
  };
  const migrations = Array.from(
    { length: concurrent },
    (_, index) =>
      new MigrationRun(
        spec,
        sim,
        link,
        index === 0 ? random : random.substream(2 + index),
        options,
        index === 0,
        done,
      ),
  );
  const first = migrations[0]!;
  const progressEvery = options.progressEvery ?? 2_000;
  if (options.onProgress) {
    options.onProgress(first.progress());
    while (sim.runSlice(progressEvery)) options.onProgress(first.progress());
    options.onProgress({ ...first.progress(), phase: 'done' });
  } else {
    sim.run();
  }
  const results = migrations.map((migration) => migration.finish());
  return concurrent === 1 ? results[0]! : concurrentResult(results);
}

/** Throws when the spec cannot run: its hardware, source failure time or concurrent migrations. */
function checkTrialSpec(spec: TrialSpec): void {
  const hardwareIssues = hardwareProblems(spec.hardware);
  if (hardwareIssues.length > 0) throw new Error(`trial ${spec.id}: ${hardwareIssues.join('; ')}`);
  const failAt = spec.sourceFailureSeconds;
  if (failAt !== undefined && !(Number.isFinite(failAt) && failAt >= 0)) {
    throw new Error(`trial ${spec.id}: sourceFailureSeconds must be a finite number of at least 0`);
  }
  const concurrent = spec.concurrentMigrations ?? 1;
  if (!Number.isInteger(concurrent) || concurrent < 1 || concurrent > MAX_CONCURRENT_MIGRATIONS) {
    throw new Error(
      `trial ${spec.id}: concurrentMigrations must be a whole number from 1 to ${MAX_CONCURRENT_MIGRATIONS}`,
    );
  }
  if (concurrent > 1 && failAt !== undefined) {
    throw new Error(`trial ${spec.id}: sourceFailureSeconds works with one migration at a time`);
  }
}

/**
 * The result of several concurrent migrations: the first one's, with the means over all of them
 * and each one's times; failed when any of them failed.
 */
function concurrentResult(results: readonly TrialResult[]): TrialResult {
  const result = results[0]!;
  if (!result.metrics) return result;
  const failed = results.findIndex((one) => !one.ok || !one.metrics);
  if (failed >= 0) {
    const { metrics: _metrics, series: _series, faultLatency: _latency, ...identity } = result;
    return {
      ...identity,
      ok: false,
      error: `concurrent migration ${failed + 1}: ${results[failed]!.error ?? 'no metrics'}`,
    };
  }
  const each = results.map((one) => one.metrics!);
  const mean = (pick: (metrics: TrialMetrics) => number): number =>
    each.reduce((sum, metrics) => sum + pick(metrics), 0) / each.length;
  return {
    ...result,
    metrics: {
      ...result.metrics,
      concurrentMigrations: results.length,
      concurrentMeanTotalMigrationSeconds: mean((metrics) => metrics.totalMigrationSeconds!),
      concurrentMeanDowntimeSeconds: mean((metrics) => metrics.downtimeSeconds!),
    },
    concurrent: each.map((metrics) => ({
      totalSeconds: metrics.totalSeconds,
      downtimeSeconds: metrics.downtimeSeconds!,
      totalMigrationSeconds: metrics.totalMigrationSeconds!,
      sourceReleaseSeconds: metrics.sourceReleaseSeconds!,
    })),
  };
}
