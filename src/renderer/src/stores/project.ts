import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { TrialResult } from '../../../engine/experiment/trial';
import type { ProjectDocument, ProjectExperiment } from '../../../shared/hostApi';
import { useHost } from '../host/currentHost';
import { useCatalogStore } from './catalog';
import { useDesignStore } from './design';
import { useResultsStore } from './results';
import { useSweepStore } from './sweep';

export const APP_TITLE = 'Accent Migration Lab';

const UNTITLED = 'Untitled';

/** "/a/b/Lab notes.accentlab" -> "Lab notes". */
const fileStem = (path: string): string => path.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');

const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** The lab notebook: its name, file, unsaved changes, and new / open / save through the host. */
export const useProjectStore = defineStore('project', () => {
  const design = useDesignStore();
  const results = useResultsStore();
  const sweep = useSweepStore();
  const catalog = useCatalogStore();

  const name = ref(UNTITLED);
  const path = ref<string | null>(null);
  const dirty = ref(false);
  const busy = ref(false);
  const error = ref<string | null>(null);
  /** The file's experiments; the last one is the one being edited. */
  let experiments: ProjectExperiment[] = [];
  let applying = false;

  const windowTitle = computed(() => `${dirty.value ? '• ' : ''}${name.value} — ${APP_TITLE}`);

  const touch = (): void => {
    if (!applying) dirty.value = true;
  };
  watch(() => design.design, touch, { deep: true, flush: 'sync' });
  watch(() => results.results, touch, { flush: 'sync' });

  function apply(opened: ProjectDocument, at: string | null): void {
    applying = true;
    try {
      name.value = opened.name || UNTITLED;
      path.value = at;
      experiments = [...opened.experiments];
      sweep.reset();
      const current = experiments[experiments.length - 1];
      if (current) {
        design.load(current.design);
        results.load(current.results);
      } else {
        design.reset(catalog.hardwarePresets[0]);
        results.clear();
      }
      dirty.value = false;
    } finally {
      applying = false;
    }
  }

  /** The document to save: the edited design and its results replace the last experiment. */
  function toDocument(): ProjectDocument {
    const current: ProjectExperiment = {
      design: design.snapshot(),
      results: plain(results.results) as TrialResult[],
    };
    const earlier = experiments.slice(0, Math.max(0, experiments.length - 1));
    return { formatVersion: 1, name: name.value, experiments: [...earlier, current] };
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

  async function newProject(): Promise<boolean> {
    const fresh = await guarded(() => useHost().newProject());
    if (!fresh) return false;
    apply(fresh, null);
    return true;
  }

  /** Open `at`, or let the host ask (Electron). False when cancelled or failed. */
  async function open(at?: string): Promise<boolean> {
    const opened = await guarded(() => useHost().openProject(at));
    if (!opened) return false;
    apply(opened.project, opened.path);
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
    // An untitled project takes the name of the file it is first saved to.
    const named = name.value === UNTITLED && target ? fileStem(target) || UNTITLED : name.value;
    const saved = await guarded(() => useHost().saveProject({ ...toDocument(), name: named }, target));
    if (!saved) return false;
    name.value = named;
    path.value = saved.path;
    experiments = toDocument().experiments;
    dirty.value = false;
    return true;
  }

  function rename(next: string): void {
    if (next.trim() && next !== name.value) {
      name.value = next.trim();
      touch();
    }
  }

  return {
    name,
    path,
    dirty,
    busy,
    error,
    windowTitle,
    apply,
    toDocument,
    newProject,
    open,
    save,
    saveAs,
    rename,
  };
});
