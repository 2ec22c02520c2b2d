import { ENGINE_VERSION } from '../../../src/engine/experiment/trial';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { version as packageVersion } from '../../../package.json';
import { createHostServices } from '../../../src/main/hostServices';
import type { HostServices } from '../../../src/main/hostServices';
import { metaCsp, NO_FRAME_ID, RENDERER_CSP, startWebServer } from '../../../src/main/web/server';
import type { WebServer } from '../../../src/main/web/server';
import type { Catalog, HostEvent, SweepStarted } from '../../../src/shared/hostApi';
import type { ServerFrame } from '../../../src/shared/webProtocol';
import { buildWorker, TRIAL_WORKER } from '../../helpers/buildWorker';
import type { BuiltWorker } from '../../helpers/buildWorker';
import { sampleNotebook, smallDesign } from '../../helpers/designs';

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'";
const INDEX_HTML = `<!doctype html>
<html><head>
<meta http-equiv="Content-Security-Policy"
  content="${CSP}" />
<title>test</title></head>
<body><script type="module" src="/assets/app.js"></script></body></html>
`;

let worker: BuiltWorker;
let dir: string;
let services: HostServices;
let server: WebServer;

beforeAll(async () => {
  worker = await buildWorker(TRIAL_WORKER);
  dir = await mkdtemp(join(tmpdir(), 'accent-lab-web-'));
  const staticDir = join(dir, 'static');
  await mkdir(join(staticDir, 'assets'), { recursive: true });
  await writeFile(join(staticDir, 'index.html'), INDEX_HTML);
  await writeFile(join(staticDir, 'assets', 'app.js'), 'console.log("app");\n');
  await writeFile(join(staticDir, 'assets', 'app.css'), 'body { margin: 0 }\n');
  await writeFile(join(dir, 'secret.txt'), 'do not serve me');
  services = createHostServices({ workerFile: worker.file, settingsDir: join(dir, 'settings'), workers: 2 });
  server = await startWebServer({ services, staticDir, port: 0 });
});

afterAll(async () => {
  await server?.close();
  await services?.close();
  await worker?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A WebSocket client of the protocol: call() and the frames it received. */
class Client {
  readonly frames: ServerFrame[] = [];
  private nextId = 1;
  private readonly listeners = new Set<(frame: ServerFrame) => void>();

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as ServerFrame;
      this.frames.push(frame);
      for (const listener of [...this.listeners]) listener(frame);
    });
  }

  static connect(url = apiUrl(), options: ConstructorParameters<typeof WebSocket>[2] = {}): Promise<Client> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, options);
      socket.once('open', () => resolve(new Client(socket)));
      socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      socket.once('error', reject);
    });
  }

  next(test: (frame: ServerFrame) => boolean): Promise<ServerFrame> {
    return new Promise((resolve) => {
      const listener = (frame: ServerFrame): void => {
        if (!test(frame)) return;
        this.listeners.delete(listener);
        resolve(frame);
      };
      this.listeners.add(listener);
    });
  }

  event(test: (event: HostEvent) => boolean): Promise<HostEvent> {
    return this.next((frame) => 'event' in frame && test(frame.event)).then(
      (frame) => (frame as { event: HostEvent }).event,
    );
  }

  send(text: string): void {
    this.socket.send(text);
  }

  async raw(call: string, args: unknown[]): Promise<ServerFrame> {
    const id = this.nextId++;
    const reply = this.next((frame) => 'id' in frame && frame.id === id);
    this.send(JSON.stringify({ id, call, args }));
    return reply;
  }

  async call<T>(call: string, ...args: unknown[]): Promise<T> {
    const reply = await this.raw(call, args);
    if (!('ok' in reply)) throw new Error('not a reply');
    if (!reply.ok) throw new Error(reply.error);
    return reply.value as T;
  }

  close(): void {
    this.socket.close();
  }
}

const apiUrl = (token = server.token): string => `ws://127.0.0.1:${server.port}/api?token=${token}`;

describe('web server: address', () => {
  it('listens on 127.0.0.1 with a fresh 256-bit token in its address', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}$/);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
  });
});

describe('web server: HTTP', () => {
  it('exchanges the printed address for an HttpOnly cookie and a redirect without the token', async () => {
    const reply = await get(`/?token=${server.token}`);
    expect(reply.status).toBe(303);
    expect(reply.headers['location']).toBe('/');
    expect(reply.headers['set-cookie']).toEqual([
      `accentLabToken-${server.port}=${server.token}; Path=/; HttpOnly; SameSite=Strict`,
    ]);
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(reply.headers['referrer-policy']).toBe('no-referrer');
    expect(reply.body).toBe('');
    // Only the token leaves the address; the page and any other parameter stay.
    expect((await get(`/index.html?lang=en&token=${server.token}`)).headers['location']).toBe(
      '/index.html?lang=en',
    );
    // A path that reads as another host never redirects there.
    for (const path of [
      `//evil.example/index.html?token=${server.token}`,
      `/\\evil.example/x.html?token=${server.token}`,
    ]) {
      const location = (await get(path)).headers['location'];
      expect(location, path).toMatch(/^\/[^/\\]/);
    }
  });

  it('serves index.html with the cookie, with the page’s own CSP as a header, reloads included', async () => {
    const cookie = { Cookie: `other=1; accentLabToken-${server.port}=${server.token}` };
    for (let load = 0; load < 2; load += 1) {
      const reply = await get('/', cookie);
      expect(reply.status).toBe(200);
      expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(reply.headers['content-security-policy']).toBe(CSP);
      expect(reply.headers['x-content-type-options']).toBe('nosniff');
      expect(reply.headers['referrer-policy']).toBe('no-referrer');
      expect(reply.headers['set-cookie']).toBeUndefined();
      expect(reply.body).toBe(INDEX_HTML);
    }
    expect((await get('/index.html', cookie)).status).toBe(200);
    expect(metaCsp(INDEX_HTML)).toBe(RENDERER_CSP);
  });

  it('serves assets with their MIME types', async () => {
    const js = await get('/assets/app.js', { Origin: `http://127.0.0.1:${server.port}` });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.body).toBe('console.log("app");\n');
    expect((await get('/assets/app.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await get('/assets/missing.js')).status).toBe(404);
    const head = await get('/assets/app.js', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it('refuses the page without the right token or cookie', async () => {
    expect((await get('/')).status).toBe(403);
    expect((await get('/index.html?token=nope')).status).toBe(403);
    expect((await get(`/?token=${server.token.slice(1)}`)).status).toBe(403);
    const refused = [
      `accentLabToken-${server.port}=${'0'.repeat(64)}`,
      `accentLabToken-${server.port}=${server.token.slice(1)}`,
      // Cookies are not kept apart by port: another server's cookie is not this one's.
      `accentLabToken-${server.port + 1}=${server.token}`,
      `accentLabToken=${server.token}`,
      `accentLabToken-${server.port}=%E0%A4%A`,
    ];
    for (const cookie of refused) expect((await get('/', { Cookie: cookie })).status, cookie).toBe(403);
    // A wrong token in the address is refused even with the right cookie.
    const cookie = `accentLabToken-${server.port}=${server.token}`;
    expect((await get('/?token=nope', { Cookie: cookie })).status).toBe(403);
    expect((await get('/', { Cookie: cookie })).status).toBe(200);
  });

  it('refuses a foreign Host header or Origin (DNS rebinding, other sites)', async () => {
    const page = `/?token=${server.token}`;
    expect((await get(page, { Host: `evil.example:${server.port}` })).status).toBe(403);
    expect((await get(page, { Host: `127.0.0.1:${server.port + 1}` })).status).toBe(403);
    expect((await get('/assets/app.js', { Host: 'evil.example' })).status).toBe(403);
    expect((await get(page, { Host: `localhost:${server.port}` })).status).toBe(303);
    expect((await get(page, { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await get('/assets/app.js', { Origin: `http://localhost:${server.port + 1}` })).status).toBe(403);
    expect((await get(page, { Origin: `http://localhost:${server.port}` })).status).toBe(303);
    const cookie = `accentLabToken-${server.port}=${server.token}`;
    expect((await get('/', { Cookie: cookie, Host: `evil.example:${server.port}` })).status).toBe(403);
    expect((await get('/', { Cookie: cookie, Origin: 'http://evil.example' })).status).toBe(403);
  });

  it('never serves files outside its folder and takes only GET and HEAD', async () => {
    expect((await get('/../secret.txt')).status).toBe(404);
    expect((await get('/%2e%2e/secret.txt')).status).toBe(404);
    expect((await get('/assets/..%2f..%2fsecret.txt')).status).toBe(404);
    expect((await get('/assets/%00')).status).toBe(404);
    expect((await get('/assets/app.js', {}, 'POST')).status).toBe(405);
  });
});

describe('web server: WebSocket API', () => {
  it('answers version and catalog', async () => {
    const client = await Client.connect();
    try {
      expect(await client.call<string>('version')).toBe(packageVersion);
      const catalog = await client.call<Catalog>('catalog');
      expect(catalog.representatives.map((workload) => workload.name)).toContain('Minprog');
      expect(catalog.hardwarePresets.map((preset) => preset.name)).toEqual([
        'perq-1987',
        'modern-2025',
        'ethernet-1g-2025',
        'ethernet-10g-2025',
      ]);
      expect(catalog.strategies).toEqual([
        'pure-copy',
        'pure-iou',
        'resident-set',
        'pre-copy',
        'post-copy',
        'hybrid',
        'sprite-flush',
      ]);
      expect(catalog.prefetchValues).toEqual([0, 1, 3, 7, 15]);
    } finally {
      client.close();
    }
  });

  it('runs a sweep: the reply, then its events to every client until sweep-finished', async () => {
    const client = await Client.connect();
    const watcher = await Client.connect(apiUrl(), { origin: `http://localhost:${server.port}` });
    try {
      const design = smallDesign();
      const firstEvent = client.next((frame) => 'event' in frame);
      const watched = watcher.event((event) => event.type === 'sweep-finished');
      const started = await client.call<SweepStarted>('startSweep', design);
      expect(started.trialCount).toBe(3);
      const finished = await client.event(
        (event) => event.type === 'sweep-finished' && event.sweepId === started.sweepId,
      );
      expect(finished).toEqual({
        type: 'sweep-finished',
        sweepId: started.sweepId,
        done: 3,
        failed: 0,
        cancelled: false,
      });
      expect(await watched).toEqual(finished);
      // The reply came before the sweep's first event.
      const replyIndex = client.frames.findIndex(
        (frame) => 'id' in frame && frame.ok && frame.value === started,
      );
      expect(await firstEvent).toEqual({
        event: { type: 'sweep-started', sweepId: started.sweepId, trialCount: 3, stored: 0 },
      });
      expect(client.frames.findIndex((frame) => 'event' in frame)).toBeGreaterThan(replyIndex);
      const events = client.frames.flatMap((frame) => ('event' in frame ? [frame.event] : []));
      const types = new Set(events.map((event) => event.type));
      expect([...types]).toEqual([
        'sweep-started',
        'trial-started',
        'trial-progress',
        'trial-finished',
        'sweep-finished',
      ]);
      const results = events.flatMap((event) => (event.type === 'trial-finished' ? [event.result] : []));
      expect(results.map((result) => result.id).sort()).toEqual(
        started.trials.map((trial) => trial.id).sort(),
      );
      expect(results.every((result) => result.ok && result.metrics)).toBe(true);
    } finally {
      client.close();
      watcher.close();
    }
  });

  it('answers bad frames and bad arguments with an error naming the problem, and goes on', async () => {
    const client = await Client.connect();
    try {
      client.send('not json');
      expect(await client.next((frame) => 'id' in frame && frame.id === NO_FRAME_ID)).toMatchObject({
        ok: false,
        error: expect.stringMatching(/^bad frame: not JSON/),
      });
      client.send(JSON.stringify({ call: 'version', args: [] }));
      expect(await client.next((frame) => 'id' in frame && frame.id === NO_FRAME_ID)).toMatchObject({
        error: 'bad frame: "id" must be an integer',
      });
      client.socket.send(Buffer.from([1, 2, 3]), { binary: true });
      expect(await client.next((frame) => 'id' in frame && frame.id === NO_FRAME_ID)).toMatchObject({
        error: 'bad frame: expected a JSON text frame',
      });
      client.send(JSON.stringify({ id: 7, call: 'format', args: [] }));
      expect(await client.next((frame) => 'id' in frame && frame.id === 7)).toMatchObject({
        ok: false,
        error: 'bad frame: unknown call "format"',
      });
      client.send(JSON.stringify({ id: 8, call: 'version', args: 'none' }));
      expect(await client.next((frame) => 'id' in frame && frame.id === 8)).toMatchObject({
        error: 'bad frame: "args" must be an array',
      });
      const design = smallDesign();
      const bad = { ...design, hardware: { ...design.hardware, pageSizeBytes: 1000 } };
      await expect(client.call('startSweep', bad)).rejects.toThrow(
        /^startSweep: design\.hardware\.pageSizeBytes: the page size must be a power of two/,
      );
      await expect(client.call('startSweep', smallDesign({ representatives: ['Nope'] }))).rejects.toThrow(
        /unknown representative "Nope"/,
      );
      await expect(client.call('cancelSweep', 'no-such-sweep')).rejects.toThrow(/unknown sweep/);
      expect(await client.call('version')).toBe(packageVersion);
    } finally {
      client.close();
    }
  });

  it('opens and saves notebooks by path, and requires one', async () => {
    const client = await Client.connect();
    try {
      await expect(client.call('openNotebook')).rejects.toThrow('openNotebook: a path is required');
      await expect(client.call('openNotebook', null)).rejects.toThrow('a path is required');
      await expect(client.call('saveNotebook', sampleNotebook())).rejects.toThrow('a path is required');
      const file = join(dir, 'web.accentlab');
      // The sweep above ran this untitled notebook's experiment into the untitled store: the first
      // save carries those trials into the store beside the file.
      expect(await client.call('saveNotebook', sampleNotebook(), file)).toMatchObject({ path: file });
      expect(await client.call('openNotebook', file)).toEqual({ path: file, notebook: sampleNotebook() });
      expect(await client.call('recentNotebookPaths')).toEqual([file]);
      expect(await client.call('newNotebook')).toEqual({
        formatVersion: 3,
        name: 'Untitled',
        provenance: {
          engineVersion: ENGINE_VERSION,
          createdBy: expect.stringMatching(/^Accent Migration Lab /),
        },
        entries: [],
      });
    } finally {
      client.close();
    }
  });

  it('refuses the socket without the token, with a wrong one, a foreign Origin or a foreign Host', async () => {
    const port = server.port;
    await expect(Client.connect(`ws://127.0.0.1:${port}/api`)).rejects.toThrow('HTTP 403');
    await expect(Client.connect(apiUrl('0'.repeat(64)))).rejects.toThrow('HTTP 403');
    await expect(Client.connect(apiUrl(), { origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
    await expect(Client.connect(apiUrl(), { origin: 'null' })).rejects.toThrow('HTTP 403');
    await expect(Client.connect(apiUrl(), { headers: { Host: `evil.example:${port}` } })).rejects.toThrow(
      'HTTP 403',
    );
    await expect(Client.connect(`ws://127.0.0.1:${port}/elsewhere?token=${server.token}`)).rejects.toThrow(
      'HTTP 404',
    );
    // The page's cookie opens the socket as the token does; a wrong or foreign one does not.
    const api = `ws://127.0.0.1:${port}/api`;
    const cookie = (value: string): { headers: Record<string, string> } => ({
      headers: { Cookie: value },
    });
    await expect(Client.connect(api, cookie(`accentLabToken-${port}=${'0'.repeat(64)}`))).rejects.toThrow(
      'HTTP 403',
    );
    await expect(Client.connect(api, cookie(`accentLabToken-${port + 1}=${server.token}`))).rejects.toThrow(
      'HTTP 403',
    );
    await expect(
      Client.connect(api, {
        ...cookie(`accentLabToken-${port}=${server.token}`),
        origin: 'http://evil.example',
      }),
    ).rejects.toThrow('HTTP 403');
    const byCookie = await Client.connect(api, cookie(`accentLabToken-${port}=${server.token}`));
    expect(await byCookie.call('version')).toBe(packageVersion);
    byCookie.close();
    // The server is still there for the right client.
    const client = await Client.connect(apiUrl(), { headers: { Host: `localhost:${port}` } });
    expect(await client.call('version')).toBe(packageVersion);
    client.close();
  });
});
