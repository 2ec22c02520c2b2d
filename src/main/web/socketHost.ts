import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { RawData } from 'ws';
import type { HostApi, HostEvent } from '../../shared/hostApi';
import type { CallFrame, EventFrame, ReplyFrame } from '../../shared/webProtocol';
import { WEB_API_PATH, WEB_TOKEN_PARAMETER } from '../../shared/webProtocol';
import { callHost, isHostCall } from '../hostServices';
import type { WebAccess } from './access';
import { sameSecret } from './access';
import { messageOf } from '../../shared/messageOf';

/** Largest frame a client may send (a notebook with all its results). */
const MAX_FRAME_BYTES = 64 * 1024 * 1024;

/** Reply id used when a bad frame carries no usable id. */
export const NO_FRAME_ID = -1;

/**
 * The host services a socket serves. With connect(), each connection (browser tab) is served
 * through its own view, ended when it closes (see HostServices.connect).
 */
export type SocketServices = HostApi & { connect?(): { readonly api: HostApi; end(): void } };

/**
 * The HostApi over WebSocket frames (src/shared/webProtocol.ts): the upgrade handler for the HTTP
 * server, one view of the services per connection, and every host event (but the native menu's)
 * broadcast to all clients. close() ends the broadcast and every connection.
 */
export class SocketHost {
  private readonly sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  private readonly unsubscribe: () => void;

  constructor(
    private readonly access: WebAccess,
    services: SocketServices,
  ) {
    this.sockets.on('connection', (client: WebSocket) => serveConnection(client, services));
    this.unsubscribe = services.onEvent((event: HostEvent) => {
      if (event.type === 'menu') return; // the web page has no native menu
      const text = JSON.stringify({ event } satisfies EventFrame);
      for (const client of this.sockets.clients) if (client.readyState === WebSocket.OPEN) client.send(text);
    });
  }

  get clients(): number {
    return this.sockets.clients.size;
  }

  /** The HTTP server's 'upgrade': the Host/Origin rules, the API path, then the token or cookie. */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const url = this.access.parseUrl(request);
    if (!this.access.fromThisServer(request)) {
      refuseUpgrade(socket, 403, 'Forbidden');
      return;
    }
    if (!url || url.pathname !== WEB_API_PATH) {
      refuseUpgrade(socket, 404, 'Not Found');
      return;
    }
    if (
      !sameSecret(url.searchParams.get(WEB_TOKEN_PARAMETER), this.access.token) &&
      !this.access.hasCookie(request)
    ) {
      refuseUpgrade(socket, 403, 'Forbidden');
      return;
    }
    this.sockets.handleUpgrade(request, socket, head, (client) =>
      this.sockets.emit('connection', client, request),
    );
  }

  async close(): Promise<void> {
    this.unsubscribe();
    for (const client of this.sockets.clients) client.terminate();
    await new Promise<void>((done) => this.sockets.close(() => done()));
  }
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function serveConnection(client: WebSocket, services: SocketServices): void {
  // Each tab its own recovery file, held while it is connected (issue 14, finding 7).
  const connection = services.connect?.() ?? null;
  client.on('close', () => connection?.end());
  client.on('error', () => client.terminate());
  client.on('message', (data, isBinary) => {
    handleFrame(client, data, isBinary, connection?.api ?? services).catch((error: unknown) =>
      console.error('web server: frame failed:', error),
    );
  });
}

function send(client: WebSocket, frame: ReplyFrame | EventFrame): void {
  if (client.readyState !== WebSocket.OPEN) return;
  client.send(JSON.stringify(frame));
}

/** One frame from a client: a call checked and run, its reply sent; a bad frame gets an error reply. */
async function handleFrame(client: WebSocket, data: RawData, isBinary: boolean, api: HostApi): Promise<void> {
  const frame = parseFrame(data, isBinary);
  if ('error' in frame) {
    send(client, { id: frame.id, ok: false, error: frame.error });
    return;
  }
  try {
    const value = await callHost(api, frame.call, frame.args);
    send(client, { id: frame.id, ok: true, value: value ?? null });
  } catch (error) {
    send(client, { id: frame.id, ok: false, error: messageOf(error) });
  }
}

/** A frame's call, or the reply's id and error when the frame is not a valid call. */
function parseFrame(data: RawData, isBinary: boolean): CallFrame | { id: number; error: string } {
  if (isBinary) return { id: NO_FRAME_ID, error: 'bad frame: expected a JSON text frame' };
  let frame: unknown;
  try {
    frame = JSON.parse(data.toString());
  } catch (error) {
    return { id: NO_FRAME_ID, error: `bad frame: not JSON: ${messageOf(error)}` };
  }
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) {
    return { id: NO_FRAME_ID, error: 'bad frame: expected a JSON object {id, call, args}' };
  }
  const { id, call, args } = frame as Partial<Record<keyof CallFrame, unknown>>;
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) {
    return { id: NO_FRAME_ID, error: 'bad frame: "id" must be an integer' };
  }
  if (!isHostCall(call)) {
    return { id, error: `bad frame: unknown call ${JSON.stringify(call) ?? 'undefined'}` };
  }
  if (!Array.isArray(args)) return { id, error: 'bad frame: "args" must be an array' };
  return { id, call, args };
}
