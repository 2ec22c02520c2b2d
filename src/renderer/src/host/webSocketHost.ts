import type { HostApi, HostCall, HostEvent } from '../../../shared/hostApi';
import { forwardingMethods } from '../../../shared/hostApi';
import { HOST_CALLS } from '../../../shared/hostCalls';
import type { CallFrame, ServerFrame } from '../../../shared/webProtocol';

/** The part of a WebSocket the client uses; the browser's WebSocket and `ws` both fit. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

const OPEN = 1;

interface Pending {
  call: HostCall;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/** A HostApi that speaks src/shared/webProtocol.ts over `socket`. Resolves once the socket is open. */
export function webSocketHost(socket: SocketLike): Promise<HostApi> {
  const pending = new Map<number, Pending>();
  const listeners = new Set<(event: HostEvent) => void>();
  let nextId = 1;
  let closedReason: string | null = null;

  const failAll = (reason: string): void => {
    closedReason = reason;
    for (const [id, entry] of pending) {
      pending.delete(id);
      entry.reject(new Error(`${entry.call} failed: ${reason}`));
    }
  };

  socket.addEventListener('message', (message) => {
    let frame: ServerFrame;
    try {
      frame = JSON.parse(String(message.data)) as ServerFrame;
    } catch {
      return;
    }
    if ('event' in frame) {
      for (const listener of [...listeners]) listener(frame.event);
      return;
    }
    const entry = pending.get(frame.id);
    if (!entry) return;
    pending.delete(frame.id);
    if (frame.ok) entry.resolve(frame.value);
    else entry.reject(new Error(frame.error));
  });
  socket.addEventListener('close', () => failAll('the connection to the lab host was closed'));

  const call = <T>(name: HostCall, ...args: unknown[]): Promise<T> => {
    if (closedReason !== null || socket.readyState !== OPEN) {
      return Promise.reject(new Error(`${name} failed: ${closedReason ?? 'not connected to the lab host'}`));
    }
    const id = nextId++;
    const frame: CallFrame = { id, call: name, args };
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { call: name, resolve: resolve as (value: unknown) => void, reject });
      socket.send(JSON.stringify(frame));
    });
  };

  const api: HostApi = {
    ...forwardingMethods(HOST_CALLS, (name, args) => call(name, ...args)),
    onEvent: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };

  return new Promise((resolve, reject) => {
    if (socket.readyState === OPEN) {
      resolve(api);
      return;
    }
    socket.addEventListener('open', () => resolve(api));
    socket.addEventListener('error', () => reject(new Error('could not connect to the lab host')));
    socket.addEventListener('close', () => reject(new Error('the lab host closed the connection')));
  });
}
