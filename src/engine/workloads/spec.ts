import type { AMapRange } from '../model/amap';

/**
 * What a workload is, as designs and notebooks hold it: a synthetic workload, generated from its
 * parameters (./synthetic.ts), or a workload recorded from a real program (./trace.ts). Both
 * modules import their types from here and not from each other, so there is no import circle.
 */

/**
 * How the pages a process touches after migration lie in its RealMem.
 * - clustered: runs that go on to the next page with `continueProbability`
 *   (no locality at 0), touched in random or ascending order;
 * - sequential: extents (mapped files) read front to back, `density` of their pages used;
 * - dirty-rate: a VM-like writer (as SimGrid's live-migration model): every reference writes a
 *   page of the working set (the first `workingSetBytes` of RealMem), `dirtyBytesPerSecond` of
 *   them while it runs, in `cyclic` order (the working set swept over and over: a span of t seconds
 *   dirties min(rate x t, working set) distinct bytes, SimGrid's rule) or `random` order (pages drawn
 *   uniformly: fewer distinct pages, working set x (1 - exp(-rate x t / working set))). The fields
 *   about touched shares, re-references, zero fill and writeFraction do not apply to it; its
 *   resident pages are the first `residentBytes` of RealMem (the working set first).
 */
export type TouchPattern =
  | { kind: 'clustered'; continueProbability: number; order: 'random' | 'ascending' }
  | { kind: 'sequential'; density: number; extentPages: number }
  | DirtyRatePattern;

/** A workload that writes its working set at a set rate while it runs (see TouchPattern). */
export interface DirtyRatePattern {
  kind: 'dirty-rate';
  workingSetBytes: number;
  dirtyBytesPerSecond: number;
  order: 'cyclic' | 'random';
}

/** What every workload states about its address space at migration and its run after it. */
export interface WorkloadSummary {
  name: string;
  description: string;
  /** Table 4-1: non-zero data (RealMem) and validated, untouched zero memory (RealZeroMem). */
  realBytes: number;
  realZeroBytes: number;
  /** Table 4-2: pages in physical memory at migration time. */
  residentBytes: number;
  /** Entries of the AMap at migration: how fragmented the validated memory is. */
  amapEntries: number;
  /** Memory objects (code, heap, stack, mapped files) behind the RealMem. */
  memoryObjects: number;
  portRights: number;
  /** Share of RealMem touched after migration (Table 4-3, IOU column). */
  touchedFractionOfReal: number;
  /** CPU time of the remote execution when every page is at hand. */
  computeSeconds: number;
}

/** The parameters only a generated workload has: how its references are drawn. */
export interface GenerationFields {
  /**
   * Mean length, in pages, of the runs the resident pages form; under a clustered pattern only
   * the untouched resident pages (the touched ones follow the clusters, see generateWorkload).
   */
  residentRunPages: number;
  /** Share of RealMem both touched after migration and resident at migration. */
  touchedResidentFractionOfReal: number;
  pattern: TouchPattern;
  /** RealZeroMem pages touched after migration (heap and stack growth). */
  zeroFillPages: number;
  /** References to already-touched pages per first touch. */
  rereferencesPerPage: number;
}

/**
 * A synthetic workload: the address space at migration time and a generator of the references it
 * makes afterwards. The representatives of section 4.1 are instances; users can write their own.
 */
export interface SyntheticWorkloadSpec extends WorkloadSummary, GenerationFields {
  /** Pages referenced after everything else, e.g. to provoke an addressing error on purpose. */
  extraReferences?: number[];
  /**
   * Share of references that write their page (0..1). Not in the paper: only the strategies
   * beyond 1987 (pre-copy re-sends pages written after they were sent) depend on it.
   * Default DEFAULT_WRITE_FRACTION.
   */
  writeFraction?: number;
  /** Absent: what tells a synthetic workload from a trace. */
  trace?: undefined;
}

/** Where the process migrates: a fraction of the run's instructions or an instruction count. */
export type MigrationPoint = { fraction: number } | { instructions: number };

/**
 * A workload made from a recorded trace. A notebook keeps only this (the file's path and hash and
 * how to convert it); the page references are read from the trace's cache when a trial runs.
 */
export interface TraceWorkloadSource {
  /** The trace file (lackey output, plain or gzip). */
  path: string;
  /** SHA-256 of the file as imported, hex: a changed or different file is refused. */
  sha256: string;
  /** Page size the trace was converted at: must be the hardware's. */
  pageSizeBytes: number;
  migrateAt: MigrationPoint;
  /** Instructions the traced processor executes per second: compute time = instructions / this. */
  instructionsPerSecond: number;
  /**
   * Pages resident at migration: the most recently touched pages before the migration point, at
   * most this many (default: all of them, up to the host's frames).
   */
  residentLimitPages?: number;
}

/**
 * A workload recorded from a real program (./trace.ts). Its address space and references come from
 * the trace; the summary fields are measured from it at the migration point, for tables and the
 * designer. The generation fields are optional and never read for a trace: traceWorkloadSpec writes
 * them with fixed values (no locality, no re-references, no zero fill) so that every workload in a
 * notebook or results.json has one shape, as files written before this type existed do.
 */
export interface TraceWorkloadSpec extends WorkloadSummary, Partial<GenerationFields> {
  trace: TraceWorkloadSource;
}

/** A workload of a design: synthetic, or recorded from a trace (`trace` tells them apart). */
export type WorkloadSpec = SyntheticWorkloadSpec | TraceWorkloadSpec;

/** A generated instance of a workload, in pages. */
export interface GeneratedWorkload {
  ranges: AMapRange[];
  realPages: number[];
  residentPages: number[];
  touchedPages: Set<number>;
  /** The reference string after migration. */
  references: Int32Array;
  /** 1 where the reference of the same index writes its page (drawn, or recorded in a trace). */
  writes: Uint8Array;
  secondsPerReference: number;
  /** Compute before each reference, when it varies (traces); else secondsPerReference each. */
  secondsBefore?: Float64Array;
}

/** Most references a dirty-rate workload may make (rate x compute time / page size). */
export const MAX_DIRTY_RATE_REFERENCES = 50_000_000;

/**
 * Hard limit on the RealMem pages of one workload (16 GiB at 4 KiB pages): a design over it is
 * refused at once, whatever the worker's heap (which refuses far smaller ones: footprint.ts).
 */
export const MAX_WORKLOAD_PAGES = 2 ** 22;
/** Hard limit on a workload's whole address space in pages (RealMem and RealZeroMem): page numbers stay below 2^31. */
export const MAX_ADDRESS_SPACE_PAGES = 2 ** 30;

/** Hard limit on the references a generated workload makes after migration. */
export const MAX_WORKLOAD_REFERENCES = 2 ** 28;

/** Write share when a workload gives none: an assumption, about one reference in four. */
export const DEFAULT_WRITE_FRACTION = 0.25;
