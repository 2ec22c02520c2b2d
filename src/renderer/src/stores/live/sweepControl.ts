import type { ExperimentDesign } from '../../../../engine/experiment/design';
import type { StartSweepOptions } from '../../../../shared/hostApi';
import { messageOf } from '../../../../shared/messageOf';
import { useHost } from '../../host/currentHost';
import { trialsOrNull } from '../design';
import { useResultsStore } from '../results';
import { LiveResults } from './liveResults';
import type { SweepCore } from './sweepCore';
import type { SweepEvents } from './sweepEvents';
import type { TrialTable } from './trialTable';

/**
 * What the user does to a sweep through the host (a part of the sweep store, ../sweep.ts): start
 * one, cancel it, retry a trial that failed or was cancelled, or clear it away.
 */
export function createSweepControl(
  core: SweepCore,
  table: TrialTable,
  events: SweepEvents,
  flushEvents: () => void,
) {
  function reset(): void {
    flushEvents();
    core.sweepId.value = null;
    core.phase.value = 'idle';
    core.live = null;
    core.error.value = null;
    table.clear();
    events.clear();
  }

  async function start(design: ExperimentDesign, options: StartSweepOptions = {}): Promise<boolean> {
    if (core.isActive.value) return false;
    reset();
    useResultsStore().clear(design.sensitivity ?? null, trialsOrNull(design));
    core.phase.value = 'starting';
    core.startedAt.value = core.updatedAt.value = Date.now();
    try {
      const started = await useHost().startSweep(design, options);
      core.sweepId.value = started.sweepId;
      const listed = table.list(started.trials, started.trialCount);
      core.live = new LiveResults(design, listed);
      core.phase.value = 'running';
      events.replayEarly();
      return true;
    } catch (cause) {
      core.phase.value = 'idle';
      core.error.value = messageOf(cause);
      return false;
    }
  }

  async function cancel(): Promise<void> {
    flushEvents();
    if (!core.sweepId.value || !core.isActive.value) return;
    core.phase.value = 'cancelling';
    try {
      await useHost().cancelSweep(core.sweepId.value);
    } catch (cause) {
      core.error.value = messageOf(cause);
    }
  }

  async function retry(trialId: string): Promise<void> {
    flushEvents();
    const target = table.row(trialId);
    if (!core.sweepId.value || !target || (target.status !== 'failed' && target.status !== 'cancelled'))
      return;
    const before = target.status;
    core.live?.retrying(trialId, before);
    table.setStatus(target, 'queued');
    target.error = null;
    if (!core.isActive.value) {
      core.phase.value = 'running';
      core.startedAt.value = core.updatedAt.value = Date.now();
    }
    try {
      await useHost().retryTrial(core.sweepId.value, trialId);
    } catch (cause) {
      core.live?.retryRefused(trialId, before);
      table.setStatus(target, before);
      target.error = messageOf(cause);
      events.settleIfIdle();
    }
  }

  return { reset, start, cancel, retry };
}
