import { hasInjectionContext, inject, shallowRef, watch } from 'vue';
import type { InjectionKey, Ref, ShallowRef } from 'vue';

/** Whether the tab panel a component is in is the one shown (provided by TabPanel). */
export const PANEL_SHOWN: InjectionKey<Readonly<Ref<boolean>>> = Symbol('panel shown');

const HIDDEN = Symbol('hidden');

/**
 * `source` while the tab panel this component is in is shown; while it is hidden, the value it
 * had, until it is shown again. A sweep changes its results every frame, and a hidden tab's
 * tables and cards would otherwise re-render with every change that nobody sees (Vue keeps
 * updating components that `v-show` hides). While hidden, `source` is not even read, so what it
 * computes waits too. Outside a panel it always follows `source`.
 */
export function useWhileShown<T>(source: () => T): Readonly<ShallowRef<T>> {
  const panelShown = hasInjectionContext() ? inject(PANEL_SHOWN, null) : null;
  const value = shallowRef(source());
  watch(
    () => (!panelShown || panelShown.value ? source() : HIDDEN),
    (next) => {
      if (next !== HIDDEN) value.value = next;
    },
  );
  return value;
}
