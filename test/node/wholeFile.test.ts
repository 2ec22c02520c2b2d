import {
  chmod,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  isTemporaryName,
  removeStaleTemporariesIn,
  STALE_TEMPORARY_MS,
  temporaryPathFor,
  writeWholeFile,
} from '../../src/node/wholeFile';
import { userCacheDir } from '../../src/node/trace/pageCache';
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

describe('stale temporaries (issue 14, finding 8)', () => {
  const past = (ms: number): Date => new Date(Date.now() - ms);
  /** A temporary file of `target` as a write killed midway leaves it, last changed `ago` ms ago. */
  async function leftBehind(target: string, ago: number): Promise<string> {
    const path = temporaryPathFor(target);
    await writeFile(path, 'half a write');
    await utimes(path, past(ago), past(ago));
    return path;
  }
  const names = async (folder = dir): Promise<string[]> => (await readdir(folder)).sort();
  const name = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

  it('a write removes its own file’s stale temporaries first, and nothing else', async () => {
    const target = join(dir, 'out.csv');
    const stale = await leftBehind(target, 2 * STALE_TEMPORARY_MS);
    const justStale = await leftBehind(target, STALE_TEMPORARY_MS + 60_000);
    const fresh = await leftBehind(target, STALE_TEMPORARY_MS - 60_000);
    const otherFiles = await leftBehind(join(dir, 'other.csv'), 2 * STALE_TEMPORARY_MS);
    // Names like ours that are not ours, all old: a user's files are never touched.
    const lookalikes = [
      'out.csv.bak',
      '.out.csv.partial',
      '.out.csv.notrandomhex.partial',
      '.out.csv.0123456789abc.partial',
      '.out.csv.0123456789AB.partial',
      'out.csv.0123456789ab.partial',
      '.out.csv.0123456789ab.partial.txt',
    ];
    for (const lookalike of lookalikes) {
      await writeFile(join(dir, lookalike), 'mine');
      await utimes(join(dir, lookalike), past(2 * STALE_TEMPORARY_MS), past(2 * STALE_TEMPORARY_MS));
    }
    // A folder and a symlink with our shape are not files a write left: kept, the link's target too.
    const folder = temporaryPathFor(target);
    await mkdir(folder);
    await utimes(folder, past(2 * STALE_TEMPORARY_MS), past(2 * STALE_TEMPORARY_MS));
    const victim = join(dir, 'victim.txt');
    await writeFile(victim, 'secret');
    const link = temporaryPathFor(target);
    await symlink(victim, link);

    await writeWholeFile(target, 'a,b\n');
    expect(await readFile(target, 'utf8')).toBe('a,b\n');
    expect(await names()).toEqual(
      [
        'out.csv',
        name(fresh),
        name(otherFiles),
        ...lookalikes,
        name(folder),
        'victim.txt',
        name(link),
      ].sort(),
    );
    expect(await names()).not.toContain(name(stale));
    expect(await names()).not.toContain(name(justStale));
    expect(await readFile(victim, 'utf8')).toBe('secret');
  });

  it('tells our temporary names from others', () => {
    const made = name(temporaryPathFor('/x/nb.accentlab'));
    expect(isTemporaryName(made)).toBe(true);
    expect(isTemporaryName(made, 'nb.accentlab')).toBe(true);
    expect(isTemporaryName(made, 'nb')).toBe(false);
    // The .bak's temporaries are the .bak's, not the file's.
    expect(isTemporaryName(name(temporaryPathFor('/x/nb.accentlab.bak')), 'nb.accentlab')).toBe(false);
    expect(isTemporaryName('.nb.accentlab.0123456789ab.partial', 'nb.accentlab')).toBe(true);
    expect(isTemporaryName('..0123456789ab.partial')).toBe(false);
    expect(isTemporaryName('.0123456789ab.partial')).toBe(false);
  });

  it('sweeps a folder of our own whatever file the temporaries were for: the trace cache folder', async () => {
    const cache = await userCacheDir(dir);
    const stale = await leftBehind(join(cache, 'a.trace-0123.pages-512.bin'), 2 * STALE_TEMPORARY_MS);
    const fresh = await leftBehind(join(cache, 'b.trace-4567.pages-512.bin'), 1_000);
    await writeFile(join(cache, 'c.trace-89ab.pages-512.bin'), 'a cache');
    expect(await userCacheDir(dir)).toBe(cache);
    expect(await names(cache)).toEqual([name(fresh), 'c.trace-89ab.pages-512.bin'].sort());
    expect(await names(cache)).not.toContain(name(stale));
    // Swept already: nothing more to remove, and a missing folder is no error.
    expect(await removeStaleTemporariesIn(cache)).toEqual([]);
    expect(await removeStaleTemporariesIn(join(dir, 'missing'))).toEqual([]);
  });
});
