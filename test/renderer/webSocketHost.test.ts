import { describe, expect, it } from 'vitest';
import { webSocketHost, type SocketLike } from '../../src/renderer/src/host/webSocketHost';
import type { HostEvent } from '../../src/shared/hostApi';
import type { CallFrame } from '../../src/shared/webProtocol';

/** A socket whose server side the test plays. */
class FakeSocket implements SocketLike {
  readyState = 0;
  sent: CallFrame[] = [];
  private readonly handlers = new Map<string, ((event: { data: unknown }) => void)[]>();

  addEventListener(type: string, listener: (event: { data: unknown }) => void): void {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), listener]);
  }
  send(data: string): void {
    this.sent.push(JSON.parse(data) as CallFrame);
  }
  close(): void {
    this.fire('close');
  }
  fire(type: string, data?: unknown): void {
    if (type === 'open') this.readyState = 1;
    if (type === 'close') this.readyState = 3;
    for (const handler of this.handlers.get(type) ?? []) handler({ data });
  }
  reply(frame: object): void {
    this.fire('message', JSON.stringify(frame));
  }
}

async function connected(): Promise<{ socket: FakeSocket; api: Awaited<ReturnType<typeof webSocketHost>> }> {
  const socket = new FakeSocket();
  const pending = webSocketHost(socket);
  socket.fire('open');
  return { socket, api: await pending };
}

describe('webSocketHost', () => {
  it('sends one call frame per call and resolves it with the matching reply', async () => {
    const { socket, api } = await connected();
    const version = api.version();
    const cancel = api.cancelSweep('s1');
    expect(socket.sent).toEqual([
      { id: 1, call: 'version', args: [] },
      { id: 2, call: 'cancelSweep', args: ['s1'] },
    ]);
    socket.reply({ id: 2, ok: true, value: null });
    socket.reply({ id: 1, ok: true, value: '1.2.3' });
    await expect(version).resolves.toBe('1.2.3');
    await expect(cancel).resolves.toBeNull();
  });

  it('leaves optional paths out of the arguments', async () => {
    const { socket, api } = await connected();
    void api.openNotebook();
    void api.openNotebook('/tmp/a.json');
    expect(socket.sent.map((frame) => frame.args)).toEqual([[], ['/tmp/a.json']]);
  });

  it('rejects a call the host answers with an error', async () => {
    const { socket, api } = await connected();
    const started = api.startSweep({} as never);
    socket.reply({ id: 1, ok: false, error: 'experiment "x" cannot run' });
    await expect(started).rejects.toThrow('experiment "x" cannot run');
  });

  it('passes event frames to every listener until it unsubscribes', async () => {
    const { socket, api } = await connected();
    const seen: HostEvent[] = [];
    const other: HostEvent[] = [];
    const stop = api.onEvent((event) => seen.push(event));
    api.onEvent((event) => other.push(event));
    socket.reply({ event: { type: 'menu', command: 'save' } });
    stop();
    socket.reply({ event: { type: 'menu', command: 'open' } });
    expect(seen).toEqual([{ type: 'menu', command: 'save' }]);
    expect(other).toHaveLength(2);
  });

  it('rejects pending and later calls with a clear error once the socket closes', async () => {
    const { socket, api } = await connected();
    const pending = api.catalog();
    socket.close();
    await expect(pending).rejects.toThrow('catalog failed: the connection to the lab host was closed');
    await expect(api.version()).rejects.toThrow('version failed: the connection to the lab host was closed');
  });

  it('fails to connect when the socket closes before opening', async () => {
    const socket = new FakeSocket();
    const pending = webSocketHost(socket);
    socket.fire('error');
    await expect(pending).rejects.toThrow('could not connect to the lab host');
  });
});
