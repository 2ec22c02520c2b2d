import { computed } from 'vue';
import type { SweepCore } from './sweepCore';
import { trialFraction } from './trialRows';
import type { TrialTable } from './trialTable';

/** How far the sweep has come and how long it has left (a part of the sweep store, ../sweep.ts). */
export function createSweepPace(core: SweepCore, table: TrialTable) {
  /** Trials done, counting the running ones by their share of references made (others count 0). */
  const workDone = computed(
    () =>
      table.done.value +
      table.failed.value +
      table.runningTrials.value.reduce((sum, row) => sum + trialFraction(row), 0),
  );
  /** Share of the sweep's trials done (cancelled ones count as not done). */
  const fractionDone = computed(() => (table.total.value > 0 ? workDone.value / table.total.value : 0));
  /** Seconds left at the pace so far; null until there is a pace to go by. */
  const secondsLeft = computed<number | null>(() => {
    if (core.phase.value !== 'running') return null;
    const elapsed = (core.updatedAt.value - core.startedAt.value) / 1000;
    const units = workDone.value;
    if (units <= 0 || elapsed <= 0) return null;
    const remaining = table.total.value - table.cancelled.value - units;
    return Math.max(0, (elapsed * remaining) / units);
  });
  return { fractionDone, secondsLeft };
}
