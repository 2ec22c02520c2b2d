import { DESKTOP_API_GLOBAL, type DesktopApi } from '../../../shared/desktopApi';
import { HOST_API_GLOBAL, type HostApi } from '../../../shared/hostApi';
import { WEB_API_PATH, WEB_TOKEN_PARAMETER } from '../../../shared/webProtocol';
import { webSocketHost } from './webSocketHost';

const TOKEN_KEY = 'accentLab.token';

export interface ConnectedHost {
  api: HostApi;
  /** 'electron' hosts ask for paths with native dialogs; 'web' hosts need the path from us. */
  kind: 'electron' | 'web';
  /** The desktop conventions' bridge (Electron's preload); null in a browser. */
  desktop: DesktopApi | null;
  /** Call `listener` if the connection is lost (only a web host can go away). */
  onDisconnect(listener: () => void): void;
}

/** The token from `?token=`, remembered for the tab so reloads without it still connect. */
function webToken(): string | null {
  const fromUrl = new URLSearchParams(location.search).get(WEB_TOKEN_PARAMETER);
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

/** The Electron preload's bridge if there is one, else the web adapter's WebSocket. */
export async function connectHost(): Promise<ConnectedHost> {
  const bridge = (window as unknown as Record<string, HostApi | undefined>)[HOST_API_GLOBAL];
  if (bridge) {
    const desktop = (window as unknown as Record<string, DesktopApi | undefined>)[DESKTOP_API_GLOBAL];
    return { api: bridge, kind: 'electron', desktop: desktop ?? null, onDisconnect: () => {} };
  }
  const token = webToken();
  if (!token)
    throw new Error('No access token: open the address the lab server printed (it ends in ?token=…).');
  const protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const url = `${protocol}//${location.host}${WEB_API_PATH}?${WEB_TOKEN_PARAMETER}=${encodeURIComponent(token)}`;
  const socket = new WebSocket(url);
  const api = await webSocketHost(socket);
  return {
    api,
    kind: 'web',
    desktop: null,
    onDisconnect: (listener) => socket.addEventListener('close', () => listener()),
  };
}
