import type { TrialMetrics, TrialResult } from '../experiment/trial';
import { ignoresPrefetch } from '../model/migration';
import type { StrategyName } from '../model/migration';

/**
 * Finished trials looked up by what they are, (workload, strategy, prefetch, replication), never by
 * their id strings. Pure-copy ignores prefetch, so it is found at any prefetch value.
 */
export class TrialIndex {
  private readonly byKey = new Map<string, TrialResult>();
  /** The replications present, ascending. */
  readonly replications: number[];

  constructor(results: readonly TrialResult[]) {
    const replications = new Set<number>();
    for (const result of results) {
      this.byKey.set(
        TrialIndex.key(result.workload, result.strategy, result.prefetch, result.replication),
        result,
      );
      replications.add(result.replication);
    }
    this.replications = [...replications].sort((a, b) => a - b);
  }

  private static key(
    workload: string,
    strategy: StrategyName,
    prefetch: number,
    replication: number,
  ): string {
    return `${workload}\u0000${strategy}\u0000${ignoresPrefetch(strategy) ? 0 : prefetch}\u0000${replication}`;
  }

  /** The trial's result, or undefined when it did not run. */
  find(
    workload: string,
    strategy: StrategyName,
    prefetch: number,
    replication: number,
  ): TrialResult | undefined {
    return this.byKey.get(TrialIndex.key(workload, strategy, prefetch, replication));
  }

  /** The trial's metrics; throws, naming the trial, when it is missing or failed. */
  get(workload: string, strategy: StrategyName, prefetch: number, replication: number): TrialMetrics {
    const result = this.find(workload, strategy, prefetch, replication);
    if (!result) {
      const variant = ignoresPrefetch(strategy) ? strategy : `${strategy}/pf${prefetch}`;
      const rep = replication === 0 ? '' : ` replication ${replication}`;
      throw new Error(`the reproduction is missing trial ${workload}/${variant}${rep}`);
    }
    if (!result.ok || !result.metrics) {
      throw new Error(`trial ${result.id} failed: ${result.error ?? 'no metrics'}`);
    }
    return result.metrics;
  }
}
