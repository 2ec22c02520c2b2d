import { Menu } from 'electron';
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../shared/hostApi';
import { accelerator, SHORTCUTS } from '../../shared/shortcuts';
import { APPEARANCE_LABELS, APPEARANCES } from './appearance';
import type { AppearanceSetting } from './appearance';

/**
 * The application menu. Every item of ours only tells the renderer what was chosen (a
 * `{ type: 'menu', command }` host event); the renderer decides what to do, e.g. call saveNotebook.
 * It stays one declarative table, menu by menu in the order they show, so that it reads like the
 * menu bar itself: split per menu, a reader would have to assemble the bar from several places.
 */
export function menuTemplate(
  send: (command: MenuCommand) => void,
  platform: NodeJS.Platform = process.platform,
  appearance?: AppearanceSetting,
): MenuItemConstructorOptions[] {
  // Accelerators from the one shortcut table (src/shared/shortcuts.ts) the Help view lists.
  const keys = (command: MenuCommand): string | undefined => {
    const shortcut = SHORTCUTS.find((candidate) => candidate.command === command);
    return shortcut ? accelerator(shortcut.desktop) : undefined;
  };
  const item = (label: string, command: MenuCommand): MenuItemConstructorOptions => {
    const keyed = keys(command);
    return { label, ...(keyed ? { accelerator: keyed } : {}), click: () => send(command) };
  };
  const template: MenuItemConstructorOptions[] = [
    {
      label: 'File',
      submenu: [
        item('New', 'new'),
        item('Open…', 'open'),
        { type: 'separator' },
        item('Save', 'save'),
        item('Save As…', 'save-as'),
        { type: 'separator' },
        item('Export Figure…', 'export-figure'),
        item('Export Report…', 'export-report'),
        { type: 'separator' },
        platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      // Undo and redo go to the renderer: in a text field it undoes typing, elsewhere the last
      // notebook or design edit.
      label: 'Edit',
      submenu: [
        item('Undo', 'undo'),
        item('Redo', 'redo'),
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    {
      label: 'Run',
      submenu: [item('Start', 'run-start'), item('Cancel', 'run-cancel')],
    },
    {
      label: 'View',
      submenu: [
        item('Notebook', 'show-notebook'),
        item('Design', 'show-design'),
        item('Run', 'show-run'),
        item('Results', 'show-results'),
        { type: 'separator' },
        ...(appearance ? appearanceItems(appearance) : []),
        { role: 'reload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    { label: 'Help', submenu: [item('Keyboard Shortcuts', 'shortcuts'), item('Glossary', 'glossary')] },
  ];
  return platform === 'darwin' ? [{ role: 'appMenu' }, ...template] : template;
}

/** View > Appearance: the main process's own setting (nativeTheme); the renderer follows prefers-color-scheme. */
function appearanceItems(appearance: AppearanceSetting): MenuItemConstructorOptions[] {
  return [
    {
      label: 'Appearance',
      submenu: APPEARANCES.map((choice): MenuItemConstructorOptions => ({
        label: APPEARANCE_LABELS[choice],
        type: 'radio',
        checked: appearance.current() === choice,
        click: () => appearance.set(choice),
      })),
    },
    { type: 'separator' },
  ];
}

export function installMenu(send: (command: MenuCommand) => void, appearance?: AppearanceSetting): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(send, process.platform, appearance)));
}
