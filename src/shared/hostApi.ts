/**
 * The contract between the renderer and its host (Electron preload today, an HTTP adapter later).
 * The preload exposes exactly these methods on `window.accentLab`; nothing else crosses the bridge.
 */
export interface HostApi {
  /** The application version reported by the host. */
  version(): Promise<string>;
}

/** The global name under which the preload exposes the {@link HostApi}. */
export const HOST_API_GLOBAL = 'accentLab';

/** IPC channel names, one per host call. */
export const IpcChannel = {
  version: 'app:version',
} as const;
