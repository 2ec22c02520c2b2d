import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import { connectDesktop, platformWindowTitle } from '../../src/renderer/src/composables/useDesktop';
import { useLabCommands, type CommandUi } from '../../src/renderer/src/composables/useLabCommands';
import { installHost } from '../../src/renderer/src/host/currentHost';
import { useNotebookStore } from '../../src/renderer/src/stores/notebook';
import type { DesktopApi, DesktopEvent, DocumentState } from '../../src/shared/desktopApi';
import { FakeHost } from './fakeHost';

const flush = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** The preload's desktop bridge, in memory. */
function fakeDesktop() {
  const listeners = new Set<(event: DesktopEvent) => void>();
  const states: DocumentState[] = [];
  const finished: boolean[] = [];
  const desktop: DesktopApi = {
    setDocumentState: vi.fn(async (state: DocumentState) => void states.push(state)),
    takeOpenFile: vi.fn(async () => null),
    finishClose: vi.fn(async (saved: boolean) => void finished.push(saved)),
    onEvent: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const send = (event: DesktopEvent): void => listeners.forEach((listener) => listener(event));
  return { desktop, states, finished, send, listeners };
}

describe('the desktop conventions in the renderer', () => {
  let host: FakeHost;
  let ui: CommandUi;

  beforeEach(() => {
    setActivePinia(createPinia());
    host = new FakeHost();
    installHost(host);
    ui = {
      hostKind: 'electron',
      askPath: vi.fn(async () => null),
      confirm: vi.fn(() => true),
      showTab: vi.fn(),
      showShortcuts: vi.fn(),
    };
  });

  it('tells the main process the name, file and unsaved state as they change', async () => {
    const { desktop, states } = fakeDesktop();
    const notebook = useNotebookStore();
    await notebook.newNotebook();
    connectDesktop(desktop, useLabCommands(ui));
    expect(states.at(-1)).toEqual({ name: notebook.name, path: null, edited: false });
    notebook.addNote('x');
    await nextTick();
    expect(states.at(-1)).toMatchObject({ edited: true });
  });

  it('opens a file the OS sent', async () => {
    const { desktop, send } = fakeDesktop();
    const notebook = useNotebookStore();
    await notebook.newNotebook();
    host.files.set('/w/a.accentlab', { ...notebook.toDocument(), name: 'From Finder' });
    connectDesktop(desktop, useLabCommands(ui));
    send({ type: 'open-file', path: '/w/a.accentlab' });
    await flush();
    expect(notebook.name).toBe('From Finder');
    expect(notebook.path).toBe('/w/a.accentlab');
  });

  it('saves before a close and answers whether it did', async () => {
    const { desktop, send, finished } = fakeDesktop();
    const notebook = useNotebookStore();
    await notebook.newNotebook();
    notebook.addNote('unsaved');
    connectDesktop(desktop, useLabCommands(ui));
    // Untitled: the host's Save dialog is cancelled (FakeHost answers null without a path).
    send({ type: 'save-before-close' });
    await flush();
    expect(finished).toEqual([false]);
    expect(notebook.dirty).toBe(true);
    // With a file, the save goes through and the close may go on.
    host.files.set('/w/b.accentlab', notebook.toDocument());
    await notebook.open('/w/b.accentlab');
    notebook.addNote('more');
    send({ type: 'save-before-close' });
    await flush();
    expect(host.files.get('/w/b.accentlab')?.entries).toHaveLength(notebook.entries.length);
    expect(finished).toEqual([false, true]);
  });

  it('stops listening when disconnected', async () => {
    const { desktop, listeners } = fakeDesktop();
    const disconnect = connectDesktop(desktop, useLabCommands(ui));
    expect(listeners.size).toBe(1);
    disconnect();
    expect(listeners.size).toBe(0);
  });

  it('drops the title’s dot on macOS, where the close button shows it', () => {
    expect(platformWindowTitle('• Study — Accent Migration Lab', true)).toBe('Study — Accent Migration Lab');
    expect(platformWindowTitle('• Study — Accent Migration Lab', false)).toBe(
      '• Study — Accent Migration Lab',
    );
  });
});
