import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { sampleNotebook } from '../../helpers/designs';

// The web adapter's entry as `npm run web` runs it: bundled (dependencies left in node_modules,
// like electron-vite does), started with plain `node`, no Electron anywhere.
const root = fileURLToPath(new URL('../../../', import.meta.url));
let dir: string;
let imported: string[] = [];

beforeAll(async () => {
  const cache = join(root, 'node_modules', '.cache');
  await mkdir(cache, { recursive: true });
  dir = await mkdtemp(join(cache, 'accent-lab-web-entry-'));
  // Inside node_modules, Node does not look further up for "type": "module".
  await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n');
  const result = await build({
    absWorkingDir: root,
    entryPoints: {
      web: join(root, 'src/main/web/index.ts'),
      trialWorker: join(root, 'src/node/trialWorker.ts'),
    },
    outdir: dir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    metafile: true,
    logLevel: 'silent',
  });
  imported = Object.values(result.metafile.outputs).flatMap((output) => output.imports.map((i) => i.path));
  await mkdir(join(dir, 'static'));
  await writeFile(join(dir, 'static', 'index.html'), '<!doctype html><title>x</title>\n');
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('web entry (out/main/web.js)', () => {
  it('imports no electron, directly or through anything it uses', () => {
    expect(imported.length).toBeGreaterThan(0);
    expect(imported.filter((path) => path === 'electron' || path.startsWith('electron/'))).toEqual([]);
  });

  it('prints exactly one line, the address, serves the page and the API, and stops on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [
        join(dir, 'web.js'),
        '--port',
        '0',
        '--workers',
        '1',
        '--static-dir',
        join(dir, 'static'),
        '--settings-dir',
        join(dir, 'settings'),
        '--data-dir',
        join(dir, 'data'),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once('line', resolve);
        child.once('exit', () => reject(new Error(`exited early: ${stderr}`)));
      });
      const match = /^http:\/\/127\.0\.0\.1:(\d+)\/\?token=([0-9a-f]{64})$/.exec(line);
      expect(match, line).not.toBeNull();
      const [, port, token] = match!;
      const first = await fetch(line, { redirect: 'manual' });
      expect(first.status).toBe(303);
      expect(first.headers.get('location')).toBe('/');
      const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
      expect(cookie).toBe(`accentLabToken-${port}=${token}`);
      const page = await fetch(`http://127.0.0.1:${port}/`, { headers: { Cookie: cookie } });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");

      const socket = new WebSocket(`ws://127.0.0.1:${port}/api?token=${token}`);
      const reply = await new Promise<unknown>((resolve, reject) => {
        socket.once('error', reject);
        socket.once('open', () => socket.send(JSON.stringify({ id: 1, call: 'version', args: [] })));
        socket.once('message', (data) => resolve(JSON.parse(data.toString())));
      });
      expect(reply).toMatchObject({ id: 1, ok: true, value: expect.stringMatching(/^\d+\.\d+\.\d+/) });
      // Unsaved work is autosaved under --data-dir.
      const autosaved = await new Promise<unknown>((resolve) => {
        socket.once('message', (data) => resolve(JSON.parse(data.toString())));
        socket.send(JSON.stringify({ id: 2, call: 'writeRecovery', args: ['tab-1', sampleNotebook()] }));
      });
      expect(autosaved).toMatchObject({ id: 2, ok: true });
      expect(await readdir(join(dir, 'data', 'recovery'))).toEqual(['tab-1.recovery.json']);
      socket.close();
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stdout.split('\n')).toHaveLength(2); // one line and its newline
  });

  it('refuses a bad option with a message on stderr and exit code 1', async () => {
    const child = spawn(process.execPath, [join(dir, 'web.js'), '--port', 'eighty'], { stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/--port must be a whole number from 0 to 65535, got "eighty"/);
  });
});
