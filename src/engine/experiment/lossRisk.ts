import { variantName } from '../model/migration';
import type { TrialMetrics, TrialResult } from './trial';

/**
 * Would a crash of the source `crashSeconds` after the migration request lose the process? It
 * does when the source still holds part of it then (the transfer unfinished, or pages it still
 * owes) and the process has not exited. This is the rule `sourceFailureSeconds` applies in a run.
 */
export function lostByCrashAt(metrics: TrialMetrics, crashSeconds: number): boolean {
  if (metrics.sourceReleaseSeconds === undefined) return false;
  return crashSeconds < Math.min(metrics.sourceReleaseSeconds, metrics.totalSeconds);
}

export interface LossRiskCurve {
  /** The strategy, with its prefetch when it has one (e.g. "post-copy pf1"). */
  variant: string;
  /** Share of the variant's finished trials a crash at each time would lose, 0..1. */
  lostShare: number[];
}

/** For each strategy variant, the share of trials lost by a source crash at each of `times`. */
export function lossRiskCurves(results: readonly TrialResult[], times: readonly number[]): LossRiskCurve[] {
  const byVariant = new Map<string, TrialMetrics[]>();
  for (const result of results) {
    if (!result.ok || !result.metrics || result.metrics.sourceReleaseSeconds === undefined) continue;
    if (result.metrics.processLost) continue; // already crashed: no release time to judge by
    const variant = variantName(result.strategy, result.prefetch);
    byVariant.set(variant, [...(byVariant.get(variant) ?? []), result.metrics]);
  }
  return [...byVariant].map(([variant, trials]) => ({
    variant,
    lostShare: times.map(
      (time) => trials.filter((metrics) => lostByCrashAt(metrics, time)).length / trials.length,
    ),
  }));
}
