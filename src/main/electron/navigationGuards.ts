import { app } from 'electron';
import type { WebContents, WebFrameMain } from 'electron';
import { isOwnRendererUrl, type RendererLocation } from './rendererLocation';

/** What the guards read of a navigation event (Electron's event params). */
export interface NavigationAttempt {
  url: string;
  /** True for the main frame; absent or false is taken for a subframe (fail closed). */
  isMainFrame?: boolean;
}

/**
 * Whether a navigation may go ahead. The main frame may only go to our own page. Our page has no
 * frames (notes' HTML is sanitized without `<iframe>`, `<object>` or `<embed>`), so a subframe
 * may go nowhere, not even to our own page: a copy of the renderer inside a frame is not the
 * window's renderer.
 */
export function navigationAllowed(attempt: NavigationAttempt, location: RendererLocation): boolean {
  return attempt.isMainFrame === true && isOwnRendererUrl(attempt.url, location);
}

/**
 * Guards every web contents the app creates (the window's, and any other that might appear):
 * it never leaves our own page, whether by a navigation, a redirect or a frame's navigation,
 * no subframe navigates, it attaches no <webview>, and opens no window (the main window then
 * installs its own handler, which hands http(s) links to the browser after asking: see
 * window.ts).
 */
export function guardWebContents(contents: WebContents, location: RendererLocation): void {
  const guard = (event: NavigationAttempt & { preventDefault(): void }): void => {
    if (!navigationAllowed(event, location)) event.preventDefault();
  };
  // will-navigate is the main frame's alone (Electron's documentation), whatever the event says.
  contents.on('will-navigate', (event) =>
    guard({ url: event.url, isMainFrame: true, preventDefault: () => event.preventDefault() }),
  );
  contents.on('will-redirect', (event) => guard(event));
  contents.on('will-frame-navigate', (event) => guard(event));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** Guard each web contents as it is created (call once, before the first window). */
export function installNavigationGuards(location: RendererLocation): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, location));
}

/**
 * Throws unless an IPC message came from our renderer's main frame: our own page, not in a
 * subframe (a frame has a parent), and not a frame that is gone.
 */
export function assertOwnSender(
  frame: Pick<WebFrameMain, 'url' | 'parent'> | null | undefined,
  location: RendererLocation,
): void {
  if (!frame || frame.parent !== null || !isOwnRendererUrl(frame.url, location)) {
    const where = frame ? `${frame.parent !== null ? 'a subframe at ' : ''}${frame.url}` : '(gone)';
    throw new Error(`IPC from an untrusted frame: ${where}`);
  }
}
