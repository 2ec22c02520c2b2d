import type { ExperimentDesign } from '../../../../engine/experiment/design';
import type { TrialResult } from '../../../../engine/experiment/trial';
import type { ExperimentSummary } from '../../../../shared/hostApi';
import { SummaryBuilder } from '../../../../shared/notebook/summary';
import { useResultsStore } from '../results';

/** A large sweep's live summary is handed to the charts at most this often. */
export const LIVE_SUMMARY_INTERVAL_MS = 500;

/** What a large sweep's summary names until the host's, built from its store, replaces it. */
export const LIVE_STORE_LABEL = 'the results store (summary so far)';

/** A large sweep's summary when the host had no store to build it from: its trials were not kept. */
export const UNSTORED_LABEL = 'none: the results store could not be used, so only this summary was kept';

/**
 * Where a sweep's finished trials go in the renderer. A listed sweep (at most LISTED_SWEEP_TRIALS
 * trials) hands each to the results store, batched (one update per batch). A larger one keeps no
 * trials at all: they feed a summary (SummaryBuilder: per design point n, means and intervals, the
 * first replication's downsampled series), which the charts and tables draw from, handed over at
 * most every LIVE_SUMMARY_INTERVAL_MS; memory is bounded by the design's points, not its trials.
 * At the sweep's end the host's summary, from every trial in its store, replaces it.
 *
 * A retried trial counts once, as in the host's store, where the retry's result replaces the
 * first: the app retries only failed and cancelled trials, and a cancelled one was never counted,
 * so a retry of a counted failure (see retrying) withdraws that failure when its own result comes
 * (a cancelled retry is no result: the failure stays). Held meanwhile: the ids of such retries,
 * not of every trial. One retried after the end goes into the store, not into the summary, which
 * stays the host's.
 */
export class LiveResults {
  private readonly builder: SummaryBuilder | null;
  private batch: TrialResult[] = [];
  private changed = false;
  private publishedAt = -Infinity;
  /** The sweep has ended: a large one's summary is the host's from then on. */
  private ended = false;
  /** Trials whose failure the summary counts and that are being retried: the retry replaces it. */
  private readonly retriedFailures = new Set<string>();

  constructor(design: ExperimentDesign, listed: boolean) {
    this.builder = listed ? null : new SummaryBuilder(design, LIVE_STORE_LABEL);
  }

  /** Whether this sweep's trials go into a summary rather than the results store. */
  get summarized(): boolean {
    return this.builder !== null;
  }

  /** A finished trial (not a cancelled one). */
  add(result: TrialResult): void {
    if (this.builder) {
      // A trial retried after the end is in the store; the summary stays the host's.
      if (this.ended) return;
      if (this.retriedFailures.delete(result.id)) this.builder.withdrawFailure(result);
      this.builder.add(result);
      this.changed = true;
    } else this.batch.push(result);
  }

  /**
   * A trial is being retried; it had `failed` (its failure is in the summary) or was cancelled.
   * Its next result (not a cancellation) replaces that failure.
   */
  retrying(trialId: string, before: 'failed' | 'cancelled'): void {
    if (this.builder && before === 'failed') this.retriedFailures.add(trialId);
  }

  /** The host refused a retry of a trial that had `before`: its failure stays as it was. */
  retryRefused(trialId: string, before: 'failed' | 'cancelled'): void {
    if (before === 'failed') this.retriedFailures.delete(trialId);
  }

  /** Hand what came over: the batch at once; the live summary if due (or `now`). */
  publish(now = false): void {
    const results = useResultsStore();
    if (this.batch.length > 0) {
      const batch = this.batch;
      this.batch = [];
      results.addMany(batch);
    }
    if (!this.builder || !this.changed) return;
    const at = performance.now();
    if (!now && at - this.publishedAt < LIVE_SUMMARY_INTERVAL_MS) return;
    this.publishedAt = at;
    this.changed = false;
    results.summarize(this.builder.finish());
  }

  /** At the sweep's end: the host's summary, or failing that the live one, named as not stored. */
  finish(hostSummary: ExperimentSummary | undefined): void {
    this.publish(true);
    this.ended = true;
    const results = useResultsStore();
    if (hostSummary) results.summarize(hostSummary);
    else if (this.builder) results.summarize({ ...this.builder.finish(), store: UNSTORED_LABEL });
  }
}
