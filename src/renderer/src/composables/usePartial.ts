import { computed, inject, provide } from 'vue';
import type { ComputedRef, InjectionKey } from 'vue';
import type { ExperimentDesign } from '../../../engine/experiment/design';
import type { TrialResult } from '../../../engine/experiment/trial';
import { entryPartial as judged } from '../../../shared/figures/partial';
import type { Completeness } from '../../../shared/figures/partial';

/**
 * Whether the experiment a part of the page draws from is partial (a cancelled sweep, a campaign
 * not run to its end). A card or view provides it; every FigureChart inside marks its figure and
 * its exports "partial: k of n trials" (shared/figures/partial.ts).
 */
const PARTIAL: InjectionKey<ComputedRef<Completeness | null>> = Symbol('partial experiment');

export function providePartial(getter: () => Completeness | null): ComputedRef<Completeness | null> {
  const partial = computed(getter);
  provide(PARTIAL, partial);
  return partial;
}

export function injectPartial(): ComputedRef<Completeness | null> {
  return inject(
    PARTIAL,
    computed(() => null),
    false,
  );
}

/**
 * An experiment entry's completeness as the page marks it: null while its own sweep is running
 * (the Run tab shows that), or when it is complete.
 */
export function entryPartial(
  entry: {
    id: string;
    design: ExperimentDesign;
    results: readonly TrialResult[];
    trialCount?: number | undefined;
  },
  running: { activeId: string | null; isActive: boolean },
): Completeness | null {
  if (running.isActive && running.activeId === entry.id) return null;
  return judged(entry);
}
