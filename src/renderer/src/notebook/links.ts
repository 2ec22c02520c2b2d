import { useHostTraits } from '../host/currentHost';

export interface LinkUi {
  confirm(message: string): boolean;
  /** Hand the URL to the host: a new browser tab, or Electron's window-open handler. */
  open(url: string): void;
}

/** The page's window (typed here: tests type-check this module without the DOM library). */
const page = globalThis as unknown as {
  confirm(message: string): boolean;
  open(url: string, target: string, features: string): unknown;
};

const browserUi: LinkUi = {
  confirm: (message) => page.confirm(message),
  open: (url) => void page.open(url, '_blank', 'noopener,noreferrer'),
};

/**
 * Follow a note's link, asking the user exactly once: Electron asks in its own native dialog
 * (src/main/electron/window.ts) when the window opens, so the renderer asks only in a browser.
 * Only http(s) links are followed. True when the link was handed on.
 */
export function followNoteLink(href: string, ui: LinkUi = browserUi): boolean {
  if (!/^https?:\/\//i.test(href)) return false;
  if (!useHostTraits().confirmsLinks && !ui.confirm(`Open ${href} in your browser?`)) return false;
  ui.open(href);
  return true;
}
