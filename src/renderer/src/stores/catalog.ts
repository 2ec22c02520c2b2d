import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { Catalog } from '../../../shared/hostApi';
import { messageOf } from '../../../shared/messageOf';
import { useHost } from '../host/currentHost';

/** What a design can be made of, as the host reports it. */
export const useCatalogStore = defineStore('catalog', () => {
  const catalog = shallowRef<Catalog | null>(null);
  const error = ref<string | null>(null);

  const representatives = computed(() => catalog.value?.representatives ?? []);
  const hardwarePresets = computed(() => catalog.value?.hardwarePresets ?? []);
  const strategies = computed(() => catalog.value?.strategies ?? []);
  const prefetchValues = computed(() => catalog.value?.prefetchValues ?? []);

  async function load(): Promise<void> {
    try {
      catalog.value = await useHost().catalog();
      error.value = null;
    } catch (cause) {
      error.value = messageOf(cause);
    }
  }

  function preset(name: string) {
    return hardwarePresets.value.find((candidate) => candidate.name === name) ?? null;
  }

  return { catalog, error, representatives, hardwarePresets, strategies, prefetchValues, load, preset };
});
