import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TraceFormatError, TraceLimitError } from './lackeyParser';
import { checkPageSize } from './importerProtocol';
import type { ImporterMessage, ImporterReply, ImporterRequest, ImporterWant } from './importerProtocol';

/**
 * The caller's side of the trace importer: runs it in a child process, bounded and cancellable.
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
 * The importer's script: traceImporter.js beside this bundle's entry points (out/cli, out/main), or,
 * from the sources (tests), out/cli/traceImporter.js of the package (`npm run build:cli`). This code
 * sits in a chunk: esbuild's are beside the entry points (out/cli/chunk-*.js), electron-vite's one
 * folder below them (out/main/chunks/).
 */
export function importerFile(): string {
  const override = process.env['ACCENT_LAB_TRACE_IMPORTER'];
  if (override) return override;
  const here = fileURLToPath(import.meta.url);
  const bundle = basename(dirname(here)) === 'chunks' ? dirname(dirname(here)) : dirname(here);
  const beside = join(bundle, 'traceImporter.js');
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

/**
 * The importer's child process, as plain Node with the import's heap limit. The first 4 KB of
 * its stderr are kept: they tell a heap overflow from another exit.
 */
function forkImporter(memoryMb: number): { child: ChildProcess; stderr: () => string } {
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
  return { child, stderr: () => stderr };
}

/** Why the importer exited without an answer: out of memory, or how it stopped. */
function exitError(
  path: string,
  memoryMb: number,
  stderr: string,
  code: number | null,
  signalName: NodeJS.Signals | null,
): TraceLimitError {
  const outOfMemory = /heap out of memory|Allocation failed/i.test(stderr);
  return new TraceLimitError(
    path,
    outOfMemory
      ? `importing the trace needs more than ${memoryMb} MB of memory`
      : `the trace importer stopped (${signalName ?? `exit code ${code}`}) without an answer`,
  );
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
    const { child, stderr } = forkImporter(memoryMb);
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
      finish(exitError(path, memoryMb, stderr(), code, signalName));
    });
    child.send(request);
  });
}
