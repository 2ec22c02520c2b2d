import { computed, ref } from 'vue';
import type { HostEvent } from '../../../../shared/hostApi';
import type { LiveResults } from './liveResults';

export type SweepPhase = 'idle' | 'starting' | 'running' | 'cancelling' | 'finished' | 'cancelled';

/** The host events a sweep follows (all but menu commands and trace-import progress). */
export type SweepEvent = Exclude<HostEvent, { type: 'menu' } | { type: 'trace-import-progress' }>;

/**
 * The sweep store's shared state (../sweep.ts puts it together with its parts): which sweep runs,
 * its phase and last error, when it started and last reported, and where its finished trials go.
 */
export function createSweepCore() {
  const phase = ref<SweepPhase>('idle');
  return {
    sweepId: ref<string | null>(null),
    phase,
    error: ref<string | null>(null),
    /** Wall-clock times (ms) of the start and of the last report, for the time-left estimate. */
    startedAt: ref(0),
    updatedAt: ref(0),
    isActive: computed(() => ['starting', 'running', 'cancelling'].includes(phase.value)),
    /** Where finished trials go: the results store, or a large sweep's live summary (see LiveResults). */
    live: null as LiveResults | null,
  };
}

export type SweepCore = ReturnType<typeof createSweepCore>;
