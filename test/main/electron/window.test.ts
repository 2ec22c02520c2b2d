import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';

// The Electron binary never runs under Vitest: stand in for the module the adapter imports.
vi.mock('electron', () => ({
  BrowserWindow: class {},
  Menu: { setApplicationMenu: () => undefined, buildFromTemplate: () => ({}) },
  shell: { openExternal: () => Promise.resolve() },
}));

const { preloadPath, windowOptions } = await import('../../../src/main/electron/window');
const { menuTemplate } = await import('../../../src/main/electron/menu');

describe('the main window', () => {
  it('runs the renderer isolated and sandboxed, without Node, with our preload only', () => {
    const preload = preloadPath('/opt/lab/out/main');
    const options = windowOptions(preload);
    expect(preload).toBe('/opt/lab/out/preload/index.cjs');
    expect(options.webPreferences).toMatchObject({
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
    });
    expect(options.show).toBe(false);
  });
});

describe('the application menu', () => {
  const items = (template: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions[] =>
    (template.find((menu) => menu.label === label)?.submenu as MenuItemConstructorOptions[]).filter(
      (item) => item.label,
    );

  it('has File and Run menus whose items send their command to the renderer', () => {
    const sent: string[] = [];
    const template = menuTemplate((command) => sent.push(command), 'linux');
    const file = items(template, 'File');
    const run = items(template, 'Run');
    expect(file.map((item) => item.label)).toEqual(['New', 'Open…', 'Save', 'Save As…', 'Export Figure…']);
    expect(run.map((item) => item.label)).toEqual(['Start', 'Cancel']);
    for (const item of [...file, ...run]) (item.click as () => void)();
    expect(sent).toEqual(['new', 'open', 'save', 'save-as', 'export-figure', 'run-start', 'run-cancel']);
    const accelerators = [...file, ...run].map((item) => item.accelerator);
    expect(new Set(accelerators).size).toBe(accelerators.length);
  });

  it('starts with the app menu on macOS', () => {
    expect(menuTemplate(() => undefined, 'darwin')[0]).toEqual({ role: 'appMenu' });
  });
});
