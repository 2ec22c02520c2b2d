import { chmod, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeWholeFile } from '../../src/node/wholeFile';
import { failingFlush, nearlyFullDisk } from '../helpers/faultyDisk';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'accent-lab-whole-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const text = (bytes: number): string => 'x'.repeat(bytes);

describe('writeWholeFile', () => {
  it('writes every byte of a string, a buffer or several parts, and leaves no temporary file', async () => {
    const file = join(dir, 'out.txt');
    await writeWholeFile(file, 'héllo');
    expect(await readFile(file, 'utf8')).toBe('héllo');
    await writeWholeFile(file, Buffer.from([1, 2, 3]));
    expect([...(await readFile(file))]).toEqual([1, 2, 3]);
    await writeWholeFile(file, [Buffer.from('ab'), Buffer.from(''), Buffer.from('cde')]);
    expect(await readFile(file, 'utf8')).toBe('abcde');
    expect(await readdir(dir)).toEqual(['out.txt']);
  });

  it('loops over short writes until every byte is down', async () => {
    const file = join(dir, 'out.txt');
    // Room for everything, but each write takes at most what is left of a shrinking budget.
    let calls = 0;
    const stingy = nearlyFullDisk(1_000_000);
    await writeWholeFile(file, text(50_000), {}, async (path, mode) => {
      const handle = await stingy(path, mode);
      return {
        ...handle,
        write: (buffer, offset, length, position) => {
          calls += 1;
          return handle.write(buffer, offset, Math.min(length, 4096), position);
        },
      };
    });
    expect(calls).toBeGreaterThan(10);
    expect(await readFile(file, 'utf8')).toBe(text(50_000));
  });

  it('refuses a write that the disk cuts short and keeps the old file whole', async () => {
    const file = join(dir, 'out.txt');
    await writeFile(file, 'the old version');
    await expect(writeWholeFile(file, text(10_000), {}, nearlyFullDisk(4000))).rejects.toMatchObject({
      code: 'ENOSPC',
    });
    expect(await readFile(file, 'utf8')).toBe('the old version');
    expect(await readdir(dir)).toEqual(['out.txt']);
  });

  it('refuses a write whose flush fails and keeps the old file whole', async () => {
    const file = join(dir, 'out.txt');
    await writeFile(file, 'the old version');
    await expect(writeWholeFile(file, 'new', {}, failingFlush('EIO'))).rejects.toMatchObject({
      code: 'EIO',
    });
    expect(await readFile(file, 'utf8')).toBe('the old version');
    expect(await readdir(dir)).toEqual(['out.txt']);
  });

  it('keeps the mode of the file it replaces, and gives a new file the mode asked for', async () => {
    const kept = join(dir, 'kept.txt');
    await writeFile(kept, 'old');
    await chmod(kept, 0o640);
    await writeWholeFile(kept, 'new');
    expect((await stat(kept)).mode & 0o777).toBe(0o640);
    const fresh = join(dir, 'fresh.bin');
    await writeWholeFile(fresh, 'new', { mode: 0o600 });
    expect((await stat(fresh)).mode & 0o777).toBe(0o600);
  });

  it('replaces a symlink at the path by a file and never writes through it', async () => {
    const victim = join(dir, 'victim.txt');
    await writeFile(victim, 'secret');
    const link = join(dir, 'link.txt');
    await symlink(victim, link);
    await writeWholeFile(link, 'written');
    expect(await readFile(victim, 'utf8')).toBe('secret');
    expect(await readFile(link, 'utf8')).toBe('written');
  });
});
