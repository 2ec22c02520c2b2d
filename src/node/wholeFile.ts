import { randomBytes } from 'node:crypto';
import { open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Whole-or-refused file writes (Node only).
 *
 * We used write-file-atomic before. It writes with a single `fs.write` and ignores the byte count,
 * so on a nearly full disk, where a write comes back short instead of failing, it renamed a
 * truncated temporary file over the project and reported success. Here every write is looped
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
  const temporary = join(
    dirname(path),
    `${temporaryPrefix(path)}${randomBytes(6).toString('hex')}${TEMPORARY_SUFFIX}`,
  );
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
