import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { TraceSummary } from '../../shared/hostApi';
import { printablePath } from '../printable';
import type { ParsedTrace } from './lackeyParser';
import { LackeyParser, TraceFormatError } from './lackeyParser';
import {
  cachePathBeside,
  checkOwnFolder,
  encodeCache,
  fallbackCachePath,
  readCacheHeader,
  userCacheDir,
  writeCache,
} from './pageCache';
import type { CacheHeader } from './pageCache';
import { checkPageSize } from './importerProtocol';
import type { BuiltCache } from './importerProtocol';

// Building a trace's page cache, in the importer's child process (importer.ts; importerProcess.ts
// says why it is a process of its own): open the trace, hash it while streaming it through the
// lackey parser, and write the cache (pageCache.ts) beside the trace or in the fallback folder.

/** Open a trace for reading: a regular file only (no device, FIFO or folder). */
async function openTrace(path: string): Promise<{ handle: FileHandle; size: number; mtimeMs: number }> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`trace file not found: ${printablePath(path)}`, { cause: error });
    if (code === 'EISDIR')
      throw new Error(`${printablePath(path)} is a folder, not a trace file`, { cause: error });
    throw new Error(`cannot read ${printablePath(path)} (${code ?? 'error'})`, { cause: error });
  }
  const info = await handle.stat();
  if (!info.isFile()) {
    await handle.close();
    throw new Error(`${printablePath(path)} is not a regular file: only trace files are read`);
  }
  return { handle, size: info.size, mtimeMs: info.mtimeMs };
}

interface ReadHooks {
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Called for every chunk read (the importer checks its memory there). */
  onChunk?: () => void;
}

/** Stream the trace once: its SHA-256, and each (decompressed) chunk to `consume` when given. */
async function readTrace(
  path: string,
  opened: { handle: FileHandle; size: number },
  hooks: ReadHooks,
  parser: LackeyParser | null,
): Promise<string> {
  const { handle, size: total } = opened;
  const head = Buffer.alloc(2);
  const { bytesRead: headBytes } = await handle.read(head, 0, 2, 0);
  const gzip = headBytes === 2 && head[0] === 0x1f && head[1] === 0x8b;
  const hash = createHash('sha256');
  let bytesRead = 0;
  let reported = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytesRead += chunk.length;
      hooks.onChunk?.();
      if (hooks.onProgress && (bytesRead - reported >= 4 << 20 || bytesRead === total)) {
        reported = bytesRead;
        hooks.onProgress(bytesRead, total);
      }
      done(null, chunk);
    },
  });
  let formatError: Error | null = null;
  const consume = async (stream: AsyncIterable<Buffer>): Promise<void> => {
    try {
      for await (const chunk of stream) {
        parser?.push(chunk);
        hooks.onChunk?.();
      }
    } catch (error) {
      formatError = error as Error;
      throw error;
    }
  };
  const source = handle.createReadStream({ start: 0, highWaterMark: 1 << 20, autoClose: false });
  try {
    if (parser && gzip) await pipeline(source, meter, createGunzip({ chunkSize: 1 << 16 }), consume);
    else await pipeline(source, meter, consume);
  } catch (error) {
    if (formatError) throw formatError;
    const code = (error as { code?: string }).code;
    if (parser && typeof code === 'string' && code.startsWith('Z_')) {
      throw new TraceFormatError(path, parser.lines + 1, 'the compressed trace is damaged or truncated');
    }
    throw error;
  }
  parser?.end();
  hooks.onProgress?.(total, total);
  return hash.digest('hex');
}

function summaryOf(
  path: string,
  pageSizeBytes: number,
  sha256: string,
  fileBytes: number,
  lines: number,
  counts: TraceSummary['referencesByKind'],
  distinctPages: number,
  pageReferences: number,
): TraceSummary {
  return {
    path,
    pageSizeBytes,
    sha256,
    fileBytes,
    lines,
    references: counts.instruction + counts.load + counts.store + counts.modify,
    referencesByKind: { ...counts },
    instructions: counts.instruction,
    distinctPages,
    pageReferences,
  };
}

function summaryFromHeader(path: string, fileBytes: number, header: CacheHeader): TraceSummary {
  return summaryOf(
    path,
    header.pageSizeBytes,
    header.sha256,
    fileBytes,
    header.lines,
    header.counts,
    header.pageCount,
    header.recordCount,
  );
}

function isUnwritable(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'EACCES' || code === 'EROFS' || code === 'EPERM';
}

/**
 * The trace's page cache at a page size, checked or built, in this process (the importer's). A
 * cache is used only when its header's SHA-256 is the one just computed from the trace.
 */
export async function buildOrReuseCache(
  path: string,
  options: { pageSizeBytes: number; fallbackCacheDir?: string } & ReadHooks,
): Promise<BuiltCache> {
  checkPageSize(options.pageSizeBytes);
  const opened = await openTrace(path);
  try {
    let fallbackDir: string | null = null;
    const fallback = async (): Promise<string> => {
      if (fallbackDir) return fallbackDir;
      if (options.fallbackCacheDir) {
        await checkOwnFolder(options.fallbackCacheDir);
        fallbackDir = options.fallbackCacheDir;
      } else fallbackDir = await userCacheDir();
      return fallbackDir;
    };
    const beside = cachePathBeside(path, options.pageSizeBytes);
    const candidates = async (): Promise<string[]> => {
      const list = [beside];
      try {
        list.push(fallbackCachePath(path, options.pageSizeBytes, await fallback()));
      } catch {
        // No private fallback folder: only the cache beside the trace.
      }
      return list;
    };
    // A cache made from a file of this size and time is worth hashing the trace for.
    const look = {
      pageSizeBytes: options.pageSizeBytes,
      sourceBytes: opened.size,
      sourceMtimeMs: opened.mtimeMs,
    };
    for (const cachePath of await candidates()) {
      const header = await readCacheHeader(cachePath, look);
      if (!header) continue;
      const sha256 = await readTrace(path, opened, options, null);
      if (header.sha256 === sha256) {
        return { summary: summaryFromHeader(path, opened.size, header), cachePath, fromCache: true };
      }
      break; // the trace changed under the same size and time: parse it again
    }
    const parser = new LackeyParser(path, options.pageSizeBytes);
    const sha256 = await readTrace(path, opened, options, parser);
    const parsed: ParsedTrace = parser.result();
    const summary = summaryOf(
      path,
      options.pageSizeBytes,
      sha256,
      opened.size,
      parser.lines,
      parser.counts,
      parsed.pages.length,
      parsed.records,
    );
    const data = encodeCache(summary, parsed, opened.mtimeMs);
    try {
      await writeCache(beside, data);
      return { summary, cachePath: beside, fromCache: false };
    } catch (error) {
      if (!isUnwritable(error)) throw error;
      const cachePath = fallbackCachePath(path, options.pageSizeBytes, await fallback());
      await writeCache(cachePath, data);
      return { summary, cachePath, fromCache: false };
    }
  } finally {
    await opened.handle.close();
  }
}
