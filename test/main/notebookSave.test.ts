import { chmod, mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backupPath } from '../../src/node/notebookFile';
import { NotebookService } from '../../src/main/services/notebookService';
import { sampleNotebook } from '../helpers/designs';

// The real writer, except that a test can make one of its next writes land on a nearly full
// disk: `skip` writes go through, then the next one finds only `room` bytes free, as a real
// tmpfs does (the write comes back short; nothing fails until the next write makes no progress).
const disk = vi.hoisted(() => ({ full: null as { skip: number; room: number } | null }));
vi.mock('../../src/node/wholeFile', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/node/wholeFile')>();
  const { nearlyFullDisk } = await import('../helpers/faultyDisk');
  return {
    ...real,
    writeWholeFile: (...args: Parameters<typeof real.writeWholeFile>) => {
      const full = disk.full;
      if (full && full.skip-- === 0) {
        disk.full = null;
        return real.writeWholeFile(args[0], args[1], args[2], nearlyFullDisk(full.room));
      }
      return real.writeWholeFile(...args);
    },
  };
});

const isRoot = process.getuid?.() === 0;

let dir: string;
let service: NotebookService;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'accent-lab-save-'));
  service = new NotebookService({ settingsDir: join(dir, 'settings') });
  disk.full = null;
});

afterEach(async () => {
  await chmod(dir, 0o755).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

function renamed(name: string) {
  return { ...sampleNotebook(), name };
}

describe('saving a notebook', () => {
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

    // The backup goes through; the notebook file's own write fails.
    disk.full = { skip: 1, room: 100 };
    await expect(service.save(renamed('second'), file)).rejects.toThrow(
      /cannot save .*lab\.accentlab: the disk is full; the previous file is unchanged/,
    );
    expect(await readFile(file, 'utf8')).toBe(before);
    expect(await readFile(backupPath(file), 'utf8')).toBe(before);

    // The backup's own write fails: nothing is replaced either.
    disk.full = { skip: 0, room: 100 };
    await expect(service.save(renamed('third'), file)).rejects.toThrow(/the disk is full/);
    expect(await readFile(file, 'utf8')).toBe(before);
    expect((await readdir(dir)).sort()).toEqual(['lab.accentlab', 'lab.accentlab.bak', 'settings']);
  });

  it('fails with a clear message when the folder is gone', async () => {
    const gone = join(dir, 'gone');
    await mkdir(gone);
    await rm(gone, { recursive: true });
    await expect(service.save(sampleNotebook(), join(gone, 'lab.accentlab'))).rejects.toThrow(
      /cannot save .*lab\.accentlab: the folder does not exist/,
    );
  });

  it('fails with a clear message when the folder is not writable, and leaves the old file whole', async () => {
    if (isRoot) {
      // chmod does not stop root: a path whose parent is a regular file fails for root too.
      const notAFolder = join(dir, 'plain-file');
      await writeFile(notAFolder, 'not a folder');
      await expect(service.save(sampleNotebook(), join(notAFolder, 'lab.accentlab'))).rejects.toThrow(
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

describe('saving over what others left', () => {
  it('refuses to replace a read-only notebook file, saying so, and changes nothing', async () => {
    const file = join(dir, 'lab.accentlab');
    await service.save(renamed('first'), file);
    const before = await readFile(file, 'utf8');
    await chmod(file, 0o444);
    await expect(service.save(renamed('second'), file)).rejects.toThrow(
      /cannot save .*lab\.accentlab: the file is read-only.*; the previous file is unchanged/,
    );
    expect(await readFile(file, 'utf8')).toBe(before);
    expect((await readdir(dir)).sort()).toEqual(['lab.accentlab', 'settings']);
  });

  it("removes the temporary files a killed save left behind, once they are old, and no one else's", async () => {
    const file = join(dir, 'lab.accentlab');
    const stale = join(dir, '.lab.accentlab.0123456789ab.partial');
    const staleBackup = join(dir, '.lab.accentlab.bak.0123456789ab.partial');
    const fresh = join(dir, '.lab.accentlab.ba9876543210.partial');
    const other = join(dir, '.notes.txt.0123456789ab.partial');
    for (const path of [stale, staleBackup, fresh, other]) await writeFile(path, 'half a save');
    const anHourAgo = new Date(Date.now() - 60 * 60 * 1000);
    for (const path of [stale, staleBackup, other]) await utimes(path, anHourAgo, anHourAgo);
    await service.save(renamed('first'), file);
    expect((await readdir(dir)).sort()).toEqual(
      [
        '.lab.accentlab.ba9876543210.partial',
        '.notes.txt.0123456789ab.partial',
        'lab.accentlab',
        'settings',
      ].sort(),
    );
  });
});
