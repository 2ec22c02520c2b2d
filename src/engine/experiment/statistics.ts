import type { StrategyName } from '../model/migration';
import { ignoresPrefetch, variantName } from '../model/migration';
import type { TrialMetrics, TrialResult } from './trial';

/**
 * Statistics over replications: means with Student-t confidence intervals, and paired
 * differences between strategies. Replication r of every strategy runs the same process (common
 * random numbers, see runTrial), so two strategies are compared replication by replication.
 */

/** The confidence level of every interval the lab reports. */
export const CONFIDENCE = 0.95;

export interface Summary {
  n: number;
  mean: number;
  /** Sample standard deviation (divisor n - 1); 0 for a single value. */
  sd: number;
  /** Half-width of the confidence interval; NaN with fewer than two values. */
  halfWidth: number;
  ciLow: number;
  ciHigh: number;
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new Error('the mean of no values is undefined');
  let sum = 0;
  for (const value of values) sum += value;
  const first = values[0]!;
  // Equal values (deterministic metrics) have exactly that mean, not one rounded off by the sum.
  return values.every((value) => value === first) ? first : sum / values.length;
}

/** Sample standard deviation (Bessel's n - 1); 0 for one value. */
export function sampleStandardDeviation(values: readonly number[]): number {
  if (values.length === 0) throw new Error('the standard deviation of no values is undefined');
  if (values.length === 1) return 0;
  const centre = mean(values);
  let squares = 0;
  for (const value of values) squares += (value - centre) ** 2;
  return Math.sqrt(squares / (values.length - 1));
}

// --- Student's t distribution -------------------------------------------------------------

/**
 * ln Γ(x) for x > 0: Stirling's series at x + k >= 15, brought back by Γ(x + 1) = x Γ(x).
 * The series' first omitted term is below 1e-15 there.
 */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new Error(`logGamma needs a positive argument, got ${x}`);
  let shift = 0;
  let z = x;
  while (z < 15) {
    shift += Math.log(z);
    z += 1;
  }
  const inverse = 1 / z;
  const inverse2 = inverse * inverse;
  const series =
    inverse *
    (1 / 12 - inverse2 * (1 / 360 - inverse2 * (1 / 1260 - inverse2 * (1 / 1680 - inverse2 / 1188))));
  return (z - 0.5) * Math.log(z) - z + 0.5 * Math.log(2 * Math.PI) + series - shift;
}

/** Continued fraction of the incomplete beta function (modified Lentz, as Numerical Recipes 6.4). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let result = d;
  for (let m = 1; m <= 1000; m += 1) {
    const m2 = 2 * m;
    let step = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + step * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + step / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    result *= d * c;
    step = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + step * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + step / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    result *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return result;
}

/** The regularized incomplete beta function I_x(a, b), 0 <= x <= 1. */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // The continued fraction converges fast only on one side of the mean; use symmetry on the other.
  return x < (a + 1) / (a + b + 2)
    ? (front * betaContinuedFraction(x, a, b)) / a
    : 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

/** P(T <= t) for Student's t with `df` degrees of freedom (df > 0, not necessarily whole). */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) throw new Error(`degrees of freedom must be positive, got ${df}`);
  const tail = 0.5 * regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** Quantiles already found, by "p df": summaries ask for the same few again and again. */
const quantiles = new Map<string, number>();

/** The p-quantile of Student's t with `df` degrees of freedom: the CDF inverted by bisection. */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`the probability must lie strictly between 0 and 1, got ${p}`);
  if (!(df > 0)) throw new Error(`degrees of freedom must be positive, got ${df}`);
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  if (p === 0.5) return 0;
  const key = `${p} ${df}`;
  const known = quantiles.get(key);
  if (known !== undefined) return known;
  const found = invertTCdf(p, df);
  if (quantiles.size < 10_000) quantiles.set(key, found);
  return found;
}

function invertTCdf(p: number, df: number): number {
  let low = 0;
  let high = 1;
  while (studentTCdf(high, df) < p) {
    low = high;
    high *= 2;
  }
  // 200 halvings reach the spacing of doubles long before they run out.
  for (let i = 0; i < 200 && high - low > 1e-12 * high; i += 1) {
    const middle = (low + high) / 2;
    if (studentTCdf(middle, df) < p) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

/** Mean, sample sd and the Student-t confidence interval of the mean (two-sided). */
export function summarize(values: readonly number[], confidence = CONFIDENCE): Summary {
  return summaryFromMoments(
    { n: values.length, mean: mean(values), sd: sampleStandardDeviation(values) },
    confidence,
  );
}

/** n, mean and standard deviation of a sample: what a stored summary keeps of it. */
export interface Moments {
  n: number;
  mean: number;
  /** NaN where the spread is unknown (then no interval). */
  sd: number;
}

/** The summary (with its interval) of a sample known only by its moments, as summarize() gives it. */
export function summaryFromMoments({ n, mean: centre, sd }: Moments, confidence = CONFIDENCE): Summary {
  const halfWidth =
    n < 2 ? Number.NaN : (studentTQuantile(1 - (1 - confidence) / 2, n - 1) * sd) / Math.sqrt(n);
  return { n, mean: centre, sd, halfWidth, ciLow: centre - halfWidth, ciHigh: centre + halfWidth };
}

/**
 * The paired-t interval of the mean difference a - b, pair by pair (the same replication of two
 * strategies). Pairs must line up: a[i] and b[i] come from one replication.
 */
export function pairedDifference(
  a: readonly number[],
  b: readonly number[],
  confidence = CONFIDENCE,
): Summary {
  if (a.length !== b.length) throw new Error(`paired samples differ in length (${a.length} and ${b.length})`);
  return summarize(
    a.map((value, index) => value - b[index]!),
    confidence,
  );
}

// --- Summaries of an experiment's results ----------------------------------------------------

/** One design point: what stays fixed while the replication varies. */
export interface DesignPoint {
  workload: string;
  strategy: StrategyName;
  prefetch: number;
  hardware: string;
  /** The sensitivity sweep's parameter value, when the experiment is a sweep. */
  parameterValue?: number;
}

export interface PointSummary {
  point: DesignPoint;
  /** "Minprog pure-iou pf1 perq-1987" (with "@ value" in a sweep). */
  label: string;
  /** The replications summarized, in order. */
  replications: number[];
  /** Every metric's summary (only those asked for, when a list was given). */
  metrics: Partial<Record<keyof TrialMetrics, Summary>>;
}

export interface SummaryOptions {
  /** Summarize only these metrics (default: every metric of the trials). */
  metrics?: readonly (keyof TrialMetrics)[];
  confidence?: number;
}

export function designPointOf(result: TrialResult): DesignPoint {
  return {
    workload: result.workload,
    strategy: result.strategy,
    prefetch: ignoresPrefetch(result.strategy) ? 0 : result.prefetch,
    hardware: result.hardware,
    ...(result.parameterValue === undefined ? {} : { parameterValue: result.parameterValue }),
  };
}

export function designPointLabel(point: DesignPoint): string {
  const variant = variantName(point.strategy, point.prefetch);
  const at = point.parameterValue === undefined ? '' : ` @ ${point.parameterValue}`;
  return `${point.workload} ${variant} ${point.hardware}${at}`;
}

/**
 * Every metric's mean and confidence interval per design point, over the finished replications,
 * in the order the points first appear.
 */
export function summarizeByDesignPoint(
  results: readonly TrialResult[],
  options: SummaryOptions = {},
): PointSummary[] {
  const confidence = options.confidence ?? CONFIDENCE;
  const groups = new Map<string, { point: DesignPoint; results: TrialResult[] }>();
  for (const result of results) {
    if (!result.ok || !result.metrics) continue;
    const point = designPointOf(result);
    const key = designPointLabel(point);
    const group = groups.get(key) ?? { point, results: [] };
    group.results.push(result);
    groups.set(key, group);
  }
  return [...groups.entries()].map(([label, group]) => {
    const ordered = [...group.results].sort((a, b) => a.replication - b.replication);
    // Metrics added after some results were saved (those beyond 1987) are summarized where all have them.
    const keys = (options.metrics ?? (Object.keys(ordered[0]!.metrics!) as (keyof TrialMetrics)[])).filter(
      (key) => ordered.every((result) => result.metrics![key] !== undefined),
    );
    const metrics = Object.fromEntries(
      keys.map((key) => [
        key,
        summarize(
          ordered.map((result) => result.metrics![key]!),
          confidence,
        ),
      ]),
    ) as Partial<Record<keyof TrialMetrics, Summary>>;
    return { point: group.point, label, replications: ordered.map((result) => result.replication), metrics };
  });
}

/**
 * The paired difference of `metric` between two sets of results (two strategy variants at one
 * workload and hardware), matched by replication; replications missing on either side are left out.
 */
export function pairedComparison(
  a: readonly TrialResult[],
  b: readonly TrialResult[],
  metric: (metrics: TrialMetrics) => number,
  confidence = CONFIDENCE,
): Summary & { replications: number[] } {
  const byReplication = new Map<number, TrialMetrics>();
  for (const result of b)
    if (result.ok && result.metrics) byReplication.set(result.replication, result.metrics);
  const left: number[] = [];
  const right: number[] = [];
  const replications: number[] = [];
  for (const result of [...a].sort((x, y) => x.replication - y.replication)) {
    const other = byReplication.get(result.replication);
    if (!result.ok || !result.metrics || !other) continue;
    left.push(metric(result.metrics));
    right.push(metric(other));
    replications.push(result.replication);
  }
  if (left.length === 0) throw new Error('no replication finished on both sides of the comparison');
  return { ...pairedDifference(left, right, confidence), replications };
}

// --- Two-sample tests of a difference (comparing experiments) --------------------------------

/** A difference of means a - b with its confidence interval and a two-sided t test of "no difference". */
export interface DifferenceTest {
  /** Pairs (paired t) or trials on each side (Welch). */
  n: number | { a: number; b: number };
  /** Mean of a minus mean of b (paired: the mean of the pair differences, the same number). */
  difference: number;
  /** Half-width of the confidence interval; NaN where there is no interval. */
  halfWidth: number;
  ciLow: number;
  ciHigh: number;
  /** Degrees of freedom (Welch: Satterthwaite's, not whole); NaN where there is no interval. */
  df: number;
  /** The t statistic; ±Infinity when every pair differs by the same nonzero amount. */
  t: number;
  /** Two-sided p-value of "no difference"; NaN where there is no test. */
  p: number;
}

/** Two-sided p-value of t with `df` degrees of freedom (0 for an infinite t). */
export function twoSidedP(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN;
  if (!Number.isFinite(t)) return 0;
  return 2 * (1 - studentTCdf(Math.abs(t), df));
}

/** t and p of a difference over its standard error (a zero error: all or nothing). */
function tOf(difference: number, standardError: number, df: number): { t: number; p: number } {
  if (!(df > 0)) return { t: Number.NaN, p: Number.NaN };
  if (standardError === 0) {
    // No spread at all: the same difference every time (deterministic metrics).
    if (difference === 0) return { t: Number.NaN, p: 1 };
    return { t: difference > 0 ? Infinity : -Infinity, p: 0 };
  }
  const t = difference / standardError;
  return { t, p: twoSidedP(t, df) };
}

/**
 * The paired t test of a - b: a[i] and b[i] come from one replication (common random numbers).
 * Its interval is {@link pairedDifference}'s.
 */
export function pairedTTest(
  a: readonly number[],
  b: readonly number[],
  confidence = CONFIDENCE,
): DifferenceTest {
  const summary = pairedDifference(a, b, confidence);
  const df = summary.n - 1;
  const { t, p } = tOf(summary.mean, summary.sd / Math.sqrt(summary.n), df);
  return {
    n: summary.n,
    difference: summary.mean,
    halfWidth: summary.halfWidth,
    ciLow: summary.ciLow,
    ciHigh: summary.ciHigh,
    df: df > 0 ? df : Number.NaN,
    t,
    p,
  };
}

/**
 * Welch's t test of mean(a) - mean(b) for independent samples with unequal variances, with
 * Welch-Satterthwaite degrees of freedom. Each side needs two values or more for an interval.
 */
export function welchTTest(
  a: readonly number[],
  b: readonly number[],
  confidence = CONFIDENCE,
): DifferenceTest {
  return welchFromMoments(summarize(a, confidence), summarize(b, confidence), confidence);
}

/**
 * Welch's t test from each side's n, mean and sd (a summarized experiment keeps no values): what
 * welchTTest gives from the values. An unknown sd (NaN) gives the difference without an interval.
 */
export function welchFromMoments(left: Moments, right: Moments, confidence = CONFIDENCE): DifferenceTest {
  const difference = left.mean - right.mean;
  const n = { a: left.n, b: right.n };
  const none = { n, difference, halfWidth: Number.NaN, ciLow: Number.NaN, ciHigh: Number.NaN };
  if (left.n < 2 || right.n < 2 || !Number.isFinite(left.sd) || !Number.isFinite(right.sd))
    return { ...none, df: Number.NaN, t: Number.NaN, p: Number.NaN };
  const va = left.sd ** 2 / left.n;
  const vb = right.sd ** 2 / right.n;
  const standardError = Math.sqrt(va + vb);
  // Both sides without spread: the difference is exact (df from the sample sizes then).
  const df =
    standardError === 0
      ? left.n + right.n - 2
      : (va + vb) ** 2 / (va ** 2 / (left.n - 1) + vb ** 2 / (right.n - 1));
  const halfWidth = studentTQuantile(1 - (1 - confidence) / 2, df) * standardError;
  const { t, p } = tOf(difference, standardError, df);
  return {
    n,
    difference,
    halfWidth,
    ciLow: difference - halfWidth,
    ciHigh: difference + halfWidth,
    df,
    t,
    p,
  };
}
