import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { TrialSpec } from '../engine/experiment/trial';
import type { PageReferenceMap, TraceSummary } from '../shared/hostApi';
import type { PageReferenceString, TraceWorkloadSource } from '../engine/workloads/trace';
import { TRACE_FIRST_IS_STORE, TRACE_WRITE } from '../engine/workloads/trace';
import { writeWholeFile } from './wholeFile';

/**
 * Import of memory traces written by Valgrind's lackey tool
 * (`valgrind --tool=lackey --trace-mem=yes --log-file=TRACE PROGRAM`), plain or gzip, streamed so
 * that traces of gigabytes never sit in memory whole. The counting rules are in docs/traces.md.
 */

export type { TraceSummary };

export interface LoadedTrace {
  summary: TraceSummary;
  pageReferences: PageReferenceString;
  cachePath: string;
  /** True when the cache was up to date and the trace itself was not read. */
  fromCache: boolean;
}

export interface LoadTraceOptions {
  pageSizeBytes: number;
  /** Bytes of the file read so far, and its size. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  signal?: AbortSignal;
  /** Where the cache goes when the trace's folder is not writable (default: the OS temp folder). */
  fallbackCacheDir?: string;
}

/** A line of the trace that is not lackey output; `line` counts from 1. */
export class TraceFormatError extends Error {
  constructor(
    readonly path: string,
    readonly line: number,
    detail: string,
  ) {
    super(`${path}, line ${line}: ${detail}`);
    this.name = 'TraceFormatError';
  }
}

const MAGIC = 'ALTRACE\0';
const CACHE_VERSION = 1;
const HEADER_BYTES = 112;

const CHAR_NEWLINE = 0x0a;
const CHAR_RETURN = 0x0d;
const CHAR_SPACE = 0x20;
const CHAR_COMMA = 0x2c;
const CHAR_EQUALS = 0x3d;
const CHAR_DASH = 0x2d;

/** Records per chunk of the parser's store: growth never copies, and no capacity is wasted. */
const CHUNK_RECORDS = 1 << 20;

interface RecordChunk {
  references: Uint32Array;
  instructions: Uint32Array;
  flags: Uint8Array;
}

/** Page-reference records in fixed-size chunks. */
class RecordChunks {
  readonly chunks: RecordChunk[] = [];
  length = 0;
  private used = CHUNK_RECORDS;

  push(page: number, instructions: number, flags: number): void {
    if (this.used === CHUNK_RECORDS) {
      this.chunks.push({
        references: new Uint32Array(CHUNK_RECORDS),
        instructions: new Uint32Array(CHUNK_RECORDS),
        flags: new Uint8Array(CHUNK_RECORDS),
      });
      this.used = 0;
    }
    const chunk = this.chunks[this.chunks.length - 1]!;
    chunk.references[this.used] = page;
    chunk.instructions[this.used] = instructions;
    chunk.flags[this.used] = flags;
    this.used += 1;
    this.length += 1;
  }

  /** Merge into the last record. */
  addToLast(instructions: number, flags: number): void {
    const chunk = this.chunks[this.chunks.length - 1]!;
    chunk.instructions[this.used - 1]! += instructions;
    chunk.flags[this.used - 1]! |= flags;
  }

  /** The chunks cut to the records they hold. */
  filled(): RecordChunk[] {
    return this.chunks.map((chunk, index) => {
      const length = index === this.chunks.length - 1 ? this.used : CHUNK_RECORDS;
      return {
        references: chunk.references.subarray(0, length),
        instructions: chunk.instructions.subarray(0, length),
        flags: chunk.flags.subarray(0, length),
      };
    });
  }
}

/** What the parser produces: the distinct pages and the records, still in chunks. */
interface ParsedTrace {
  pages: Float64Array;
  chunks: RecordChunk[];
  records: number;
}

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  return -1;
}

/** Parses lackey lines chunk by chunk into the page-reference string. */
class LackeyParser {
  lines = 0;
  counts = { instruction: 0, load: 0, store: 0, modify: 0 };
  private readonly pageIndex = new Map<number, number>();
  private readonly pageNumbers: number[] = [];
  private readonly records = new RecordChunks();
  private currentPage = -1;
  private carry: Buffer | null = null;

  constructor(
    private readonly path: string,
    private readonly pageSizeBytes: number,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    let data = chunk;
    if (this.carry) {
      const newline = chunk.indexOf(CHAR_NEWLINE);
      if (newline < 0) {
        this.carry = Buffer.concat([this.carry, chunk]);
        return;
      }
      this.line(Buffer.concat([this.carry, chunk.subarray(0, newline)]), 0, this.carry.length + newline);
      this.carry = null;
      start = newline + 1;
      data = chunk;
    }
    for (;;) {
      const newline = data.indexOf(CHAR_NEWLINE, start);
      if (newline < 0) break;
      this.line(data, start, newline);
      start = newline + 1;
    }
    if (start < data.length) this.carry = Buffer.from(data.subarray(start));
  }

  /** After the last chunk: a trace must end with a whole line. */
  end(): void {
    if (this.carry && this.carry.length > 0) {
      throw new TraceFormatError(
        this.path,
        this.lines + 1,
        `the trace ends in the middle of a line ("${preview(this.carry, 0, this.carry.length)}"): the file is truncated`,
      );
    }
  }

  private fail(bytes: Buffer, start: number, end: number, what: string): never {
    throw new TraceFormatError(this.path, this.lines, `${what}, got "${preview(bytes, start, end)}"`);
  }

  private line(bytes: Buffer, start: number, end: number): void {
    this.lines += 1;
    if (end > start && bytes[end - 1] === CHAR_RETURN) end -= 1;
    const first = bytes[start];
    // Valgrind's own log lines: "==PID== ..." and "--PID-- ...".
    if ((first === CHAR_EQUALS || first === CHAR_DASH) && bytes[start + 1] === first) return;
    if (end - start < 6 || bytes[start + 2] !== CHAR_SPACE) {
      this.fail(bytes, start, end, "expected a lackey line 'I  ADDR,SIZE' or ' L|S|M ADDR,SIZE'");
    }
    const second = bytes[start + 1];
    let kind: 'instruction' | 'load' | 'store' | 'modify';
    if (first === 0x49 && second === CHAR_SPACE) kind = 'instruction';
    else if (first === CHAR_SPACE && second === 0x4c) kind = 'load';
    else if (first === CHAR_SPACE && second === 0x53) kind = 'store';
    else if (first === CHAR_SPACE && second === 0x4d) kind = 'modify';
    else this.fail(bytes, start, end, "expected a lackey line 'I  ADDR,SIZE' or ' L|S|M ADDR,SIZE'");
    let position = start + 3;
    let address = 0;
    let digits = 0;
    for (; position < end && bytes[position] !== CHAR_COMMA; position += 1) {
      const value = hexValue(bytes[position]!);
      if (value < 0) this.fail(bytes, start, end, 'the address must be hexadecimal');
      address = address * 16 + value;
      digits += 1;
    }
    if (digits === 0 || digits > 13 || position >= end) {
      this.fail(bytes, start, end, 'expected a hexadecimal address of 1 to 13 digits, a comma and a size');
    }
    let size = 0;
    for (position += 1; position < end; position += 1) {
      const byte = bytes[position]!;
      if (byte < 0x30 || byte > 0x39 || size > 1_000_000) {
        this.fail(bytes, start, end, 'the size after the comma must be a whole number of bytes');
      }
      size = size * 10 + (byte - 0x30);
    }
    if (size === 0) this.fail(bytes, start, end, 'the size after the comma must be at least 1 byte');
    this.counts[kind] += 1;
    const firstPage = Math.floor(address / this.pageSizeBytes);
    const lastPage = Math.floor((address + size - 1) / this.pageSizeBytes);
    const write = kind === 'store' || kind === 'modify' ? TRACE_WRITE : 0;
    for (let page = firstPage; page <= lastPage; page += 1) {
      // The instruction is counted once, with the first page it touches.
      this.touch(page, kind === 'instruction' && page === firstPage ? 1 : 0, write, kind === 'store');
    }
  }

  private touch(page: number, instructions: number, write: number, store: boolean): void {
    const records = this.records;
    if (page === this.currentPage) {
      records.addToLast(instructions, write);
      return;
    }
    this.currentPage = page;
    let index = this.pageIndex.get(page);
    if (index === undefined) {
      index = this.pageNumbers.length;
      this.pageIndex.set(page, index);
      this.pageNumbers.push(page);
    }
    records.push(index, instructions, write | (store ? TRACE_FIRST_IS_STORE : 0));
  }

  /** The distinct pages sorted by address, and the records renumbered to match, in place. */
  result(): ParsedTrace {
    const order = this.pageNumbers
      .map((_, index) => index)
      .sort((a, b) => this.pageNumbers[a]! - this.pageNumbers[b]!);
    const rank = new Uint32Array(order.length);
    order.forEach((index, position) => (rank[index] = position));
    const chunks = this.records.filled();
    for (const { references } of chunks) {
      for (let i = 0; i < references.length; i += 1) references[i] = rank[references[i]!]!;
    }
    return {
      pages: Float64Array.from(order, (index) => this.pageNumbers[index]!),
      chunks,
      records: this.records.length,
    };
  }
}

function preview(bytes: Buffer, start: number, end: number): string {
  const text = bytes.subarray(start, Math.min(end, start + 60)).toString('latin1');
  return end - start > 60 ? `${text}...` : text;
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

async function isGzip(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/** Read and convert the trace itself (not the cache). */
async function parseTrace(
  path: string,
  options: LoadTraceOptions,
): Promise<{ summary: TraceSummary; parsed: ParsedTrace }> {
  checkPageSize(options.pageSizeBytes);
  const info = await stat(path);
  const total = info.size;
  const hash = createHash('sha256');
  const parser = new LackeyParser(path, options.pageSizeBytes);
  let bytesRead = 0;
  let reported = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytesRead += chunk.length;
      if (options.onProgress && (bytesRead - reported >= 4 << 20 || bytesRead === total)) {
        reported = bytesRead;
        options.onProgress(bytesRead, total);
      }
      done(null, chunk);
    },
  });
  // pipeline() may report its own AbortError rather than the consumer's: keep the real one.
  let formatError: TraceFormatError | null = null;
  const consume = async (stream: AsyncIterable<Buffer>): Promise<void> => {
    try {
      for await (const chunk of stream) parser.push(chunk);
    } catch (error) {
      if (error instanceof TraceFormatError) formatError = error;
      throw error;
    }
  };
  const source = createReadStream(path, { highWaterMark: 1 << 20 });
  const signal = options.signal ? { signal: options.signal } : {};
  try {
    if (await isGzip(path)) await pipeline(source, meter, createGunzip(), consume, signal);
    else await pipeline(source, meter, consume, signal);
  } catch (error) {
    if (formatError) throw formatError;
    if (error instanceof TraceFormatError) throw error;
    const code = (error as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('Z_')) {
      const damaged = new TraceFormatError(
        path,
        parser.lines + 1,
        `the compressed trace is damaged or truncated (${(error as Error).message})`,
      );
      damaged.cause = error;
      throw damaged;
    }
    throw error;
  }
  parser.end();
  options.onProgress?.(total, total);
  const parsed = parser.result();
  const sha256 = hash.digest('hex');
  return {
    summary: summaryOf(
      path,
      options.pageSizeBytes,
      sha256,
      total,
      parser.lines,
      parser.counts,
      parsed.pages.length,
      parsed.records,
    ),
    parsed,
  };
}

function checkPageSize(pageSizeBytes: number): void {
  if (!(Number.isSafeInteger(pageSizeBytes) && pageSizeBytes >= 16 && pageSizeBytes <= 1 << 30)) {
    throw new RangeError(`page size must be a whole number of bytes from 16 to 2^30 (got ${pageSizeBytes})`);
  }
}

/** The cache file beside the trace. */
export function cachePathBeside(tracePath: string, pageSizeBytes: number): string {
  return `${tracePath}.pages-${pageSizeBytes}.bin`;
}

function fallbackCachePath(tracePath: string, pageSizeBytes: number, dir: string): string {
  const key = createHash('sha256').update(resolve(tracePath)).digest('hex').slice(0, 16);
  return join(dir, `${basename(tracePath)}-${key}.pages-${pageSizeBytes}.bin`);
}

interface CacheHeader {
  pageSizeBytes: number;
  sourceBytes: number;
  sourceMtimeMs: number;
  sha256: string;
  lines: number;
  counts: TraceSummary['referencesByKind'];
  pageCount: number;
  recordCount: number;
}

/** The cache: header (magic, version, page size, source size and mtime, hash, counts), then the arrays. */
function encodeCache(summary: TraceSummary, parsed: ParsedTrace, sourceMtimeMs: number): Buffer[] {
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

function summaryFromCache(path: string, fileBytes: number, header: CacheHeader): TraceSummary {
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

function decodeHeader(buffer: Buffer): CacheHeader | null {
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
  const expected = HEADER_BYTES + 8 * header.pageCount + 9 * header.recordCount;
  return buffer.length === expected ? header : null;
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
  return {
    pageSizeBytes: header.pageSizeBytes,
    pages: new Float64Array(...bytesAt(pagesAt, 8 * pageCount), pageCount),
    references: new Uint32Array(...bytesAt(referencesAt, 4 * records), records),
    instructions,
    flags: new Uint8Array(...bytesAt(flagsAt, records), records),
    totalInstructions,
  };
}

async function readCache(
  cachePath: string,
  pageSizeBytes: number,
  sourceBytes: number,
  sourceMtimeMs: number,
): Promise<{ header: CacheHeader; trace: PageReferenceString } | null> {
  let buffer: Buffer;
  try {
    buffer = await readFile(cachePath);
  } catch {
    return null;
  }
  const header = decodeHeader(buffer);
  if (
    !header ||
    header.pageSizeBytes !== pageSizeBytes ||
    header.sourceBytes !== sourceBytes ||
    header.sourceMtimeMs !== sourceMtimeMs
  ) {
    return null;
  }
  return { header, trace: decodeArrays(buffer, header) };
}

function writeCache(cachePath: string, parts: readonly Buffer[]): Promise<void> {
  return writeWholeFile(cachePath, parts, { mode: 0o600 });
}

function isUnwritable(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'EACCES' || code === 'EROFS' || code === 'EPERM';
}

/**
 * The trace's page-reference string at a page size: from its cache when the cache matches the
 * file's size and modification time, else parsed from the file and cached (beside the trace, or
 * in `fallbackCacheDir` when the trace's folder is not writable).
 */
export async function loadTrace(path: string, options: LoadTraceOptions): Promise<LoadedTrace> {
  checkPageSize(options.pageSizeBytes);
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT')
      throw new Error(`trace file not found: ${path}`, { cause: error });
    throw error;
  }
  const fallbackDir = options.fallbackCacheDir ?? join(tmpdir(), 'accent-lab-traces');
  const candidates = [
    cachePathBeside(path, options.pageSizeBytes),
    fallbackCachePath(path, options.pageSizeBytes, fallbackDir),
  ];
  for (const cachePath of candidates) {
    const cached = await readCache(cachePath, options.pageSizeBytes, info.size, info.mtimeMs);
    if (cached) {
      const { header, trace } = cached;
      options.onProgress?.(info.size, info.size);
      return {
        summary: summaryFromCache(path, info.size, header),
        pageReferences: trace,
        cachePath,
        fromCache: true,
      };
    }
  }
  const { summary, cachePath } = await buildCache(path, options, info.mtimeMs, candidates, fallbackDir);
  // The records are read back from the cache as one contiguous string: the parser's chunks can
  // go, and the memory needed stays about one copy of the records.
  const written = await readCache(cachePath, options.pageSizeBytes, info.size, info.mtimeMs);
  if (!written) throw new Error(`the page cache ${cachePath} could not be read back after writing it`);
  return { summary, pageReferences: written.trace, cachePath, fromCache: false };
}

/** Parse the trace and write its cache; returns where (the parsed chunks die with this call). */
async function buildCache(
  path: string,
  options: LoadTraceOptions,
  sourceMtimeMs: number,
  candidates: readonly string[],
  fallbackDir: string,
): Promise<{ summary: TraceSummary; cachePath: string }> {
  const { summary, parsed } = await parseTrace(path, options);
  const data = encodeCache(summary, parsed, sourceMtimeMs);
  let cachePath = candidates[0]!;
  try {
    await writeCache(cachePath, data);
  } catch (error) {
    if (!isUnwritable(error)) throw error;
    cachePath = candidates[1]!;
    await mkdir(fallbackDir, { recursive: true });
    await writeCache(cachePath, data);
  }
  return { summary, cachePath };
}

/**
 * The page references of a trace workload, for a trial: the file must exist and be the one
 * imported (same SHA-256). Errors name the file and say what to do.
 */
export async function loadTraceForWorkload(
  source: TraceWorkloadSource,
  options: Omit<LoadTraceOptions, 'pageSizeBytes'> = {},
): Promise<PageReferenceString> {
  try {
    await stat(source.path);
  } catch (error) {
    throw new Error(
      `trace file not found: ${source.path} (a project keeps only the trace's path and hash; ` +
        'put the trace file there or import it again)',
      { cause: error },
    );
  }
  const loaded = await loadTrace(source.path, { ...options, pageSizeBytes: source.pageSizeBytes });
  if (loaded.summary.sha256 !== source.sha256) {
    throw new Error(
      `trace ${source.path} is not the file that was imported (SHA-256 ${loaded.summary.sha256.slice(0, 12)}..., ` +
        `expected ${source.sha256.slice(0, 12)}...): import it again`,
    );
  }
  return loaded.pageReferences;
}

/**
 * Trials whose trace paths are relative, resolved against `baseDirectory` (a project's folder): a
 * notebook names its traces relative to itself so that it can move with them.
 */
export function resolveTracePaths(specs: readonly TrialSpec[], baseDirectory: string): TrialSpec[] {
  return specs.map((spec) => {
    const trace = spec.workload.trace;
    if (!trace || isAbsolute(trace.path)) return spec;
    return {
      ...spec,
      workload: { ...spec.workload, trace: { ...trace, path: resolve(baseDirectory, trace.path) } },
    };
  });
}

/**
 * A picture of the page-reference string for the designer: time (instructions) across, pages in
 * address order up, each cell read (1) or written (2) when any record in it touched those pages.
 */
export function pageReferenceMap(
  trace: PageReferenceString,
  maxColumns = 600,
  maxRows = 240,
): PageReferenceMap {
  const columns = Math.max(1, Math.min(maxColumns, trace.references.length));
  const rows = Math.max(1, Math.min(maxRows, trace.pages.length));
  const cells = new Uint8Array(columns * rows);
  const total = Math.max(1, trace.totalInstructions);
  const pages = Math.max(1, trace.pages.length);
  let executed = 0;
  for (let index = 0; index < trace.references.length; index += 1) {
    // Time by instructions, or by records for a trace without any.
    const at = trace.totalInstructions > 0 ? executed / total : index / trace.references.length;
    const column = Math.min(columns - 1, Math.floor(at * columns));
    const row = Math.min(rows - 1, Math.floor((trace.references[index]! * rows) / pages));
    const cell = column * rows + row;
    const kind = trace.flags[index]! & TRACE_WRITE ? 2 : 1;
    if (cells[cell]! < kind) cells[cell] = kind;
    executed += trace.instructions[index]!;
  }
  return { columns, rows, cells: Buffer.from(cells).toString('base64') };
}
