import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backupPath } from '../../src/node/projectFile';
import { ProjectService } from '../../src/main/services/projectService';
import { sampleProject } from '../helpers/designs';

// write-file-atomic as it is, except that a test can make one of its next calls fail (a full
// disk): `skip` calls go through, then the next one rejects with `error`.
const atomic = vi.hoisted(() => ({ fail: null as { skip: number; error: Error } | null }));
vi.mock('write-file-atomic', async (importOriginal) => {
  const real = (await importOriginal<{ default: (...args: unknown[]) => Promise<void> }>()).default;
  return {
    default: (...args: unknown[]) => {
      const fail = atomic.fail;
      if (fail && fail.skip-- === 0) {
        atomic.fail = null;
        return Promise.reject(fail.error);
      }
      return real(...args);
    },
  };
});

const diskFull = (): Error =>
  Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

const isRoot = process.getuid?.() === 0;

let dir: string;
let service: ProjectService;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'accent-lab-save-'));
  service = new ProjectService({ settingsDir: join(dir, 'settings') });
  atomic.fail = null;
});

afterEach(async () => {
  await chmod(dir, 0o755).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

function renamed(name: string) {
  return { ...sampleProject(), name };
}

describe('saving a project', () => {
  it('keeps the previous version as <file>.bak', async () => {
    const file = join(dir, 'lab.accentlab');
    await service.save(renamed('first'), file);
    await expect(readFile(backupPath(file))).rejects.toMatchObject({ code: 'ENOENT' });
    const first = await readFile(file, 'utf8');

    await service.save(renamed('second'), file);
    const second = await readFile(file, 'utf8');
    expect(second).not.toBe(first);
    expect(await readFile(backupPath(file), 'utf8')).toBe(first);

    await service.save(renamed('third'), file);
    expect(await readFile(backupPath(file), 'utf8')).toBe(second);
    // No temporary files left behind.
    expect((await readdir(dir)).sort()).toEqual(['lab.accentlab', 'lab.accentlab.bak', 'settings']);
  });

  it('fails with a clear message when the disk is full, and leaves the old file whole', async () => {
    const file = join(dir, 'lab.accentlab');
    await service.save(renamed('first'), file);
    const before = await readFile(file, 'utf8');

    // The backup goes through; the project file's own write fails.
    atomic.fail = { skip: 1, error: diskFull() };
    await expect(service.save(renamed('second'), file)).rejects.toThrow(
      /cannot save .*lab\.accentlab: the disk is full; the previous file is unchanged/,
    );
    expect(await readFile(file, 'utf8')).toBe(before);
    expect(await readFile(backupPath(file), 'utf8')).toBe(before);

    // The backup's own write fails: nothing is replaced either.
    atomic.fail = { skip: 0, error: diskFull() };
    await expect(service.save(renamed('third'), file)).rejects.toThrow(/the disk is full/);
    expect(await readFile(file, 'utf8')).toBe(before);
    expect((await readdir(dir)).sort()).toEqual(['lab.accentlab', 'lab.accentlab.bak', 'settings']);
  });

  it('fails with a clear message when the folder is gone', async () => {
    const gone = join(dir, 'gone');
    await mkdir(gone);
    await rm(gone, { recursive: true });
    await expect(service.save(sampleProject(), join(gone, 'lab.accentlab'))).rejects.toThrow(
      /cannot save .*lab\.accentlab: the folder does not exist/,
    );
  });

  it('fails with a clear message when the folder is not writable, and leaves the old file whole', async () => {
    if (isRoot) {
      // chmod does not stop root: a path whose parent is a regular file fails for root too.
      const notAFolder = join(dir, 'plain-file');
      await writeFile(notAFolder, 'not a folder');
      await expect(service.save(sampleProject(), join(notAFolder, 'lab.accentlab'))).rejects.toThrow(
        /cannot save .*lab\.accentlab: part of the path is not a folder/,
      );
      expect(await readFile(notAFolder, 'utf8')).toBe('not a folder');
      return;
    }
    const folder = join(dir, 'locked');
    await mkdir(folder);
    const file = join(folder, 'lab.accentlab');
    await service.save(renamed('first'), file);
    const before = await readFile(file, 'utf8');
    await chmod(folder, 0o555);
    try {
      await expect(service.save(renamed('second'), file)).rejects.toThrow(
        /cannot save .*lab\.accentlab: permission denied.*; the previous file is unchanged/,
      );
    } finally {
      await chmod(folder, 0o755);
    }
    expect(await readFile(file, 'utf8')).toBe(before);
    expect(await readdir(folder)).toEqual(['lab.accentlab']);
  });
});
