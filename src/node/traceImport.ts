/**
 * Trace import, in three parts (issue 15): the lackey parser (trace/lackeyParser.ts), the page
 * cache (trace/pageCache.ts) and the loader that runs the import in a child process
 * (trace/loader.ts, with its entry trace/importer.ts). The page-reference map is the engine's
 * (engine/workloads/traceMap.ts). This module gathers what the hosts and the CLI use.
 */
export {
  DEFAULT_IMPORT_MEMORY_MB,
  importTraceSummary,
  loadTrace,
  loadTraceForWorkload,
  resolveTracePaths,
  TraceImportCancelled,
  traceWorkloadInImporter,
} from './trace/loader';
export type { LoadedTrace, TraceImportOptions } from './trace/loader';
export type { TraceImportOptions as LoadTraceOptions } from './trace/loader';
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
