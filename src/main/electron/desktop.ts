import { app, dialog, ipcMain } from 'electron';
import type { BrowserWindow, IpcMainInvokeEvent, MessageBoxOptions } from 'electron';
import { z } from 'zod';
import type { DesktopCall, DesktopEvent, DocumentState } from '../../shared/desktopApi';
import { DESKTOP_EVENT_CHANNEL, desktopChannel } from '../../shared/desktopApi';
import type { HostCall, HostEvent } from '../../shared/hostApi';
import { notebookFileArgument } from './openFiles';
import { TaskbarProgress } from './taskbarProgress';

/** The native prompt shown when a window with unsaved changes is closed (or the app quit). */
export function closePrompt(name: string): MessageBoxOptions {
  return {
    type: 'warning',
    title: 'Unsaved changes',
    message: `Do you want to save the changes you made to “${name.trim() || 'Untitled'}”?`,
    detail: 'Your changes will be lost if you don’t save them.',
    buttons: ['Save', 'Don’t Save', 'Cancel'],
    defaultId: 0,
    cancelId: 2,
    noLink: true,
  };
}
const SAVE = 0;
const DONT_SAVE = 1;

const DocumentStateSchema = z
  .object({
    name: z.string().max(1000),
    path: z.string().min(1).max(4096).nullable(),
    edited: z.boolean(),
  })
  .strict();

/** Validate a desktop call's arguments (they come from the renderer): the parsed arguments or an error. */
export function parseDesktopArgs(call: DesktopCall, args: unknown[]): unknown[] {
  const schema = {
    setDocumentState: z.tuple([DocumentStateSchema]),
    takeOpenFile: z.tuple([]),
    finishClose: z.tuple([z.boolean()]),
  }[call];
  const parsed = schema.safeParse(args);
  if (!parsed.success) throw new Error(`${call}: bad arguments (${parsed.error.issues[0]?.message ?? ''})`);
  return parsed.data;
}

export interface DesktopOptions {
  platform?: NodeJS.Platform;
  /** Remove this process's autosaves (the RecoveryService's clearTabs). */
  clearRecovery: () => Promise<void>;
}

/**
 * The desktop conventions of the one main window, in the main process:
 * - closing it (or quitting) with unsaved changes asks Save / Don't Save / Cancel; a close the
 *   user agreed to removes this session's autosave, so only a crash leaves one behind;
 * - `.accentlab` files from the command line, a second instance or macOS's open-file are opened
 *   in it; opened and saved notebooks go to the OS's recent documents;
 * - running sweeps show their progress on the taskbar or dock;
 * - on macOS the edited state is the close button's dot (setDocumentEdited), with the file as the
 *   window's represented file; elsewhere the renderer puts a dot in the title.
 */
export class DesktopIntegration {
  private readonly platform: NodeJS.Platform;
  private readonly clearRecovery: () => Promise<void>;
  private window: BrowserWindow | null = null;
  private state: DocumentState = { name: '', path: null, edited: false };
  /** A file to open that the renderer has not taken yet (single document: the newest wins). */
  private pendingFile: string | null = null;
  /** The renderer asked for the start-up file: later files go to it as events. */
  private rendererListening = false;
  /** Where the close prompt stands: shown, waiting for the renderer's save, or neither. */
  private closing: 'prompt' | 'saving' | null = null;
  /** The close may go on (nothing unsaved, or the user chose). */
  private closeAgreed = false;
  private rendererGone = false;
  private readonly progress = new TaskbarProgress();
  /** Work that must finish before the process exits (removing the autosave). */
  private cleanup: Promise<void> = Promise.resolve();

  constructor(options: DesktopOptions) {
    this.platform = options.platform ?? process.platform;
    this.clearRecovery = options.clearRecovery;
  }

  /** Take the file named on this process's own command line (call once at start). */
  openFromArgv(argv: readonly string[], cwd: string): void {
    const file = notebookFileArgument(argv, cwd);
    if (file) this.openFile(file);
  }

  /**
   * Register the single-instance lock and the OS's open requests. Returns false when another
   * instance holds the lock: it was handed our file and this process must quit.
   */
  claimSingleInstance(): boolean {
    if (!app.requestSingleInstanceLock()) return false;
    app.on('second-instance', (_event, argv, workingDirectory) => {
      const file = notebookFileArgument(argv, workingDirectory);
      if (file) this.openFile(file);
      else this.reveal();
    });
    // macOS: a double-click in Finder or a drop on the dock icon, possibly before the app is ready.
    app.on('open-file', (event, path) => {
      event.preventDefault();
      this.openFile(path);
    });
    return true;
  }

  /** Ask the window to open `path` (once the renderer listens; until then it waits). */
  openFile(path: string): void {
    const window = this.window;
    if (window && !window.isDestroyed() && this.rendererListening) {
      this.send({ type: 'open-file', path });
      this.reveal();
    } else {
      this.pendingFile = path;
    }
  }

  /** Watch `window`: its close, its renderer, and where progress and the edited dot go. */
  attach(window: BrowserWindow): void {
    this.window = window;
    window.on('close', (event) => {
      if (this.closeAgreed || this.rendererGone) return;
      if (!this.state.edited) {
        this.agree();
        return;
      }
      event.preventDefault();
      if (this.closing === null) void this.prompt(window);
    });
    window.on('closed', () => {
      this.window = null;
    });
    window.webContents.on('render-process-gone', () => {
      // The page is gone with its unsaved work: its autosave is all that is left, keep it.
      this.rendererGone = true;
    });
  }

  /**
   * Before the process exits (will-quit awaits it): after a close the user agreed to, remove the
   * autosave once more, now that no renderer is left to write one (an autosave sent just before
   * the close would otherwise land after the first removal).
   */
  async settled(): Promise<void> {
    await this.cleanup;
    if (this.closeAgreed && !this.rendererGone) await this.removeAutosave();
  }

  /** Feed every host event through here: sweeps drive the taskbar or dock progress. */
  hostEvent(event: HostEvent): void {
    const value = this.progress.receive(event);
    const window = this.window;
    if (value !== undefined && window && !window.isDestroyed()) window.setProgressBar(value);
  }

  /** After a host call answered: an opened or saved notebook goes to the OS's recent documents. */
  hostCallDone(call: HostCall, result: unknown): void {
    if (call !== 'openNotebook' && call !== 'saveNotebook') return;
    const path = (result as { path?: unknown } | null)?.path;
    if (typeof path === 'string' && path.length > 0) app.addRecentDocument(path);
  }

  /** Serve the desktop calls; `checkSender` throws for a frame that is not our renderer. */
  registerIpc(checkSender: (event: IpcMainInvokeEvent) => void): void {
    const handle = (call: DesktopCall, run: (args: unknown[]) => unknown): void => {
      ipcMain.handle(desktopChannel(call), (event, ...args: unknown[]) => {
        checkSender(event);
        return run(parseDesktopArgs(call, args));
      });
    };
    handle('setDocumentState', ([state]) => this.setDocumentState(state as DocumentState));
    handle('takeOpenFile', () => this.takeOpenFile());
    handle('finishClose', ([saved]) => this.finishClose(saved as boolean));
  }

  setDocumentState(state: DocumentState): void {
    this.state = { ...state };
    const window = this.window;
    if (this.platform !== 'darwin' || !window || window.isDestroyed()) return;
    window.setDocumentEdited(state.edited);
    window.setRepresentedFilename(state.path ?? '');
  }

  takeOpenFile(): string | null {
    this.rendererListening = true;
    const file = this.pendingFile;
    this.pendingFile = null;
    return file;
  }

  finishClose(saved: boolean): void {
    if (this.closing !== 'saving') return;
    this.closing = null;
    if (saved) this.closeNow();
  }

  private async prompt(window: BrowserWindow): Promise<void> {
    this.closing = 'prompt';
    let response: number;
    try {
      ({ response } = await dialog.showMessageBox(window, closePrompt(this.state.name)));
    } catch {
      response = -1;
    }
    if (response === SAVE && !window.isDestroyed()) {
      this.closing = 'saving';
      this.send({ type: 'save-before-close' });
    } else if (response === DONT_SAVE) {
      this.closing = null;
      this.closeNow();
    } else {
      this.closing = null;
    }
  }

  /** The user agreed to close: this session's autosave is no longer a crash's leftover. */
  private agree(): void {
    this.closeAgreed = true;
    this.cleanup = this.removeAutosave();
  }

  private removeAutosave(): Promise<void> {
    return this.clearRecovery().catch((error: unknown) => {
      console.error('could not remove the autosave:', error);
    });
  }

  private closeNow(): void {
    this.agree();
    const window = this.window;
    if (window && !window.isDestroyed()) window.close();
  }

  private reveal(): void {
    const window = this.window;
    if (!window || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  }

  private send(event: DesktopEvent): void {
    const window = this.window;
    if (window && !window.isDestroyed()) window.webContents.send(DESKTOP_EVENT_CHANNEL, event);
  }
}
