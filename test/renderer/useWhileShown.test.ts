import { describe, expect, it } from 'vitest';
import { createApp, effectScope, nextTick, ref } from 'vue';
import { PANEL_SHOWN, useWhileShown } from '../../src/renderer/src/composables/useWhileShown';

describe('useWhileShown', () => {
  it('follows its source while the panel is shown, waits while hidden without reading it, and catches up', async () => {
    const app = createApp({});
    const shown = ref(true);
    app.provide(PANEL_SHOWN, shown);
    const source = ref(1);
    let reads = 0;
    const scope = effectScope();
    const value = app.runWithContext(() =>
      scope.run(() =>
        useWhileShown(() => {
          reads += 1;
          return source.value * 10;
        }),
      ),
    )!;
    expect(value.value).toBe(10);
    source.value = 2;
    await nextTick();
    expect(value.value).toBe(20);

    shown.value = false;
    await nextTick();
    const readsWhenHidden = reads;
    source.value = 3;
    await nextTick();
    source.value = 4;
    await nextTick();
    expect(value.value).toBe(20);
    expect(reads).toBe(readsWhenHidden);

    shown.value = true;
    await nextTick();
    expect(value.value).toBe(40);
    scope.stop();
  });

  it('always follows its source outside a tab panel', async () => {
    const source = ref('a');
    const scope = effectScope();
    const value = scope.run(() => useWhileShown(() => source.value))!;
    source.value = 'b';
    await nextTick();
    expect(value.value).toBe('b');
    scope.stop();
  });
});
