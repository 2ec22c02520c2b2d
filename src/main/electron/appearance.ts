import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nativeTheme } from 'electron';
import { writeWholeFile } from '../../node/wholeFile';

/**
 * View ▸ Appearance: follow the system, or keep the app light or dark. Electron's
 * `nativeTheme.themeSource` sets what `prefers-color-scheme` reports to the renderer, which
 * follows it with its CSS and chart themes (src/renderer/src/composables/useColorScheme.ts), so
 * nothing crosses the bridge. The choice is kept in `appearance.json` in the user-data folder.
 */
export const APPEARANCES = ['system', 'light', 'dark'] as const;
export type Appearance = (typeof APPEARANCES)[number];

export const APPEARANCE_LABELS: Record<Appearance, string> = {
  system: 'Follow the System',
  light: 'Light',
  dark: 'Dark',
};

const isAppearance = (value: unknown): value is Appearance =>
  typeof value === 'string' && (APPEARANCES as readonly string[]).includes(value);

/** What a menu needs: the choice now, and a way to change it. */
export interface AppearanceSetting {
  current(): Appearance;
  set(appearance: Appearance): void;
}

/** The saved choice in `appearance.json`; 'system' when there is none or it cannot be read. */
export function readAppearance(file: string): Appearance {
  try {
    const saved = (JSON.parse(readFileSync(file, 'utf8')) as { appearance?: unknown }).appearance;
    return isAppearance(saved) ? saved : 'system';
  } catch {
    return 'system';
  }
}

/** The appearance kept in `settingsDir`, applied to nativeTheme now and on every change. */
export function appearanceSetting(
  settingsDir: string,
  theme: { themeSource: Appearance } = nativeTheme,
  write: (file: string, text: string) => Promise<void> = writeWholeFile,
): AppearanceSetting {
  const file = join(settingsDir, 'appearance.json');
  let appearance = readAppearance(file);
  theme.themeSource = appearance;
  return {
    current: () => appearance,
    set(next) {
      appearance = next;
      theme.themeSource = next;
      // Not being able to keep the choice costs only the next start's appearance.
      write(file, `${JSON.stringify({ appearance: next })}\n`).catch((error: unknown) =>
        console.error(`could not keep the appearance in ${file}:`, error),
      );
    },
  };
}
