import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { WEB_TOKEN_PARAMETER } from '../../shared/webProtocol';
import { WEB_HOST, WebAccess } from './access';
import { handleHttp } from './httpRoutes';
import { reply } from './staticFiles';
import type { SocketServices } from './socketHost';
import { SocketHost } from './socketHost';

export { cookieValues, WEB_HOST, WEB_TOKEN_COOKIE } from './access';
export { metaCsp, RENDERER_CSP } from './staticFiles';
export { NO_FRAME_ID } from './socketHost';

export interface WebServerOptions {
  /**
   * The host services (HostApi) the socket serves. With connect(), each connection (browser tab)
   * is served through its own view, ended when it closes (see HostServices.connect).
   */
  services: SocketServices;
  /** Folder of the built renderer (out/renderer): index.html and its assets. */
  staticDir: string;
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** The secret clients must present; default 32 random bytes, hex. */
  token?: string;
}

export interface WebServer {
  /** `http://127.0.0.1:PORT/?token=TOKEN`: the address to open. */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  /** Connected WebSocket clients. */
  readonly clients: number;
  close(): Promise<void>;
}

/**
 * The web adapter: the built renderer over HTTP and the HostApi over a WebSocket (see
 * src/shared/webProtocol.ts), on 127.0.0.1 only. Its pieces: access.ts (who may reach it),
 * httpRoutes.ts and staticFiles.ts (the pages), socketHost.ts (the HostApi socket).
 *
 * Access rules, for HTTP and the WebSocket upgrade alike: the Host header must be
 * 127.0.0.1:PORT or localhost:PORT (no DNS rebinding), and an Origin header, when present, must be
 * http://127.0.0.1:PORT or http://localhost:PORT (no other site's pages). The HTML page and the
 * socket also need the per-launch secret: the printed address carries it as `?token=`, which the
 * server exchanges for an HttpOnly, SameSite=Strict cookie and a redirect to the same page without
 * it; after that the page (reloads included) and the socket are allowed by the cookie. The socket
 * also takes `?token=` (clients that are not a browser). Anything else gets 403.
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const access = new WebAccess(options.token ?? randomBytes(32).toString('hex'));
  const staticDir = resolve(options.staticDir);

  const server: Server = createServer((request, response) => {
    handleHttp(access, staticDir, request, response).catch((error: unknown) => {
      console.error('web server: request failed:', error);
      if (!response.headersSent) reply(response, 500, 'Internal Server Error');
      else response.destroy();
    });
  });
  const socketHost = new SocketHost(access, options.services);
  server.on('upgrade', (request, socket, head: Buffer) => socketHost.upgrade(request, socket, head));

  await listen(server, options.port ?? 0);
  const port = (server.address() as AddressInfo).port;
  access.port = port;

  let closing: Promise<void> | null = null;
  return {
    url: `http://${WEB_HOST}:${port}/?${WEB_TOKEN_PARAMETER}=${access.token}`,
    port,
    token: access.token,
    get clients() {
      return socketHost.clients;
    },
    close() {
      closing ??= (async () => {
        await socketHost.close();
        server.closeAllConnections();
        await new Promise<void>((done) => server.close(() => done()));
      })();
      return closing;
    },
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, WEB_HOST, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
}
