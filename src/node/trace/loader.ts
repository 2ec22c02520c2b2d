import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { TrialSpec } from '../../engine/experiment/trial';
import type { PageReferenceString } from '../../engine/workloads/trace';
import type { TraceWorkloadSource } from '../../engine/workloads/spec';
import type { WorkloadSpec } from '../../engine/workloads/spec';
import type { PageReferenceMap, TraceSummary } from '../../shared/hostApi';
import { printablePath } from '../printable';
import { readCache } from './pageCache';
import { runImporter } from './importerProcess';
import type { TraceImportOptions } from './importerProcess';

// Loading traces for the hosts, the CLI and the trial workers. The import itself runs in a child
// process (importerProcess.ts says why; the child is importer.ts, its work cacheBuilder.ts); what
// the two sides exchange is in importerProtocol.ts. Only the records a caller needs are read here,
// from the page cache the importer checked.

export interface LoadedTrace {
  summary: TraceSummary;
  pageReferences: PageReferenceString;
  cachePath: string;
  /** True when the cache was up to date and the trace was only hashed, not parsed. */
  fromCache: boolean;
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
