import { computed } from 'vue';
import type { TrialResult } from '../../../engine/experiment/trial';
import type { ExperimentEntry, NotebookEntry } from '../../../shared/hostApi';
import type { useCatalogStore } from './catalog';
import { trialsOrNull, type NotebookCore } from './notebookCore';
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

/**
 * The notebook's entries (notes, experiments, figures) with the current experiment in its place.
 * The design and results stores hold the *current* experiment; it is written back into its entry
 * (commitCurrent) when a sweep ends, when another experiment is opened for editing, and on save.
 * Editing the entries is ./notebookEditing.ts.
 */
export function useNotebookEntries(
  core: NotebookCore,
  { design, results }: NotebookStores,
  catalog: ReturnType<typeof useCatalogStore>,
) {
  const { committed, activeId } = core;

  function freshId(prefix: string): string {
    const used = new Set(committed.value.map((entry) => entry.id));
    let n = used.size + 1;
    while (used.has(`${prefix}-${n}`)) n += 1;
    return `${prefix}-${n}`;
  }

  /** The current experiment as an entry (null when there is nothing worth keeping yet). */
  function currentEntry(): ExperimentEntry | null {
    const snapshot = design.snapshot();
    const existing = committed.value.find(
      (entry): entry is ExperimentEntry => entry.kind === 'experiment' && entry.id === activeId.value,
    );
    const hasResults = results.results.length > 0 || results.summary !== null;
    if (!existing && !hasResults && snapshot.representatives.length === 0) {
      if (snapshot.customWorkloads.length === 0) return null;
    }
    // Results of a design edited since they ran keep that design's trial count: their
    // completeness is judged against what was asked of them (shared/figures/partial.ts).
    const ran = hasResults ? results.ranTrials : null;
    return {
      kind: 'experiment',
      id: existing?.id ?? activeId.value ?? freshId('experiment'),
      design: snapshot,
      // The results store replaces its array on every change, so sharing it is safe; toDocument
      // copies (no deep copy per finished trial during a big sweep).
      // A summarized experiment's trials are in the results store, not in the notebook.
      results: results.summary ? [] : (results.results as TrialResult[]),
      engineVersion: existing?.engineVersion ?? core.provenance.value?.engineVersion ?? '0.0.0',
      ...(ran !== null && ran !== trialsOrNull(snapshot) ? { trialCount: ran } : {}),
      // A large experiment's trials are in a results store: the notebook keeps its summary.
      ...(results.summary ? { summary: results.summary } : {}),
    };
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

  /**
   * A sweep is starting: if the design changed since the current experiment ran, the run is a
   * new experiment entry (under the next free name) and the old one keeps its results.
   */
  function startNewExperimentIfChanged(): void {
    const active = committed.value.find((entry) => entry.id === activeId.value);
    if (
      active?.kind !== 'experiment' ||
      (active.results.length === 0 && active.summary === undefined) ||
      JSON.stringify(active.design) === JSON.stringify(design.snapshot())
    ) {
      return;
    }
    activeId.value = null;
    // Two experiments of one name could not be told apart: the new one gets the next free name.
    const names = new Set(
      committed.value.flatMap((entry) => (entry.kind === 'experiment' ? [entry.design.name] : [])),
    );
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

  function loadExperiment(entry: ExperimentEntry): void {
    design.load(entry.design);
    results.load(
      entry.results,
      entry.design.sensitivity ?? null,
      entry.trialCount ?? trialsOrNull(entry.design),
      entry.summary ?? null,
    );
  }

  function clearExperiment(): void {
    design.reset(catalog.hardwarePresets[0]);
    results.clear();
  }

  /**
   * A save copied experiments' trials into the results store beside the file (Save As): their
   * summaries name that store now, as the saved file's do. Not an edit.
   */
  function renameStores(carried: readonly { experimentId: string; store: string }[]): void {
    const stores = new Map(carried.map((item) => [item.experimentId, item.store]));
    core.quietly(() => {
      committed.value = committed.value.map((entry) => {
        const store = entry.kind === 'experiment' && entry.summary ? stores.get(entry.id) : undefined;
        return store === undefined || entry.kind !== 'experiment' || !entry.summary
          ? entry
          : { ...entry, summary: { ...entry.summary, store } };
      });
      const current = activeId.value === null ? undefined : stores.get(activeId.value);
      if (current !== undefined && results.summary) results.summarize({ ...results.summary, store: current });
    });
  }

  return {
    entries,
    freshId,
    renameStores,
    commitCurrent,
    startNewExperimentIfChanged,
    load,
    loadExperiment,
    clearExperiment,
  };
}

export type NotebookEntries = ReturnType<typeof useNotebookEntries>;
