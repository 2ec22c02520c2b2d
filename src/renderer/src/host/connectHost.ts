import { DESKTOP_API_GLOBAL, type DesktopApi } from '../../../shared/desktopApi';
import { HOST_API_GLOBAL, type HostApi } from '../../../shared/hostApi';
import { WEB_API_PATH } from '../../../shared/webProtocol';
import { webSocketHost } from './webSocketHost';

export interface ConnectedHost {
  api: HostApi;
  /** 'electron' hosts ask for paths with native dialogs; 'web' hosts need the path from us. */
  kind: 'electron' | 'web';
  /** The desktop conventions' bridge (Electron's preload); null in a browser. */
  desktop: DesktopApi | null;
  /** Call `listener` if the connection is lost (only a web host can go away). */
  onDisconnect(listener: () => void): void;
}

/** The Electron preload's bridge if there is one, else the web adapter's WebSocket. */
export async function connectHost(): Promise<ConnectedHost> {
  const bridge = (window as unknown as Record<string, HostApi | undefined>)[HOST_API_GLOBAL];
  if (bridge) {
    const desktop = (window as unknown as Record<string, DesktopApi | undefined>)[DESKTOP_API_GLOBAL];
    return { api: bridge, kind: 'electron', desktop: desktop ?? null, onDisconnect: () => {} };
  }
  // The page never sees the token: the web adapter exchanged the printed address's `?token=` for
  // an HttpOnly cookie, which the browser sends with the socket's handshake too.
  const protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(`${protocol}//${location.host}${WEB_API_PATH}`);
  const api = await webSocketHost(socket);
  return {
    api,
    kind: 'web',
    desktop: null,
    onDisconnect: (listener) => socket.addEventListener('close', () => listener()),
  };
}
