import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions, Session } from 'electron';

const electron = vi.hoisted(() => ({
  openExternal: vi.fn(() => Promise.resolve()),
  showMessageBoxSync: vi.fn((..._args: unknown[]) => 0),
}));

// The Electron binary never runs under Vitest: stand in for the module the adapter imports.
vi.mock('electron', () => ({
  BrowserWindow: class {},
  Menu: { setApplicationMenu: () => undefined, buildFromTemplate: () => ({}) },
  shell: { openExternal: electron.openExternal },
  dialog: { showMessageBoxSync: electron.showMessageBoxSync },
  session: { defaultSession: undefined },
  nativeTheme: { themeSource: 'system' },
}));

const { denyAllPermissions, openExternalAfterConfirm, preloadPath, windowOptions } =
  await import('../../../src/main/electron/window');
const { menuTemplate } = await import('../../../src/main/electron/menu');
const { appearanceSetting, readAppearance } = await import('../../../src/main/electron/appearance');
const { hostCallsFromArgv } = await import('../../../src/shared/hostApi');
const { HOST_CALLS } = await import('../../../src/shared/hostCalls');

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
      disableBlinkFeatures: 'Auxclick',
    });
    // The preload's methods: one per declared host call, named on the renderer's command line.
    expect(hostCallsFromArgv(options.webPreferences?.additionalArguments ?? [])).toEqual(HOST_CALLS);
    expect(options.show).toBe(false);
  });
});

describe('browser permissions', () => {
  it('denies every permission request and every permission check', () => {
    let request: ((...args: unknown[]) => void) | undefined;
    let check: ((...args: unknown[]) => boolean) | undefined;
    const fake = {
      setPermissionRequestHandler: (handler: typeof request) => (request = handler),
      setPermissionCheckHandler: (handler: typeof check) => (check = handler),
    };
    denyAllPermissions(fake as unknown as Session);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const callback = vi.fn();
      request?.({}, permission, callback, {});
      expect(callback).toHaveBeenCalledWith(false);
      expect(check?.({}, permission, 'file://', {})).toBe(false);
    }
  });
});

describe('external links', () => {
  beforeEach(() => {
    electron.openExternal.mockClear();
    electron.showMessageBoxSync.mockReset();
  });

  it('opens an http(s) link only after the user agrees in a dialog that shows the URL', () => {
    electron.showMessageBoxSync.mockReturnValue(1);
    expect(openExternalAfterConfirm('https://example.org/paper')).toBe(true);
    const options = electron.showMessageBoxSync.mock.calls[0]?.[0] as { detail: string; cancelId: number };
    expect(options.detail).toBe('https://example.org/paper');
    expect(options.cancelId).toBe(0);
    expect(electron.openExternal).toHaveBeenCalledWith('https://example.org/paper');
    expect(electron.showMessageBoxSync).toHaveBeenCalledTimes(1);
  });

  it('does not open the link when the user cancels', () => {
    electron.showMessageBoxSync.mockReturnValue(0);
    expect(openExternalAfterConfirm('https://example.org/')).toBe(false);
    expect(electron.openExternal).not.toHaveBeenCalled();
  });

  it('refuses other schemes without even asking', () => {
    electron.showMessageBoxSync.mockReturnValue(1);
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'nonsense']) {
      expect(openExternalAfterConfirm(url)).toBe(false);
    }
    expect(electron.showMessageBoxSync).not.toHaveBeenCalled();
    expect(electron.openExternal).not.toHaveBeenCalled();
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
    expect(file.map((item) => item.label)).toEqual([
      'New',
      'Open…',
      'Save',
      'Save As…',
      'Export Figure…',
      'Export Report…',
    ]);
    expect(run.map((item) => item.label)).toEqual(['Start', 'Cancel']);
    for (const item of [...file, ...run]) (item.click as () => void)();
    expect(sent).toEqual([
      'new',
      'open',
      'save',
      'save-as',
      'export-figure',
      'export-report',
      'run-start',
      'run-cancel',
    ]);
    expect(file[0]!.accelerator).toBe('CmdOrCtrl+N');
    expect(file.find((item) => item.label === 'Export Report…')?.accelerator).toBe('CmdOrCtrl+Shift+E');
    expect(run[0]!.accelerator).toBe('CmdOrCtrl+Return');
  });

  it('sends undo, redo, the tabs and the shortcut list to the renderer, every accelerator once', () => {
    const sent: string[] = [];
    const template = menuTemplate((command) => sent.push(command), 'linux');
    const ours = ['File', 'Edit', 'Run', 'View', 'Help'].flatMap((label) =>
      items(template, label).filter((item) => item.click),
    );
    for (const item of ours) (item.click as () => void)();
    expect(sent).toEqual(
      expect.arrayContaining(['undo', 'redo', 'show-notebook', 'show-results', 'shortcuts']),
    );
    const accelerators = ours.map((item) => item.accelerator);
    expect(accelerators.every((keys) => typeof keys === 'string')).toBe(true);
    expect(new Set(accelerators).size).toBe(accelerators.length);
    expect(items(template, 'Edit').find((item) => item.label === 'Undo')?.accelerator).toBe('CmdOrCtrl+Z');
  });

  it('offers View ▸ Appearance: system, light or dark, set on nativeTheme and kept for the next start', async () => {
    const settings = mkdtempSync(join(tmpdir(), 'accent-lab-appearance-'));
    try {
      const theme = { themeSource: 'light' as 'system' | 'light' | 'dark' };
      const written: Promise<void>[] = [];
      const write = (file: string, text: string): Promise<void> => {
        const done = writeFile(file, text);
        written.push(done);
        return done;
      };
      const setting = appearanceSetting(settings, theme, write);
      // Nothing saved yet: follow the system.
      expect(theme.themeSource).toBe('system');
      const view = (template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] =>
        template.find((menu) => menu.label === 'View')!.submenu as MenuItemConstructorOptions[];
      const submenu = view(menuTemplate(() => undefined, 'linux', setting)).find(
        (item) => item.label === 'Appearance',
      )!.submenu as MenuItemConstructorOptions[];
      expect(submenu.map((item) => [item.label, item.type, item.checked])).toEqual([
        ['Follow the System', 'radio', true],
        ['Light', 'radio', false],
        ['Dark', 'radio', false],
      ]);
      (submenu[2]!.click as () => void)();
      expect(theme.themeSource).toBe('dark');
      await Promise.all(written);
      expect(readAppearance(join(settings, 'appearance.json'))).toBe('dark');
      // The next start applies the saved choice before the window draws.
      const next = { themeSource: 'system' as 'system' | 'light' | 'dark' };
      expect(appearanceSetting(settings, next, write).current()).toBe('dark');
      expect(next.themeSource).toBe('dark');
      // A damaged file falls back to the system's appearance.
      await writeFile(join(settings, 'appearance.json'), '{"appearance": "purple"}');
      expect(readAppearance(join(settings, 'appearance.json'))).toBe('system');
    } finally {
      rmSync(settings, { recursive: true, force: true });
    }
  });

  it('starts with the app menu on macOS', () => {
    expect(menuTemplate(() => undefined, 'darwin')[0]).toEqual({ role: 'appMenu' });
  });
});
