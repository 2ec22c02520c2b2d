import { defineStore } from 'pinia';
import { createSweepControl } from './live/sweepControl';
import { createSweepCore } from './live/sweepCore';
import { createSweepEvents } from './live/sweepEvents';
import { createSweepInbox } from './live/sweepInbox';
import { createSweepPace } from './live/sweepPace';
import { createTrialTable } from './live/trialTable';

export type { RatePoint } from './live/rates';
export { MAX_RATE_POINTS, seriesPoints } from './live/rates';
export type { SweepEvent, SweepPhase } from './live/sweepCore';
export type { TrialRow, TrialStatus } from './live/trialRows';
export { MAX_UNLISTED_ROWS } from './live/trialRows';

/**
 * The sweep being run: its trials, their live byte rates, progress and the time left.
 *
 * Put together from its parts (in ./live/), each with one job: the shared state (sweepCore.ts),
 * the trials with their counts per status (trialTable.ts), the pace and time left (sweepPace.ts),
 * what each host event does (sweepEvents.ts), when events are applied (sweepInbox.ts), and start,
 * cancel, retry and reset through the host (sweepControl.ts). Finished trials go to the results
 * store, or for a large sweep into a live summary (liveResults.ts).
 */
export const useSweepStore = defineStore('sweep', () => {
  const core = createSweepCore();
  const table = createTrialTable();
  const pace = createSweepPace(core, table);
  const events = createSweepEvents(core, table);
  const inbox = createSweepInbox(events);
  const control = createSweepControl(core, table, events, inbox.flushEvents);

  return {
    sweepId: core.sweepId,
    phase: core.phase,
    trials: table.trials,
    trialCount: table.trialCount,
    error: core.error,
    startedAt: core.startedAt,
    updatedAt: core.updatedAt,
    total: table.total,
    done: table.done,
    failed: table.failed,
    running: table.running,
    queued: table.queued,
    cancelled: table.cancelled,
    isActive: core.isActive,
    runningTrials: table.runningTrials,
    fractionDone: pace.fractionDone,
    secondsLeft: pace.secondsLeft,
    row: table.row,
    ...control,
    handleEvent: events.handleEvent,
    receive: inbox.receive,
    flushEvents: inbox.flushEvents,
  };
});
