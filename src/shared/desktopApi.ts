/**
 * The desktop-only part of the bridge: what the Electron preload exposes besides the HostApi
 * (`window.accentLabDesktop`). The web host has none of it; the renderer checks for it.
 *
 * It carries the desktop conventions the main process keeps for the renderer: the open
 * notebook's unsaved-changes state (the close/quit prompt, macOS's edited dot), files the OS
 * asked the app to open (double-click, command line, macOS open-file) and the Save step of
 * "Save / Don't Save / Cancel" on close.
 */
export interface DesktopApi {
  /** Tell the main process what the window shows: its name, file and whether it has unsaved changes. */
  setDocumentState(state: DocumentState): Promise<void>;
  /**
   * The `.accentlab` file the app was started with (command line or double-click) or that the OS
   * sent before the window was ready; null when there is none. Each file is handed out once.
   */
  takeOpenFile(): Promise<string | null>;
  /**
   * Answer a `save-before-close` request: `saved` true closes the window (the close or quit goes
   * on), false (the save was cancelled or failed) keeps it open and stops the quit.
   */
  finishClose(saved: boolean): Promise<void>;
  /** Subscribe to desktop events; returns the function that unsubscribes. */
  onEvent(listener: (event: DesktopEvent) => void): () => void;
}

export interface DocumentState {
  /** The notebook's name. */
  name: string;
  /** Its file; null while untitled or a built-in notebook. */
  path: string | null;
  /** It has unsaved changes. */
  edited: boolean;
}

export type DesktopEvent =
  /** The OS asked to open this file (second instance, macOS open-file). */
  | { type: 'open-file'; path: string }
  /** The user chose Save in the close prompt: save, then call finishClose. */
  | { type: 'save-before-close' };

/** The global name under which the preload exposes the {@link DesktopApi}. */
export const DESKTOP_API_GLOBAL = 'accentLabDesktop';

/** The calls of DesktopApi that cross the bridge (all but onEvent), one channel each. */
export const DESKTOP_CALLS = ['setDocumentState', 'takeOpenFile', 'finishClose'] as const;

export type DesktopCall = (typeof DESKTOP_CALLS)[number];

export const desktopChannel = (call: DesktopCall): string => `desktop:${call}`;
export const DESKTOP_EVENT_CHANNEL = 'desktop:event';
