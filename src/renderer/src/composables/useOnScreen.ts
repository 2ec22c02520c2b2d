import { onBeforeUnmount, onMounted, ref, shallowRef, watch, type Ref, type ShallowRef } from 'vue';
import { useThrottled } from './useThrottled';

/**
 * Whether the element `root` is on screen, or within `rootMargin` of it: true until the browser
 * first says, and always where there is no IntersectionObserver. Watched from mount to unmount.
 */
export function useOnScreen(
  root: Readonly<Ref<HTMLElement | null>>,
  rootMargin: string,
): Readonly<Ref<boolean>> {
  const onScreen = ref(true);
  let observer: IntersectionObserver | null = null;
  onMounted(() => {
    if (typeof IntersectionObserver !== 'function' || !root.value) return;
    observer = new IntersectionObserver(
      (entries) => {
        const entry = entries[entries.length - 1];
        if (entry) onScreen.value = entry.isIntersecting;
      },
      { rootMargin },
    );
    observer.observe(root.value);
  });
  onBeforeUnmount(() => {
    observer?.disconnect();
    observer = null;
  });
  return onScreen;
}

/**
 * `source` at most every `minMs`, followed while `root` is on screen (or within 300px of it):
 * off screen it keeps the value it had, and catches up when shown again. A hidden tab's charts,
 * or ones scrolled far out of view, then cost nothing while a sweep changes their results.
 */
export function useWhileOnScreen<T>(
  source: Readonly<Ref<T>>,
  minMs: number,
  root: Readonly<Ref<HTMLElement | null>>,
): Readonly<ShallowRef<T>> {
  const onScreen = useOnScreen(root, '300px');
  const paced = useThrottled(source, minMs);
  const shown = shallowRef(source.value);
  watch(paced, (next) => {
    if (onScreen.value) shown.value = next;
  });
  watch(onScreen, (now) => {
    if (now) shown.value = source.value;
  });
  return shown;
}
