import { app, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { IpcChannel } from '../../shared/hostApi';
import { isOwnRendererUrl, rendererLocation, type RendererLocation } from './rendererLocation';
import { createMainWindow } from './window';

function assertOwnSender(event: IpcMainInvokeEvent, location: RendererLocation): void {
  if (!isOwnRendererUrl(event.senderFrame?.url, location)) {
    throw new Error(`IPC from an untrusted frame: ${event.senderFrame?.url ?? '(gone)'}`);
  }
}

function registerIpc(location: RendererLocation): void {
  ipcMain.handle(IpcChannel.version, (event) => {
    assertOwnSender(event, location);
    return app.getVersion();
  });
}

/** The thin Electron adapter: app lifecycle, one window, IPC handlers. */
export function startElectronApp(mainDir: string): void {
  const devUrl = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL'];
  const location = rendererLocation(mainDir, devUrl);

  void app.whenReady().then(() => {
    registerIpc(location);
    createMainWindow(mainDir, location);
  });

  app.on('window-all-closed', () => app.quit());
}
