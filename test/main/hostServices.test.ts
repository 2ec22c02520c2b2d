import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { version as packageVersion } from '../../package.json';
import { callHost, createHostServices, isHostCall } from '../../src/main/hostServices';
import type { HostServices } from '../../src/main/hostServices';
import type { HostEvent } from '../../src/shared/hostApi';
import { buildWorker, TRIAL_WORKER } from '../helpers/buildWorker';
import type { BuiltWorker } from '../helpers/buildWorker';
import { sampleProject } from '../helpers/designs';

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
        expect(await services.saveProject(sampleProject())).toEqual({ path: file });
        expect(await services.saveProject(sampleProject())).toBeNull();
        expect(await services.openProject()).toEqual({ path: file, project: sampleProject() });
      },
    );
  });

  it('without pickers, requires a path', async () => {
    await withServices({}, async (services) => {
      await expect(services.openProject()).rejects.toThrow('openProject: a path is required');
      await expect(services.saveProject(sampleProject())).rejects.toThrow('saveProject: a path is required');
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
        callHost(services, 'saveProject', [{ ...sampleProject(), extra: 1 }, '/x.accentlab']),
      ).rejects.toThrow(/^saveProject: project: Unrecognized key: "extra"/);
    });
  });

  it('lists and opens the built-in notebooks from resources/, validating the id', async () => {
    const resourcesDir = join(import.meta.dirname, '../../resources');
    await withServices({ resourcesDir }, async (services) => {
      expect(await callHost(services, 'builtinNotebooks', [])).toEqual([
        { id: 'real-traces', title: 'Real traces' },
        { id: 'reproduce-zayas-1987', title: 'Reproduce Zayas 1987' },
      ]);
      const doc = (await callHost(services, 'openBuiltinNotebook', ['reproduce-zayas-1987'])) as {
        formatVersion: number;
        entries: { kind: string; id: string }[];
      };
      expect(doc.formatVersion).toBe(2);
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
