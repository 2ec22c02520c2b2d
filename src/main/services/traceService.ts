import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { WorkloadSpec } from '../../engine/workloads/spec';
import type {
  HostEvent,
  ImportedTrace,
  ImportTraceRequest,
  TraceUpload,
  TraceWorkloadRequest,
} from '../../shared/hostApi';
import { importTraceSummary, traceWorkloadInImporter } from '../../node/traceImport';
import { writeWholeFile } from '../../node/wholeFile';

export interface TraceServiceOptions {
  /** Where uploaded traces are kept (a folder of the host's settings). */
  uploadDir: string;
  emit: (event: HostEvent) => void;
  /** Ask the user for a trace file (Electron's dialog); null when they cancel. */
  pickTracePath?: () => Promise<string | null>;
}

/** A trace import the host gives up on after this long (the user can cancel it sooner). */
export const TRACE_IMPORT_TIMEOUT_MS = 10 * 60_000;

/**
 * The host side of trace import: files on the host, or uploads it stores, read with progress in
 * the importer's child process (node/trace/importerProcess.ts); an import can be cancelled by its id.
 */
export class TraceService {
  /** Imports running, by importId: cancel() and cancelAll() abort them (the child is killed). */
  private readonly running = new Map<string, AbortController>();

  constructor(private readonly options: TraceServiceOptions) {}

  /** Cancel a running import (its importTrace rejects with "the trace import was cancelled"). */
  cancel(importId: string): void {
    this.running.get(importId)?.abort();
  }

  cancelAll(): void {
    for (const controller of this.running.values()) controller.abort();
  }

  async importTrace(request: ImportTraceRequest): Promise<ImportedTrace | null> {
    let path: string;
    if (request.upload) {
      path = await this.store(request.upload);
    } else if (request.path !== undefined) {
      path = resolve(request.path);
    } else {
      if (!this.options.pickTracePath)
        throw new Error('importTrace: give the path of a trace file or upload one');
      const picked = await this.options.pickTracePath();
      if (picked === null) return null;
      path = picked;
    }
    const controller = new AbortController();
    this.running.get(request.importId)?.abort();
    this.running.set(request.importId, controller);
    try {
      const imported = await importTraceSummary(path, {
        pageSizeBytes: request.pageSizeBytes,
        signal: controller.signal,
        timeoutMs: TRACE_IMPORT_TIMEOUT_MS,
        onProgress: (bytesRead, totalBytes) =>
          this.options.emit({
            type: 'trace-import-progress',
            importId: request.importId,
            bytesRead,
            totalBytes,
          }),
      });
      return { path, summary: imported.summary, map: imported.map };
    } finally {
      if (this.running.get(request.importId) === controller) this.running.delete(request.importId);
    }
  }

  async traceWorkload(request: TraceWorkloadRequest): Promise<WorkloadSpec> {
    return traceWorkloadInImporter(request.name, request.source, request.framesPerHost, {
      timeoutMs: TRACE_IMPORT_TIMEOUT_MS,
    });
  }

  /** Keep an uploaded trace under a name that its contents fix, so a re-upload reuses the file. */
  private async store(upload: TraceUpload): Promise<string> {
    const bytes = Buffer.from(upload.base64, 'base64');
    const key = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
    await mkdir(this.options.uploadDir, { recursive: true });
    const path = join(this.options.uploadDir, `${key}-${upload.name}`);
    await writeWholeFile(path, bytes);
    return path;
  }
}
