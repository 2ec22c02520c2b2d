import { ref, type Ref } from 'vue';
import { DARK_THEME, PAPER_THEME, type FigureTheme } from '../../../shared/figures/charts';

/** What this module reads of the page (the file is also checked without the DOM library). */
interface MediaQueryLike {
  matches: boolean;
  addEventListener(type: 'change', listener: (event: { matches: boolean }) => void): void;
}
interface PageLike {
  matchMedia?: (query: string) => MediaQueryLike;
  getComputedStyle?: (element: unknown) => { getPropertyValue(name: string): string };
  document?: { documentElement: unknown };
}
const page = globalThis as PageLike;

const query = typeof page.matchMedia === 'function' ? page.matchMedia('(prefers-color-scheme: dark)') : null;
const dark = ref(query?.matches ?? false);
query?.addEventListener('change', (event) => {
  dark.value = event.matches;
});

/**
 * Whether the page is dark: the OS's colour scheme (prefers-color-scheme, which Electron's
 * nativeTheme drives in the desktop app), following it as it changes.
 */
export function usePrefersDark(): Ref<boolean> {
  return dark;
}

/**
 * The live charts' colours: the page's --chart-* CSS variables (App.vue sets them for light and
 * dark), over the shared light or dark figure theme. Exports never use this: they draw on white.
 */
export function pageFigureTheme(isDark = dark.value): FigureTheme {
  const base = isDark ? DARK_THEME : PAPER_THEME;
  const root = page.document?.documentElement;
  if (!root || typeof page.getComputedStyle !== 'function') return base;
  const style = page.getComputedStyle(root);
  const css = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  return {
    ...base,
    background: css('--chart-background', base.background),
    text: css('--chart-text', base.text),
    muted: css('--chart-muted', base.muted),
    grid: css('--chart-grid', base.grid),
    whisker: css('--chart-whisker', base.whisker),
  };
}
