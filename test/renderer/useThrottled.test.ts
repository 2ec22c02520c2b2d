import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { effectScope, nextTick, ref } from 'vue';
import { useThrottled } from '../../src/renderer/src/composables/useThrottled';

describe('useThrottled', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows the first change at once, then at most once an interval, and always the last change', async () => {
    const scope = effectScope();
    const source = ref(0);
    const shown = scope.run(() => useThrottled(source, 500))!;
    vi.advanceTimersByTime(1_000);
    source.value = 1;
    await nextTick();
    expect(shown.value).toBe(1);
    source.value = 2;
    await nextTick();
    source.value = 3;
    await nextTick();
    expect(shown.value).toBe(1);
    vi.advanceTimersByTime(499);
    expect(shown.value).toBe(1);
    vi.advanceTimersByTime(1);
    expect(shown.value).toBe(3);
    source.value = 4;
    await nextTick();
    scope.stop();
    vi.advanceTimersByTime(1_000);
    expect(shown.value).toBe(3);
  });
});
