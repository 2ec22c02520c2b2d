import { onScopeDispose, shallowRef, watch } from 'vue';
import type { ShallowRef, WatchSource } from 'vue';

/**
 * A ref that follows `source` at most once every `intervalMs`: the first change shows at once,
 * later ones wait for the interval, and the last change always shows. A sweep changes its results
 * with every finished trial; what is drawn from them need not follow that fast.
 */
export function useThrottled<T>(source: WatchSource<T>, intervalMs: number): ShallowRef<T> {
  const read = (): T => (typeof source === 'function' ? (source as () => T)() : source.value);
  const shown = shallowRef(read());
  let shownAt = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const showLatest = (): void => {
    timer = null;
    shownAt = performance.now();
    shown.value = read();
  };
  watch(source, () => {
    if (timer !== null) return;
    const wait = shownAt + intervalMs - performance.now();
    if (wait <= 0) showLatest();
    else timer = setTimeout(showLatest, wait);
  });
  onScopeDispose(() => {
    if (timer !== null) clearTimeout(timer);
  });
  return shown;
}
