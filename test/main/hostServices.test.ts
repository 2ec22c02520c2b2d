import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { version as packageVersion } from '../../package.json';
import { callHost, createHostServices, isHostCall } from '../../src/main/hostServices';
import type { HostServices } from '../../src/main/hostServices';
import type { HostEvent } from '../../src/shared/hostApi';
import { buildWorker, TRIAL_WORKER } from '../helpers/buildWorker';
import type { BuiltWorker } from '../helpers/buildWorker';
import { sampleNotebook } from '../helpers/designs';

let worker: BuiltWorker;
let dir: string;

beforeAll(async () => {
  worker = await buildWorker(TRIAL_WORKER);
  dir = await mkdtemp(join(tmpdir(), 'accent-lab-host-'));
});

afterAll(async () => {
  await worker?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function withServices<T>(
  options: Partial<Parameters<typeof createHostServices>[0]>,
  body: (services: HostServices) => Promise<T>,
): Promise<T> {
  const services = createHostServices({
    workerFile: worker.file,
    settingsDir: join(dir, 'settings'),
    workers: 1,
    ...options,
  });
  try {
    return await body(services);
  } finally {
    await services.close();
  }
}

describe('createHostServices', () => {
  it('reports the package version and the catalog', async () => {
    await withServices({}, async (services) => {
      expect(await services.version()).toBe(packageVersion);
      const catalog = await services.catalog();
      expect(catalog.representatives).toHaveLength(7);
      expect(catalog.prefetchValues).toEqual([0, 1, 3, 7, 15]);
      // Callers get copies: changing one does not change the next.
      catalog.prefetchValues.push(99);
      expect((await services.catalog()).prefetchValues).toEqual([0, 1, 3, 7, 15]);
    });
  });

  it('asks the injected pickers for paths, and returns null when the user cancels', async () => {
    const file = join(dir, 'picked.accentlab');
    const picks: (string | null)[] = [file, null];
    await withServices(
      {
        pickSavePath: async () => picks.shift() ?? null,
        pickOpenPath: async () => file,
      },
      async (services) => {
        expect(await services.saveNotebook(sampleNotebook())).toEqual({ path: file });
        expect(await services.saveNotebook(sampleNotebook())).toBeNull();
        expect(await services.openNotebook()).toEqual({ path: file, notebook: sampleNotebook() });
      },
    );
  });

  it('without pickers, requires a path', async () => {
    await withServices({}, async (services) => {
      await expect(services.openNotebook()).rejects.toThrow('openNotebook: a path is required');
      await expect(services.saveNotebook(sampleNotebook())).rejects.toThrow(
        'saveNotebook: a path is required',
      );
    });
  });

  it('delivers events to every listener until it unsubscribes, even when one throws', async () => {
    await withServices({}, async (services) => {
      const seen: HostEvent[] = [];
      services.onEvent(() => {
        throw new Error('a broken listener');
      });
      const unsubscribe = services.onEvent((event) => seen.push(event));
      const original = console.error;
      console.error = () => undefined;
      try {
        services.emit({ type: 'menu', command: 'save' });
        unsubscribe();
        services.emit({ type: 'menu', command: 'open' });
      } finally {
        console.error = original;
      }
      expect(seen).toEqual([{ type: 'menu', command: 'save' }]);
    });
  });

  it('callHost validates before calling', async () => {
    await withServices({}, async (services) => {
      expect(isHostCall('version')).toBe(true);
      expect(isHostCall('constructor')).toBe(false);
      expect(isHostCall(3)).toBe(false);
      expect(await callHost(services, 'version', [])).toBe(packageVersion);
      await expect(callHost(services, 'cancelSweep', [{}])).rejects.toThrow(/^cancelSweep: sweepId: /);
      await expect(
        callHost(services, 'saveNotebook', [{ ...sampleNotebook(), extra: 1 }, '/x.accentlab']),
      ).rejects.toThrow(/^saveNotebook: notebook: Unrecognized key: "extra"/);
    });
  });

  it('serves recovery through validated calls: one session writes, the next is offered it and restores it', async () => {
    const recoveryDir = join(dir, 'recovery-calls');
    await withServices({ recoveryDir }, async (crashed) => {
      await expect(
        callHost(crashed, 'writeRecovery', ['tab1', { ...sampleNotebook(), entries: 7 }]),
      ).rejects.toThrow(/^writeRecovery: notebook\.entries: /);
      await expect(callHost(crashed, 'pendingRecovery', [])).rejects.toThrow(/^pendingRecovery: tab: /);
      await expect(callHost(crashed, 'pendingRecovery', ['../x'])).rejects.toThrow(
        /^pendingRecovery: tab: must be 1 to 64 letters/,
      );
      await callHost(crashed, 'writeRecovery', ['tab1', sampleNotebook(), '/lab/a.accentlab']);
      expect(crashed.recovery.dir).toBe(recoveryDir);
    });
    await withServices({ recoveryDir }, async (next) => {
      expect(await callHost(next, 'pendingRecovery', ['tab2'])).toMatchObject({
        name: 'Sample',
        path: '/lab/a.accentlab',
        more: 0,
      });
      expect(await callHost(next, 'restoreRecovery', ['tab2'])).toMatchObject({
        notebook: { name: 'Sample' },
      });
      await callHost(next, 'clearRecovery', ['tab2']);
      expect(await callHost(next, 'pendingRecovery', ['tab2'])).toBeNull();
      expect(await callHost(next, 'discardRecovery', ['tab2'])).toBeNull();
    });
  });

  it("holds each connection's tab: an open tab's autosave is not offered to another, a closed one's is", async () => {
    await withServices({ recoveryDir: join(dir, 'recovery-tabs') }, async (services) => {
      const first = services.connect();
      const second = services.connect();
      await callHost(first.api, 'pendingRecovery', ['tab-1']);
      await callHost(first.api, 'writeRecovery', ['tab-1', { ...sampleNotebook(), name: 'first tab' }]);
      await callHost(second.api, 'writeRecovery', ['tab-2', { ...sampleNotebook(), name: 'second tab' }]);
      const third = services.connect();
      expect(await callHost(third.api, 'pendingRecovery', ['tab-3'])).toBeNull();
      // The second tab saves cleanly: the first tab's autosave stays.
      await callHost(second.api, 'clearRecovery', ['tab-2']);
      expect(await readdir(services.recovery.dir)).toEqual(['tab-1.recovery.json']);
      first.end();
      const fourth = services.connect();
      expect(await callHost(fourth.api, 'pendingRecovery', ['tab-4'])).toMatchObject({ name: 'first tab' });
    });
  });

  it('lists and opens the built-in notebooks from resources/, validating the id', async () => {
    const resourcesDir = join(import.meta.dirname, '../../resources');
    await withServices({ resourcesDir }, async (services) => {
      expect(await callHost(services, 'builtinNotebooks', [])).toEqual([
        { id: 'beyond-1987', title: 'Beyond 1987' },
        { id: 'crosscheck-simgrid', title: 'Cross-check against SimGrid' },
        { id: 'real-traces', title: 'Real traces' },
        { id: 'reproduce-zayas-1987', title: 'Reproduce Zayas 1987' },
      ]);
      const doc = (await callHost(services, 'openBuiltinNotebook', ['reproduce-zayas-1987'])) as {
        formatVersion: number;
        entries: { kind: string; id: string }[];
      };
      expect(doc.formatVersion).toBe(3);
      expect(doc.entries.filter((entry) => entry.kind === 'experiment').map((entry) => entry.id)).toEqual([
        'paper',
        'breakeven',
      ]);
      await expect(callHost(services, 'openBuiltinNotebook', [''])).rejects.toThrow(
        /openBuiltinNotebook: id: /,
      );
      await expect(callHost(services, 'openBuiltinNotebook', ['../../etc/passwd'])).rejects.toThrow(
        /no built-in notebook/,
      );
    });
    await withServices({}, async (services) => {
      expect(await services.builtinNotebooks()).toEqual([]);
    });
  });
});

describe('trace import through the host', () => {
  const sample = join(import.meta.dirname, '../../resources/traces/interpreter.trace.gz');

  it('imports a trace by path with progress, shows its map, and makes its workload', async () => {
    const copy = join(dir, 'interpreter.trace.gz');
    await import('node:fs/promises').then((fs) => fs.copyFile(sample, copy));
    const events: HostEvent[] = [];
    await withServices({}, async (services) => {
      services.onEvent((event) => events.push(event));
      const imported = (await callHost(services, 'importTrace', [
        { importId: 'i1', pageSizeBytes: 512, path: copy },
      ])) as import('../../src/shared/hostApi').ImportedTrace;
      expect(imported.path).toBe(copy);
      expect(imported.summary.distinctPages).toBeGreaterThan(100);
      const cells = Buffer.from(imported.map.cells, 'base64');
      expect(cells.length).toBe(imported.map.columns * imported.map.rows);
      expect(cells.some((cell) => cell === 2)).toBe(true);
      expect(events.at(-1)).toMatchObject({ type: 'trace-import-progress', importId: 'i1' });
      const workload = (await callHost(services, 'traceWorkload', [
        {
          name: 'interpreter',
          framesPerHost: 2048,
          source: {
            path: copy,
            sha256: imported.summary.sha256,
            pageSizeBytes: 512,
            migrateAt: { fraction: 0.5 },
            instructionsPerSecond: 1e6,
          },
        },
      ])) as import('../../src/engine/workloads/spec').WorkloadSpec;
      expect(workload.trace?.path).toBe(copy);
      expect(workload.realBytes).toBeGreaterThan(0);
    });
  });

  it('stores an uploaded trace in the settings folder, and refuses bad requests naming the field', async () => {
    const { readFile } = await import('node:fs/promises');
    await withServices({}, async (services) => {
      const base64 = (await readFile(sample)).toString('base64');
      const imported = (await callHost(services, 'importTrace', [
        { importId: 'u1', pageSizeBytes: 4096, upload: { name: 'dropped.trace.gz', base64 } },
      ])) as import('../../src/shared/hostApi').ImportedTrace;
      expect(imported.path.startsWith(join(dir, 'settings', 'traces'))).toBe(true);
      expect(imported.path.endsWith('-dropped.trace.gz')).toBe(true);
      await expect(
        callHost(services, 'importTrace', [
          { importId: 'u2', pageSizeBytes: 4096, upload: { name: '../x', base64 } },
        ]),
      ).rejects.toThrow(/importTrace: request\.upload\.name: must be a file name without folders/);
      await expect(
        callHost(services, 'importTrace', [{ importId: 'u3', pageSizeBytes: 4096 }]),
      ).rejects.toThrow(/give the path of a trace file or upload one/);
      await expect(
        callHost(services, 'importTrace', [
          { importId: 'u4', pageSizeBytes: 4096, path: join(dir, 'none.trace') },
        ]),
      ).rejects.toThrow(/trace file not found: .*none\.trace/);
    });
  });
});

describe('the real-traces notebook in the app', () => {
  it('opens with its trace paths resolved against the notebook, and its trials run', async () => {
    const resourcesDir = join(import.meta.dirname, '../../resources');
    await withServices({ resourcesDir }, async (services) => {
      const doc = await services.openBuiltinNotebook('real-traces');
      const experiment = doc.entries.find((entry) => entry.kind === 'experiment');
      if (experiment?.kind !== 'experiment') throw new Error('no experiment');
      const sort = experiment.design.customWorkloads[0]!;
      expect(sort.trace?.path).toBe(join(resourcesDir, 'traces', 'sort.trace.gz'));
      const finished = new Promise<HostEvent>((resolveEvent) =>
        services.onEvent((event) => {
          if (event.type === 'sweep-finished') resolveEvent(event);
        }),
      );
      await services.startSweep({
        ...experiment.design,
        customWorkloads: [sort],
        strategies: ['pure-iou'],
        prefetchValues: [1],
      });
      expect(await finished).toMatchObject({ done: 1, failed: 0, cancelled: false });
    });
  });
});
