import { memoryUsage } from 'node:process';
import { traceWorkloadSpec } from '../../engine/workloads/trace';
import { pageReferenceMap } from '../../engine/workloads/traceMap';
import { TraceFormatError, TraceLimitError } from './lackeyParser';
import type { ImporterMessage, ImporterReply, ImporterRequest } from './importerProtocol';
import { buildOrReuseCache } from './cacheBuilder';
import { readCache } from './pageCache';

/**
 * The trace importer's child process (see importerProcess.ts for why it is one): gets one request on its
 * IPC channel, answers with progress messages and one reply or error, and exits. It checks its
 * own memory after every chunk it reads and stops past its ceiling with that reason.
 */

function send(message: ImporterMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) resolve();
    else process.send(message, undefined, undefined, () => resolve());
  });
}

async function handle(request: ImporterRequest): Promise<ImporterReply> {
  const ceiling = request.memoryMb * 2 ** 20;
  let checks = 0;
  const onChunk = (): void => {
    checks += 1;
    if (checks % 8 !== 0) return;
    if (memoryUsage.rss() > ceiling) {
      throw new TraceLimitError(
        request.path,
        `importing the trace needs more than ${request.memoryMb} MB of memory`,
      );
    }
  };
  const built = await buildOrReuseCache(request.path, {
    pageSizeBytes: request.pageSizeBytes,
    ...(request.fallbackCacheDir ? { fallbackCacheDir: request.fallbackCacheDir } : {}),
    onChunk,
    onProgress: (bytesRead, totalBytes) => void send({ type: 'progress', bytesRead, totalBytes }),
  });
  const want = request.want;
  if (want.kind === 'summary') return built;
  const read = await readCache(built.cachePath, {
    pageSizeBytes: request.pageSizeBytes,
    sha256: built.summary.sha256,
  });
  if (!read) throw new Error('the page cache could not be read back after writing it');
  if (want.kind === 'map') return { ...built, map: pageReferenceMap(read.trace) };
  return {
    ...built,
    workload: traceWorkloadSpec(want.name, read.trace, want.source, want.framesPerHost),
  };
}

process.once('message', (request: ImporterRequest) => {
  handle(request).then(
    async (reply) => {
      await send({ type: 'done', reply });
      process.exit(0);
    },
    async (error: unknown) => {
      const failure = error instanceof Error ? error : new Error(String(error));
      await send({
        type: 'error',
        name: failure.name,
        message: failure.message,
        ...(failure instanceof TraceFormatError
          ? { path: failure.path, line: failure.line, detail: failure.detail }
          : {}),
        ...(failure instanceof TraceLimitError ? { path: failure.path, detail: failure.detail } : {}),
        ...(typeof (failure as NodeJS.ErrnoException).code === 'string'
          ? { code: (failure as NodeJS.ErrnoException).code! }
          : {}),
      });
      process.exit(1);
    },
  );
});
