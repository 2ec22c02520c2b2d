import { createEventBatch } from './eventBatch';
import type { SweepEvent } from './sweepCore';
import type { SweepEvents } from './sweepEvents';

/** The trial an event is about, if any. */
const trialOf = (event: SweepEvent): string | null =>
  event.type === 'trial-finished'
    ? event.result.id
    : event.type === 'trial-progress' || event.type === 'trial-started'
      ? event.trialId
      : null;

/**
 * When host events are applied (a part of the sweep store, ../sweep.ts). Progress reports and
 * finished trials come in bursts: they are applied together in an animation frame
 * (createEventBatch), so a burst costs one re-render and one chart update. Any other event applies
 * at once: a trial's start after its own waiting events (a trial's events keep their order), the
 * sweep's events after all of them.
 */
export function createSweepInbox(events: SweepEvents) {
  /** Progress and finished trials received since the last frame, applied together in the next one. */
  const batch = createEventBatch<SweepEvent>(events.handleBatch);

  function flushEvents(): void {
    batch.flush();
  }

  /** A host event, as it arrives. */
  function receive(event: SweepEvent): void {
    if (event.type !== 'trial-progress' && event.type !== 'trial-finished') {
      if (event.type !== 'trial-started' || batch.some((waiting) => trialOf(waiting) === event.trialId)) {
        flushEvents();
      }
      events.handleEvent(event);
      return;
    }
    batch.push(event);
  }

  return { receive, flushEvents };
}
