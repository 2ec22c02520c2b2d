import { randomBytes } from 'node:crypto';
import { lstat, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Whole-or-refused file writes (Node only).
 *
 * We used write-file-atomic before. It writes with a single `fs.write` and ignores the byte count,
 * so on a nearly full disk, where a write comes back short instead of failing, it renamed a
 * truncated temporary file over the notebook and reported success. Here every write is looped
 * until all bytes are down, a write that makes no progress is a full disk, the file is flushed and
 * its size checked before the rename, and the folder is flushed after it. A failure at any step
 * removes the temporary file and leaves the old file as it was.
 */

export interface WriteWholeOptions {
  /** Permission bits for a new file (an existing file keeps its own). Default 0o666 less the umask. */
  mode?: number;
}

/** The temporary files of `path` start with this, so a later save can find ones a kill left behind. */
export function temporaryPrefix(path: string): string {
  return `.${basename(path)}.`;
}

export const TEMPORARY_SUFFIX = '.partial';

/** The random part of a temporary file's name: 6 random bytes in hex. */
const TEMPORARY_RANDOM = /^[0-9a-f]{12}$/;

/** A new temporary file's path for `path`: `.<name>.<12 hex digits>.partial` beside it. */
export function temporaryPathFor(path: string): string {
  return join(dirname(path), `${temporaryPrefix(path)}${randomBytes(6).toString('hex')}${TEMPORARY_SUFFIX}`);
}

/**
 * Whether `name` is one of our temporary files (`.<target>.<12 hex digits>.partial`): of the
 * file named `target` when it is given, of any file when not. Nothing else has this shape.
 */
export function isTemporaryName(name: string, target?: string): boolean {
  if (!name.startsWith('.') || !name.endsWith(TEMPORARY_SUFFIX)) return false;
  const stem = name.slice(1, -TEMPORARY_SUFFIX.length);
  const dot = stem.lastIndexOf('.');
  if (dot <= 0 || !TEMPORARY_RANDOM.test(stem.slice(dot + 1))) return false;
  return target === undefined || stem.slice(0, dot) === target;
}

/**
 * How long after its last change a temporary file is taken for one that a killed write left
 * behind. A write under way changes its temporary file at least once a chunk, and flushes and
 * renames it within moments of the last; ten minutes leaves a wide margin, also for a write by
 * another process or machine on a shared folder (whose process id says nothing here, so it is not
 * used).
 */
export const STALE_TEMPORARY_MS = 10 * 60 * 1000;

export interface SweepOptions {
  /** Default STALE_TEMPORARY_MS. */
  olderThanMs?: number;
  /** The clock (tests fix it). */
  now?: number;
}

async function sweep(dir: string, ours: (name: string) => boolean, options: SweepOptions): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const cutoff = (options.now ?? Date.now()) - (options.olderThanMs ?? STALE_TEMPORARY_MS);
  const removed: string[] = [];
  for (const name of names) {
    if (!ours(name)) continue;
    const path = join(dir, name);
    try {
      // Only a regular file (lstat: a symlink is never followed), not changed for a while, and
      // not someone else's.
      const info = await lstat(path);
      const uid = process.getuid?.();
      if (!info.isFile() || info.mtimeMs >= cutoff || (uid !== undefined && info.uid !== uid)) continue;
      await unlink(path);
      removed.push(path);
    } catch {
      // Gone already, or not ours to remove: leave it.
    }
  }
  return removed;
}

/**
 * Remove the temporary files of `path` that a killed write left behind (see STALE_TEMPORARY_MS);
 * returns the paths removed. Never throws: a sweep that cannot read or remove leaves things be.
 */
export function removeStaleTemporaries(path: string, options: SweepOptions = {}): Promise<string[]> {
  const target = basename(path);
  return sweep(dirname(path), (name) => isTemporaryName(name, target), options);
}

/**
 * Remove every stale temporary file of ours in `dir`, whatever file it was for. For the app's own
 * folders (recovery, trace cache), where a file's writer may never come back to sweep its own.
 */
export function removeStaleTemporariesIn(dir: string, options: SweepOptions = {}): Promise<string[]> {
  return sweep(dir, (name) => isTemporaryName(name), options);
}

const diskFull = (path: string): NodeJS.ErrnoException =>
  Object.assign(new Error(`ENOSPC: no space left on device, write '${path}'`), {
    code: 'ENOSPC',
    syscall: 'write',
    path,
  });

/** The parts of a file handle this module uses (tests wrap a real one to inject faults). */
export interface WritableHandle {
  write(
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number,
  ): Promise<{ bytesWritten: number }>;
  sync(): Promise<void>;
  stat(): Promise<{ size: number }>;
  close(): Promise<void>;
}

/** Opens the temporary file; exclusive creation (`wx`), so it never follows a planted symlink. */
export type OpenExclusive = (path: string, mode: number) => Promise<WritableHandle>;

const openExclusive: OpenExclusive = (path, mode) => open(path, 'wx', mode);

/** Write all of `bytes` at `position` of `handle`, looping over short writes. */
export async function writeAll(
  handle: WritableHandle,
  bytes: Uint8Array,
  position: number,
  path: string,
): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, position + done);
    // A write that makes no progress will never finish: the disk has no room left.
    if (bytesWritten <= 0) throw diskFull(path);
    done += bytesWritten;
  }
}

async function existingMode(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mode & 0o7777;
  } catch {
    return undefined;
  }
}

/** Flush a folder so that a rename in it survives a power cut (not possible on Windows). */
async function syncFolder(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
  } catch {
    return;
  }
  try {
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EPERM' && code !== 'EISDIR' && code !== 'EBADF') throw error;
  } finally {
    await handle.close();
  }
}

/**
 * Write `data` to `path` so that afterwards `path` holds either all of `data` or, if this fails,
 * exactly what it held before: a temporary file beside it, written in full, flushed and checked,
 * then renamed over it. Throws the underlying error (ENOSPC for a full disk, EACCES, …).
 */
export async function writeWholeFile(
  path: string,
  data: string | Uint8Array | readonly Uint8Array[],
  options: WriteWholeOptions = {},
  openTemporary: OpenExclusive = openExclusive,
): Promise<void> {
  const parts =
    typeof data === 'string' ? [Buffer.from(data, 'utf8')] : data instanceof Uint8Array ? [data] : data;
  const mode = (await existingMode(path)) ?? options.mode ?? 0o666;
  // What a killed write of this file left behind goes first: on a full disk it may be the room.
  await removeStaleTemporaries(path);
  const temporary = temporaryPathFor(path);
  const handle = await openTemporary(temporary, mode);
  let renamed = false;
  try {
    try {
      let length = 0;
      for (const part of parts) {
        await writeAll(handle, part, length, path);
        length += part.length;
      }
      // Some file systems report a full disk only when the data is flushed.
      await handle.sync();
      const { size } = await handle.stat();
      if (size !== length) throw diskFull(path);
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
    renamed = true;
    await syncFolder(dirname(path));
  } finally {
    if (!renamed) await unlink(temporary).catch(() => undefined);
  }
}
