import type { TrialMetrics, TrialResult } from '../../engine/experiment/trial';
import { STRATEGIES, ignoresPrefetch } from '../../engine/model/migration';

export interface ComparisonSeries {
  label: string;
  /** One mean per workload, null where the variant has no finished trial. */
  values: (number | null)[];
}

export interface Comparison {
  workloads: string[];
  series: ComparisonSeries[];
}

/** A strategy with its prefetch: "pure-copy", "pure-iou pf1". */
export function variantOf(result: Pick<TrialResult, 'strategy' | 'prefetch'>): string {
  return ignoresPrefetch(result.strategy) ? result.strategy : `${result.strategy} pf${result.prefetch}`;
}

/** Mean of `metric` over the finished trials, per workload and strategy variant. */
export function compare(
  results: readonly TrialResult[],
  metric: (metrics: TrialMetrics) => number,
): Comparison {
  const workloads: string[] = [];
  const variants: string[] = [];
  const sums = new Map<string, { sum: number; count: number }>();
  for (const result of results) {
    if (!result.ok || !result.metrics) continue;
    const variant = variantOf(result);
    if (!workloads.includes(result.workload)) workloads.push(result.workload);
    if (!variants.includes(variant)) variants.push(variant);
    const key = `${result.workload}\u0000${variant}`;
    const entry = sums.get(key) ?? { sum: 0, count: 0 };
    entry.sum += metric(result.metrics);
    entry.count += 1;
    sums.set(key, entry);
  }
  const rank = (variant: string): [number, number] => {
    const [strategy = '', prefetch = 'pf0'] = variant.split(' ');
    return [(STRATEGIES as readonly string[]).indexOf(strategy), Number(prefetch.slice(2))];
  };
  variants.sort((a, b) => {
    const [sa, pa] = rank(a);
    const [sb, pb] = rank(b);
    return sa - sb || pa - pb;
  });
  return {
    workloads,
    series: variants.map((label) => ({
      label,
      values: workloads.map((workload) => {
        const entry = sums.get(`${workload}\u0000${label}`);
        return entry ? entry.sum / entry.count : null;
      }),
    })),
  };
}

/** The comparisons of the run and results views: the paper's three, then those beyond 1987. */
export const COMPARISON_METRICS = [
  { key: 'bytes', title: 'Bytes on the network', unit: 'bytes', pick: (m: TrialMetrics) => m.bytesTotal },
  {
    key: 'message-time',
    title: 'Message-handling time (both hosts)',
    unit: 'seconds',
    pick: (m: TrialMetrics) => m.messageSecondsSource + m.messageSecondsDest,
  },
  {
    key: 'end-to-end',
    title: 'End-to-end time',
    unit: 'seconds',
    pick: (m: TrialMetrics) => m.endToEndSeconds,
  },
  {
    key: 'downtime',
    title: 'Downtime (process frozen)',
    unit: 'seconds',
    pick: (m: TrialMetrics) => m.downtimeSeconds ?? Number.NaN,
  },
  {
    key: 'source-release',
    title: 'Until the source is released',
    unit: 'seconds',
    pick: (m: TrialMetrics) => m.sourceReleaseSeconds ?? Number.NaN,
  },
] as const;
