import { externalUrlProblem } from '../../../shared/externalUrl';
import { useHostTraits } from '../host/currentHost';

export interface LinkUi {
  confirm(message: string): boolean;
  /** Say why a link is not opened. */
  alert(message: string): void;
  /** Hand the URL to the host: a new browser tab, or Electron's window-open handler. */
  open(url: string): void;
}

/** The page's window (typed here: tests type-check this module without the DOM library). */
const page = globalThis as unknown as {
  confirm(message: string): boolean;
  alert(message: string): void;
  open(url: string, target: string, features: string): unknown;
};

const browserUi: LinkUi = {
  confirm: (message) => page.confirm(message),
  alert: (message) => page.alert(message),
  open: (url) => void page.open(url, '_blank', 'noopener,noreferrer'),
};

/**
 * Follow a note's link, asking the user exactly once: Electron asks in its own native dialog
 * (src/main/electron/window.ts) when the window opens, so the renderer asks only in a browser.
 * Only http(s) links are followed; one with a user name or password in it
 * (`https://bank.example@evil.example/`) is refused, saying which host it really goes to. The
 * question shows the address as the browser will read it. True when the link was handed on.
 */
export function followNoteLink(href: string, ui: LinkUi = browserUi): boolean {
  if (!/^https?:\/\//i.test(href)) return false;
  const problem = externalUrlProblem(href);
  if (problem !== null) {
    ui.alert(`This link is not opened: ${problem}.`);
    return false;
  }
  const plain = new URL(href).href;
  if (!useHostTraits().confirmsLinks && !ui.confirm(`Open ${plain} in your browser?`)) return false;
  ui.open(plain);
  return true;
}

/**
 * A click on a note's rendered Markdown: a link in it (left, middle or modified click) goes
 * through followNoteLink and never straight to the browser. Other buttons (the context menu) and
 * clicks outside links are left alone.
 */
export function onNoteLinkClick(
  event: { target: unknown; button: number; preventDefault(): void },
  ui: LinkUi = browserUi,
): void {
  if (event.button !== 0 && event.button !== 1) return;
  const target = event.target as {
    closest?: (selector: string) => { getAttribute(name: string): string | null } | null;
  };
  const link = typeof target?.closest === 'function' ? target.closest('a') : null;
  if (!link) return;
  event.preventDefault();
  followNoteLink(link.getAttribute('href') ?? '', ui);
}
