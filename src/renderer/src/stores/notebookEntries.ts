import { computed } from 'vue';
import type { ExperimentDesign } from '../../../engine/experiment/design';
import type { TrialResult } from '../../../engine/experiment/trial';
import type { ExperimentEntry, ExperimentSummary, NotebookEntry } from '../../../shared/hostApi';
import type { useCatalogStore } from './catalog';
import { trialsOrNull } from './design';
import type { NotebookCore } from './notebookCore';
import type { NotebookStores } from './notebookHistory';

/** `list` with `entry` in the place of the entry of its id, or appended when there is none. */
function withEntry(list: readonly NotebookEntry[], entry: NotebookEntry): NotebookEntry[] {
  const next = [...list];
  const at = next.findIndex((item) => item.id === entry.id);
  if (at >= 0) next[at] = entry;
  else next.push(entry);
  return next;
}

/** The next free "Name (n)" for a design whose name an earlier experiment has. */
function nextFreeName(name: string, taken: ReadonlySet<string>): string {
  const stem = name.replace(/ \(\d+\)$/, '');
  let n = 2;
  while (taken.has(`${stem} (${n})`)) n += 1;
  return `${stem} (${n})`;
}

/** The first free "prefix-n" id among the entries. */
function freshIdAmong(entries: readonly NotebookEntry[], prefix: string): string {
  const used = new Set(entries.map((entry) => entry.id));
  let n = used.size + 1;
  while (used.has(`${prefix}-${n}`)) n += 1;
  return `${prefix}-${n}`;
}

/**
 * The experiment the design and results stores hold, as an entry: `existing` is its entry so far,
 * `id` names a new one. Null when there is nothing worth keeping yet (no entry, no results, no
 * workload).
 */
function experimentEntry(
  { design, results }: Pick<NotebookStores, 'design' | 'results'>,
  existing: ExperimentEntry | undefined,
  id: () => string,
  engineVersion: string,
): ExperimentEntry | null {
  const snapshot = design.snapshot();
  const hasResults = results.results.length > 0 || results.summary !== null;
  if (!existing && !hasResults && snapshot.representatives.length === 0) {
    if (snapshot.customWorkloads.length === 0) return null;
  }
  // Results of a design edited since they ran keep that design's trial count: their
  // completeness is judged against what was asked of them (shared/figures/partial.ts).
  const ran = hasResults ? results.ranTrials : null;
  return {
    kind: 'experiment',
    id: existing?.id ?? id(),
    design: snapshot,
    // The results store replaces its array on every change, so sharing it is safe; toDocument
    // copies (no deep copy per finished trial during a big sweep).
    // A summarized experiment's trials are in the results store, not in the notebook.
    results: results.summary ? [] : (results.results as TrialResult[]),
    engineVersion: existing?.engineVersion ?? engineVersion,
    ...(ran !== null && ran !== trialsOrNull(snapshot) ? { trialCount: ran } : {}),
    // A large experiment's trials are in a results store: the notebook keeps its summary.
    ...(results.summary ? { summary: results.summary } : {}),
  };
}

/** Whether `active` is an experiment with results that ran with a design other than `snapshot`. */
function ranAnotherDesign(active: NotebookEntry | undefined, snapshot: ExperimentDesign): boolean {
  return (
    active?.kind === 'experiment' &&
    (active.results.length > 0 || active.summary !== undefined) &&
    JSON.stringify(active.design) !== JSON.stringify(snapshot)
  );
}

/** Put an experiment entry in the design and results stores: it becomes the current one. */
function putInStores(
  { design, results }: Pick<NotebookStores, 'design' | 'results'>,
  entry: ExperimentEntry,
): void {
  design.load(entry.design);
  results.load(
    entry.results,
    entry.design.sensitivity ?? null,
    entry.trialCount ?? trialsOrNull(entry.design),
    entry.summary ?? null,
  );
}

/** The names of the notebook's experiments. */
const experimentNames = (entries: readonly NotebookEntry[]): Set<string> =>
  new Set(entries.flatMap((entry) => (entry.kind === 'experiment' ? [entry.design.name] : [])));

/** `list` with each experiment that `change` gives a new entry for in the place of the old one. */
function withExperiments(
  list: readonly NotebookEntry[],
  change: (entry: ExperimentEntry) => ExperimentEntry | undefined,
): NotebookEntry[] {
  return list.map((entry) => (entry.kind === 'experiment' ? (change(entry) ?? entry) : entry));
}

/**
 * The current experiment (what the design and results stores hold) and the entries with it in
 * its place; commitCurrent writes it into its entry.
 */
function createCurrentExperiment(core: NotebookCore, stores: NotebookStores) {
  const { committed, activeId } = core;
  const { design, results } = stores;

  const freshId = (prefix: string): string => freshIdAmong(committed.value, prefix);

  /** The current experiment as an entry (null when there is nothing worth keeping yet). */
  function currentEntry(): ExperimentEntry | null {
    const existing = committed.value.find(
      (entry): entry is ExperimentEntry => entry.kind === 'experiment' && entry.id === activeId.value,
    );
    const id = () => activeId.value ?? freshId('experiment');
    return experimentEntry(stores, existing, id, core.provenance.value?.engineVersion ?? '0.0.0');
  }

  /** The entries as the notebook shows them: the current experiment in its place (or last). */
  const entries = computed<NotebookEntry[]>(() => {
    // Read the reactive sources so the view follows the design and live results.
    void design.design;
    void results.results;
    void results.summary;
    const current = currentEntry();
    return current ? withEntry(committed.value, current) : [...committed.value];
  });

  /** Write the current experiment into its entry (appending it when it is new). */
  function commitCurrent(): void {
    const current = currentEntry();
    if (!current) return;
    committed.value = withEntry(committed.value, current);
    activeId.value = current.id;
  }

  return { freshId, entries, commitCurrent };
}

/**
 * What a save changed in the experiments follows into the entries (and into the results store
 * when it is the current experiment): not edits.
 */
function createSaveFollowers(
  { committed, activeId, quietly, changed }: NotebookCore,
  results: NotebookStores['results'],
) {
  /**
   * A save copied experiments' trials into the results store beside the file (Save As): their
   * summaries name that store now, as the saved file's do.
   */
  function renameStores(carried: readonly { experimentId: string; store: string }[]): void {
    const storeById = new Map(carried.map((item) => [item.experimentId, item.store]));
    quietly(() => {
      committed.value = withExperiments(committed.value, (entry) => {
        const store = entry.summary ? storeById.get(entry.id) : undefined;
        return store === undefined || !entry.summary
          ? undefined
          : { ...entry, summary: { ...entry.summary, store } };
      });
      const current = activeId.value === null ? undefined : storeById.get(activeId.value);
      if (current !== undefined && results.summary) results.summarize({ ...results.summary, store: current });
    });
  }

  /**
   * A save moved an old notebook's over-limit inline experiments into the results store: they
   * keep the summary the saved file has, not their trials (the window then holds none of them).
   */
  function takeSummaries(compacted: readonly { experimentId: string; summary: ExperimentSummary }[]): void {
    const summaryById = new Map(compacted.map((item) => [item.experimentId, item.summary]));
    quietly(() => {
      committed.value = withExperiments(committed.value, (entry) => {
        const summary = summaryById.get(entry.id);
        return summary === undefined ? undefined : { ...entry, results: [], summary };
      });
      // The experiment open in the tabs: its results as the saved file has them.
      const current = activeId.value === null ? undefined : summaryById.get(activeId.value);
      if (current !== undefined) results.load([], results.sensitivity, results.ranTrials, current);
    });
  }

  /**
   * The user located a results store for summarized experiments (stores/storeCheck.ts locate):
   * their summaries name it from now on. Unlike a save's, an unsaved change.
   */
  function pointStores(pointed: readonly { experimentId: string; store: string }[]): void {
    if (pointed.length === 0) return;
    renameStores(pointed);
    changed();
  }

  return { renameStores, takeSummaries, pointStores };
}

/**
 * The notebook's entries (notes, experiments, figures) with the current experiment in its place.
 * The design and results stores hold the *current* experiment; it is written back into its entry
 * (commitCurrent) when a sweep ends, when another experiment is opened for editing, and on save.
 * Editing the entries is ./notebookEditing.ts.
 */
export function useNotebookEntries(
  core: NotebookCore,
  stores: NotebookStores,
  catalog: ReturnType<typeof useCatalogStore>,
) {
  const { committed, activeId } = core;
  const { design, results } = stores;
  const { freshId, entries, commitCurrent } = createCurrentExperiment(core, stores);

  /**
   * A sweep is starting: if the design changed since the current experiment ran, the run is a
   * new experiment entry (under the next free name) and the old one keeps its results.
   */
  function startNewExperimentIfChanged(): void {
    const active = committed.value.find((entry) => entry.id === activeId.value);
    if (!ranAnotherDesign(active, design.snapshot())) return;
    activeId.value = null;
    // Two experiments of one name could not be told apart: the new one gets the next free name.
    const names = experimentNames(committed.value);
    const before = design.design.name;
    if (!names.has(before)) return;
    core.quietly(() => {
      design.design.name = nextFreeName(before, names);
    });
    core.notice.value = `The design changed since "${before}" ran, so this run is a new experiment, "${design.design.name}"; "${before}" keeps its results.`;
  }

  /** Put the entries of an opened document in place; its last experiment becomes the current one. */
  function load(opened: readonly NotebookEntry[]): void {
    committed.value = [...opened];
    const experiments = opened.filter((entry) => entry.kind === 'experiment');
    const current = experiments[experiments.length - 1];
    activeId.value = current?.id ?? null;
    if (current) loadExperiment(current);
    else clearExperiment();
  }

  const loadExperiment = (entry: ExperimentEntry): void => putInStores(stores, entry);

  function clearExperiment(): void {
    design.reset(catalog.hardwarePresets[0]);
    results.clear();
  }

  return {
    entries,
    freshId,
    ...createSaveFollowers(core, results),
    commitCurrent,
    startNewExperimentIfChanged,
    load,
    loadExperiment,
    clearExperiment,
  };
}

export type NotebookEntries = ReturnType<typeof useNotebookEntries>;
