import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import type { ExperimentDesign } from '../../../engine/experiment/design';
import { countTrials } from '../../../engine/experiment/design';
import type { TrialResult } from '../../../engine/experiment/trial';
import type { FigureSpec } from '../../../shared/figures/spec';
import type {
  ExperimentSummary,
  ExperimentEntry,
  NotebookEntry,
  NotebookDocument,
  NotebookProvenance,
  RecoveryOffer,
} from '../../../shared/hostApi';
import { useHost } from '../host/currentHost';
import { tabId } from '../host/tabId';
import { useCatalogStore } from './catalog';
import { useDesignStore } from './design';
import { createHistory } from './history';
import { useResultsStore } from './results';
import { useSweepStore } from './sweep';

export const APP_TITLE = 'Accent Migration Lab';

const UNTITLED = 'Untitled';

/** Unsaved changes are autosaved to the host's recovery folder at least this often. */
export const AUTOSAVE_INTERVAL_MS = 30_000;

/** "/a/b/Lab notes.accentlab" -> "Lab notes". */
const fileStem = (path: string): string => path.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');

const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/**
 * The lab notebook: its name, file, entries (notes, experiments, figures), unsaved changes, and
 * new / open / save through the host. The design and results stores hold the *current*
 * experiment (the one the Design and Run tabs work on); it is written back into its notebook entry
 * when a sweep ends, when another experiment is opened for editing, and on save.
 */
export const useNotebookStore = defineStore('notebook', () => {
  const design = useDesignStore();
  const results = useResultsStore();
  const sweep = useSweepStore();
  const catalog = useCatalogStore();

  const name = ref(UNTITLED);
  const path = ref<string | null>(null);
  const dirty = ref(false);
  const busy = ref(false);
  const error = ref<string | null>(null);
  /** Whether the notebook is a built-in notebook (saving it asks for a new file). */
  const builtin = ref(false);
  const provenance = ref<NotebookProvenance | null>(null);
  /** The notebook's entries as last committed. */
  const committed = shallowRef<NotebookEntry[]>([]);
  /** The id of the experiment entry the design and results stores hold; null for a new one. */
  const activeId = ref<string | null>(null);
  let applying = false;
  /** Unsaved work an earlier session left behind (the welcome screen offers it), or null. */
  const recoveryOffer = ref<RecoveryOffer | null>(null);
  /** Something the user should know that is not an error (e.g. a run became a new experiment). */
  const notice = ref<string | null>(null);
  /** Why the last autosave failed, or null. */
  const autosaveError = ref<string | null>(null);
  /** Counts changes; `autosaved` is the count the last autosave wrote (so unchanged work is not rewritten). */
  let changes = 0;
  let autosaved = 0;
  let autosaving: Promise<void> | null = null;
  let autosaveTimer: ReturnType<typeof setInterval> | null = null;

  const windowTitle = computed(() => `${dirty.value ? '• ' : ''}${name.value} — ${APP_TITLE}`);

  const touch = (): void => {
    if (applying) return;
    dirty.value = true;
    changes += 1;
  };

  // ---- Undo and redo -----------------------------------------------------------------------------
  // A step is the notebook's entries, the current experiment's design and results, and the name.
  // Runs are not steps: a finished sweep starts the history afresh (its results are kept).
  interface Step {
    name: string;
    committed: NotebookEntry[];
    activeId: string | null;
    design: ExperimentDesign;
    results: readonly TrialResult[];
    ranTrials: number | null;
    summary: ExperimentSummary | null;
  }
  const history = createHistory<Step>(
    () => ({
      name: name.value,
      committed: committed.value,
      activeId: activeId.value,
      design: design.snapshot(),
      results: results.results,
      ranTrials: results.ranTrials,
      summary: results.summary,
    }),
    (step) => {
      applying = true;
      try {
        name.value = step.name;
        committed.value = step.committed;
        activeId.value = step.activeId;
        design.load(step.design);
        if (step.results !== results.results || step.summary !== results.summary)
          results.load([...step.results], step.design.sensitivity ?? null, step.ranTrials, step.summary);
      } finally {
        applying = false;
      }
      dirty.value = true;
      changes += 1;
    },
    600,
    (a, b) =>
      a.name === b.name &&
      a.committed === b.committed &&
      a.activeId === b.activeId &&
      a.results === b.results &&
      a.summary === b.summary &&
      JSON.stringify(a.design) === JSON.stringify(b.design),
  );
  /** An edit the user can undo; design edits in a quick run merge into one step. */
  const edited = (label: string, merge = false): void => {
    if (applying || sweep.isActive) return;
    history.changed(label, merge);
  };
  watch(
    () => design.design,
    () => {
      touch();
      edited('design edit', true);
    },
    { deep: true, flush: 'sync' },
  );
  watch(() => results.results, touch, { flush: 'sync' });

  function undo(): boolean {
    if (sweep.isActive) return false;
    return history.undo();
  }
  function redo(): boolean {
    if (sweep.isActive) return false;
    return history.redo();
  }

  const trialsOrNull = (of: ExperimentDesign): number | null => {
    try {
      return countTrials(of);
    } catch {
      return null;
    }
  };

  const usedIds = (): Set<string> => new Set(committed.value.map((entry) => entry.id));
  function freshId(prefix: string): string {
    const used = usedIds();
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
      engineVersion: existing?.engineVersion ?? provenance.value?.engineVersion ?? '0.0.0',
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
    const list = [...committed.value];
    if (!current) return list;
    const at = list.findIndex((entry) => entry.id === current.id);
    if (at >= 0) list[at] = current;
    else list.push(current);
    return list;
  });

  /** Write the current experiment into its entry (appending it when it is new). */
  function commitCurrent(): void {
    const current = currentEntry();
    if (!current) return;
    const list = [...committed.value];
    const at = list.findIndex((entry) => entry.id === current.id);
    if (at >= 0) list[at] = current;
    else list.push(current);
    committed.value = list;
    activeId.value = current.id;
  }

  // A sweep of a changed design starts a new experiment entry; the old one keeps its results.
  watch(
    () => sweep.phase,
    (phase, before) => {
      if (phase === 'starting') {
        const active = committed.value.find((entry) => entry.id === activeId.value);
        if (
          active?.kind === 'experiment' &&
          (active.results.length > 0 || active.summary !== undefined) &&
          JSON.stringify(active.design) !== JSON.stringify(design.snapshot())
        ) {
          activeId.value = null;
          // Two experiments of one name could not be told apart: the new one gets the next free name.
          const names = new Set(
            committed.value.flatMap((entry) => (entry.kind === 'experiment' ? [entry.design.name] : [])),
          );
          const before = design.design.name;
          if (names.has(before)) {
            const stem = before.replace(/ \(\d+\)$/, '');
            let n = 2;
            while (names.has(`${stem} (${n})`)) n += 1;
            applying = true;
            try {
              design.design.name = `${stem} (${n})`;
            } finally {
              applying = false;
            }
            notice.value = `The design changed since "${before}" ran, so this run is a new experiment, "${design.design.name}"; "${before}" keeps its results.`;
          }
        }
      }
      if ((phase === 'finished' || phase === 'cancelled') && before !== phase) {
        commitCurrent();
        history.reset();
        dirty.value = true;
        changes += 1;
        // A finished sweep is the work most worth keeping: autosave it at once.
        void autosave();
      }
    },
  );

  function apply(opened: NotebookDocument, at: string | null, isBuiltin = false): void {
    applying = true;
    try {
      name.value = opened.name || UNTITLED;
      path.value = at;
      builtin.value = isBuiltin;
      provenance.value = opened.provenance;
      committed.value = [...opened.entries];
      sweep.reset();
      const experiments = opened.entries.filter((entry) => entry.kind === 'experiment');
      const current = experiments[experiments.length - 1];
      activeId.value = current?.id ?? null;
      if (current) {
        design.load(current.design);
        results.load(
          current.results,
          current.design.sensitivity ?? null,
          current.trialCount ?? trialsOrNull(current.design),
          current.summary ?? null,
        );
      } else {
        design.reset(catalog.hardwarePresets[0]);
        results.clear();
      }
      dirty.value = false;
    } finally {
      applying = false;
    }
    history.reset();
  }

  /** The document to save: every entry, the current experiment written into its own. */
  function toDocument(): NotebookDocument {
    return plain({
      formatVersion: 3,
      name: name.value,
      provenance: provenance.value ?? { engineVersion: '0.0.0', createdBy: APP_TITLE },
      entries: entries.value,
    });
  }

  async function guarded<T>(work: () => Promise<T>): Promise<T | null> {
    busy.value = true;
    error.value = null;
    try {
      return await work();
    } catch (cause) {
      error.value = cause instanceof Error ? cause.message : String(cause);
      return null;
    } finally {
      busy.value = false;
    }
  }

  // ---- Autosave and recovery ---------------------------------------------------------------------

  /** The notebook was saved or closed cleanly: its autosave is no longer needed. */
  function clearAutosave(): void {
    autosaved = changes;
    useHost()
      .clearRecovery(tabId())
      .catch((cause: unknown) => console.warn('could not remove the autosave:', cause));
  }

  /** Write the unsaved work to the host's recovery folder, if it changed since the last autosave. */
  function autosave(): Promise<void> {
    // One write at a time; changes made while one is under way are written right after it.
    if (autosaving) return autosaving.then(() => autosave());
    if (!dirty.value || changes === autosaved) return Promise.resolve();
    const at = changes;
    autosaving = (async () => {
      try {
        await useHost().writeRecovery(tabId(), toDocument(), path.value ?? undefined);
        autosaved = at;
        autosaveError.value = null;
      } catch (cause) {
        autosaveError.value = cause instanceof Error ? cause.message : String(cause);
      } finally {
        autosaving = null;
      }
    })();
    return autosaving;
  }

  /** Autosave every `intervalMs` while there are unsaved changes (App starts it once connected). */
  function startAutosave(intervalMs = AUTOSAVE_INTERVAL_MS): void {
    stopAutosave();
    autosaveTimer = setInterval(() => void autosave(), intervalMs);
  }

  function stopAutosave(): void {
    if (autosaveTimer !== null) clearInterval(autosaveTimer);
    autosaveTimer = null;
  }

  /**
   * Ask the host, once when the page starts, whether unsaved work was left behind (a crash, a
   * closed tab, this tab before a reload); sets recoveryOffer.
   */
  async function checkRecovery(): Promise<RecoveryOffer | null> {
    recoveryOffer.value = await useHost()
      .pendingRecovery(tabId())
      .catch(() => null);
    return recoveryOffer.value;
  }

  /** Open the unsaved work an earlier session left behind; it stays unsaved (and autosaved). */
  async function restoreRecovery(): Promise<boolean> {
    const recovered = await guarded(() => useHost().restoreRecovery(tabId()));
    recoveryOffer.value = null;
    if (!recovered) return false;
    apply(recovered.notebook, recovered.path);
    dirty.value = true;
    // The host keeps the restored file as this session's autosave: nothing to write yet.
    changes += 1;
    autosaved = changes;
    return true;
  }

  /** Delete the unsaved work offered; the next one left behind (if any) is offered in its place. */
  async function discardRecovery(): Promise<void> {
    const next = await guarded(() => useHost().discardRecovery(tabId()));
    recoveryOffer.value = next ?? null;
  }

  async function newNotebook(): Promise<boolean> {
    const fresh = await guarded(() => useHost().newNotebook());
    if (!fresh) return false;
    apply(fresh, null);
    clearAutosave();
    return true;
  }

  /** Open `at`, or let the host ask (Electron). False when cancelled or failed. */
  async function open(at?: string): Promise<boolean> {
    const opened = await guarded(() => useHost().openNotebook(at));
    if (!opened) return false;
    apply(opened.notebook, opened.path);
    clearAutosave();
    return true;
  }

  /** Open a notebook shipped with the app; it has no file until saved. */
  async function openBuiltin(id: string): Promise<boolean> {
    const opened = await guarded(() => useHost().openBuiltinNotebook(id));
    if (!opened) return false;
    apply(opened, null, true);
    clearAutosave();
    return true;
  }

  /** Save to `at`, else to the file it came from, else let the host ask (Electron). */
  async function save(at?: string): Promise<boolean> {
    return write(at ?? path.value ?? undefined);
  }

  /** Save under a new name: `at`, or let the host ask (Electron). */
  async function saveAs(at?: string): Promise<boolean> {
    return write(at);
  }

  async function write(target: string | undefined): Promise<boolean> {
    // An untitled notebook takes the name of the file it is first saved to.
    const named = name.value === UNTITLED && target ? fileStem(target) || UNTITLED : name.value;
    const saved = await guarded(() => useHost().saveNotebook({ ...toDocument(), name: named }, target));
    if (!saved) return false;
    name.value = named;
    path.value = saved.path;
    builtin.value = false;
    commitCurrent();
    dirty.value = false;
    clearAutosave();
    return true;
  }

  /** The user has read the error messages. */
  function dismissErrors(): void {
    error.value = null;
    autosaveError.value = null;
    notice.value = null;
  }

  function rename(next: string): void {
    if (next.trim() && next !== name.value) {
      name.value = next.trim();
      touch();
      edited('rename the notebook');
    }
  }

  // ---- Notebook editing --------------------------------------------------------------------------

  function replaceEntries(next: NotebookEntry[], label: string): void {
    committed.value = next;
    touch();
    edited(label);
  }

  /** Add a note after `afterId` (default: at the end); returns its id. */
  function addNote(markdown = '', afterId?: string): string {
    commitCurrent();
    const note: NotebookEntry = { kind: 'note', id: freshId('note'), markdown };
    const list = [...committed.value];
    const at = afterId ? list.findIndex((entry) => entry.id === afterId) : -1;
    list.splice(at >= 0 ? at + 1 : list.length, 0, note);
    replaceEntries(list, 'add note');
    return note.id;
  }

  /** Add a figure of an experiment after it (or after `afterId`); returns its id. */
  function addFigure(experimentId: string, figure: FigureSpec, caption = '', afterId?: string): string {
    commitCurrent();
    const entry: NotebookEntry = { kind: 'figure', id: freshId('figure'), experimentId, figure, caption };
    const list = [...committed.value];
    const at = list.findIndex((item) => item.id === (afterId ?? experimentId));
    list.splice(at >= 0 ? at + 1 : list.length, 0, entry);
    replaceEntries(list, 'add figure');
    return entry.id;
  }

  function updateNote(id: string, markdown: string): void {
    const list = committed.value.map((entry) =>
      entry.id === id && entry.kind === 'note' ? { ...entry, markdown } : entry,
    );
    replaceEntries(list, 'edit note');
  }

  function updateCaption(id: string, caption: string): void {
    const list = committed.value.map((entry) =>
      entry.id === id && entry.kind === 'figure' ? { ...entry, caption } : entry,
    );
    replaceEntries(list, 'edit caption');
  }

  /** Move an entry up (-1) or down (+1). */
  function move(id: string, by: -1 | 1): void {
    commitCurrent();
    const list = [...committed.value];
    const at = list.findIndex((entry) => entry.id === id);
    const to = at + by;
    if (at < 0 || to < 0 || to >= list.length) return;
    [list[at], list[to]] = [list[to]!, list[at]!];
    replaceEntries(list, by < 0 ? 'move up' : 'move down');
  }

  /** Delete an entry; deleting an experiment deletes its figures too. */
  function remove(id: string): void {
    commitCurrent();
    const kind = committed.value.find((entry) => entry.id === id)?.kind ?? 'entry';
    const list = committed.value.filter(
      (entry) => entry.id !== id && !(entry.kind === 'figure' && entry.experimentId === id),
    );
    if (activeId.value === id) {
      activeId.value = null;
      applying = true;
      try {
        design.reset(catalog.hardwarePresets[0]);
        results.clear();
      } finally {
        applying = false;
      }
    }
    replaceEntries(list, `delete ${kind}`);
  }

  /** Load an experiment entry into the Design and Results tabs (the current one is kept first). */
  function editExperiment(id: string): ExperimentDesign | null {
    commitCurrent();
    const entry = committed.value.find((item) => item.id === id);
    if (entry?.kind !== 'experiment') return null;
    applying = true;
    try {
      sweep.reset();
      activeId.value = id;
      design.load(entry.design);
      results.load(
        entry.results,
        entry.design.sensitivity ?? null,
        entry.trialCount ?? trialsOrNull(entry.design),
        entry.summary ?? null,
      );
    } finally {
      applying = false;
    }
    // Opening another experiment is not an edit, but later steps must start from it.
    history.changed('open experiment');
    return entry.design;
  }

  /** Whether the notebook is new and empty (the welcome screen shows then). */
  const isEmpty = computed(() => path.value === null && !builtin.value && entries.value.length === 0);

  return {
    name,
    path,
    dirty,
    busy,
    error,
    builtin,
    provenance,
    entries,
    activeId,
    isEmpty,
    windowTitle,
    recoveryOffer,
    autosaveError,
    notice,
    autosave,
    startAutosave,
    stopAutosave,
    checkRecovery,
    restoreRecovery,
    discardRecovery,
    apply,
    toDocument,
    newNotebook,
    open,
    openBuiltin,
    save,
    saveAs,
    rename,
    dismissErrors,
    undo,
    redo,
    canUndo: history.canUndo,
    canRedo: history.canRedo,
    undoLabel: history.undoLabel,
    redoLabel: history.redoLabel,
    commitCurrent,
    addNote,
    addFigure,
    updateNote,
    updateCaption,
    move,
    remove,
    editExperiment,
  };
});
