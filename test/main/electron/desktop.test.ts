import { EventEmitter } from 'node:events';
import { resolve } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { BrowserWindow } from 'electron';
import type { DesktopEvent } from '../../../src/shared/desktopApi';
import { DESKTOP_EVENT_CHANNEL } from '../../../src/shared/desktopApi';
import type { HostEvent } from '../../../src/shared/hostApi';

const electron = vi.hoisted(() => {
  // The EventEmitter class is only reachable inside the factory, so `app` is filled in below.
  const state = {
    app: null as unknown as {
      on: (name: string, listener: (...args: unknown[]) => void) => void;
      emit: (name: string, ...args: unknown[]) => boolean;
      requestSingleInstanceLock: ReturnType<typeof vi.fn>;
      addRecentDocument: ReturnType<typeof vi.fn>;
    },
    showMessageBox: vi.fn(async (..._args: unknown[]) => ({ response: 0, checkboxChecked: false })),
    handlers: new Map<string, (event: unknown, ...args: unknown[]) => unknown>(),
  };
  return state;
});

// The Electron binary never runs under Vitest: stand in for the module the adapter imports.
vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  const app = Object.assign(new Emitter(), {
    requestSingleInstanceLock: vi.fn(() => true),
    addRecentDocument: vi.fn(),
  });
  electron.app = app as unknown as typeof electron.app;
  return {
    app,
    dialog: { showMessageBox: electron.showMessageBox },
    ipcMain: {
      handle: (channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) =>
        electron.handlers.set(channel, handler),
    },
  };
});

const { DesktopIntegration, closePrompt } = await import('../../../src/main/electron/desktop');
const { notebookFileArgument } = await import('../../../src/main/electron/openFiles');
const { TaskbarProgress } = await import('../../../src/main/electron/taskbarProgress');

/** A BrowserWindow as far as the desktop conventions use it. */
class FakeWindow extends EventEmitter {
  destroyed = false;
  minimized = false;
  sent: DesktopEvent[] = [];
  progress: number[] = [];
  edited: boolean[] = [];
  represented: string[] = [];
  focused = 0;
  readonly webContents = Object.assign(new EventEmitter(), {
    send: (channel: string, event: DesktopEvent) => {
      expect(channel).toBe(DESKTOP_EVENT_CHANNEL);
      this.sent.push(event);
    },
  });
  isDestroyed = (): boolean => this.destroyed;
  isMinimized = (): boolean => this.minimized;
  restore = (): void => void (this.minimized = false);
  focus = (): void => void (this.focused += 1);
  setProgressBar = (value: number): void => void this.progress.push(value);
  setDocumentEdited = (edited: boolean): void => void this.edited.push(edited);
  setRepresentedFilename = (path: string): void => void this.represented.push(path);
  /** As Electron: 'close' may be prevented; otherwise the window goes and 'closed' follows. */
  close = (): boolean => {
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    if (prevented) return false;
    this.destroyed = true;
    this.emit('closed');
    return true;
  };
}

const flush = (): Promise<void> => new Promise((done) => setTimeout(done, 0));

function setup(platform: NodeJS.Platform = 'linux') {
  const clearRecovery = vi.fn(async () => undefined);
  const desktop = new DesktopIntegration({ platform, clearRecovery });
  const window = new FakeWindow();
  desktop.attach(window as unknown as BrowserWindow);
  return { desktop, window, clearRecovery };
}

beforeEach(() => {
  electron.showMessageBox.mockReset();
  electron.app.addRecentDocument.mockClear();
  electron.handlers.clear();
});

describe('closing with unsaved changes', () => {
  it('closes at once, without asking, when nothing is unsaved, and removes the autosave', async () => {
    const { desktop, window, clearRecovery } = setup();
    desktop.setDocumentState({ name: 'Study', path: '/w/study.accentlab', edited: false });
    expect(window.close()).toBe(true);
    expect(electron.showMessageBox).not.toHaveBeenCalled();
    await desktop.settled();
    expect(clearRecovery).toHaveBeenCalled();
  });

  it('asks Save / Don’t Save / Cancel, and Cancel keeps the window and the autosave', async () => {
    const { desktop, window, clearRecovery } = setup();
    desktop.setDocumentState({ name: 'Study', path: null, edited: true });
    electron.showMessageBox.mockResolvedValueOnce({ response: 2, checkboxChecked: false });
    expect(window.close()).toBe(false);
    await flush();
    const options = electron.showMessageBox.mock.calls[0]?.[1] as { buttons: string[]; message: string };
    expect(options.buttons).toEqual(['Save', 'Don’t Save', 'Cancel']);
    expect(options.message).toContain('“Study”');
    expect(window.destroyed).toBe(false);
    expect(window.sent).toEqual([]);
    await desktop.settled();
    expect(clearRecovery).not.toHaveBeenCalled();
  });

  it('Don’t Save closes the window and leaves no autosave behind', async () => {
    const { desktop, window, clearRecovery } = setup();
    desktop.setDocumentState({ name: 'Study', path: null, edited: true });
    electron.showMessageBox.mockResolvedValueOnce({ response: 1, checkboxChecked: false });
    window.close();
    await flush();
    expect(window.destroyed).toBe(true);
    expect(electron.showMessageBox).toHaveBeenCalledTimes(1);
    await desktop.settled();
    // Once when agreed, once more at quit (an autosave sent just before the close lands first).
    expect(clearRecovery).toHaveBeenCalledTimes(2);
  });

  it('Save asks the renderer to save and closes only when it did', async () => {
    const { desktop, window, clearRecovery } = setup();
    desktop.setDocumentState({ name: 'Study', path: null, edited: true });
    electron.showMessageBox.mockResolvedValue({ response: 0, checkboxChecked: false });
    window.close();
    await flush();
    expect(window.sent).toEqual([{ type: 'save-before-close' }]);
    // The user cancelled the Save As dialog: the window stays, and so does the autosave.
    desktop.finishClose(false);
    expect(window.destroyed).toBe(false);
    expect(clearRecovery).not.toHaveBeenCalled();
    // A stray answer with no close pending does nothing.
    desktop.finishClose(true);
    expect(window.destroyed).toBe(false);

    window.close();
    await flush();
    expect(window.sent).toHaveLength(2);
    desktop.setDocumentState({ name: 'Study', path: '/w/study.accentlab', edited: false });
    desktop.finishClose(true);
    expect(window.destroyed).toBe(true);
    await desktop.settled();
    expect(clearRecovery).toHaveBeenCalled();
  });

  it('a second close while the prompt is up does not ask twice', async () => {
    const { desktop, window } = setup();
    desktop.setDocumentState({ name: 'Study', path: null, edited: true });
    let answer: (value: { response: number; checkboxChecked: boolean }) => void = () => undefined;
    electron.showMessageBox.mockReturnValueOnce(new Promise((done) => (answer = done)));
    window.close();
    window.close();
    expect(electron.showMessageBox).toHaveBeenCalledTimes(1);
    answer({ response: 2, checkboxChecked: false });
    await flush();
    expect(window.destroyed).toBe(false);
  });

  it('after the renderer crashed, closes without asking and keeps the autosave', async () => {
    const { desktop, window, clearRecovery } = setup();
    desktop.setDocumentState({ name: 'Study', path: null, edited: true });
    window.webContents.emit('render-process-gone', {}, { reason: 'crashed' });
    expect(window.close()).toBe(true);
    expect(electron.showMessageBox).not.toHaveBeenCalled();
    await desktop.settled();
    expect(clearRecovery).not.toHaveBeenCalled();
  });
});

describe('the edited state', () => {
  it('is the close button’s dot and the represented file on macOS', () => {
    const { desktop, window } = setup('darwin');
    desktop.setDocumentState({ name: 'Study', path: '/w/study.accentlab', edited: true });
    desktop.setDocumentState({ name: 'Study', path: null, edited: false });
    expect(window.edited).toEqual([true, false]);
    expect(window.represented).toEqual(['/w/study.accentlab', '']);
  });

  it('is left to the title elsewhere', () => {
    const { desktop, window } = setup('win32');
    desktop.setDocumentState({ name: 'Study', path: '/w/study.accentlab', edited: true });
    expect(window.edited).toEqual([]);
  });
});

describe('files the OS opens', () => {
  it('finds the .accentlab file on a command line, made absolute', () => {
    expect(notebookFileArgument(['/opt/lab/accent-lab', 'notes/study.accentlab'], '/home/ada')).toBe(
      resolve('/home/ada', 'notes/study.accentlab'),
    );
    expect(notebookFileArgument(['lab', '--flag', '/w/A.ACCENTLAB'], '/')).toBe('/w/A.ACCENTLAB');
    expect(notebookFileArgument(['lab', '.', '--inspect'], '/')).toBeNull();
    expect(notebookFileArgument(['/w/self.accentlab'], '/')).toBeNull();
    expect(notebookFileArgument(['lab', '--x=a.accentlab', 'data.csv'], '/')).toBeNull();
  });

  it('hands the start-up file to the renderer once, then sends later ones as events', () => {
    const { desktop, window } = setup();
    desktop.openFromArgv(['lab', '/w/first.accentlab'], '/');
    expect(window.sent).toEqual([]);
    expect(desktop.takeOpenFile()).toBe('/w/first.accentlab');
    expect(desktop.takeOpenFile()).toBeNull();
    window.minimized = true;
    desktop.openFile('/w/second.accentlab');
    expect(window.sent).toEqual([{ type: 'open-file', path: '/w/second.accentlab' }]);
    expect(window.minimized).toBe(false);
    expect(window.focused).toBe(1);
  });

  it('takes the single-instance lock; a second instance forwards its file, macOS open-file too', () => {
    const { desktop, window } = setup();
    expect(desktop.claimSingleInstance()).toBe(true);
    // macOS may send open-file before the renderer is listening: it waits.
    const event = { preventDefault: vi.fn() };
    electron.app.emit('open-file', event, '/w/early.accentlab');
    expect(event.preventDefault).toHaveBeenCalled();
    expect(window.sent).toEqual([]);
    expect(desktop.takeOpenFile()).toBe('/w/early.accentlab');
    electron.app.emit('second-instance', {}, ['lab', 'other.accentlab'], '/home/ada');
    electron.app.emit('second-instance', {}, ['lab'], '/home/ada');
    expect(window.sent).toEqual([{ type: 'open-file', path: resolve('/home/ada', 'other.accentlab') }]);
    expect(window.focused).toBe(2);
  });

  it('quits when another instance holds the lock', () => {
    electron.app.requestSingleInstanceLock.mockReturnValueOnce(false);
    expect(setup().desktop.claimSingleInstance()).toBe(false);
  });

  it('adds opened and saved notebooks to the OS’s recent documents', () => {
    const { desktop } = setup();
    desktop.hostCallDone('openNotebook', { path: '/w/a.accentlab', notebook: {} });
    desktop.hostCallDone('saveNotebook', { path: '/w/b.accentlab' });
    desktop.hostCallDone('saveNotebook', null);
    desktop.hostCallDone('openBuiltinNotebook', { path: '/w/c.accentlab' });
    expect(electron.app.addRecentDocument.mock.calls).toEqual([['/w/a.accentlab'], ['/w/b.accentlab']]);
  });
});

describe('the desktop calls over IPC', () => {
  it('check the sender and validate the arguments', async () => {
    const { desktop } = setup();
    const checked: unknown[] = [];
    desktop.registerIpc((event) => {
      checked.push(event);
      if ((event as unknown) === 'evil') throw new Error('IPC from an untrusted frame');
    });
    const call = (channel: string, event: unknown, ...args: unknown[]): unknown =>
      electron.handlers.get(`desktop:${channel}`)!(event, ...args);
    expect(call('takeOpenFile', 'own')).toBeNull();
    expect(() => call('takeOpenFile', 'evil')).toThrow(/untrusted/);
    expect(() => call('setDocumentState', 'own', { name: 'x', path: null })).toThrow(/setDocumentState/);
    expect(() => call('setDocumentState', 'own', { name: 'x', path: null, edited: true, extra: 1 })).toThrow(
      /setDocumentState/,
    );
    expect(() => call('finishClose', 'own', 'yes')).toThrow(/finishClose/);
    call('setDocumentState', 'own', { name: 'x', path: null, edited: false });
    expect(checked).toHaveLength(6);
  });
});

describe('sweep progress on the taskbar or dock', () => {
  const started = (sweepId: string, trialCount: number): HostEvent => ({
    type: 'sweep-started',
    sweepId,
    trialCount,
  });
  const finished = (sweepId: string): HostEvent =>
    ({ type: 'trial-finished', sweepId, result: {} }) as unknown as HostEvent;
  const over = (sweepId: string): HostEvent => ({
    type: 'sweep-finished',
    sweepId,
    done: 0,
    failed: 0,
    cancelled: false,
  });

  it('shows finished trials over all running trials, and removes the bar when none runs', () => {
    const { desktop, window } = setup();
    desktop.hostEvent(started('a', 4));
    desktop.hostEvent(finished('a'));
    desktop.hostEvent({ type: 'trial-started', sweepId: 'a', trialId: 't' });
    desktop.hostEvent(started('b', 4));
    desktop.hostEvent(finished('b'));
    desktop.hostEvent(over('a'));
    desktop.hostEvent(over('b'));
    // 0/4, 1/4, 1/8 once b starts, 2/8; a's end leaves b at 1/4 (unchanged); then no bar.
    expect(window.progress).toEqual([0, 0.25, 0.125, 0.25, -1]);
  });

  it('moves in steps of 0.1 %, so a huge sweep does not flood the taskbar', () => {
    const progress = new TaskbarProgress();
    const values: number[] = [];
    const record = (value: number | undefined): void => void (value !== undefined && values.push(value));
    record(progress.receive(started('big', 1_000_000)));
    for (let i = 0; i < 5_000; i += 1) record(progress.receive(finished('big')));
    expect(values).toEqual([0, 0.001, 0.002, 0.003, 0.004, 0.005]);
    record(progress.receive(finished('unknown')));
    expect(values).toHaveLength(6);
  });
});

describe('the close prompt', () => {
  it('names an untitled notebook', () => {
    expect(closePrompt('  ').message).toContain('“Untitled”');
    expect(closePrompt('x').cancelId).toBe(2);
  });
});
