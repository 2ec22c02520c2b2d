import { inject, type InjectionKey } from 'vue';
import type { HostApi, MenuCommand } from '../../../shared/hostApi';
import { NOTEBOOK_EXTENSION } from '../../../shared/notebook/format';
import { useHost } from '../host/currentHost';
import { exportReport } from './useReportExport';
import { notebookExportTargets } from '../notebook/exportTargets';
import { useDesignStore } from '../stores/design';
import { useFigureExportStore } from '../stores/figureExport';
import { useNotebookStore } from '../stores/notebook';
import { useSweepStore } from '../stores/sweep';

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

const DISCARD = 'The notebook has unsaved changes. Discard them?';
const STOP_SWEEP = 'A sweep is still running. Cancel it?';

/** The toolbar's and the menu's actions, one function each. */
export function useLabCommands(ui: CommandUi): LabCommands {
  const notebook = useNotebookStore();
  const design = useDesignStore();
  const sweep = useSweepStore();

  /** Where to save: the notebook's file, else its name in the folder of the last notebook used. */
  async function suggestion(): Promise<string> {
    if (notebook.path) return notebook.path;
    const file = `${notebook.name.replace(/[^\w.-]+/g, '-')}${NOTEBOOK_EXTENSION}`;
    const recent = (
      await useHost()
        .recentNotebookPaths()
        .catch(() => [])
    )[0];
    if (recent)
      return `${recent.slice(0, Math.max(recent.lastIndexOf('/'), recent.lastIndexOf('\\')) + 1)}${file}`;
    // No recent file: the host's notebooks folder (paths must be absolute).
    const folder = await useHost()
      .notebooksFolder()
      .catch(() => '');
    const separator = folder.includes('\\') && !folder.includes('/') ? '\\' : '/';
    return folder ? `${folder.replace(/[\\/]+$/, '')}${separator}${file}` : file;
  }

  /** Before another notebook replaces this one: keep unsaved work and a running sweep only if asked. */
  async function mayLeave(): Promise<boolean> {
    if (notebook.dirty && !ui.confirm(DISCARD)) return false;
    if (sweep.isActive) {
      if (!ui.confirm(STOP_SWEEP)) return false;
      await sweep.cancel();
    }
    return true;
  }

  /** Run a save or open for the path dialog: null when it worked, else its message (shown there). */
  async function attempt(work: () => Promise<boolean>): Promise<string | null> {
    if (await work()) return null;
    const message = notebook.error ?? 'it did not work';
    notebook.dismissErrors();
    return message;
  }

  const commands: LabCommands = {
    async newNotebook() {
      if (!(await mayLeave())) return;
      if (await notebook.newNotebook()) ui.showTab('design');
    },
    async openNotebook(path?: string) {
      if (!(await mayLeave())) return;
      if (path) {
        if (await notebook.open(path)) ui.showTab('notebook');
        return;
      }
      if (ui.hostKind === 'web') {
        const opened = await ui.askPath('open', notebook.path ?? '', (path) =>
          attempt(() => notebook.open(path)),
        );
        if (opened) ui.showTab('notebook');
      } else {
        await notebook.open();
      }
    },
    async openBuiltin(id) {
      if (!(await mayLeave())) return;
      if (await notebook.openBuiltin(id)) ui.showTab('notebook');
    },
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
    async saveNotebook() {
      if (ui.hostKind === 'web' && !notebook.path) await commands.saveNotebookAs();
      else await notebook.save();
    },
    async saveNotebookAs() {
      if (ui.hostKind === 'web') {
        await ui.askPath('save', await suggestion(), (path) => attempt(() => notebook.saveAs(path)));
      } else {
        await notebook.saveAs();
      }
    },
    async startRun() {
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
        notebook.path && !notebook.builtin && notebook.path.endsWith(NOTEBOOK_EXTENSION)
          ? notebook.path
          : null;
      await sweep.start(design.snapshot(), {
        confirmLarge: design.isLarge,
        ...(notebookPath ? { notebookPath } : {}),
        ...(notebook.activeId ? { experiment: notebook.activeId } : {}),
      });
    },
    async resumeExperiment(id) {
      if (sweep.isActive || !notebook.editExperiment(id)) return;
      await commands.startRun();
    },
    async cancelRun() {
      await sweep.cancel();
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
      switch (command) {
        case 'new':
          return commands.newNotebook();
        case 'open':
          return commands.openNotebook();
        case 'save':
          return commands.saveNotebook();
        case 'save-as':
          return commands.saveNotebookAs();
        case 'run-start':
          return commands.startRun();
        case 'run-cancel':
          return commands.cancelRun();
        case 'export-figure':
          commands.exportFigure();
          return;
        case 'export-report':
          return commands.exportReport();
        case 'undo':
          commands.undo();
          return;
        case 'redo':
          commands.redo();
          return;
        case 'show-notebook':
        case 'show-design':
        case 'show-run':
        case 'show-results':
          ui.showTab(command.slice('show-'.length) as TabName);
          return;
        case 'shortcuts':
          ui.showShortcuts();
          return;
        case 'glossary':
          ui.showGlossary?.();
          return;
      }
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
