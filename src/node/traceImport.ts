/**
 * Trace import (issue 15): the lackey parser (trace/lackeyParser.ts), the page cache
 * (trace/pageCache.ts) and the loader (trace/loader.ts). The import runs in a child process: the
 * caller's side is trace/importerProcess.ts, the child trace/importer.ts (building the cache with
 * trace/cacheBuilder.ts), what they exchange trace/importerProtocol.ts. The page-reference map is
 * the engine's (engine/workloads/traceMap.ts). This module gathers what the hosts and the CLI use.
 */
export {
  importTraceSummary,
  loadTrace,
  loadTraceForWorkload,
  resolveTracePaths,
  traceWorkloadInImporter,
} from './trace/loader';
export type { LoadedTrace } from './trace/loader';
export { DEFAULT_IMPORT_MEMORY_MB, TraceImportCancelled } from './trace/importerProcess';
export type { TraceImportOptions } from './trace/importerProcess';
export type { TraceImportOptions as LoadTraceOptions } from './trace/importerProcess';
export {
  MAX_ACCESS_BYTES,
  MAX_TRACE_LINE_BYTES,
  MAX_TRACE_PAGES,
  MAX_TRACE_RECORDS,
  TraceFormatError,
  TraceLimitError,
} from './trace/lackeyParser';
export { cachePathBeside, userCacheDir } from './trace/pageCache';
export { pageReferenceMap } from '../engine/workloads/traceMap';
export type { TraceSummary } from '../shared/hostApi';
