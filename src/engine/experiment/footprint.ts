import { MAX_WORKLOAD_REFERENCES } from '../workloads/spec';
import type { TrialSpec } from './trial';

/**
 * What a trial will allocate, estimated from its design before it runs, so that a trial a worker
 * cannot hold is refused at once with the reason instead of filling the worker's heap (a V8 heap
 * overflow in a worker thread is not always contained: it can take the whole process down).
 *
 * The figures are upper bounds measured on this engine (docs/benchmarks.md, "Trial footprint"):
 * a 1 GiB workload at 4 KiB pages (262,144 RealMem pages, 655,360 references) needs a heap of
 * 288-384 MB for pre-copy, 200-288 MB for pure-copy, under 200 MB for post-copy and pure-IOU;
 * 64 MB is too little and 96 MB enough for a quarter of it. About 1.1-1.5 KB per RealMem page,
 * references included; the estimate takes 1.5 KiB a page plus 64 bytes a reference on top.
 */
/** A trial's own baseline beyond the worker's (its simulation, hosts and result). */
export const FOOTPRINT_FIXED_BYTES = 8 * 2 ** 20;
/** Per RealMem page: its page state, frame, AMap and LRU entries, copies, arrival counts. */
export const FOOTPRINT_BYTES_PER_PAGE = 1536;
/** Per reference: the reference string, its write flag, compute and the traffic it causes. */
export const FOOTPRINT_BYTES_PER_REFERENCE = 64;

/** Hard limit on the references one trial makes after migration (a trace's records too). */
export const MAX_TRIAL_REFERENCES = MAX_WORKLOAD_REFERENCES;

export interface TrialFootprint {
  /** RealMem pages (for a trace: its distinct pages, when known). */
  pages: number;
  /** References after migration (for a trace: its records, when known). */
  references: number;
  /** Estimated peak heap of the trial, in bytes. */
  bytes: number;
}

/**
 * A trace's own size, read from its page cache once loaded: before that, a trace trial's
 * footprint counts only what its design says (nothing per page).
 */
export interface TraceSize {
  pages: number;
  records: number;
}

/** The estimated footprint of one trial (all its concurrent migrations). */
export function trialFootprint(spec: TrialSpec, trace?: TraceSize): TrialFootprint {
  const workload = spec.workload;
  const page = spec.hardware.pageSizeBytes;
  let pages: number;
  let references: number;
  if (workload.trace) {
    pages = trace?.pages ?? 0;
    references = trace?.records ?? 0;
  } else {
    const real = Math.ceil(workload.realBytes / page);
    const touched = Math.round(workload.touchedFractionOfReal * real) + workload.zeroFillPages;
    pages = real + workload.zeroFillPages;
    references =
      touched * (1 + Math.max(0, workload.rereferencesPerPage)) + (workload.extraReferences?.length ?? 0);
  }
  const copies = spec.concurrentMigrations ?? 1;
  const bytes =
    FOOTPRINT_FIXED_BYTES +
    copies * (pages * FOOTPRINT_BYTES_PER_PAGE + references * FOOTPRINT_BYTES_PER_REFERENCE);
  return { pages, references, bytes };
}

const megabytes = (bytes: number): string => `${Math.ceil(bytes / 2 ** 20).toLocaleString('en-US')} MB`;

/**
 * Why a trial cannot run in a worker whose heap holds `limitMb` megabytes, or null when it fits.
 * The message says what the trial needs and how to make it fit.
 */
export function footprintProblem(spec: TrialSpec, limitMb: number, trace?: TraceSize): string | null {
  const footprint = trialFootprint(spec, trace);
  if (!Number.isFinite(footprint.bytes)) return 'the trial is too large to estimate';
  if (footprint.references > MAX_TRIAL_REFERENCES) {
    return (
      `the trial would make ${footprint.references.toLocaleString('en-US')} references, over the limit of ` +
      `${MAX_TRIAL_REFERENCES.toLocaleString('en-US')}`
    );
  }
  if (footprint.bytes <= limitMb * 2 ** 20) return null;
  return (
    `the trial would need about ${megabytes(footprint.bytes)} ` +
    `(${footprint.pages.toLocaleString('en-US')} pages, ${footprint.references.toLocaleString('en-US')} references), ` +
    `over its worker's memory limit of ${megabytes(limitMb * 2 ** 20)}: refused before it ran ` +
    '(use a smaller workload or larger pages)'
  );
}
