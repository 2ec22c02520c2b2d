import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { traceWorkloadSpec } from '../../engine/workloads/trace';
import type { WorkloadSpec } from '../../engine/workloads/workload';
import type {
  HostEvent,
  ImportedTrace,
  ImportTraceRequest,
  TraceUpload,
  TraceWorkloadRequest,
} from '../../shared/hostApi';
import { loadTrace, loadTraceForWorkload, pageReferenceMap } from '../../node/traceImport';
import { writeWholeFile } from '../../node/wholeFile';

export interface TraceServiceOptions {
  /** Where uploaded traces are kept (a folder of the host's settings). */
  uploadDir: string;
  emit: (event: HostEvent) => void;
  /** Ask the user for a trace file (Electron's dialog); null when they cancel. */
  pickTracePath?: () => Promise<string | null>;
}

/** The host side of trace import: files on the host, or uploads it stores, read with progress. */
export class TraceService {
  constructor(private readonly options: TraceServiceOptions) {}

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
    const loaded = await loadTrace(path, {
      pageSizeBytes: request.pageSizeBytes,
      onProgress: (bytesRead, totalBytes) =>
        this.options.emit({
          type: 'trace-import-progress',
          importId: request.importId,
          bytesRead,
          totalBytes,
        }),
    });
    return { path, summary: loaded.summary, map: pageReferenceMap(loaded.pageReferences) };
  }

  async traceWorkload(request: TraceWorkloadRequest): Promise<WorkloadSpec> {
    const pageReferences = await loadTraceForWorkload(request.source);
    return traceWorkloadSpec(request.name, pageReferences, request.source, request.framesPerHost);
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
