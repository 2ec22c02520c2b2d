import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  routeHostEvents,
  useLabCommands,
  type CommandUi,
} from '../../src/renderer/src/composables/useLabCommands';
import { reportState } from '../../src/renderer/src/composables/useReportExport';
import { installHost } from '../../src/renderer/src/host/currentHost';
import { useDesignStore } from '../../src/renderer/src/stores/design';
import { useNotebookStore } from '../../src/renderer/src/stores/notebook';
import { useSweepStore } from '../../src/renderer/src/stores/sweep';
import { FakeHost, smallDesign } from './fakeHost';

const flush = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('lab commands and host events', () => {
  let host: FakeHost;
  let ui: CommandUi & {
    asked: string[];
    suggested: string[];
    failures: string[];
    typed?: string;
    tab: string;
  };

  beforeEach(() => {
    setActivePinia(createPinia());
    host = new FakeHost();
    installHost(host);
    ui = {
      hostKind: 'web',
      asked: [],
      tab: 'design',
      suggested: [],
      failures: [],
      // As the path dialog: the suggestion is taken as typed, tried, and kept open on failure.
      askPath: vi.fn(
        async (
          purpose: 'open' | 'save',
          suggestion: string,
          attempt?: (path: string) => Promise<string | null>,
        ) => {
          ui.asked.push(purpose);
          ui.suggested.push(suggestion);
          const path = ui.typed ?? '/tmp/saved.json';
          const failure = attempt ? await attempt(path) : null;
          if (failure !== null) {
            ui.failures.push(failure);
            return null;
          }
          return path;
        },
      ),
      confirm: vi.fn(() => true),
      showShortcuts: vi.fn(),
      showTab: (tab) => {
        ui.tab = tab;
      },
    };
  });

  it('exports the report from the menu, on the Notebook tab where its outcome shows', async () => {
    const commands = useLabCommands(ui);
    routeHostEvents(host, commands);
    host.emit({ type: 'menu', command: 'export-report' });
    expect(ui.tab).toBe('notebook');
    expect(reportState.value?.working).toBe(true);
    await expect.poll(() => reportState.value?.working).toBe(false);
    // The generator line names the host's version; the download itself needs a page (the browser test).
    expect(host.version).toHaveBeenCalled();
  });

  it('runs the menu command a host event names', async () => {
    const commands = useLabCommands(ui);
    routeHostEvents(host, commands);
    useDesignStore().load(smallDesign());

    host.emit({ type: 'menu', command: 'save' });
    await flush();
    expect(ui.asked).toEqual(['save']); // the web host has no path yet: Save asks for one
    expect(host.saveNotebook).toHaveBeenCalledWith(expect.anything(), '/tmp/saved.json', undefined);
    expect(useNotebookStore().dirty).toBe(false);

    host.emit({ type: 'menu', command: 'run-start' });
    await flush();
    expect(host.startSweep).toHaveBeenCalledOnce();
    expect(ui.tab).toBe('run');

    host.emit({ type: 'menu', command: 'run-cancel' });
    await flush();
    expect(host.cancelSweep).toHaveBeenCalledWith('sweep-1');
  });

  it('suggests a first save in the host folder, and keeps the dialog open with the reason when a save fails', async () => {
    const commands = useLabCommands(ui);
    const notebook = useNotebookStore();
    useDesignStore().load(smallDesign());
    host.saveNotebook.mockRejectedValueOnce(new Error('the notebook path must be absolute, got "x"'));
    await commands.saveNotebookAs();
    // No recent file: the host's notebooks folder, an absolute path.
    expect(ui.suggested).toEqual(['/home/lab/Untitled.accentlab']);
    expect(ui.failures).toEqual(['the notebook path must be absolute, got "x"']);
    // The message is shown in the dialog, not also in the window's error banner.
    expect(notebook.error).toBeNull();
    expect(notebook.dirty).toBe(true);
    await commands.saveNotebookAs();
    expect(ui.failures).toHaveLength(1);
    expect(notebook.path).toBe('/tmp/saved.json');
  });

  it('sends sweep events to the sweep store', async () => {
    const commands = useLabCommands(ui);
    routeHostEvents(host, commands);
    const sweep = useSweepStore();
    await sweep.start(smallDesign());
    host.emit({ type: 'trial-started', sweepId: 'sweep-1', trialId: 'Chess/pure-copy' });
    expect(sweep.row('Chess/pure-copy')?.status).toBe('running');
  });

  it('asks before running a design over LARGE_DESIGN_TRIALS, and before discarding changes', async () => {
    const commands = useLabCommands(ui);
    const design = useDesignStore();
    design.load({
      ...smallDesign(),
      repetitions: 10_000,
      prefetchValues: Array.from({ length: 10 }, (_, i) => i),
    });
    ui.confirm = vi.fn(() => false);
    await commands.startRun();
    expect(ui.confirm).toHaveBeenCalledWith(expect.stringContaining('trials'));
    expect(host.startSweep).not.toHaveBeenCalled();

    design.setRepresentative('Lisp-T', true);
    await commands.newNotebook();
    expect(host.newNotebook).not.toHaveBeenCalled();
  });

  it('cancels a running sweep, when the user agrees, before another notebook replaces this one', async () => {
    const commands = useLabCommands(ui);
    const sweep = useSweepStore();
    await sweep.start(smallDesign());
    ui.confirm = vi.fn(() => false);
    await commands.newNotebook();
    expect(host.cancelSweep).not.toHaveBeenCalled();
    expect(host.newNotebook).not.toHaveBeenCalled();

    ui.confirm = vi.fn(() => true);
    await commands.newNotebook();
    expect(host.cancelSweep).toHaveBeenCalledWith('sweep-1');
    expect(host.newNotebook).toHaveBeenCalledOnce();
  });

  it('lets the Electron host ask for paths itself', async () => {
    ui.hostKind = 'electron';
    const commands = useLabCommands(ui);
    await commands.openNotebook();
    expect(host.openNotebook).toHaveBeenCalledWith(undefined);
    await commands.saveNotebookAs();
    expect(host.saveNotebook).toHaveBeenCalledWith(expect.anything(), undefined, undefined);
    expect(ui.asked).toEqual([]);
  });
});
