import { traceSourceProblems } from './trace';
import type { WorkloadSpec } from './spec';
import { syntheticWorkloadProblems } from './syntheticProblems';

/**
 * What every workload, synthetic or traced, goes through before a trial: its problems, and its
 * conversion to another page size. The types are in ./spec.ts; a synthetic workload is generated
 * by ./synthetic.ts, a trace's by ./trace.ts.
 */

/** Check a workload for sense before running it; returns a list of problems naming the fields. */
export function workloadProblems(spec: WorkloadSpec, pageSizeBytes: number): string[] {
  return spec.trace
    ? traceSourceProblems(spec.trace, pageSizeBytes)
    : syntheticWorkloadProblems(spec, pageSizeBytes);
}

/**
 * The same workload on hardware with another page size: sizes rounded to whole
 * pages (RealMem at least one page), and no more AMap entries than the pages allow.
 */
export function workloadForPageSize(spec: WorkloadSpec, pageSizeBytes: number): WorkloadSpec {
  // A trace is converted at one page size; a mismatch is reported by workloadProblems.
  if (spec.trace) return structuredClone(spec);
  const pages = (bytes: number): number => Math.round(bytes / pageSizeBytes);
  const real = Math.max(1, pages(spec.realBytes));
  const zero = pages(spec.realZeroBytes);
  const resident = Math.min(real, pages(spec.residentBytes));
  const maxEntries = Math.min(2 * real - 1, 2 * zero + 1);
  const pattern = structuredClone(spec.pattern);
  if (pattern.kind === 'dirty-rate')
    pattern.workingSetBytes = Math.min(real, pages(pattern.workingSetBytes)) * pageSizeBytes;
  return {
    ...structuredClone(spec),
    pattern,
    realBytes: real * pageSizeBytes,
    realZeroBytes: zero * pageSizeBytes,
    residentBytes: resident * pageSizeBytes,
    amapEntries: Math.max(1, Math.min(spec.amapEntries, maxEntries)),
    zeroFillPages: Math.min(spec.zeroFillPages, zero),
    touchedResidentFractionOfReal: Math.min(
      spec.touchedResidentFractionOfReal,
      spec.touchedFractionOfReal,
      resident / real,
    ),
  };
}
