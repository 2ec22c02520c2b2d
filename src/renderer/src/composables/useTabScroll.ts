import { nextTick, watch, type Ref } from 'vue';
import { useNotebookStore } from '../stores/notebook';
import type { TabName } from './useLabCommands';

/**
 * Each tab keeps its own scroll position in `main`; a new or opened notebook starts every tab at
 * the top.
 */
export function useTabScroll(tab: Ref<TabName>, main: Readonly<Ref<HTMLElement | null>>): void {
  const notebook = useNotebookStore();
  const scrollTops = new Map<TabName, number>();
  watch(tab, async (next, before) => {
    if (main.value) scrollTops.set(before, main.value.scrollTop);
    await nextTick();
    if (main.value) main.value.scrollTop = scrollTops.get(next) ?? 0;
  });
  watch(
    () => [notebook.path, notebook.provenance, notebook.builtin],
    () => {
      scrollTops.clear();
      if (main.value) main.value.scrollTop = 0;
    },
  );
}
