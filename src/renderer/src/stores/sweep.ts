import { defineStore } from 'pinia';
import { computed, reactive, ref, shallowReactive, shallowRef } from 'vue';
import type { ExperimentDesign } from '../../../engine/experiment/design';
import { countTrials } from '../../../engine/experiment/design';
import type { ByteRateSeries, TrialProgress, TrialResult } from '../../../engine/experiment/trial';
import { TRIAL_CANCELLED } from '../../../shared/hostApi';
import type { HostEvent, StartSweepOptions, TrialSummary } from '../../../shared/hostApi';
import { useHost } from '../host/currentHost';
import { useResultsStore } from './results';

export type TrialStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
export type SweepPhase = 'idle' | 'starting' | 'running' | 'cancelling' | 'finished' | 'cancelled';

/** Network byte rate (bytes per simulated second) over the interval ending at `x`. */
export interface RatePoint {
  x: number;
  fault: number;
  other: number;
}

export interface TrialRow extends TrialSummary {
  status: TrialStatus;
  progress: TrialProgress | null;
  error: string | null;
  /** Live byte rate, a step per progress report, starting with (0, 0, 0). */
  points: RatePoint[];
}

type SweepEvent = Exclude<HostEvent, { type: 'menu' } | { type: 'trace-import-progress' }>;

/**
 * Batched events apply in an animation frame at most once in this many milliseconds: the counts,
 * the trial map and the live chart need no more (they redraw ten and five times a second), and
 * the frames between keep their time for a chart's redraw. A batch applied in every frame made
 * the frame that also redrew a chart miss its vsync.
 */
const FLUSH_INTERVAL_MS = 100;
/** Where animation frames do not come (a hidden page), the batch applies after this long. */
const FLUSH_FALLBACK_MS = 250;

/** The page's animation frames; absent where nothing is drawn (unit tests under Node). */
const frames = globalThis as unknown as {
  requestAnimationFrame?: (callback: () => void) => number;
  cancelAnimationFrame?: (handle: number) => void;
};

/**
 * A sweep too large to be listed when it starts (more than LISTED_SWEEP_TRIALS trials) gets its
 * rows as its trials start, and keeps the running ones and at most this many finished ones (the
 * latest); the counts cover every trial.
 */
export const MAX_UNLISTED_ROWS = 2_000;

/** Points kept per trial; beyond it neighbouring intervals are merged (time-weighted). */
export const MAX_RATE_POINTS = 1_000;

interface Cumulative {
  t: number;
  fault: number;
  other: number;
}

function mergePairs(points: RatePoint[]): RatePoint[] {
  const merged: RatePoint[] = [points[0]!];
  for (let at = 1; at < points.length; at += 2) {
    const a = points[at]!;
    const b = points[at + 1];
    if (!b) {
      merged.push(a);
      break;
    }
    const start = merged[merged.length - 1]!.x;
    const span = b.x - start;
    const wa = (a.x - start) / span;
    const wb = (b.x - a.x) / span;
    merged.push({ x: b.x, fault: a.fault * wa + b.fault * wb, other: a.other * wa + b.other * wb });
  }
  return merged;
}

/** A finished trial's byte-rate series as points, in the live points' form (rate up to x). */
export function seriesPoints(series: ByteRateSeries): RatePoint[] {
  const points: RatePoint[] = [{ x: 0, fault: 0, other: 0 }];
  series.fault.forEach((fault, bin) => {
    points.push({ x: (bin + 1) * series.binSeconds, fault, other: series.other[bin] ?? 0 });
  });
  return points.length > MAX_RATE_POINTS + 1 ? mergePairs(points) : points;
}

/** The design's trial count, or null for one that cannot be counted (the host will say why). */
function trialsOf(design: ExperimentDesign): number | null {
  try {
    return countTrials(design);
  } catch {
    return null;
  }
}

function withoutSeries(result: TrialResult): TrialResult {
  const copy = { ...result };
  delete copy.series;
  return copy;
}

/** Fraction of a trial's work done, from its last progress report. */
function trialFraction(row: TrialRow): number {
  if (row.status !== 'running' || !row.progress) return 0;
  const { referencesDone, referencesTotal, phase } = row.progress;
  if (phase === 'done') return 1;
  if (phase === 'migrating' || referencesTotal <= 0) return 0;
  return Math.min(1, referencesDone / referencesTotal);
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
  /** Progress and finished trials received since the last frame, applied together in the next one. */
  let pending: SweepEvent[] = [];
  let frame = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let flushedAt = -Infinity;
  /** Results finished in the batch being applied, added to the results store together. */
  let finishedBatch: TrialResult[] | null = null;

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
    const dt = progress.simulatedSeconds - last.t;
    if (dt <= 0) return; // bytes at the same instant join the next interval
    // A new array, not a push: the row is shallowly reactive, so only a new array shows.
    const points = [
      ...target.points,
      {
        x: progress.simulatedSeconds,
        fault: Math.max(0, progress.bytesFault - last.fault) / dt,
        other: Math.max(0, progress.bytesOther - last.other) / dt,
      },
    ];
    target.points = points.length > MAX_RATE_POINTS ? mergePairs(points) : points;
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
    const finishedRows = rows.length - runningAt.size;
    if (finishedRows >= 2 * MAX_UNLISTED_ROWS) {
      let drop = finishedRows - MAX_UNLISTED_ROWS;
      rows = rows.filter((candidate) => {
        if (drop > 0 && candidate.status !== 'running' && candidate.status !== 'queued') {
          drop -= 1;
          return false;
        }
        return true;
      });
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

  /** A trial's summary from its id and result, for an unlisted sweep's row. */
  function summaryOf(trialId: string, result?: TrialResult): TrialSummary {
    if (result) {
      const { id, workload, strategy, prefetch, replication } = result;
      return { id, workload, strategy, prefetch, replication };
    }
    const parts = trialId.split('/');
    const rep = /^r(\d+)$/.exec(parts.at(-1) ?? '');
    if (rep) parts.pop();
    const pf = /^pf(\d+)$/.exec(parts.at(-1) ?? '');
    if (pf) parts.pop();
    const strategy = parts.pop() as TrialSummary['strategy'];
    return {
      id: trialId,
      workload: parts.at(-1) ?? trialId,
      strategy,
      prefetch: pf ? Number(pf[1]) : 0,
      replication: rep ? Number(rep[1]) : 0,
    };
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
        // A large sweep's trials the store held are not listed: they count as done.
        if (!listed && event.stored) {
          const stored = Math.min(event.stored, tally.queued);
          tally.done += stored;
          tally.queued -= stored;
        }
        return;
      case 'trial-started': {
        const target = row(event.trialId) ?? (listed ? undefined : unlistedRow(summaryOf(event.trialId)));
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
        const target = row(result.id) ?? (listed ? undefined : unlistedRow(summaryOf(result.id, result)));
        const stopped = !result.ok && (result.error === TRIAL_CANCELLED || phase.value === 'cancelling');
        if (target) {
          setStatus(target, result.ok ? 'done' : stopped ? 'cancelled' : 'failed');
          target.error = result.ok ? null : (result.error ?? 'the trial failed');
          // The engine's binned series is exact; the live points were only as fine as the reports.
          if (result.series) target.points = seriesPoints(result.series);
          cumulative.delete(target.id);
        }
        // A cancelled trial has nothing to show; it stays listed (and retryable) in the sweep. An
        // unlisted (large) sweep keeps its results without their byte-rate series.
        if (!stopped) {
          const kept = listed || !result.series ? result : withoutSeries(result);
          if (finishedBatch) finishedBatch.push(kept);
          else useResultsStore().add(kept);
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
        if (event.summary) useResultsStore().summarize(event.summary);
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
    if (frame) frames.cancelAnimationFrame?.(frame);
    if (timer !== null) clearTimeout(timer);
    frame = 0;
    timer = null;
    flushedAt = performance.now();
    const batch = pending;
    pending = [];
    finishedBatch = [];
    try {
      for (const event of batch) handleEvent(event);
    } finally {
      const finished = finishedBatch;
      finishedBatch = null;
      useResultsStore().addMany(finished);
    }
  }

  /**
   * A host event, as it arrives. Progress reports and finished trials come in bursts: they are
   * applied together in an animation frame, at most every FLUSH_INTERVAL_MS, so a burst costs one
   * re-render and one chart update. Any other
   * event applies at once: a trial's start after its own waiting events (a trial's events keep
   * their order), the sweep's events after all of them.
   */
  function receive(event: SweepEvent): void {
    if (event.type !== 'trial-progress' && event.type !== 'trial-finished') {
      if (event.type !== 'trial-started' || pending.some((waiting) => trialOf(waiting) === event.trialId)) {
        flushEvents();
      }
      handleEvent(event);
      return;
    }
    pending.push(event);
    if (timer !== null) return;
    const animated = typeof frames.requestAnimationFrame === 'function';
    timer = setTimeout(flushEvents, animated ? FLUSH_FALLBACK_MS : 0);
    if (animated) frame = frames.requestAnimationFrame!(flushInFrame);
  }

  /** An animation frame with a batch waiting: apply it, or wait for a later frame if one was just applied. */
  function flushInFrame(): void {
    if (performance.now() - flushedAt < FLUSH_INTERVAL_MS) {
      frame = frames.requestAnimationFrame!(flushInFrame);
      return;
    }
    flushEvents();
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
