import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import type { TrialSpec } from '../../engine/experiment/trial';
import type { PageReferenceString } from '../../engine/workloads/trace';
import type { TraceWorkloadSource } from '../../engine/workloads/spec';
import type { WorkloadSpec } from '../../engine/workloads/spec';
import type { PageReferenceMap, TraceSummary } from '../../shared/hostApi';
import { printablePath } from '../printable';
import type { ParsedTrace } from './lackeyParser';
import { LackeyParser, TraceFormatError, TraceLimitError } from './lackeyParser';
import {
  cachePathBeside,
  checkOwnFolder,
  encodeCache,
  fallbackCachePath,
  readCache,
  readCacheHeader,
  userCacheDir,
  writeCache,
} from './pageCache';
import type { CacheHeader } from './pageCache';

/**
 * Import of lackey traces, bounded and cancellable, off the calling process.
 *
 * Why a child process: a trace is a file from outside, perhaps hostile, and reading it costs
 * memory and time that only the file decides. The parser bounds what it keeps (lackeyParser.ts),
 * but a V8 heap overflow in a worker thread can still take the whole process down, and in the
 * desktop app that process is the app. So the import runs in a child Node process (`fork`; in
 * Electron with ELECTRON_RUN_AS_NODE, which is why the RunAsNode fuse stays on) with its own heap
 * limit and a memory ceiling it checks itself; the caller kills it on cancel (the app's cancel
 * button, Ctrl-C in the CLI, a web client that goes away) or past its time budget. The child
 * reads the trace, checks or writes the page cache, and sends back only the summary (and, when
 * asked, the small page-reference map or the trace's workload), so the app's process never holds
 * the records. The caller that needs the records (a trial worker, the CLI) reads them from the
 * cache after the child has checked it.
 */

export interface TraceImportOptions {
  pageSizeBytes: number;
  /** Bytes of the file read so far, and its size. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Aborting kills the import; it rejects with a TraceImportCancelled. */
  signal?: AbortSignal;
  /** Past this many ms the import is killed and fails with that reason (default: none). */
  timeoutMs?: number;
  /** Where the cache goes when the trace's folder is not writable (default: userCacheDir()). */
  fallbackCacheDir?: string;
  /** The importer's memory ceiling in MB (default DEFAULT_IMPORT_MEMORY_MB). */
  memoryMb?: number;
}

/** What an importer may use, heap and buffers together (it also has a V8 heap limit of this). */
export const DEFAULT_IMPORT_MEMORY_MB = 1536;

export class TraceImportCancelled extends Error {
  constructor() {
    super('the trace import was cancelled');
    this.name = 'AbortError';
  }
}

export interface LoadedTrace {
  summary: TraceSummary;
  pageReferences: PageReferenceString;
  cachePath: string;
  /** True when the cache was up to date and the trace was only hashed, not parsed. */
  fromCache: boolean;
}

// ---------------------------------------------------------------------------------------------
// In the importer (the child process)

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

export function checkPageSize(pageSizeBytes: number): void {
  if (!(Number.isSafeInteger(pageSizeBytes) && pageSizeBytes >= 16 && pageSizeBytes <= 1 << 30)) {
    throw new RangeError(`page size must be a whole number of bytes from 16 to 2^30 (got ${pageSizeBytes})`);
  }
}

function isUnwritable(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'EACCES' || code === 'EROFS' || code === 'EPERM';
}

export interface BuiltCache {
  summary: TraceSummary;
  cachePath: string;
  fromCache: boolean;
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

// ---------------------------------------------------------------------------------------------
// In the caller

/** What the caller asks the importer for, besides the summary. */
export type ImporterWant =
  | { kind: 'summary' }
  | { kind: 'map' }
  | { kind: 'workload'; name: string; source: TraceWorkloadSource; framesPerHost: number };

export interface ImporterRequest {
  path: string;
  pageSizeBytes: number;
  fallbackCacheDir?: string;
  memoryMb: number;
  want: ImporterWant;
}

export interface ImporterReply extends BuiltCache {
  map?: PageReferenceMap;
  workload?: WorkloadSpec;
}

export type ImporterMessage =
  | { type: 'progress'; bytesRead: number; totalBytes: number }
  | { type: 'done'; reply: ImporterReply }
  | {
      type: 'error';
      name: string;
      message: string;
      path?: string;
      line?: number;
      detail?: string;
      code?: string;
    };

function findUp(from: string, relative: string): string | null {
  let dir = from;
  for (;;) {
    const candidate = join(dir, relative);
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if (
          (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'accent-migration-lab'
        )
          return existsSync(candidate) ? candidate : null;
      } catch {
        // keep walking
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/**
 * The importer's script: traceImporter.js beside this bundle (out/cli, out/main), or, from the
 * sources (tests), out/cli/traceImporter.js of the package (`npm run build:cli`).
 */
export function importerFile(): string {
  const override = process.env['ACCENT_LAB_TRACE_IMPORTER'];
  if (override) return override;
  const here = fileURLToPath(import.meta.url);
  const beside = join(dirname(here), 'traceImporter.js');
  if (existsSync(beside)) return beside;
  const built =
    findUp(dirname(here), join('out', 'cli', 'traceImporter.js')) ??
    findUp(process.cwd(), join('out', 'cli', 'traceImporter.js'));
  if (!built) throw new Error('the trace importer is not built: run `npm run build:cli`');
  return built;
}

function errorFrom(message: Extract<ImporterMessage, { type: 'error' }>): Error {
  if (message.name === 'TraceFormatError' && message.path !== undefined && message.line !== undefined)
    return new TraceFormatError(message.path, message.line, message.detail ?? '');
  if (message.name === 'TraceLimitError' && message.path !== undefined)
    return new TraceLimitError(message.path, message.detail ?? '');
  const error = new Error(message.message);
  if (message.name === 'RangeError') return new RangeError(message.message);
  if (message.code) (error as NodeJS.ErrnoException).code = message.code;
  return error;
}

/** Run the importer in a child process; resolves with its reply, rejects with its error. */
export function runImporter(
  path: string,
  options: TraceImportOptions,
  want: ImporterWant,
): Promise<ImporterReply> {
  checkPageSize(options.pageSizeBytes);
  const memoryMb = options.memoryMb ?? DEFAULT_IMPORT_MEMORY_MB;
  const request: ImporterRequest = {
    path: resolve(path),
    pageSizeBytes: options.pageSizeBytes,
    memoryMb,
    want,
    ...(options.fallbackCacheDir ? { fallbackCacheDir: options.fallbackCacheDir } : {}),
  };
  const signal = options.signal;
  if (signal?.aborted) return Promise.reject(new TraceImportCancelled());
  return new Promise<ImporterReply>((resolveReply, reject) => {
    const child = fork(importerFile(), [], {
      execArgv: [`--max-old-space-size=${memoryMb}`],
      // In Electron, fork runs the script with Electron's binary: as plain Node.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    let stderr = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      if (stderr.length < 4096) stderr += text;
    });
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (error: Error | null, reply?: ImporterReply): void => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      if (error) reject(error);
      else resolveReply(reply!);
    };
    const onAbort = (): void => finish(new TraceImportCancelled());
    signal?.addEventListener('abort', onAbort, { once: true });
    if (options.timeoutMs !== undefined) {
      timer = setTimeout(
        () =>
          finish(
            new TraceLimitError(
              path,
              `the import took longer than its time budget of ${options.timeoutMs} ms`,
            ),
          ),
        options.timeoutMs,
      );
    }
    child.on('message', (message: ImporterMessage) => {
      if (message.type === 'progress') options.onProgress?.(message.bytesRead, message.totalBytes);
      else if (message.type === 'done') finish(null, message.reply);
      else finish(errorFrom(message));
    });
    child.on('error', (error) => finish(error));
    child.on('exit', (code, signalName) => {
      if (settled) return;
      const outOfMemory = /heap out of memory|Allocation failed/i.test(stderr);
      finish(
        new TraceLimitError(
          path,
          outOfMemory
            ? `importing the trace needs more than ${memoryMb} MB of memory`
            : `the trace importer stopped (${signalName ?? `exit code ${code}`}) without an answer`,
        ),
      );
    });
    child.send(request);
  });
}

/**
 * The trace's page-reference string at a page size: the importer checks or builds its cache (in
 * a child process), then the records are read here from the cache it checked.
 */
export async function loadTrace(path: string, options: TraceImportOptions): Promise<LoadedTrace> {
  const reply = await runImporter(path, options, { kind: 'summary' });
  const read = await readCache(reply.cachePath, {
    pageSizeBytes: options.pageSizeBytes,
    sha256: reply.summary.sha256,
  });
  if (!read)
    throw new Error(
      `the page cache ${printablePath(reply.cachePath)} could not be read back after checking it`,
    );
  return {
    summary: reply.summary,
    pageReferences: read.trace,
    cachePath: reply.cachePath,
    fromCache: reply.fromCache,
  };
}

/** A trace's summary and page-reference map, for the app: the records never enter this process. */
export async function importTraceSummary(
  path: string,
  options: TraceImportOptions,
): Promise<{ summary: TraceSummary; map: PageReferenceMap; fromCache: boolean }> {
  const reply = await runImporter(path, options, { kind: 'map' });
  return { summary: reply.summary, map: reply.map!, fromCache: reply.fromCache };
}

function checkSameTrace(source: TraceWorkloadSource, sha256: string): void {
  if (sha256 !== source.sha256) {
    throw new Error(
      `trace ${printablePath(source.path)} is not the file that was imported (SHA-256 ${sha256.slice(0, 12)}..., ` +
        `expected ${source.sha256.slice(0, 12)}...): import it again`,
    );
  }
}

async function checkTraceExists(source: TraceWorkloadSource): Promise<void> {
  try {
    await stat(source.path);
  } catch (error) {
    throw new Error(
      `trace file not found: ${printablePath(source.path)} (a notebook keeps only the trace's path and hash; ` +
        'put the trace file there or import it again)',
      { cause: error },
    );
  }
}

/**
 * The page references of a trace workload, for a trial: the file must exist and be the one
 * imported (same SHA-256). Errors name the file and say what to do.
 */
export async function loadTraceForWorkload(
  source: TraceWorkloadSource,
  options: Omit<TraceImportOptions, 'pageSizeBytes'> = {},
): Promise<PageReferenceString> {
  await checkTraceExists(source);
  const loaded = await loadTrace(source.path, { ...options, pageSizeBytes: source.pageSizeBytes });
  checkSameTrace(source, loaded.summary.sha256);
  return loaded.pageReferences;
}

/** The workload of an imported trace, worked out by the importer (the app never holds the records). */
export async function traceWorkloadInImporter(
  name: string,
  source: TraceWorkloadSource,
  framesPerHost: number,
  options: Omit<TraceImportOptions, 'pageSizeBytes'> = {},
): Promise<WorkloadSpec> {
  await checkTraceExists(source);
  const reply = await runImporter(
    source.path,
    { ...options, pageSizeBytes: source.pageSizeBytes },
    { kind: 'workload', name, source, framesPerHost },
  );
  checkSameTrace(source, reply.summary.sha256);
  return reply.workload!;
}

/**
 * Trials whose trace paths are relative, resolved against `baseDirectory` (a notebook's folder): a
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
