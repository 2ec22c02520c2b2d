import { inject, type InjectionKey } from 'vue';
import type { HostApi, MenuCommand, StartSweepOptions } from '../../../shared/hostApi';
import { NOTEBOOK_EXTENSION } from '../../../shared/notebook/format';
import { useNotebookCommands } from './useNotebookCommands';
import { exportReport } from './useReportExport';
import { notebookExportTargets } from '../notebook/exportTargets';
import { useDesignStore } from '../stores/design';
import { useFigureExportStore } from '../stores/figureExport';
import { useNotebookStore } from '../stores/notebook';
import { useSweepStore } from '../stores/sweep';
import { useResultsStore } from '../stores/results';

export type TabName = 'notebook' | 'design' | 'run' | 'results';

/** What the commands need from the window: dialogs and the tabs. */
export interface CommandUi {
  /** 'web' hosts cannot show file dialogs, so paths are asked for here. */
  hostKind: 'electron' | 'web';
  /**
   * Ask for a path; with `attempt`, the dialog tries it and stays open showing the message
   * `attempt` returns on failure (null: it worked).
   */
  askPath(
    purpose: 'open' | 'save',
    suggestion: string,
    attempt?: (path: string) => Promise<string | null>,
  ): Promise<string | null>;
  confirm(message: string): boolean;
  showTab(tab: TabName): void;
  /** Help ▸ Keyboard Shortcuts. */
  showShortcuts(): void;
  /** Help ▸ Glossary. */
  showGlossary?(): void;
}

export interface LabCommands {
  newNotebook(): Promise<void>;
  /** Open `path` (a recent file), or ask for one. */
  openNotebook(path?: string): Promise<void>;
  /** Open a notebook shipped with the app (the paper's reproduction). */
  openBuiltin(id: string): Promise<void>;
  /** The Export Figure dialog, with every figure of the notebook. */
  exportFigure(): void;
  /** Export Report…: the notebook as one HTML file, its progress shown on the Notebook tab. */
  exportReport(): Promise<void>;
  showTab(tab: TabName): void;
  saveNotebook(): Promise<void>;
  saveNotebookAs(): Promise<void>;
  startRun(): Promise<void>;
  /**
   * Run a partial experiment's missing trials: its design again, in the results store it ran
   * into, which skips the trials it holds (by key).
   */
  resumeExperiment(id: string): Promise<void>;
  cancelRun(): Promise<void>;
  /** Undo the last notebook or design edit; in a text field, its typing instead. */
  undo(): void;
  redo(): void;
  run(command: MenuCommand): Promise<void>;
}

/** What each menu command does (the menu, the keyboard and the toolbar all come here). */
const MENU_ACTIONS: Record<MenuCommand, (commands: LabCommands, ui: CommandUi) => unknown> = {
  new: (commands) => commands.newNotebook(),
  open: (commands) => commands.openNotebook(),
  save: (commands) => commands.saveNotebook(),
  'save-as': (commands) => commands.saveNotebookAs(),
  'run-start': (commands) => commands.startRun(),
  'run-cancel': (commands) => commands.cancelRun(),
  'export-figure': (commands) => commands.exportFigure(),
  'export-report': (commands) => commands.exportReport(),
  undo: (commands) => commands.undo(),
  redo: (commands) => commands.redo(),
  'show-notebook': (_, ui) => ui.showTab('notebook'),
  'show-design': (_, ui) => ui.showTab('design'),
  'show-run': (_, ui) => ui.showTab('run'),
  'show-results': (_, ui) => ui.showTab('results'),
  shortcuts: (_, ui) => ui.showShortcuts(),
  glossary: (_, ui) => ui.showGlossary?.(),
};

/** Start, resume and cancel a run of the current design. */
function useRunCommands(ui: CommandUi): Pick<LabCommands, 'startRun' | 'resumeExperiment' | 'cancelRun'> {
  const notebook = useNotebookStore();
  const design = useDesignStore();
  const sweep = useSweepStore();

  async function startRun(extra: Pick<StartSweepOptions, 'summarized'> = {}): Promise<void> {
    if (!design.canRun || sweep.isActive) return;
    if (
      design.isLarge &&
      !ui.confirm(`This design expands to ${design.trialCount.toLocaleString()} trials. Run them all?`)
    ) {
      return;
    }
    ui.showTab('run');
    // The trials stream into the store beside a saved notebook (an untitled one's: the host's).
    const notebookPath =
      notebook.path && !notebook.builtin && notebook.path.endsWith(NOTEBOOK_EXTENSION) ? notebook.path : null;
    await sweep.start(design.snapshot(), {
      confirmLarge: design.isLarge,
      ...(notebookPath ? { notebookPath } : {}),
      ...(notebook.activeId ? { experiment: notebook.activeId } : {}),
      ...extra,
    });
  }

  return {
    startRun,
    async resumeExperiment(id) {
      if (sweep.isActive || !notebook.editExperiment(id)) return;
      // A summarized experiment's trials are in its store: the host says if that store lacks them.
      const summary = useResultsStore().summary;
      await startRun(
        summary ? { summarized: { store: summary.store, trials: summary.trials - summary.failed } } : {},
      );
    },
    async cancelRun() {
      await sweep.cancel();
    },
  };
}

/** The toolbar's and the menu's actions, one function each. */
export function useLabCommands(ui: CommandUi): LabCommands {
  const notebook = useNotebookStore();
  const commands: LabCommands = {
    ...useNotebookCommands(ui),
    ...useRunCommands(ui),
    exportFigure() {
      notebook.commitCurrent();
      useFigureExportStore().show(notebookExportTargets(notebook.entries));
    },
    async exportReport() {
      notebook.commitCurrent();
      ui.showTab('notebook');
      await exportReport(notebook.toDocument());
    },
    showTab(tab) {
      ui.showTab(tab);
    },
    undo() {
      if (typingInField()) page()?.execCommand('undo');
      else notebook.undo();
    },
    redo() {
      if (typingInField()) page()?.execCommand('redo');
      else notebook.redo();
    },
    async run(command) {
      await MENU_ACTIONS[command](commands, ui);
    },
  };
  return commands;
}

/** What this module reads of the page (the file is also checked without the DOM library). */
interface PageLike {
  activeElement: { tagName: string; isContentEditable?: boolean; type?: string } | null;
  execCommand(command: string): boolean;
}
const page = (): PageLike | undefined => (globalThis as { document?: PageLike }).document;

/** Whether the keyboard is in a text field, where undo and redo belong to its typing. */
export function typingInField(): boolean {
  const active = page()?.activeElement;
  if (!active) return false;
  if (active.isContentEditable || active.tagName === 'TEXTAREA') return true;
  return active.tagName === 'INPUT' && /^(text|search|number|url|email|)$/.test(active.type ?? '');
}

/** Send sweep events to the sweep store and menu commands to `commands`; returns the unsubscriber. */
export function routeHostEvents(api: HostApi, commands: Pick<LabCommands, 'run'>): () => void {
  const sweep = useSweepStore();
  return api.onEvent((event) => {
    if (event.type === 'menu') void commands.run(event.command);
    // Trace imports show their own progress (TraceImport.vue listens for it).
    else if (event.type !== 'trace-import-progress') sweep.receive(event);
  });
}

/** The App provides its commands to the views under this key. */
export const LAB_COMMANDS: InjectionKey<LabCommands> = Symbol('lab commands');

/** The commands the App provided. */
export function injectLabCommands(): LabCommands {
  const commands = inject(LAB_COMMANDS);
  if (!commands) throw new Error('injectLabCommands() needs the App to provide LAB_COMMANDS');
  return commands;
}
