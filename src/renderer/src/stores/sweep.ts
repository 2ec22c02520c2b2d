import { defineStore } from 'pinia';
import { computed, reactive, ref, shallowReactive, shallowRef } from 'vue';
import type { ExperimentDesign } from '../../../engine/experiment/design';
import { countTrials } from '../../../engine/experiment/design';
import type { TrialProgress } from '../../../engine/experiment/trial';
import { TRIAL_CANCELLED } from '../../../shared/hostApi';
import type { HostEvent, StartSweepOptions, TrialSummary } from '../../../shared/hostApi';
import { useHost } from '../host/currentHost';
import { useResultsStore } from './results';
import { createEventBatch } from './live/eventBatch';
import { LiveResults } from './live/liveResults';
import { seriesPoints, withProgress } from './live/rates';
import type { Cumulative } from './live/rates';
import { prunedRows, trialFraction, trialSummaryOf } from './live/trialRows';
import type { TrialRow, TrialStatus } from './live/trialRows';

export type { RatePoint } from './live/rates';
export { MAX_RATE_POINTS, seriesPoints } from './live/rates';
export type { TrialRow, TrialStatus } from './live/trialRows';
export { MAX_UNLISTED_ROWS } from './live/trialRows';
export type SweepPhase = 'idle' | 'starting' | 'running' | 'cancelling' | 'finished' | 'cancelled';

type SweepEvent = Exclude<HostEvent, { type: 'menu' } | { type: 'trace-import-progress' }>;

/** The design's trial count, or null for one that cannot be counted (the host will say why). */
function trialsOf(design: ExperimentDesign): number | null {
  try {
    return countTrials(design);
  } catch {
    return null;
  }
}

/** The sweep being run: its trials, their live byte rates, progress and the time left. */
export const useSweepStore = defineStore('sweep', () => {
  const sweepId = ref<string | null>(null);
  const phase = ref<SweepPhase>('idle');
  // Rows are shallowly reactive: their fields trigger updates, but a row's points and progress are
  // plain (replaced, never changed in place), so Vue does not proxy every point of every trial.
  const trials = shallowRef<TrialRow[]>([]);
  /** Trials in the sweep; more than trials.length when the host did not list them (a large sweep). */
  const trialCount = ref(0);
  /** The host listed every trial when the sweep started. */
  let listed = true;
  const error = ref<string | null>(null);
  /** Wall-clock times (ms) of the start and of the last report, for the time-left estimate. */
  const startedAt = ref(0);
  const updatedAt = ref(0);

  const positions = new Map<string, number>();
  const cumulative = new Map<string, Cumulative>();
  let buffered: SweepEvent[] = [];
  /** Where finished trials go: the results store, or a large sweep's live summary. */
  let live: LiveResults | null = null;
  /** A batch of events is being applied: finished trials are handed over at its end. */
  let inBatch = false;
  /** Progress and finished trials received since the last frame, applied together in the next one. */
  const batch = createEventBatch<SweepEvent>((events) => {
    inBatch = true;
    try {
      for (const event of events) handleEvent(event);
    } finally {
      inBatch = false;
      live?.publish();
    }
  });

  /** Trials per status, kept as statuses change (see setStatus), so counting does not scan every row. */
  const tally = reactive<Record<TrialStatus, number>>({
    queued: 0,
    running: 0,
    done: 0,
    failed: 0,
    cancelled: 0,
  });
  const count = (status: TrialStatus): number => tally[status];
  const total = computed(() => trialCount.value);
  const done = computed(() => count('done'));
  const failed = computed(() => count('failed'));
  const running = computed(() => count('running'));
  const queued = computed(() => count('queued'));
  const cancelled = computed(() => count('cancelled'));
  const finishedCount = computed(() => done.value + failed.value);
  const isActive = computed(() => ['starting', 'running', 'cancelling'].includes(phase.value));
  /** Positions of the running trials, kept by setStatus; `runningChanges` says when it changed. */
  const runningAt = new Set<number>();
  const runningChanges = ref(0);
  /** The running trials in trial order (the rows whose status is 'running'). */
  const runningTrials = computed(() => {
    void runningChanges.value;
    const rows = trials.value;
    return [...runningAt].sort((a, b) => a - b).map((at) => rows[at]!);
  });

  /** Trials done, counting the running ones by their share of references made (others count 0). */
  const workDone = computed(
    () => finishedCount.value + runningTrials.value.reduce((sum, row) => sum + trialFraction(row), 0),
  );
  /** Share of the sweep's trials done (cancelled ones count as not done). */
  const fractionDone = computed(() => (total.value > 0 ? workDone.value / total.value : 0));
  /** Seconds left at the pace so far; null until there is a pace to go by. */
  const secondsLeft = computed<number | null>(() => {
    if (phase.value !== 'running') return null;
    const elapsed = (updatedAt.value - startedAt.value) / 1000;
    const units = workDone.value;
    if (units <= 0 || elapsed <= 0) return null;
    const remaining = total.value - cancelled.value - units;
    return Math.max(0, (elapsed * remaining) / units);
  });

  function setStatus(target: TrialRow, status: TrialStatus): void {
    if (target.status === status) return;
    tally[target.status] -= 1;
    tally[status] += 1;
    if (target.status === 'running' || status === 'running') {
      const at = positions.get(target.id)!;
      if (status === 'running') runningAt.add(at);
      else runningAt.delete(at);
      runningChanges.value += 1;
    }
    target.status = status;
  }

  function row(trialId: string): TrialRow | undefined {
    const at = positions.get(trialId);
    return at === undefined ? undefined : trials.value[at];
  }

  function reset(): void {
    flushEvents();
    sweepId.value = null;
    phase.value = 'idle';
    trials.value = [];
    trialCount.value = 0;
    listed = true;
    live = null;
    for (const status of Object.keys(tally) as TrialStatus[]) tally[status] = 0;
    runningAt.clear();
    runningChanges.value += 1;
    error.value = null;
    positions.clear();
    cumulative.clear();
    buffered = [];
  }

  async function start(design: ExperimentDesign, options: StartSweepOptions = {}): Promise<boolean> {
    if (isActive.value) return false;
    reset();
    useResultsStore().clear(design.sensitivity ?? null, trialsOf(design));
    phase.value = 'starting';
    startedAt.value = updatedAt.value = Date.now();
    try {
      const started = await useHost().startSweep(design, options);
      sweepId.value = started.sweepId;
      trials.value = started.trials.map((summary) =>
        shallowReactive<TrialRow>({
          ...summary,
          status: 'queued',
          progress: null,
          error: null,
          points: [],
        }),
      );
      started.trials.forEach((summary, at) => positions.set(summary.id, at));
      trialCount.value = started.trialCount;
      listed = started.trials.length === started.trialCount;
      live = new LiveResults(design, listed);
      tally.queued = started.trialCount;
      phase.value = 'running';
      const early = buffered.filter((event) => event.sweepId === started.sweepId);
      buffered = [];
      for (const event of early) handleEvent(event);
      return true;
    } catch (cause) {
      phase.value = 'idle';
      error.value = cause instanceof Error ? cause.message : String(cause);
      return false;
    }
  }

  async function cancel(): Promise<void> {
    flushEvents();
    if (!sweepId.value || !isActive.value) return;
    phase.value = 'cancelling';
    try {
      await useHost().cancelSweep(sweepId.value);
    } catch (cause) {
      error.value = cause instanceof Error ? cause.message : String(cause);
    }
  }

  async function retry(trialId: string): Promise<void> {
    flushEvents();
    const target = row(trialId);
    if (!sweepId.value || !target || (target.status !== 'failed' && target.status !== 'cancelled')) return;
    const before = { status: target.status, error: target.error };
    setStatus(target, 'queued');
    target.error = null;
    if (!isActive.value) {
      phase.value = 'running';
      startedAt.value = updatedAt.value = Date.now();
    }
    try {
      await useHost().retryTrial(sweepId.value, trialId);
    } catch (cause) {
      setStatus(target, before.status);
      target.error = cause instanceof Error ? cause.message : String(cause);
      settleIfIdle();
    }
  }

  /** After a retry, the sweep is over again once nothing is queued or running. */
  function settleIfIdle(): void {
    if (phase.value === 'running' && queued.value === 0 && running.value === 0) {
      phase.value = cancelled.value > 0 ? 'cancelled' : 'finished';
    }
  }

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

  /**
   * The row of a trial of an unlisted sweep, made when the trial first shows (queued, counted in
   * the tally already). Past MAX_UNLISTED_ROWS finished rows, the oldest finished ones go.
   */
  function unlistedRow(summary: TrialSummary): TrialRow {
    let rows = trials.value;
    const pruned = prunedRows(rows, runningAt.size);
    if (pruned) {
      rows = pruned;
      positions.clear();
      runningAt.clear();
      rows.forEach((kept, at) => {
        positions.set(kept.id, at);
        if (kept.status === 'running') runningAt.add(at);
      });
      runningChanges.value += 1;
    }
    const made = shallowReactive<TrialRow>({
      ...summary,
      status: 'queued',
      progress: null,
      error: null,
      points: [],
    });
    positions.set(made.id, rows.length);
    trials.value = [...rows, made];
    return made;
  }

  function handleEvent(event: SweepEvent): void {
    if (phase.value === 'starting' && sweepId.value === null) {
      buffered.push(event);
      return;
    }
    if (event.sweepId !== sweepId.value) return;
    updatedAt.value = Date.now();
    switch (event.type) {
      case 'sweep-started':
        if (event.storeError) error.value = event.storeError;
        else if (event.storeWarning) error.value = event.storeWarning;
        // A large sweep's trials the store held are not listed: they count as done.
        if (!listed && event.stored) {
          const stored = Math.min(event.stored, tally.queued);
          tally.done += stored;
          tally.queued -= stored;
        }
        return;
      case 'trial-started': {
        const target =
          row(event.trialId) ?? (listed ? undefined : unlistedRow(trialSummaryOf(event.trialId)));
        if (!target) return;
        setStatus(target, 'running');
        target.progress = null;
        target.error = null;
        target.points = [{ x: 0, fault: 0, other: 0 }];
        cumulative.delete(target.id);
        if (phase.value === 'finished' || phase.value === 'cancelled') phase.value = 'running';
        return;
      }
      case 'trial-progress': {
        const target = row(event.trialId);
        if (target && target.status === 'running') progressed(target, event.progress);
        return;
      }
      case 'trial-finished': {
        const { result } = event;
        const target =
          row(result.id) ?? (listed ? undefined : unlistedRow(trialSummaryOf(result.id, result)));
        const stopped = !result.ok && (result.error === TRIAL_CANCELLED || phase.value === 'cancelling');
        if (target) {
          setStatus(target, result.ok ? 'done' : stopped ? 'cancelled' : 'failed');
          target.error = result.ok ? null : (result.error ?? 'the trial failed');
          // The engine's binned series is exact; the live points were only as fine as the reports.
          if (result.series) target.points = seriesPoints(result.series);
          cumulative.delete(target.id);
        }
        // A cancelled trial has nothing to show; it stays listed (and retryable) in the sweep. An
        // unlisted (large) sweep's trials feed its live summary (see LiveResults), not kept.
        if (!stopped && live) {
          live.add(result);
          if (!inBatch) live.publish(true);
        }
        settleIfIdle();
        return;
      }
      case 'sweep-finished': {
        for (const target of trials.value) {
          if (target.status === 'queued' || target.status === 'running') {
            setStatus(target, 'cancelled');
            target.error = 'cancelled';
          }
        }
        // Trials of an unlisted sweep that never started have no row: they count as cancelled.
        if (tally.queued > 0) {
          tally.cancelled += tally.queued;
          tally.queued = 0;
        }
        // A large sweep's summary (from every trial in the host's store) is what the notebook keeps.
        if (live) live.finish(event.summary);
        else if (event.summary) useResultsStore().summarize(event.summary);
        phase.value = event.cancelled || cancelled.value > 0 ? 'cancelled' : 'finished';
        return;
      }
    }
  }

  const trialOf = (event: SweepEvent): string | null =>
    event.type === 'trial-finished'
      ? event.result.id
      : event.type === 'trial-progress' || event.type === 'trial-started'
        ? event.trialId
        : null;

  function flushEvents(): void {
    batch.flush();
  }

  /**
   * A host event, as it arrives. Progress reports and finished trials come in bursts: they are
   * applied together in an animation frame (createEventBatch), so a burst costs one re-render and
   * one chart update. Any other event applies at once: a trial's start after its own waiting
   * events (a trial's events keep their order), the sweep's events after all of them.
   */
  function receive(event: SweepEvent): void {
    if (event.type !== 'trial-progress' && event.type !== 'trial-finished') {
      if (event.type !== 'trial-started' || batch.some((waiting) => trialOf(waiting) === event.trialId)) {
        flushEvents();
      }
      handleEvent(event);
      return;
    }
    batch.push(event);
  }

  return {
    sweepId,
    phase,
    trials,
    trialCount,
    error,
    startedAt,
    updatedAt,
    total,
    done,
    failed,
    running,
    queued,
    cancelled,
    isActive,
    runningTrials,
    fractionDone,
    secondsLeft,
    row,
    reset,
    start,
    cancel,
    retry,
    handleEvent,
    receive,
    flushEvents,
  };
});
