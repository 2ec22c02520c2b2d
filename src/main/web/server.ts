import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { RawData } from 'ws';
import type { HostApi, HostEvent } from '../../shared/hostApi';
import type { CallFrame, EventFrame, ReplyFrame } from '../../shared/webProtocol';
import { WEB_API_PATH, WEB_TOKEN_PARAMETER } from '../../shared/webProtocol';
import { callHost, isHostCall } from '../hostServices';

/** The only interface the web adapter listens on. */
export const WEB_HOST = '127.0.0.1';

/** The renderer's own policy (its index.html meta); sent as a header too when the page has none. */
export const RENDERER_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'";

/** Largest frame a client may send (a notebook with all its results). */
const MAX_FRAME_BYTES = 64 * 1024 * 1024;

/** Reply id used when a bad frame carries no usable id. */
export const NO_FRAME_ID = -1;

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export interface WebServerOptions {
  /**
   * The host services (HostApi) the socket serves. With connect(), each connection (browser tab)
   * is served through its own view, ended when it closes (see HostServices.connect).
   */
  services: HostApi & { connect?(): { readonly api: HostApi; end(): void } };
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

function sameSecret(given: string | null, token: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The session cookie's name (the server's port is appended). */
export const WEB_TOKEN_COOKIE = 'accentLabToken';

/** Every value of the cookie `name` in a Cookie header (decoded; undecodable ones left out). */
export function cookieValues(header: string | undefined, name: string): string[] {
  if (!header) return [];
  const values: string[] = [];
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at < 0 || part.slice(0, at).trim() !== name) continue;
    try {
      values.push(decodeURIComponent(part.slice(at + 1).trim()));
    } catch {
      // a value that is not percent-encoding is no token of ours
    }
  }
  return values;
}

/** The CSP meta of an HTML page, if it has one, so the header says exactly what the page says. */
export function metaCsp(html: string): string | null {
  const tag = /<meta\b[^>]*http-equiv\s*=\s*["']Content-Security-Policy["'][^>]*>/i.exec(html)?.[0];
  const content = tag ? /\bcontent\s*=\s*(["'])([\s\S]*?)\1/i.exec(tag)?.[2] : undefined;
  return content ? content.replace(/\s+/g, ' ').trim() : null;
}

/**
 * The web adapter: the built renderer over HTTP and the HostApi over a WebSocket (see
 * src/shared/webProtocol.ts), on 127.0.0.1 only.
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
  const token = options.token ?? randomBytes(32).toString('hex');
  const staticDir = resolve(options.staticDir);
  const services = options.services;
  let port = 0;
  let cookieName = WEB_TOKEN_COOKIE;

  const hostAllowed = (host: string | undefined): boolean =>
    host === `${WEB_HOST}:${port}` || host === `localhost:${port}`;
  const originAllowed = (origin: string | undefined): boolean =>
    origin === undefined || origin === `http://${WEB_HOST}:${port}` || origin === `http://localhost:${port}`;
  /**
   * Whether the request carries the session cookie with the token. Cookies are not kept apart by
   * port, so the cookie's name carries the port: two servers on one machine never share one.
   */
  const cookieAllowed = (request: IncomingMessage): boolean =>
    cookieValues(request.headers.cookie, cookieName).some((value) => sameSecret(value, token));
  const parseUrl = (request: IncomingMessage): URL | null => {
    try {
      return new URL(request.url ?? '/', `http://${WEB_HOST}:${port}`);
    } catch {
      return null;
    }
  };

  const securityHeaders = {
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };

  function reply(response: ServerResponse, status: number, text: string): void {
    response.writeHead(status, {
      ...securityHeaders,
      'Content-Type': 'text/plain; charset=utf-8',
      'Cache-Control': 'no-store',
    });
    response.end(`${text}\n`);
  }

  /** The file under staticDir for a URL path, or null when it would leave the folder. */
  function fileFor(pathname: string): string | null {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return null;
    }
    if (decoded.includes('\0')) return null;
    const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
    const file = resolve(join(staticDir, relative));
    return file === staticDir || file.startsWith(staticDir + sep) ? file : null;
  }

  async function handleHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!hostAllowed(request.headers.host) || !originAllowed(request.headers.origin)) {
      reply(response, 403, 'Forbidden');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      reply(response, 405, 'Method Not Allowed');
      return;
    }
    const url = parseUrl(request);
    const file = url ? fileFor(url.pathname) : null;
    if (!url || !file) {
      reply(response, 404, 'Not Found');
      return;
    }
    const isHtml = extname(file) === '.html';
    if (isHtml) {
      const given = url.searchParams.get(WEB_TOKEN_PARAMETER);
      if (given !== null) {
        if (!sameSecret(given, token)) {
          reply(response, 403, 'Forbidden: open the address the server printed (it carries the token)');
          return;
        }
        // The address with the token is used once: its token becomes an HttpOnly cookie and the
        // browser goes on to the same page without it, so the token never stays in the address
        // bar or the tab's history (issue 14, finding 8). Reloads and the socket use the cookie.
        url.searchParams.delete(WEB_TOKEN_PARAMETER);
        response.writeHead(303, {
          ...securityHeaders,
          Location: `/${url.pathname.replace(/^\/+/, '')}${url.search}`,
          'Set-Cookie': `${cookieName}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict`,
          'Cache-Control': 'no-store',
          'Content-Length': '0',
        });
        response.end();
        return;
      }
      if (!cookieAllowed(request)) {
        reply(response, 403, 'Forbidden: open the address the server printed (it carries the token)');
        return;
      }
    }
    let body: Buffer;
    try {
      if (!(await stat(file)).isFile()) throw new Error('not a file');
      body = await readFile(file);
    } catch {
      reply(response, 404, 'Not Found');
      return;
    }
    const headers: Record<string, string> = {
      ...securityHeaders,
      'Content-Type': MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': String(body.length),
      'Cache-Control': isHtml ? 'no-store' : 'no-cache',
    };
    if (isHtml) headers['Content-Security-Policy'] = metaCsp(body.toString('utf8')) ?? RENDERER_CSP;
    response.writeHead(200, headers);
    response.end(request.method === 'HEAD' ? undefined : body);
  }

  const server: Server = createServer((request, response) => {
    handleHttp(request, response).catch((error: unknown) => {
      console.error('web server: request failed:', error);
      if (!response.headersSent) reply(response, 500, 'Internal Server Error');
      else response.destroy();
    });
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

  function refuseUpgrade(socket: Duplex, status: number, text: string): void {
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const url = parseUrl(request);
    if (!hostAllowed(request.headers.host) || !originAllowed(request.headers.origin)) {
      refuseUpgrade(socket, 403, 'Forbidden');
      return;
    }
    if (!url || url.pathname !== WEB_API_PATH) {
      refuseUpgrade(socket, 404, 'Not Found');
      return;
    }
    if (!sameSecret(url.searchParams.get(WEB_TOKEN_PARAMETER), token) && !cookieAllowed(request)) {
      refuseUpgrade(socket, 403, 'Forbidden');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (client) => sockets.emit('connection', client, request));
  });

  function send(client: WebSocket, frame: ReplyFrame | EventFrame): void {
    if (client.readyState !== WebSocket.OPEN) return;
    client.send(JSON.stringify(frame));
  }

  async function handleFrame(
    client: WebSocket,
    data: RawData,
    isBinary: boolean,
    api: HostApi,
  ): Promise<void> {
    if (isBinary) {
      send(client, { id: NO_FRAME_ID, ok: false, error: 'bad frame: expected a JSON text frame' });
      return;
    }
    let frame: unknown;
    try {
      frame = JSON.parse(data.toString());
    } catch (error) {
      send(client, { id: NO_FRAME_ID, ok: false, error: `bad frame: not JSON: ${(error as Error).message}` });
      return;
    }
    if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) {
      send(client, {
        id: NO_FRAME_ID,
        ok: false,
        error: 'bad frame: expected a JSON object {id, call, args}',
      });
      return;
    }
    const { id, call, args } = frame as Partial<Record<keyof CallFrame, unknown>>;
    if (typeof id !== 'number' || !Number.isSafeInteger(id)) {
      send(client, { id: NO_FRAME_ID, ok: false, error: 'bad frame: "id" must be an integer' });
      return;
    }
    if (!isHostCall(call)) {
      send(client, {
        id,
        ok: false,
        error: `bad frame: unknown call ${JSON.stringify(call) ?? 'undefined'}`,
      });
      return;
    }
    if (!Array.isArray(args)) {
      send(client, { id, ok: false, error: 'bad frame: "args" must be an array' });
      return;
    }
    try {
      const value = await callHost(api, call, args);
      send(client, { id, ok: true, value: value ?? null });
    } catch (error) {
      send(client, { id, ok: false, error: error instanceof Error ? error.message : String(error) });
    }
  }

  sockets.on('connection', (client: WebSocket) => {
    // Each tab its own recovery file, held while it is connected (issue 14, finding 7).
    const connection = services.connect?.() ?? null;
    client.on('close', () => connection?.end());
    client.on('error', () => client.terminate());
    client.on('message', (data, isBinary) => {
      handleFrame(client, data, isBinary, connection?.api ?? services).catch((error: unknown) =>
        console.error('web server: frame failed:', error),
      );
    });
  });

  const unsubscribe = services.onEvent((event: HostEvent) => {
    if (event.type === 'menu') return; // the web page has no native menu
    const text = JSON.stringify({ event } satisfies EventFrame);
    for (const client of sockets.clients) if (client.readyState === WebSocket.OPEN) client.send(text);
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, WEB_HOST, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  port = (server.address() as AddressInfo).port;
  cookieName = `${WEB_TOKEN_COOKIE}-${port}`;

  let closing: Promise<void> | null = null;
  return {
    url: `http://${WEB_HOST}:${port}/?${WEB_TOKEN_PARAMETER}=${token}`,
    port,
    token,
    get clients() {
      return sockets.clients.size;
    },
    close() {
      closing ??= (async () => {
        unsubscribe();
        for (const client of sockets.clients) client.terminate();
        await new Promise<void>((done) => sockets.close(() => done()));
        server.closeAllConnections();
        await new Promise<void>((done) => server.close(() => done()));
      })();
      return closing;
    },
  };
}
