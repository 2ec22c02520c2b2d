import { summarize } from '../../engine/experiment/statistics';
import type { Summary } from '../../engine/experiment/statistics';
import { variantName } from '../../engine/model/migration';
import type { TrialMetrics, TrialResult } from '../../engine/experiment/trial';
import { STRATEGIES } from '../../engine/model/migration';
import { formatSwept } from './format';

export interface ComparisonSeries {
  label: string;
  /** One mean per workload, null where the variant has no finished trial. */
  values: (number | null)[];
  /** Half-width of each mean's 95% confidence interval, null with fewer than two replications. */
  halfWidths: (number | null)[];
}

export interface Comparison {
  workloads: string[];
  series: ComparisonSeries[];
}

/** A strategy with its prefetch: "pure-copy", "pure-iou pf1". */
export function variantOf(result: Pick<TrialResult, 'strategy' | 'prefetch'>): string {
  return variantName(result.strategy, result.prefetch);
}

/** The category a trial is drawn in: its workload, and in a sensitivity sweep the parameter value. */
export function categoryOf(result: Pick<TrialResult, 'workload' | 'parameterValue'>): string {
  if (result.parameterValue === undefined) return result.workload;
  return `${result.workload} @ ${formatSwept(result.parameterValue)}`;
}

/** Mean of `metric` over the finished trials, with its 95% interval, per workload and strategy variant. */
export function compare(
  results: readonly TrialResult[],
  metric: (metrics: TrialMetrics) => number,
): Comparison {
  const cells: { workload: string; variant: string }[] = [];
  const samples = new Map<string, number[]>();
  for (const result of results) {
    if (!result.ok || !result.metrics) continue;
    const variant = variantOf(result);
    const workload = categoryOf(result);
    const key = `${workload}\u0000${variant}`;
    let sample = samples.get(key);
    if (!sample) {
      samples.set(key, (sample = []));
      cells.push({ workload, variant });
    }
    sample.push(metric(result.metrics));
  }
  return comparePoints(
    cells.map((cell) => ({
      ...cell,
      summary: summarize(samples.get(`${cell.workload}\u0000${cell.variant}`)!),
    })),
  );
}

/**
 * A comparison from each category's and variant's summary (mean, 95% half-width), in the order
 * categories first come and variants in the engine's order: what compare() draws from trials, and
 * a summarized experiment's figures from its design points.
 */
export function comparePoints(
  cells: readonly { workload: string; variant: string; summary: Summary }[],
): Comparison {
  const workloads: string[] = [];
  const variants: string[] = [];
  const found = new Map<string, Summary>();
  for (const cell of cells) {
    if (!workloads.includes(cell.workload)) workloads.push(cell.workload);
    if (!variants.includes(cell.variant)) variants.push(cell.variant);
    found.set(`${cell.workload}\u0000${cell.variant}`, cell.summary);
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
    series: variants.map((label) => {
      const summaries = workloads.map((workload) => found.get(`${workload}\u0000${label}`) ?? null);
      return {
        label,
        values: summaries.map((summary) => summary?.mean ?? null),
        halfWidths: summaries.map((summary) =>
          summary && Number.isFinite(summary.halfWidth) ? summary.halfWidth : null,
        ),
      };
    }),
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
