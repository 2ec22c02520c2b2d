import { computed, ref, watch, type Ref } from 'vue';
import type { ComparedExperiment } from '../../../shared/figures/compareExperiments';
import type { StoredPairs, StoredPairsAnswer } from '../../../shared/figures/storedPairs';
import type { ExperimentEntry } from '../../../shared/hostApi';
import { messageOf } from '../../../shared/messageOf';
import { useHost } from '../host/currentHost';
import { useNotebookStore } from '../stores/notebook';

/**
 * For Compare (../notebook/CompareExperiments.vue): when the baseline and others of the
 * `compared` experiments are summarized, their paired trials read from the results stores by the
 * host (pairedFromStores), again whenever the request changes; an answer per other experiment
 * (its pairs, or why not), and whether the stores are being read.
 */
export function useStoredPairs(
  experiments: () => readonly ExperimentEntry[],
  compared: Readonly<Ref<ComparedExperiment[]>>,
) {
  /** The chosen summarized experiments paired with a summarized baseline from their stores (or why not). */
  const storedAnswers = ref<StoredPairsAnswer[]>([]);
  const storedPairs = computed<StoredPairs[]>(() =>
    storedAnswers.value.flatMap((answer) => (answer.pairs ? [answer.pairs] : [])),
  );
  /** Reading the stores (a large experiment's trials take a few seconds). */
  const readingStores = ref(false);
  let storeTurn = 0;
  const notebookStore = useNotebookStore();
  /** What to ask the host: the summarized baseline and the summarized others, by id (null: nothing to pair). */
  const pairRequest = computed(() => {
    const byId = new Map(experiments().map((entry) => [entry.id, entry]));
    const [first, ...rest] = compared.value.map((experiment) => byId.get(experiment.id)!);
    if (!first?.summary) return null;
    const others = rest.filter((entry) => entry.summary);
    if (others.length === 0) return null;
    const side = (entry: ExperimentEntry) => ({
      id: entry.id,
      design: entry.design,
      engineVersion: entry.engineVersion,
      store: entry.summary!.store,
    });
    return { notebookPath: notebookStore.path, baseline: side(first), others: others.map(side) };
  });
  watch(
    () => JSON.stringify(pairRequest.value),
    async () => {
      const request = pairRequest.value;
      const turn = ++storeTurn;
      storedAnswers.value = [];
      if (!request) {
        readingStores.value = false;
        return;
      }
      readingStores.value = true;
      let answers: StoredPairsAnswer[];
      try {
        answers = await useHost().pairedFromStores(JSON.parse(JSON.stringify(request)) as typeof request);
      } catch (failure) {
        const reason = `the stores could not be read: ${messageOf(failure)}`;
        answers = request.others.map((other) => ({
          baselineId: request.baseline.id,
          experimentId: other.id,
          reason,
        }));
      }
      if (turn !== storeTurn) return;
      storedAnswers.value = answers;
      readingStores.value = false;
    },
    { immediate: true },
  );

  return { storedAnswers, storedPairs, readingStores };
}
