import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Where the renderer lives and which senders count as "our own page". Pure Node code (no
 * `electron` import) so it can be unit-tested without the Electron binary.
 */
export interface RendererLocation {
  /** Dev server URL (electron-vite dev sets ELECTRON_RENDERER_URL), or null for the built renderer. */
  devServerUrl: string | null;
  /** Absolute path of the built renderer's index.html. */
  indexHtmlPath: string;
}

/** `mainDir` is the directory of the built main bundle (out/main). */
export function rendererLocation(mainDir: string, devServerUrl: string | undefined): RendererLocation {
  return {
    devServerUrl: devServerUrl && devServerUrl.length > 0 ? devServerUrl : null,
    indexHtmlPath: join(mainDir, '../renderer/index.html'),
  };
}

/** True if `senderUrl` is the app's own renderer page (ignoring query and hash). */
export function isOwnRendererUrl(senderUrl: string | undefined | null, location: RendererLocation): boolean {
  if (!senderUrl) return false;
  let url: URL;
  try {
    url = new URL(senderUrl);
  } catch {
    return false;
  }
  if (location.devServerUrl !== null) {
    return url.origin === new URL(location.devServerUrl).origin;
  }
  // The host too: file://attacker/share/…/index.html is a network (UNC) path on Windows.
  const own = pathToFileURL(location.indexHtmlPath);
  return url.protocol === 'file:' && url.host === own.host && url.pathname === own.pathname;
}
