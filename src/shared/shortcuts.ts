import type { MenuCommand } from './hostApi';

/**
 * The keyboard shortcuts of both hosts, in one table: the desktop app's menu accelerators are
 * built from it, the browser host's key handler matches it, and Help ▸ Keyboard Shortcuts lists
 * it. "Mod" is Ctrl (Cmd on macOS). Browsers keep Ctrl+N and Ctrl+1..8 for themselves, so the
 * browser host uses Alt for New and the tabs.
 */
export interface Shortcut {
  command: MenuCommand;
  label: string;
  desktop: string;
  /** The browser host's keys (the same as the desktop's unless a browser keeps them). */
  web: string;
  /** More keys for the same command (redo: Mod+Y). */
  alternatives?: string[];
}

export const SHORTCUTS: readonly Shortcut[] = [
  { command: 'new', label: 'New notebook', desktop: 'Mod+N', web: 'Alt+N' },
  { command: 'open', label: 'Open…', desktop: 'Mod+O', web: 'Mod+O' },
  { command: 'save', label: 'Save', desktop: 'Mod+S', web: 'Mod+S' },
  { command: 'save-as', label: 'Save As…', desktop: 'Mod+Shift+S', web: 'Mod+Shift+S' },
  { command: 'export-figure', label: 'Export Figure…', desktop: 'Mod+E', web: 'Mod+E' },
  { command: 'export-report', label: 'Export Report…', desktop: 'Mod+Shift+E', web: 'Mod+Shift+E' },
  { command: 'undo', label: 'Undo (notebook and design edits)', desktop: 'Mod+Z', web: 'Mod+Z' },
  {
    command: 'redo',
    label: 'Redo',
    desktop: 'Mod+Shift+Z',
    web: 'Mod+Shift+Z',
    alternatives: ['Mod+Y'],
  },
  { command: 'run-start', label: 'Run the design', desktop: 'Mod+Enter', web: 'Mod+Enter' },
  { command: 'run-cancel', label: 'Cancel the run', desktop: 'Mod+.', web: 'Mod+.' },
  { command: 'show-notebook', label: 'Notebook tab', desktop: 'Mod+1', web: 'Alt+1' },
  { command: 'show-design', label: 'Design tab', desktop: 'Mod+2', web: 'Alt+2' },
  { command: 'show-run', label: 'Run tab', desktop: 'Mod+3', web: 'Alt+3' },
  { command: 'show-results', label: 'Results tab', desktop: 'Mod+4', web: 'Alt+4' },
  { command: 'shortcuts', label: 'Keyboard shortcuts (this list)', desktop: 'F1', web: 'F1' },
  { command: 'glossary', label: 'Glossary of the paper’s terms', desktop: 'Shift+F1', web: 'Shift+F1' },
];

/** "Mod+Shift+S" as Electron's accelerator: "CmdOrCtrl+Shift+S". */
export function accelerator(keys: string): string {
  return keys.replace(/^Mod\+/, 'CmdOrCtrl+').replace(/\+Enter$/, '+Return');
}

/** "Mod+Shift+S" as a person reads it on this platform: "Ctrl+Shift+S" or "⌘⇧S". */
export function keyLabel(keys: string, mac: boolean): string {
  if (!mac) return keys.replace(/^Mod\+/, 'Ctrl+');
  return keys
    .replace(/^Mod\+/, '⌘')
    .replace(/Shift\+/, '⇧')
    .replace(/Alt\+/, '⌥')
    .replace(/Enter$/, '↩');
}

/** What a key event needs to match a shortcut (a subset of KeyboardEvent). */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** Whether a key press is `keys` ("Mod" is Cmd on macOS, else Ctrl). */
export function matches(keys: string, event: KeyPress, mac: boolean): boolean {
  const parts = keys.split('+');
  const key = parts.pop()!;
  const wants = new Set(parts);
  const mod = mac ? event.metaKey : event.ctrlKey;
  const other = mac ? event.ctrlKey : event.metaKey;
  if (mod !== wants.has('Mod') || other) return false;
  if (event.shiftKey !== wants.has('Shift') || event.altKey !== wants.has('Alt')) return false;
  // With Alt or Shift, `key` may be another character ("Dead", "!"): compare the key itself.
  const pressed = event.key.length === 1 ? event.key.toUpperCase() : event.key;
  return pressed === key.toUpperCase() || pressed === key;
}

/** The command of a key press in a host, or null. */
export function shortcutFor(
  event: KeyPress & { code?: string },
  host: 'desktop' | 'web',
  mac: boolean,
): MenuCommand | null {
  for (const shortcut of SHORTCUTS) {
    for (const keys of [shortcut[host], ...(shortcut.alternatives ?? [])]) {
      if (matches(keys, event, mac)) return shortcut.command;
      // Alt+digit and Alt+letter give other characters on some layouts: match the physical key.
      if (event.code && /\+[A-Z0-9]$/.test(keys)) {
        const key = keys.slice(-1);
        const code = /\d/.test(key) ? `Digit${key}` : `Key${key}`;
        if (event.code === code && matches(keys, { ...event, key }, mac)) return shortcut.command;
      }
    }
  }
  return null;
}
