import { app } from 'electron';
import type { WebContents } from 'electron';
import { isOwnRendererUrl, type RendererLocation } from './rendererLocation';

/**
 * Guards every web contents the app creates (the window's, and any other that might appear):
 * it never leaves our own page, whether by a navigation, a redirect or a frame's navigation,
 * attaches no <webview>, and opens no window (the main window then installs its own handler,
 * which hands http(s) links to the browser after asking: see window.ts).
 */
export function guardWebContents(contents: WebContents, location: RendererLocation): void {
  const stayHome = (event: { preventDefault(): void }, url: string): void => {
    if (!isOwnRendererUrl(url, location)) event.preventDefault();
  };
  contents.on('will-navigate', (event) => stayHome(event, event.url));
  contents.on('will-redirect', (event) => stayHome(event, event.url));
  contents.on('will-frame-navigate', (event) => stayHome(event, event.url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** Guard each web contents as it is created (call once, before the first window). */
export function installNavigationGuards(location: RendererLocation): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, location));
}
