import { computed, reactive, ref, shallowReactive, shallowRef } from 'vue';
import type { ShallowRef } from 'vue';
import type { TrialResult } from '../../../../engine/experiment/trial';
import type { TrialSummary } from '../../../../shared/hostApi';
import { prunedRows, trialSummaryOf } from './trialRows';
import type { TrialRow, TrialStatus } from './trialRows';

/** A new row for a trial, queued. */
function queuedRow(summary: TrialSummary): TrialRow {
  // Rows are shallowly reactive: their fields trigger updates, but a row's points and progress are
  // plain (replaced, never changed in place), so Vue does not proxy every point of every trial.
  return shallowReactive<TrialRow>({ ...summary, status: 'queued', progress: null, error: null, points: [] });
}

/**
 * The trial count and the trials per status, kept as statuses change (see the table's
 * setStatus), so counting does not scan every row. They cover every trial, also those of a large
 * sweep that have no row.
 */
function createStatusTally() {
  /** Trials in the sweep; more than its rows when the host did not list them (a large sweep). */
  const trialCount = ref(0);
  const tally = reactive<Record<TrialStatus, number>>({
    queued: 0,
    running: 0,
    done: 0,
    failed: 0,
    cancelled: 0,
  });
  /** Move `count` trials from one status to another. */
  function move(from: TrialStatus, to: TrialStatus, count = 1): void {
    tally[from] -= count;
    tally[to] += count;
  }
  /** `count` trials, all queued (none before a sweep starts). */
  function start(count: number): void {
    for (const status of Object.keys(tally) as TrialStatus[]) tally[status] = 0;
    tally.queued = count;
    trialCount.value = count;
  }
  /** Queued trials that the host's store held: they count as done. */
  const storedDone = (stored: number) => move('queued', 'done', Math.min(stored, tally.queued));
  /** At the sweep's end, those still queued count as cancelled. */
  const cancelQueued = () => move('queued', 'cancelled', tally.queued);
  const count = (status: TrialStatus) => computed(() => tally[status]);
  return {
    move,
    start,
    storedDone,
    cancelQueued,
    counts: {
      trialCount,
      total: computed(() => trialCount.value),
      done: count('done'),
      failed: count('failed'),
      running: count('running'),
      queued: count('queued'),
      cancelled: count('cancelled'),
    },
  };
}

/** The positions of the running rows, and those rows in trial order. */
function createRunningRows(trials: ShallowRef<TrialRow[]>) {
  const runningAt = new Set<number>();
  /** Counts changes to runningAt (a Set is not reactive). */
  const changes = ref(0);
  /** The running trials in trial order (the rows whose status is 'running'). */
  const runningTrials = computed(() => {
    void changes.value;
    const rows = trials.value;
    return [...runningAt].sort((a, b) => a - b).map((at) => rows[at]!);
  });
  function set(at: number, running: boolean): void {
    if (running) runningAt.add(at);
    else runningAt.delete(at);
    changes.value += 1;
  }
  /** Start again from the running ones of `rows` (none for a new sweep). */
  function reset(rows: readonly TrialRow[] = []): void {
    runningAt.clear();
    rows.forEach((kept, at) => {
      if (kept.status === 'running') runningAt.add(at);
    });
    changes.value += 1;
  }
  return { runningTrials, set, reset, size: () => runningAt.size };
}

/** The rows, each found by its trial's id. */
function createTrialRows() {
  const trials = shallowRef<TrialRow[]>([]);
  const positions = new Map<string, number>();
  /** Put `rows` in place. */
  function place(rows: TrialRow[]): void {
    trials.value = rows;
    positions.clear();
    rows.forEach((kept, at) => positions.set(kept.id, at));
  }
  /** A row added at the end, queued. */
  function append(summary: TrialSummary): TrialRow {
    const made = queuedRow(summary);
    positions.set(made.id, trials.value.length);
    trials.value = [...trials.value, made];
    return made;
  }
  const at = (trialId: string): number | undefined => positions.get(trialId);
  function row(trialId: string): TrialRow | undefined {
    const found = at(trialId);
    return found === undefined ? undefined : trials.value[found];
  }
  return { trials, place, append, at, row };
}

/**
 * The sweep's trials (a part of the sweep store, ../sweep.ts): a row per trial (all of a listed
 * sweep's from its start; an unlisted, large one's as its trials show), the count per status and
 * the running rows. Statuses change only through setStatus, which keeps the counts and the running
 * rows.
 */
export function createTrialTable() {
  const rows = createTrialRows();
  /** The host listed every trial when the sweep started. */
  let listed = true;
  const tally = createStatusTally();
  const running = createRunningRows(rows.trials);

  function setStatus(target: TrialRow, status: TrialStatus): void {
    if (target.status === status) return;
    tally.move(target.status, status);
    if (target.status === 'running' || status === 'running') {
      running.set(rows.at(target.id)!, status === 'running');
    }
    target.status = status;
  }

  /** No trials (before a sweep starts). */
  function clear(): void {
    rows.place([]);
    listed = true;
    tally.start(0);
    running.reset();
  }

  /** A started sweep's trials, all queued; returns whether the host listed every one. */
  function list(summaries: readonly TrialSummary[], count: number): boolean {
    rows.place(summaries.map(queuedRow));
    listed = summaries.length === count;
    tally.start(count);
    return listed;
  }

  /**
   * The row of a trial an event names: its row, or in an unlisted sweep one made now (queued,
   * counted in the tally already). Past MAX_UNLISTED_ROWS finished rows, the oldest finished go.
   */
  function rowFor(trialId: string, result?: TrialResult): TrialRow | undefined {
    const found = rows.row(trialId);
    if (found || listed) return found;
    const pruned = prunedRows(rows.trials.value, running.size());
    if (pruned) {
      rows.place(pruned);
      running.reset(pruned);
    }
    return rows.append(trialSummaryOf(trialId, result));
  }

  /** A large sweep's trials the store held are not listed: they count as done. */
  function countStored(stored: number): void {
    if (!listed) tally.storedDone(stored);
  }

  /** At the sweep's end, the trials still queued or running are cancelled. */
  function cancelUnfinished(): void {
    for (const target of rows.trials.value) {
      if (target.status === 'queued' || target.status === 'running') {
        setStatus(target, 'cancelled');
        target.error = 'cancelled';
      }
    }
    // Trials of an unlisted sweep that never started have no row: they count as cancelled.
    tally.cancelQueued();
  }

  const { trials, row } = rows;
  const { runningTrials } = running;
  return {
    trials,
    ...tally.counts,
    runningTrials,
    setStatus,
    row,
    rowFor,
    clear,
    list,
    countStored,
    cancelUnfinished,
  };
}

export type TrialTable = ReturnType<typeof createTrialTable>;
