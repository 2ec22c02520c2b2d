import { open } from 'node:fs/promises';
import type { OpenExclusive, WritableHandle } from '../../src/node/wholeFile';

/**
 * An opener for writeWholeFile whose files live on a disk with only `room` bytes free: writes go
 * to the real file until the room is used up, then come back short, and once nothing fits, they
 * write nothing (bytesWritten 0), the way a nearly full tmpfs behaves.
 */
export function nearlyFullDisk(room: number): OpenExclusive {
  let free = room;
  return async (path, mode) => {
    const handle = await open(path, 'wx', mode);
    const faulty: WritableHandle = {
      async write(buffer, offset, length, position) {
        const fits = Math.min(length, free);
        if (fits === 0) return { bytesWritten: 0 };
        const { bytesWritten } = await handle.write(buffer, offset, fits, position);
        free -= bytesWritten;
        return { bytesWritten };
      },
      sync: () => handle.sync(),
      stat: () => handle.stat(),
      close: () => handle.close(),
    };
    return faulty;
  };
}

/** An opener whose files accept every byte but whose flush fails, as some file systems report a full disk. */
export function failingFlush(code = 'ENOSPC'): OpenExclusive {
  return async (path, mode) => {
    const handle = await open(path, 'wx', mode);
    return {
      write: (buffer, offset, length, position) => handle.write(buffer, offset, length, position),
      sync: () => Promise.reject(Object.assign(new Error(`${code}: flush failed`), { code })),
      stat: () => handle.stat(),
      close: () => handle.close(),
    };
  };
}
