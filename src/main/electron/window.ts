import { join } from 'node:path';
import { BrowserWindow, shell } from 'electron';
import type { BrowserWindowConstructorOptions } from 'electron';
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
    },
  };
}

export function createMainWindow(mainDir: string, location: RendererLocation): BrowserWindow {
  const win = new BrowserWindow(windowOptions(preloadPath(mainDir)));

  win.once('ready-to-show', () => win.show());

  // No new windows; open http(s) links in the user's browser instead.
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https:') || url.startsWith('http:')) void shell.openExternal(url);
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
