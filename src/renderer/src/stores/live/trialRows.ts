import type { TrialProgress, TrialResult } from '../../../../engine/experiment/trial';
import type { TrialSummary } from '../../../../shared/hostApi';
import type { RatePoint } from './rates';

export type TrialStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface TrialRow extends TrialSummary {
  status: TrialStatus;
  progress: TrialProgress | null;
  error: string | null;
  /** Live byte rate, a step per progress report, starting with (0, 0, 0). */
  points: RatePoint[];
}

/**
 * A sweep too large to be listed when it starts (more than LISTED_SWEEP_TRIALS trials) gets its
 * rows as its trials start, and keeps the running ones and at most this many finished ones (the
 * latest); the counts cover every trial.
 */
export const MAX_UNLISTED_ROWS = 2_000;

/** Fraction of a trial's work done, from its last progress report. */
export function trialFraction(row: TrialRow): number {
  if (row.status !== 'running' || !row.progress) return 0;
  const { referencesDone, referencesTotal, phase } = row.progress;
  if (phase === 'done') return 1;
  if (phase === 'migrating' || referencesTotal <= 0) return 0;
  return Math.min(1, referencesDone / referencesTotal);
}

/** A trial's summary from its id ("Workload/strategy[/pfN][/rN]") and result, for an unlisted sweep's row. */
export function trialSummaryOf(trialId: string, result?: TrialResult): TrialSummary {
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

/**
 * The rows kept once an unlisted sweep has 2 x MAX_UNLISTED_ROWS finished ones: the running and
 * queued ones, and the latest MAX_UNLISTED_ROWS finished (the oldest finished go). Null while
 * there are fewer.
 */
export function prunedRows(rows: readonly TrialRow[], running: number): TrialRow[] | null {
  const finishedRows = rows.length - running;
  if (finishedRows < 2 * MAX_UNLISTED_ROWS) return null;
  let drop = finishedRows - MAX_UNLISTED_ROWS;
  return rows.filter((candidate) => {
    if (drop > 0 && candidate.status !== 'running' && candidate.status !== 'queued') {
      drop -= 1;
      return false;
    }
    return true;
  });
}
