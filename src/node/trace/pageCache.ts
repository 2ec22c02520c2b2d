import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, open, stat } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { PageReferenceString } from '../../engine/workloads/trace';
import type { TraceSummary } from '../../shared/hostApi';
import { printablePath } from '../printable';
import { removeStaleTemporariesIn, writeWholeFile } from '../wholeFile';
import type { ParsedTrace } from './lackeyParser';
import { MAX_TRACE_PAGES, MAX_TRACE_RECORDS } from './lackeyParser';

/**
 * The page cache of a trace: its page-reference string at one page size, in a binary file beside
 * the trace, or, when the trace's folder is not writable, in the user's own cache folder. A cache
 * is trusted only when its header's SHA-256 is the trace's, computed again from the trace (see the
 * loader); a cache in the shared temporary folder must sit in a folder of the user's own (mode
 * 0700, owned by them), and every cache file must be a regular file of the user's that no one
 * else can write. Writes are whole or refused, to a temporary file created exclusively under a
 * random name (wholeFile.ts), so a planted file or symlink is never followed.
 */

const MAGIC = 'ALTRACE\0';
const CACHE_VERSION = 1;
const HEADER_BYTES = 112;

export interface CacheHeader {
  pageSizeBytes: number;
  sourceBytes: number;
  sourceMtimeMs: number;
  sha256: string;
  lines: number;
  counts: TraceSummary['referencesByKind'];
  pageCount: number;
  recordCount: number;
}

/** The cache file beside the trace. */
export function cachePathBeside(tracePath: string, pageSizeBytes: number): string {
  return `${tracePath}.pages-${pageSizeBytes}.bin`;
}

/**
 * The user's own cache folder in the OS temporary folder: `accent-lab-traces-<uid>`, created mode
 * 0700. An existing one that is not a folder of the user's with no access for others (a planted
 * one) is refused.
 */
export async function userCacheDir(base: string = tmpdir()): Promise<string> {
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const dir = join(base, `accent-lab-traces-${uid ?? userInfo().username.replace(/[^\w-]/g, '_')}`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await checkOwnFolder(dir);
  // Our own folder: a cache write killed midway (of any trace) leaves its temporary here.
  await removeStaleTemporariesIn(dir);
  return dir;
}

/** Refuse a cache folder that is a symlink, not ours, or open to others. */
export async function checkOwnFolder(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const info = await lstat(dir);
  const uid = process.getuid?.();
  if (!info.isDirectory() || (uid !== undefined && info.uid !== uid) || (info.mode & 0o077) !== 0) {
    throw new Error(
      `the trace cache folder ${printablePath(dir)} is not a private folder of this user (mode 0700): ` +
        'remove it, or give another with fallbackCacheDir',
    );
  }
}

export function fallbackCachePath(tracePath: string, pageSizeBytes: number, dir: string): string {
  const key = createHash('sha256').update(resolve(tracePath)).digest('hex').slice(0, 16);
  const name = basename(tracePath)
    .replace(/[^\w.-]/g, '_')
    .slice(0, 100);
  return join(dir, `${name}-${key}.pages-${pageSizeBytes}.bin`);
}

/** The cache: header (magic, version, page size, source size and mtime, hash, counts), then the arrays. */
export function encodeCache(summary: TraceSummary, parsed: ParsedTrace, sourceMtimeMs: number): Buffer[] {
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(MAGIC, 0, 'latin1');
  header.writeUInt32LE(CACHE_VERSION, 8);
  header.writeUInt32LE(summary.pageSizeBytes, 12);
  header.writeDoubleLE(summary.fileBytes, 16);
  header.writeDoubleLE(sourceMtimeMs, 24);
  Buffer.from(summary.sha256, 'hex').copy(header, 32);
  header.writeDoubleLE(summary.lines, 64);
  header.writeDoubleLE(summary.referencesByKind.instruction, 72);
  header.writeDoubleLE(summary.referencesByKind.load, 80);
  header.writeDoubleLE(summary.referencesByKind.store, 88);
  header.writeDoubleLE(summary.referencesByKind.modify, 96);
  header.writeUInt32LE(parsed.pages.length, 104);
  header.writeUInt32LE(parsed.records, 108);
  // The arrays as they are in memory (little-endian on every platform Node runs on): no copy.
  const bytes = (part: Float64Array | Uint32Array | Uint8Array): Buffer =>
    Buffer.from(part.buffer, part.byteOffset, part.byteLength);
  return [
    header,
    bytes(parsed.pages),
    ...parsed.chunks.map((chunk) => bytes(chunk.references)),
    ...parsed.chunks.map((chunk) => bytes(chunk.instructions)),
    ...parsed.chunks.map((chunk) => bytes(chunk.flags)),
  ];
}

function decodeHeader(buffer: Buffer, fileBytes: number): CacheHeader | null {
  if (buffer.length < HEADER_BYTES || buffer.toString('latin1', 0, 8) !== MAGIC) return null;
  if (buffer.readUInt32LE(8) !== CACHE_VERSION) return null;
  const header: CacheHeader = {
    pageSizeBytes: buffer.readUInt32LE(12),
    sourceBytes: buffer.readDoubleLE(16),
    sourceMtimeMs: buffer.readDoubleLE(24),
    sha256: buffer.toString('hex', 32, 64),
    lines: buffer.readDoubleLE(64),
    counts: {
      instruction: buffer.readDoubleLE(72),
      load: buffer.readDoubleLE(80),
      store: buffer.readDoubleLE(88),
      modify: buffer.readDoubleLE(96),
    },
    pageCount: buffer.readUInt32LE(104),
    recordCount: buffer.readUInt32LE(108),
  };
  if (header.pageCount > MAX_TRACE_PAGES || header.recordCount > MAX_TRACE_RECORDS) return null;
  const expected = HEADER_BYTES + 8 * header.pageCount + 9 * header.recordCount;
  return fileBytes === expected ? header : null;
}

function decodeArrays(buffer: Buffer, header: CacheHeader): PageReferenceString {
  // Views into the file's bytes when they are aligned (a large read has its own ArrayBuffer);
  // otherwise copies.
  const aligned = buffer.byteOffset % 8 === 0;
  const bytesAt = (offset: number, length: number): [ArrayBuffer, number] => {
    if (aligned) return [buffer.buffer as ArrayBuffer, buffer.byteOffset + offset];
    const copy = new ArrayBuffer(length);
    new Uint8Array(copy).set(buffer.subarray(offset, offset + length));
    return [copy, 0];
  };
  const pageCount = header.pageCount;
  const records = header.recordCount;
  const pagesAt = HEADER_BYTES;
  const referencesAt = pagesAt + 8 * pageCount;
  const instructionsAt = referencesAt + 4 * records;
  const flagsAt = instructionsAt + 4 * records;
  const instructions = new Uint32Array(...bytesAt(instructionsAt, 4 * records), records);
  let totalInstructions = 0;
  for (let i = 0; i < instructions.length; i += 1) totalInstructions += instructions[i]!;
  const references = new Uint32Array(...bytesAt(referencesAt, 4 * records), records);
  // A record names a page by its index: one out of range would make the engine read past `pages`.
  for (let i = 0; i < references.length; i += 1) if (references[i]! >= pageCount) throw new RangeError();
  return {
    pageSizeBytes: header.pageSizeBytes,
    pages: new Float64Array(...bytesAt(pagesAt, 8 * pageCount), pageCount),
    references,
    instructions,
    flags: new Uint8Array(...bytesAt(flagsAt, records), records),
    totalInstructions,
  };
}

/** What the cache must match to be used. */
export interface CacheExpectation {
  pageSizeBytes: number;
  /** The trace's SHA-256 as computed now (never the header's own claim). */
  sha256?: string;
  /** Or, for a first look before hashing: the trace's size and modification time. */
  sourceBytes?: number;
  sourceMtimeMs?: number;
}

/** A cache file is ours to trust: a regular file (no symlink) of this user that only they can write. */
async function ownRegularFile(path: string): Promise<{ size: number } | null> {
  try {
    const info = await lstat(path);
    if (!info.isFile()) return null;
    const uid = process.getuid?.();
    if (
      process.platform !== 'win32' &&
      ((uid !== undefined && info.uid !== uid) || (info.mode & 0o022) !== 0)
    )
      return null;
    return { size: info.size };
  } catch {
    return null;
  }
}

/** Open without following a symlink (where the OS can). */
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

async function readHeaderAndMaybeArrays(
  cachePath: string,
  wantArrays: boolean,
): Promise<{ header: CacheHeader; buffer: Buffer | null } | null> {
  const own = await ownRegularFile(cachePath);
  if (!own) return null;
  let handle;
  try {
    handle = await open(cachePath, constants.O_RDONLY | NOFOLLOW);
  } catch {
    return null;
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return null;
    const head = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await handle.read(head, 0, HEADER_BYTES, 0);
    const header = decodeHeader(head.subarray(0, bytesRead), info.size);
    if (!header) return null;
    if (!wantArrays) return { header, buffer: null };
    const buffer = Buffer.allocUnsafe(info.size);
    let done = 0;
    while (done < info.size) {
      const { bytesRead: read } = await handle.read(buffer, done, info.size - done, done);
      if (read <= 0) return null;
      done += read;
    }
    return { header, buffer };
  } finally {
    await handle.close();
  }
}

function matches(header: CacheHeader, expect: CacheExpectation): boolean {
  if (header.pageSizeBytes !== expect.pageSizeBytes) return false;
  if (expect.sha256 !== undefined && header.sha256 !== expect.sha256) return false;
  if (expect.sourceBytes !== undefined && header.sourceBytes !== expect.sourceBytes) return false;
  if (expect.sourceMtimeMs !== undefined && header.sourceMtimeMs !== expect.sourceMtimeMs) return false;
  return true;
}

/** The header of a cache that matches, or null (missing, damaged, someone else's, stale). */
export async function readCacheHeader(
  cachePath: string,
  expect: CacheExpectation,
): Promise<CacheHeader | null> {
  const read = await readHeaderAndMaybeArrays(cachePath, false);
  return read && matches(read.header, expect) ? read.header : null;
}

/** The page-reference string of a cache that matches `expect`, or null. */
export async function readCache(
  cachePath: string,
  expect: CacheExpectation,
): Promise<{ header: CacheHeader; trace: PageReferenceString } | null> {
  const read = await readHeaderAndMaybeArrays(cachePath, true);
  if (!read?.buffer || !matches(read.header, expect)) return null;
  try {
    return { header: read.header, trace: decodeArrays(read.buffer, read.header) };
  } catch {
    return null;
  }
}

/** Write a cache whole (or nothing), readable and writable by the user only. */
export async function writeCache(cachePath: string, parts: readonly Buffer[]): Promise<void> {
  await writeWholeFile(cachePath, parts, { mode: 0o600 });
}

export async function fileExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
