import type { TrialProgress } from '../../../../engine/experiment/trial';
import { TRIAL_CANCELLED } from '../../../../shared/hostApi';
import { useResultsStore } from '../results';
import { seriesPoints, withProgress } from './rates';
import type { Cumulative } from './rates';
import type { SweepCore, SweepEvent } from './sweepCore';
import type { TrialRow } from './trialRows';
import type { TrialTable } from './trialTable';

type EventOf<T extends SweepEvent['type']> = Extract<SweepEvent, { type: T }>;

/** Each running trial's live byte rate: a step per progress report, from its bytes at the last one. */
function createLiveRates() {
  const cumulative = new Map<string, Cumulative>();
  function progressed(target: TrialRow, progress: TrialProgress): void {
    target.progress = progress;
    const last = cumulative.get(target.id) ?? { t: 0, fault: 0, other: 0 };
    // A new array, not a push: the row is shallowly reactive, so only a new array shows.
    const points = withProgress(target.points, last, progress);
    if (!points) return;
    target.points = points;
    cumulative.set(target.id, {
      t: progress.simulatedSeconds,
      fault: progress.bytesFault,
      other: progress.bytesOther,
    });
  }
  return {
    progressed,
    forget: (trialId: string) => cumulative.delete(trialId),
    clear: () => cumulative.clear(),
  };
}

/**
 * What a trial's events do to its row and to the sweep's phase. `batching` says whether a batch
 * of events is being applied: finished trials are then handed over once, at its end.
 */
function createTrialEvents(core: SweepCore, table: TrialTable, batching: () => boolean) {
  const rates = createLiveRates();

  /** After a retry or a trial's end, the sweep is over again once nothing is queued or running. */
  function settleIfIdle(): void {
    if (core.phase.value === 'running' && table.queued.value === 0 && table.running.value === 0) {
      core.phase.value = table.cancelled.value > 0 ? 'cancelled' : 'finished';
    }
  }

  function trialStarted(event: EventOf<'trial-started'>): void {
    const target = table.rowFor(event.trialId);
    if (!target) return;
    table.setStatus(target, 'running');
    target.progress = null;
    target.error = null;
    target.points = [{ x: 0, fault: 0, other: 0 }];
    rates.forget(target.id);
    if (core.phase.value === 'finished' || core.phase.value === 'cancelled') core.phase.value = 'running';
  }

  function trialProgress(event: EventOf<'trial-progress'>): void {
    const target = table.row(event.trialId);
    if (target && target.status === 'running') rates.progressed(target, event.progress);
  }

  function trialFinished({ result }: EventOf<'trial-finished'>): void {
    const target = table.rowFor(result.id, result);
    const stopped = !result.ok && (result.error === TRIAL_CANCELLED || core.phase.value === 'cancelling');
    if (target) {
      table.setStatus(target, result.ok ? 'done' : stopped ? 'cancelled' : 'failed');
      target.error = result.ok ? null : (result.error ?? 'the trial failed');
      // The engine's binned series is exact; the live points were only as fine as the reports.
      if (result.series) target.points = seriesPoints(result.series);
      rates.forget(target.id);
    }
    // A cancelled trial has nothing to show; it stays listed (and retryable) in the sweep. An
    // unlisted (large) sweep's trials feed its live summary (see LiveResults), not kept.
    if (!stopped && core.live) {
      core.live.add(result);
      if (!batching()) core.live.publish(true);
    }
    settleIfIdle();
  }

  return { trialStarted, trialProgress, trialFinished, settleIfIdle, clear: rates.clear };
}

/**
 * What the sweep's host events do to it (a part of the sweep store, ../sweep.ts). Events that
 * come before the host has said which sweep started wait for it (replayEarly); events of another
 * sweep are dropped.
 */
export function createSweepEvents(core: SweepCore, table: TrialTable) {
  /** Events that came while the sweep was starting, before its id was known. */
  let early: SweepEvent[] = [];
  /** A batch of events is being applied: finished trials are handed over at its end. */
  let inBatch = false;
  const trials = createTrialEvents(core, table, () => inBatch);

  function sweepStarted(event: EventOf<'sweep-started'>): void {
    if (event.storeError) core.error.value = event.storeError;
    else if (event.storeWarning) core.error.value = event.storeWarning;
    if (event.stored) table.countStored(event.stored);
  }

  function sweepFinished(event: EventOf<'sweep-finished'>): void {
    table.cancelUnfinished();
    // A large sweep's summary (from every trial in the host's store) is what the notebook keeps.
    if (core.live) core.live.finish(event.summary);
    else if (event.summary) useResultsStore().summarize(event.summary);
    core.phase.value = event.cancelled || table.cancelled.value > 0 ? 'cancelled' : 'finished';
  }

  function handleEvent(event: SweepEvent): void {
    if (core.phase.value === 'starting' && core.sweepId.value === null) {
      early.push(event);
      return;
    }
    if (event.sweepId !== core.sweepId.value) return;
    core.updatedAt.value = Date.now();
    if (event.type === 'sweep-started') sweepStarted(event);
    else if (event.type === 'trial-started') trials.trialStarted(event);
    else if (event.type === 'trial-progress') trials.trialProgress(event);
    else if (event.type === 'trial-finished') trials.trialFinished(event);
    else sweepFinished(event);
  }

  /** Events applied together (see ./eventBatch.ts): finished trials are handed over once, at the end. */
  function handleBatch(events: readonly SweepEvent[]): void {
    inBatch = true;
    try {
      for (const event of events) handleEvent(event);
    } finally {
      inBatch = false;
      core.live?.publish();
    }
  }

  /** Once the host has said which sweep started: the events of it that came before. */
  function replayEarly(): void {
    const waiting = early;
    early = [];
    for (const event of waiting) handleEvent(event);
  }

  /** Forget every trial's rate and every waiting event (a new sweep). */
  function clear(): void {
    trials.clear();
    early = [];
  }

  return { handleEvent, handleBatch, replayEarly, settleIfIdle: trials.settleIfIdle, clear };
}

export type SweepEvents = ReturnType<typeof createSweepEvents>;
