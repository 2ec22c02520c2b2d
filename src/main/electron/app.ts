import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain } from 'electron';
import type { IpcMainInvokeEvent, OpenDialogOptions, SaveDialogOptions } from 'electron';
import type { HostEvent, NotebookDocument } from '../../shared/hostApi';
import { NOTEBOOK_EXTENSION } from '../../shared/notebook/format';
import { HOST_EVENT_CHANNEL, ipcChannel } from '../../shared/hostApi';
import { HOST_CALLS } from '../../shared/hostCalls';
import { callHost, createHostServices } from '../hostServices';
import type { HostServices } from '../hostServices';
import { DesktopIntegration } from './desktop';
import { appearanceSetting } from './appearance';
import { installMenu } from './menu';
import { assertOwnSender, installNavigationGuards } from './navigationGuards';
import { rendererLocation, type RendererLocation } from './rendererLocation';
import { createMainWindow, denyAllPermissions } from './window';

const NOTEBOOK_FILTERS = [{ name: 'Accent Lab notebook', extensions: [NOTEBOOK_EXTENSION.slice(1)] }];

function assertOwnSenderOf(event: IpcMainInvokeEvent, location: RendererLocation): void {
  assertOwnSender(event.senderFrame, location);
}

/** One handler per host call: check the sender, validate the arguments, call the services. */
function registerIpc(services: HostServices, location: RendererLocation, desktop: DesktopIntegration): void {
  for (const call of HOST_CALLS) {
    ipcMain.handle(ipcChannel(call), async (event, ...args: unknown[]) => {
      assertOwnSenderOf(event, location);
      const result = await callHost(services, call, args);
      desktop.hostCallDone(call, result);
      return result;
    });
  }
  desktop.registerIpc((event) => assertOwnSenderOf(event, location));
}

/** The window the dialogs belong to, if there is one. */
function currentWindow(): BrowserWindow | undefined {
  return BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
}

async function pickOpenPath(): Promise<string | null> {
  const options: OpenDialogOptions = {
    title: 'Open notebook',
    filters: NOTEBOOK_FILTERS,
    properties: ['openFile'],
  };
  const win = currentWindow();
  const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

async function pickTracePath(): Promise<string | null> {
  const options: OpenDialogOptions = {
    title: 'Import a Valgrind lackey trace',
    filters: [
      { name: 'Lackey trace', extensions: ['trace', 'gz', 'log', 'txt'] },
      { name: 'All files', extensions: ['*'] },
    ],
    properties: ['openFile'],
  };
  const win = currentWindow();
  const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

async function pickStorePath(): Promise<string | null> {
  const options: OpenDialogOptions = {
    title: 'Locate the results store',
    filters: [
      { name: 'Results store', extensions: ['duckdb'] },
      { name: 'All files', extensions: ['*'] },
    ],
    properties: ['openFile'],
  };
  const win = currentWindow();
  const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

async function pickSavePath(notebook: NotebookDocument): Promise<string | null> {
  const options: SaveDialogOptions = {
    title: 'Save notebook',
    defaultPath: `${notebook.name.trim() || 'Untitled'}${NOTEBOOK_EXTENSION}`,
    filters: NOTEBOOK_FILTERS,
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  };
  const win = currentWindow();
  const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
  return result.canceled || !result.filePath ? null : result.filePath;
}

/** The thin Electron adapter: app lifecycle, one window, menu, dialogs and IPC handlers. */
export function startElectronApp(mainDir: string): void {
  const devUrl = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL'];
  const location = rendererLocation(mainDir, devUrl);
  installNavigationGuards(location);
  let services: HostServices | null = null;
  const desktop = new DesktopIntegration({
    // The window is the one tab: remove every autosave this process wrote (RecoveryService.clearTabs).
    clearRecovery: () => services?.recovery.clearTabs() ?? Promise.resolve(),
  });
  // One instance: a second launch (a double-clicked .accentlab) hands its file to this one.
  if (!desktop.claimSingleInstance()) {
    app.quit();
    return;
  }
  desktop.openFromArgv(process.argv, process.cwd());

  void app.whenReady().then(() => {
    const ready = createHostServices({
      workerFile: join(mainDir, 'trialWorker.js'),
      settingsDir: app.getPath('userData'),
      recoveryDir: join(app.getPath('userData'), 'recovery'),
      // out/main/index.js -> the package root's resources/.
      resourcesDir: join(mainDir, '../../resources'),
      pickOpenPath,
      pickSavePath,
      pickTracePath,
      pickStorePath,
    });
    services = ready;
    registerIpc(ready, location, desktop);
    denyAllPermissions();
    // The saved appearance before the window draws, so a dark choice never flashes light.
    const appearance = appearanceSetting(app.getPath('userData'));
    const win = createMainWindow(mainDir, location);
    desktop.attach(win);
    const forward = (event: HostEvent): void => {
      desktop.hostEvent(event);
      if (!win.isDestroyed()) win.webContents.send(HOST_EVENT_CHANNEL, event);
    };
    const unsubscribe = ready.onEvent(forward);
    win.on('closed', unsubscribe);
    installMenu((command) => ready.emit({ type: 'menu', command }), appearance);
  });

  app.on('window-all-closed', () => app.quit());

  // Stop the sweeps and the worker threads before quitting; after a close the user agreed to,
  // remove the autosave (only a crash leaves one behind).
  let closed = false;
  app.on('will-quit', (event) => {
    if (closed || !services) return;
    event.preventDefault();
    void Promise.allSettled([desktop.settled(), services.close()]).finally(() => {
      closed = true;
      app.quit();
    });
  });
}
