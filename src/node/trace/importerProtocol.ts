import type { TraceWorkloadSource, WorkloadSpec } from '../../engine/workloads/spec';
import type { PageReferenceMap, TraceSummary } from '../../shared/hostApi';

// What the trace importer's two sides share: the caller (importerProcess.ts) sends one
// ImporterRequest to the child (importer.ts, which builds the cache with cacheBuilder.ts) and gets
// ImporterMessages back. Both sides check the page size with the same rule.

/** Throws a RangeError unless the page size is a whole number of bytes from 16 to 2^30. */
export function checkPageSize(pageSizeBytes: number): void {
  if (!(Number.isSafeInteger(pageSizeBytes) && pageSizeBytes >= 16 && pageSizeBytes <= 1 << 30)) {
    throw new RangeError(`page size must be a whole number of bytes from 16 to 2^30 (got ${pageSizeBytes})`);
  }
}

/** A trace's page cache, checked or built by the importer, and the trace's summary. */
export interface BuiltCache {
  summary: TraceSummary;
  cachePath: string;
  fromCache: boolean;
}

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
