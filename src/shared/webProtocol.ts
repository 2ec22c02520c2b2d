import type { HostCall, HostEvent } from './hostApi';

/**
 * The web adapter's wire protocol: the same HostApi over one WebSocket at
 * `ws://127.0.0.1:PORT/api`, allowed by the page's session cookie (see src/main/web/server.ts) or
 * by `?token=TOKEN` (the token the server printed at start).
 * Every frame is one JSON object.
 */

/** Client to server: call `call` with `args` (in HostApi's parameter order). */
export interface CallFrame {
  id: number;
  call: HostCall;
  args: unknown[];
}

/** Server to client: the answer to call `id`. */
export type ReplyFrame = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

/** Server to client: a host event, pushed to every connected client. */
export interface EventFrame {
  event: HostEvent;
}

export type ServerFrame = ReplyFrame | EventFrame;

export const WEB_API_PATH = '/api';
export const WEB_TOKEN_PARAMETER = 'token';
