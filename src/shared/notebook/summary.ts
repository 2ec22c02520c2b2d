import { countTrials, designVariants } from '../../engine/experiment/design';
import type { ExperimentDesign } from '../../engine/experiment/design';
import {
  CONFIDENCE,
  designPointLabel,
  designPointOf,
  studentTQuantile,
} from '../../engine/experiment/statistics';
import type { PointSummary, Summary } from '../../engine/experiment/statistics';
import { TRIAL_METRIC_NAMES } from '../../engine/experiment/trial';
import type { TrialMetrics, TrialResult } from '../../engine/experiment/trial';
import { variantName } from '../../engine/model/migration';
import { INLINE_BYTES, INLINE_TRIALS } from '../estimate';
import { downsampleSeries } from '../figures/series';
import type {
  DesignPointSummary,
  ExperimentEntry,
  ExperimentSummary,
  MetricSummary,
  SweepDifferenceSummary,
} from '../hostApi';
import { TRIAL_CANCELLED } from '../hostApi';
import { RunningMoments } from '../runningMoments';

/**
 * Which experiments keep their trials in the notebook, and what a notebook keeps of the others.
 *
 * The rule: an experiment whose design has at most INLINE_TRIALS (10,000) trials keeps every
 * trial inline (`results`, series and all), so a notebook mailed alone stays whole. A larger one
 * keeps its trials in a results store (`<notebook>.results.duckdb` beside the notebook) and in the
 * notebook only an ExperimentSummary: per design point n and each metric's mean, sd and 95%
 * interval, a sensitivity sweep's paired differences, and the trials its per-trial figures draw
 * (the first replication of each design point, at most SUMMARY_FIGURE_TRIALS of them, each
 * series downsampled to SUMMARY_SERIES_BINS bins). Its `results` are empty.
 *
 * Beside the count, a byte limit: a small experiment whose trials take more than INLINE_BYTES
 * (40 MiB) as JSON is summarized too (its store keeps each trial whole), so a few long trials
 * with huge series cannot take a notebook past its 100 MiB cap (see exceedsInlineBytes).
 */

export { INLINE_BYTES, INLINE_TRIALS };

/** Most figure trials a summary keeps (the first replication of the first points, in design order). */
export const SUMMARY_FIGURE_TRIALS = 1_000;

/** Bins of a figure trial's byte-rate series (the results store keeps the same). */
export const SUMMARY_SERIES_BINS = 300;

/** Whether an experiment of this design keeps its trials inline (see the rule above). */
export function keepsTrialsInline(design: ExperimentDesign): boolean {
  try {
    return countTrials(design) <= INLINE_TRIALS;
  } catch {
    return true;
  }
}

/**
 * Whether trials take more than `limit` bytes as JSON (counted in UTF-16 units, which is their
 * bytes for the ASCII a trial's JSON is), stopping as soon as they do.
 */
export function exceedsInlineBytes(results: Iterable<TrialResult>, limit: number = INLINE_BYTES): boolean {
  let bytes = 0;
  for (const result of results) {
    bytes += JSON.stringify(result).length;
    if (bytes > limit) return true;
  }
  return false;
}

/** Why an experiment is summarized, as its card says it: "more than 10,000 trials" or its bytes. */
export function summarizedBecause(design: ExperimentDesign): string {
  return keepsTrialsInline(design)
    ? `its trials take more than ${INLINE_BYTES / (1024 * 1024)} MiB`
    : `more than ${INLINE_TRIALS.toLocaleString('en-US')} trials`;
}

/** A summarized experiment: its trials are in a store, the notebook holds its summary. */
export function isSummarized(
  entry: Pick<ExperimentEntry, 'summary'>,
): entry is Pick<ExperimentEntry, 'summary'> & { summary: ExperimentSummary } {
  return entry.summary !== undefined;
}

/** Trials of an experiment that ended ok and that failed, inline or summarized. */
export function experimentCounts(entry: Pick<ExperimentEntry, 'results' | 'summary'>): {
  ok: number;
  failed: number;
} {
  if (entry.summary) return { ok: entry.summary.trials - entry.summary.failed, failed: entry.summary.failed };
  let ok = 0;
  for (const result of entry.results) if (result.ok) ok += 1;
  return { ok, failed: entry.results.length - ok };
}

/** A metric's running moments (shared/runningMoments.ts) and its stored summary with a 95% interval. */
class Moments extends RunningMoments {
  summary(): MetricSummary {
    const { n, mean, sd } = this.moments();
    if (n < 2) return { n, mean, sd, ciLow: null, ciHigh: null };
    const half = (studentTQuantile(1 - (1 - CONFIDENCE) / 2, n - 1) * sd) / Math.sqrt(n);
    return { n, mean, sd, ciLow: mean - half, ciHigh: mean + half };
  }
}

/** A stored metric summary as the engine's Summary (halfWidth NaN below two trials). */
export function asSummary(stored: MetricSummary): Summary {
  const half = stored.ciHigh === null ? Number.NaN : stored.ciHigh - stored.mean;
  return {
    n: stored.n,
    mean: stored.mean,
    sd: stored.sd,
    halfWidth: half,
    ciLow: stored.ciLow ?? Number.NaN,
    ciHigh: stored.ciHigh ?? Number.NaN,
  };
}

/** A summary's design points as the engine's PointSummary (what the summary table draws). */
export function pointSummaries(summary: ExperimentSummary): PointSummary[] {
  return summary.points
    .filter((point) => point.n > 0)
    .map((point) => {
      const designPoint = {
        workload: point.workload,
        strategy: point.strategy,
        prefetch: point.prefetch,
        hardware: point.hardware,
        ...(point.parameterValue === undefined ? {} : { parameterValue: point.parameterValue }),
      };
      const metrics: Partial<Record<keyof TrialMetrics, Summary>> = {};
      for (const [key, value] of Object.entries(point.metrics)) {
        if (value) metrics[key as keyof TrialMetrics] = asSummary(value);
      }
      return {
        point: designPoint,
        label: designPointLabel(designPoint),
        replications: Array.from({ length: point.n }, (_, at) => at),
        metrics,
      };
    });
}

interface PointAccumulator {
  summary: Omit<DesignPointSummary, 'metrics' | 'speedup'>;
  metrics: Map<keyof TrialMetrics, Moments>;
  speedup: Moments | null;
}

/**
 * Builds an ExperimentSummary from an experiment's trials as they come (any order; in trial
 * order from a sweep or a store), in memory bounded by its design points, not its trials (see
 * heldEntries). What it keeps beyond the points is the pairings still open: a pure-copy trial's
 * end-to-end time until every other variant of its workload and replication has been paired
 * with it (only in a design with pure-copy), the trials that came before their pure-copy one, and
 * a sensitivity sweep's first side until its second comes. In trial order (a sweep's, a store's)
 * these close within a replication; trials in another order can keep more of them open.
 */
export class SummaryBuilder {
  private readonly points = new Map<string, PointAccumulator>();
  private trials = 0;
  private failed = 0;
  private readonly figureTrials: TrialResult[] = [];
  /** Whether the design has pure-copy trials to pair the others with (speedup). */
  private readonly pairsWithCopy: boolean;
  /** Trials of other variants a pure-copy trial pairs with (per category and replication). */
  private readonly partnersOfCopy: number;
  /** Pure-copy end-to-end time per category and replication, with the partners still to come. */
  private readonly copies = new Map<string, { endToEnd: number; partnersLeft: number }>();
  /** Trials waiting for their pure-copy one. */
  private readonly waitingForCopy = new Map<string, { point: PointAccumulator; endToEnd: number }[]>();
  /** A sweep's compared variants: the first one's metric waiting for the second's, and vice versa. */
  private readonly sweepSides = new Map<string, [number | undefined, number | undefined]>();
  private readonly differences = new Map<string, { workload: string; value: number; moments: Moments }>();

  constructor(
    private readonly design: ExperimentDesign,
    private readonly store: string,
  ) {
    this.pairsWithCopy = design.strategies.includes('pure-copy');
    this.partnersOfCopy = designVariants(design).length - 1;
  }

  /**
   * Entries held: design points, open pairings (see the class comment) and sweep differences.
   * For a whole experiment in trial order this is about its design points, whatever its trials.
   */
  get heldEntries(): number {
    let waiting = 0;
    for (const list of this.waitingForCopy.values()) waiting += list.length;
    return this.points.size + this.copies.size + waiting + this.sweepSides.size + this.differences.size;
  }

  /** Add a finished trial (a cancelled one is not a result and is left out). */
  add(result: TrialResult): void {
    if (!result.ok && result.error === TRIAL_CANCELLED) return;
    this.trials += 1;
    const point = this.pointOf(result);
    if (!result.ok || !result.metrics) {
      this.failed += 1;
      point.summary.failed += 1;
      return;
    }
    point.summary.n += 1;
    const metrics = result.metrics;
    for (const name of TRIAL_METRIC_NAMES) {
      const value = metrics[name];
      if (value === undefined || !Number.isFinite(value)) continue;
      let moments = point.metrics.get(name);
      if (!moments) point.metrics.set(name, (moments = new Moments()));
      moments.add(value);
    }
    this.pairWithCopy(result, point);
    this.pairSweep(result);
    if (result.replication === 0 && this.figureTrials.length < SUMMARY_FIGURE_TRIALS) {
      this.figureTrials.push(
        result.series
          ? { ...result, series: downsampleSeries(result.series, SUMMARY_SERIES_BINS) }
          : { ...result },
      );
    }
  }

  /**
   * Take back a failed trial added before (its failure only: `result` is any result of the same
   * trial, which names its design point), as when a retry replaces it. A trial that ended ok
   * cannot be taken back (its pairings are folded in). Returns false, changing nothing, when its
   * design point has no failure to take back.
   */
  withdrawFailure(result: TrialResult): boolean {
    const point = this.points.get(designPointLabel(designPointOf(result)));
    if (!point || point.summary.failed === 0) return false;
    point.summary.failed -= 1;
    this.failed -= 1;
    this.trials -= 1;
    return true;
  }

  finish(): ExperimentSummary {
    const points = [...this.points.values()].map((point): DesignPointSummary => {
      const metrics: DesignPointSummary['metrics'] = {};
      // In the engine's order of metrics, as a trial's own.
      for (const name of TRIAL_METRIC_NAMES) {
        const moments = point.metrics.get(name);
        if (moments) metrics[name] = moments.summary();
      }
      return {
        ...point.summary,
        metrics,
        ...(point.speedup && point.speedup.n > 0 ? { speedup: point.speedup.summary() } : {}),
      };
    });
    const differences: SweepDifferenceSummary[] = [...this.differences.values()].map((found) => ({
      workload: found.workload,
      value: found.value,
      difference: found.moments.summary(),
    }));
    return {
      trials: this.trials,
      failed: this.failed,
      store: this.store,
      points,
      ...(this.design.sensitivity ? { differences } : {}),
      figureTrials: this.figureTrials,
    };
  }

  private pointOf(result: TrialResult): PointAccumulator {
    const designPoint = designPointOf(result);
    const key = designPointLabel(designPoint);
    let point = this.points.get(key);
    if (!point) {
      point = {
        summary: { ...designPoint, n: 0, failed: 0 },
        metrics: new Map(),
        speedup: null,
      };
      this.points.set(key, point);
    }
    return point;
  }

  /** As the speedup figure pairs them: the pure-copy trial of the same category and replication. */
  private pairWithCopy(result: TrialResult, point: PointAccumulator): void {
    // Without pure-copy trials nothing pairs: no trial waits (a pure-IOU campaign kept every one).
    if (!this.pairsWithCopy) return;
    const category =
      result.parameterValue === undefined
        ? result.workload
        : `${result.workload}\u0000${result.parameterValue}`;
    const key = `${category}\u0000${result.replication}`;
    const endToEnd = result.metrics!.endToEndSeconds;
    const credit = (target: PointAccumulator, value: number, copy: number): void => {
      target.speedup ??= new Moments();
      const speedup = (100 * (copy - value)) / copy;
      if (Number.isFinite(speedup)) target.speedup.add(speedup);
    };
    if (result.strategy === 'pure-copy') {
      const waiting = this.waitingForCopy.get(key) ?? [];
      for (const trial of waiting) credit(trial.point, trial.endToEnd, endToEnd);
      this.waitingForCopy.delete(key);
      const partnersLeft = this.partnersOfCopy - waiting.length;
      if (partnersLeft > 0) this.copies.set(key, { endToEnd, partnersLeft });
      return;
    }
    const copy = this.copies.get(key);
    if (copy !== undefined) {
      credit(point, endToEnd, copy.endToEnd);
      // Every partner paired: the copy's time is not needed any more.
      copy.partnersLeft -= 1;
      if (copy.partnersLeft <= 0) this.copies.delete(key);
    } else {
      const list = this.waitingForCopy.get(key) ?? [];
      list.push({ point, endToEnd });
      this.waitingForCopy.set(key, list);
    }
  }

  /** A sensitivity sweep's paired difference of its metric between its two variants. */
  private pairSweep(result: TrialResult): void {
    const sweep = this.design.sensitivity;
    if (!sweep || result.parameterValue === undefined) return;
    const variant = variantName(result.strategy, result.prefetch);
    const side = sweep.compare.indexOf(variant);
    if (side < 0) return;
    const value = result.metrics![sweep.metric];
    const key = `${result.workload}\u0000${result.parameterValue}\u0000${result.replication}`;
    const sides = this.sweepSides.get(key) ?? [undefined, undefined];
    sides[side as 0 | 1] = value;
    if (sides[0] === undefined || sides[1] === undefined) {
      this.sweepSides.set(key, sides);
      return;
    }
    this.sweepSides.delete(key);
    const at = `${result.workload}\u0000${result.parameterValue}`;
    let found = this.differences.get(at);
    if (!found) {
      found = { workload: result.workload, value: result.parameterValue, moments: new Moments() };
      this.differences.set(at, found);
    }
    found.moments.add(sides[0] - sides[1]);
  }
}

/** The summary of an experiment's trials (all of them at once; SummaryBuilder streams). */
export function summarizeTrials(
  design: ExperimentDesign,
  results: Iterable<TrialResult>,
  store: string,
): ExperimentSummary {
  const builder = new SummaryBuilder(design, store);
  for (const result of results) builder.add(result);
  return builder.finish();
}
