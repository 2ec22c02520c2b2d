import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import type { TrialResult } from '../../../engine/experiment/trial';

/** The finished trials of the current sweep (or of the experiment opened from a project). */
export const useResultsStore = defineStore('results', () => {
  const results = shallowRef<TrialResult[]>([]);

  const succeeded = computed(() => results.value.filter((result) => result.ok && result.metrics));
  const failed = computed(() => results.value.filter((result) => !result.ok));

  /** Add a finished trial; a retried trial replaces its earlier result. */
  function add(result: TrialResult): void {
    const at = results.value.findIndex((existing) => existing.id === result.id);
    const next = [...results.value];
    if (at >= 0) next[at] = result;
    else next.push(result);
    results.value = next;
  }

  function load(next: TrialResult[]): void {
    results.value = [...next];
  }

  function clear(): void {
    if (results.value.length > 0) results.value = [];
  }

  return { results, succeeded, failed, add, load, clear };
});
