import { onBeforeUnmount } from 'vue';
import { shortcutFor } from '../../../shared/shortcuts';
import { typingInField, type LabCommands } from './useLabCommands';

/**
 * The browser host's keyboard shortcuts (the desktop app's come from its menu, which sends the
 * same commands), while `enabled()` (the web host, connected). In a text field, undo, redo and
 * Ctrl+Enter stay the field's own. Listens on the window until the component unmounts.
 */
export function useWebShortcuts(
  enabled: () => boolean,
  mac: boolean,
  commands: Pick<LabCommands, 'run'>,
): void {
  function onKeydown(event: KeyboardEvent): void {
    if (!enabled() || event.repeat) return;
    const command = shortcutFor(event, 'web', mac);
    if (!command) return;
    const typing = typingInField();
    if (typing && (command === 'undo' || command === 'redo')) return;
    if (command === 'run-start' && (event.target as HTMLElement | null)?.tagName === 'TEXTAREA') return;
    // A modal dialog (path, export, shortcuts) keeps the keyboard to itself.
    if (document.querySelector('dialog[open]') && command !== 'shortcuts' && command !== 'glossary') return;
    event.preventDefault();
    void commands.run(command);
  }
  window.addEventListener('keydown', onKeydown);
  onBeforeUnmount(() => window.removeEventListener('keydown', onKeydown));
}
