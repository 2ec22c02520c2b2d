import { join } from 'node:path';
import { BrowserWindow, dialog, session, shell } from 'electron';
import type { BrowserWindowConstructorOptions } from 'electron';
import { hostCallsArgument } from '../../shared/hostApi';
import { HOST_CALLS } from '../../shared/hostCalls';
import { externalLinkPrompt, isOpenableExternalUrl } from './externalLinks';
import { isOwnRendererUrl, type RendererLocation } from './rendererLocation';

/** The sandboxed preload is CommonJS; electron-vite writes it next to out/main. */
export function preloadPath(mainDir: string): string {
  return join(mainDir, '../preload/index.cjs');
}

/** The window's options: an isolated, sandboxed renderer without Node, our preload only. */
export function windowOptions(preload: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 800,
    show: false,
    title: 'Accent Migration Lab',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      // A middle-click opens no link of its own (links go through the window-open handler).
      disableBlinkFeatures: 'Auxclick',
      // The names of the host calls, for the preload's methods (see hostCallsArgument).
      additionalArguments: [hostCallsArgument(HOST_CALLS)],
    },
  };
}

/**
 * The renderer needs no browser permission (camera, notifications, geolocation, ...): deny every
 * request and every check, for the default session our window uses.
 */
export function denyAllPermissions(target = session.defaultSession): void {
  target.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  target.setPermissionCheckHandler(() => false);
}

/**
 * Open an http(s) link in the user's browser, only after the user agreed in a native dialog that
 * shows the URL. Anything else is refused. Returns whether the link was opened.
 */
export function openExternalAfterConfirm(url: string, parent?: BrowserWindow): boolean {
  if (!isOpenableExternalUrl(url)) return false;
  const prompt = externalLinkPrompt(url);
  const options = {
    type: 'question' as const,
    title: 'Open link',
    message: prompt.message,
    detail: prompt.detail,
    buttons: prompt.buttons,
    defaultId: 0,
    cancelId: 0,
    noLink: true,
  };
  const choice = parent ? dialog.showMessageBoxSync(parent, options) : dialog.showMessageBoxSync(options);
  if (choice !== 1) return false;
  void shell.openExternal(url);
  return true;
}

export function createMainWindow(mainDir: string, location: RendererLocation): BrowserWindow {
  const win = new BrowserWindow(windowOptions(preloadPath(mainDir)));

  win.once('ready-to-show', () => win.show());

  // No new windows; open http(s) links in the user's browser instead, once the user agrees.
  win.webContents.setWindowOpenHandler(({ url }) => {
    openExternalAfterConfirm(url, win);
    return { action: 'deny' };
  });
  // The window only ever shows our own renderer.
  win.webContents.on('will-navigate', (event, url) => {
    if (!isOwnRendererUrl(url, location)) event.preventDefault();
  });

  if (location.devServerUrl !== null) {
    void win.loadURL(location.devServerUrl);
  } else {
    void win.loadFile(location.indexHtmlPath);
  }
  return win;
}
