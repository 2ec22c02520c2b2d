import type { TraceWorkloadSource } from '../engine/workloads/spec';

// Trace import as the host calls see it: what the renderer asks for and what it gets back (a
// summary and a small map; the records never leave the host). Re-exported by ./hostApi.ts.

export interface ImportTraceRequest {
  /** Names the import in its progress events. */
  importId: string;
  pageSizeBytes: number;
  path?: string;
  upload?: TraceUpload;
}

/** A trace file sent by the renderer (dropped or picked in a browser), base64-encoded. */
export interface TraceUpload {
  name: string;
  base64: string;
}

/** Largest trace accepted as an upload; bigger traces are imported by path. */
export const MAX_TRACE_UPLOAD_BYTES = 32 * 1024 * 1024;

/** What a trace holds, counted from the raw file (rules in docs/traces.md). */
export interface TraceSummary {
  path: string;
  pageSizeBytes: number;
  /** SHA-256 of the file as stored (compressed if it is gzip). */
  sha256: string;
  fileBytes: number;
  /** Lines of the (uncompressed) trace, log lines included. */
  lines: number;
  /** I, L, S and M lines. */
  references: number;
  referencesByKind: { instruction: number; load: number; store: number; modify: number };
  /** Instructions executed: the I lines. */
  instructions: number;
  /** Distinct pages touched by any access, an access that crosses a page boundary touching both. */
  distinctPages: number;
  /** Records of the page-reference string: page touches with repeats of the same page merged. */
  pageReferences: number;
}

/**
 * A downsampled picture of a page-reference string: `columns` slices of the run (by instructions)
 * by `rows` bands of the distinct pages in address order (row 0 the lowest). `cells` is base64 of
 * columns x rows bytes, column by column: 0 untouched, 1 read, 2 written.
 */
export interface PageReferenceMap {
  columns: number;
  rows: number;
  cells: string;
}

export interface ImportedTrace {
  /** The file on the host the workload will name. */
  path: string;
  summary: TraceSummary;
  map: PageReferenceMap;
}

export interface TraceWorkloadRequest {
  name: string;
  source: TraceWorkloadSource;
  /** The hardware's frames per host: the default limit of the resident set. */
  framesPerHost: number;
}
