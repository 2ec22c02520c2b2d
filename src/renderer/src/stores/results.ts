import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { SensitivitySweep } from '../../../engine/experiment/sensitivity';
import type { TrialResult } from '../../../engine/experiment/trial';
import type { ExperimentSummary } from '../../../shared/hostApi';

/** Finished trials in the order they came, each found by its id: a retried trial replaces its earlier result. */
function createTrialResults() {
  const results = shallowRef<TrialResult[]>([]);
  /** Position of each result by trial id, so adding one does not search the list. */
  let positions = new Map<string, number>();

  /** Add finished trials at once (one new array, one update, however many). */
  function addMany(batch: readonly TrialResult[]): void {
    if (batch.length === 0) return;
    const next = [...results.value];
    for (const result of batch) {
      const at = positions.get(result.id);
      if (at !== undefined) next[at] = result;
      else {
        positions.set(result.id, next.length);
        next.push(result);
      }
    }
    results.value = next;
  }

  /** These results instead (a copy of the list). */
  function replace(next: readonly TrialResult[]): void {
    results.value = [...next];
    positions = new Map(results.value.map((result, at) => [result.id, at]));
  }

  function clear(): void {
    if (results.value.length > 0) results.value = [];
    positions.clear();
  }

  return { results, addMany, replace, clear };
}

/** A plain copy of a sweep for the store (not the caller's, which may be reactive or change). */
const copyOf = (sweep: SensitivitySweep | null): SensitivitySweep | null =>
  sweep ? (JSON.parse(JSON.stringify(sweep)) as SensitivitySweep) : null;

/** The finished trials of the current sweep (or of the experiment opened from a notebook). */
export const useResultsStore = defineStore('results', () => {
  const trials = createTrialResults();
  const { results } = trials;
  /** The sensitivity sweep of the design these results came from, if it was one. */
  const sensitivity = shallowRef<SensitivitySweep | null>(null);
  /**
   * Trials of the design these results ran with (null: unknown, judge by the design as it
   * stands): a design edited after its run is not "partial" for the trials it did not ask for.
   */
  const ranTrials = ref<number | null>(null);
  /**
   * A large experiment's summary (its trials are in a results store, not here): set when such an
   * experiment is opened or a large sweep ends; results are then empty or only the latest ones.
   */
  const summary = shallowRef<ExperimentSummary | null>(null);

  const succeeded = computed(() => results.value.filter((result) => result.ok && result.metrics));
  const failed = computed(() => results.value.filter((result) => !result.ok));
  /** Some design point has more than one replication: means get confidence intervals. */
  const repeated = computed(() => succeeded.value.some((result) => result.replication > 0));

  /** Add a finished trial; a retried trial replaces its earlier result. */
  function add(result: TrialResult): void {
    trials.addMany([result]);
  }

  /** A large sweep's summary, once it has ended (its trials are in the host's results store). */
  function summarize(next: ExperimentSummary): void {
    summary.value = next;
  }

  function load(
    next: TrialResult[],
    sweep: SensitivitySweep | null = null,
    trialCount: number | null = null,
    summarized: ExperimentSummary | null = null,
  ): void {
    trials.replace(next);
    ranTrials.value = trialCount;
    summary.value = summarized;
    sensitivity.value = copyOf(sweep);
  }

  /** No results; the next ones will come from `sweep` (or from no sensitivity sweep). */
  function clear(sweep: SensitivitySweep | null = null, trialCount: number | null = null): void {
    trials.clear();
    ranTrials.value = trialCount;
    summary.value = null;
    sensitivity.value = copyOf(sweep);
  }

  const addMany = trials.addMany;
  return {
    results,
    sensitivity,
    ranTrials,
    summary,
    summarize,
    succeeded,
    failed,
    repeated,
    add,
    addMany,
    load,
    clear,
  };
});
