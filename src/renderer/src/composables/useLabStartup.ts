import { onBeforeUnmount, onMounted, ref } from 'vue';
import { messageOf } from '../../../shared/messageOf';
import { connectHost } from '../host/connectHost';
import { installHost } from '../host/currentHost';
import { useCatalogStore } from '../stores/catalog';
import { useDesignStore } from '../stores/design';
import { useNotebookStore } from '../stores/notebook';
import { connectDesktop } from './useDesktop';
import { routeHostEvents, type LabCommands } from './useLabCommands';

/**
 * The app's start (for App.vue): the connection to the lab host, and what follows once it is
 * made. `start` (called during setup, once the commands exist) connects on mount: it installs the
 * host, routes its events, loads the catalog, offers autosaved work, starts a new notebook and
 * autosave, opens the file the desktop app was started with, and calls `showWelcome` when the
 * notebook is still empty. Its subscriptions and autosave end when the app unmounts.
 */
export function useLabStartup() {
  const connection = ref<'connecting' | 'ready' | 'failed'>('connecting');
  const connectionError = ref('');
  const hostKind = ref<'electron' | 'web'>('web');
  const version = ref('');
  const disconnected = ref(false);

  function start(commands: LabCommands, showWelcome: () => Promise<void>): void {
    const catalog = useCatalogStore();
    const design = useDesignStore();
    const notebook = useNotebookStore();
    let unsubscribe: (() => void) | null = null;
    let disconnectDesktop: (() => void) | null = null;

    onMounted(async () => {
      try {
        const host = await connectHost();
        installHost(host.api, { confirmsLinks: host.kind === 'electron' });
        hostKind.value = host.kind;
        host.onDisconnect(() => {
          disconnected.value = true;
        });
        unsubscribe = routeHostEvents(host.api, commands);
        await catalog.load();
        if (catalog.error) throw new Error(catalog.error);
        // Asked first: starting the new notebook clears this tab's autosave, which after a reload is
        // the tab's unsaved work (the host sets it aside and offers it).
        await notebook.checkRecovery();
        if (!(await notebook.newNotebook())) design.reset(catalog.hardwarePresets[0]);
        notebook.startAutosave();
        if (host.desktop) {
          disconnectDesktop = connectDesktop(host.desktop, commands);
          // The .accentlab file the app was started with (double-click, command line).
          const file = await host.desktop.takeOpenFile();
          if (file) await commands.openNotebook(file);
        }
        if (notebook.isEmpty) await showWelcome();
        version.value = await host.api.version().catch(() => '');
        connection.value = 'ready';
      } catch (cause) {
        connectionError.value = messageOf(cause);
        connection.value = 'failed';
      }
    });

    onBeforeUnmount(() => {
      unsubscribe?.();
      disconnectDesktop?.();
      notebook.stopAutosave();
    });
  }

  return { connection, connectionError, hostKind, version, disconnected, start };
}
