import { build } from 'esbuild';
import { describe, expect, it, vi } from 'vitest';
import { hostCallsArgument, ipcChannel, type HostApi } from '../../src/shared/hostApi';
import { HOST_CALLS } from '../../src/shared/hostCalls';

const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoke: vi.fn((..._args: unknown[]) => Promise.resolve('answer')),
}));

// The Electron binary never runs under Vitest: stand in for what the preload imports.
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (name: string, value: unknown) => electron.exposed.set(name, value) },
  ipcRenderer: { invoke: electron.invoke, on: () => undefined, removeListener: () => undefined },
}));

describe('the preload bridge', () => {
  it('exposes one named method per declared host call, each invoking its own channel', async () => {
    // The main process puts the names on the renderer's command line (windowOptions).
    const argv = process.argv;
    process.argv = [...argv, hostCallsArgument(HOST_CALLS)];
    try {
      await import('../../src/preload/index');
    } finally {
      process.argv = argv;
    }
    const api = electron.exposed.get('accentLab') as HostApi & Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([...HOST_CALLS, 'onEvent'].sort());
    expect(Object.values(api).every((method) => typeof method === 'function')).toBe(true);
    expect(await api.retryTrial('sweep-1', 'trial-2')).toBe('answer');
    expect(electron.invoke).toHaveBeenLastCalledWith(ipcChannel('retryTrial'), 'sweep-1', 'trial-2');
    await api.openNotebook();
    expect(electron.invoke).toHaveBeenLastCalledWith(ipcChannel('openNotebook'));
  });

  it('requires nothing but electron once bundled (a sandboxed preload can load nothing else)', async () => {
    // electron-vite inlines our own files and leaves packages as require()s, as this build does:
    // a shared module that brings in zod or the engine's packages would break the desktop window.
    const bundled = await build({
      entryPoints: ['src/preload/index.ts'],
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'cjs',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const required = Object.values(bundled.metafile.outputs).flatMap((output) =>
      output.imports.filter((entry) => entry.external).map((entry) => entry.path),
    );
    expect([...new Set(required)]).toEqual(['electron']);
  });
});
