import {
  MAX_ADDRESS_SPACE_PAGES,
  MAX_DIRTY_RATE_REFERENCES,
  MAX_WORKLOAD_PAGES,
  MAX_WORKLOAD_REFERENCES,
} from './spec';
import type { DirtyRatePattern, SyntheticWorkloadSpec } from './spec';
import { TOUCH_PATTERN_BOUNDS, workloadFieldProblems } from './bounds';
import { withinBounds } from '../bounds';

/** What is wrong with a synthetic workload, in words naming the field (./workload.ts dispatches). */

/** Check a synthetic workload for sense before generating it; returns a list of problems. */
export function syntheticWorkloadProblems(spec: SyntheticWorkloadSpec, pageSizeBytes: number): string[] {
  const problems = fieldProblems(spec, pageSizeBytes);
  const overLimit = sizeLimitProblem(spec, pageSizeBytes);
  // Past a size limit the rest would only be slow to check and beside the point.
  if (overLimit) return [...problems, overLimit];
  problems.push(...compositionProblems(spec, pageSizeBytes), ...patternProblems(spec, pageSizeBytes));
  return problems;
}

/** Each number within its bounds (./bounds.ts), and the sizes in whole pages. */
function fieldProblems(spec: SyntheticWorkloadSpec, pageSizeBytes: number): string[] {
  const problems = workloadFieldProblems(spec);
  for (const [name, bytes] of [
    ['realBytes', spec.realBytes],
    ['realZeroBytes', spec.realZeroBytes],
    ['residentBytes', spec.residentBytes],
  ] as const) {
    if (Number.isFinite(bytes) && bytes % pageSizeBytes !== 0) {
      problems.push(`${name} (${bytes}) must be a multiple of the page size (${pageSizeBytes})`);
    }
  }
  if (spec.residentBytes > spec.realBytes) problems.push('residentBytes cannot exceed realBytes');
  return problems;
}

/** RealMem or the whole address space over its hard limit, or null. */
function sizeLimitProblem(spec: SyntheticWorkloadSpec, pageSizeBytes: number): string | null {
  const real = spec.realBytes / pageSizeBytes;
  if (real > MAX_WORKLOAD_PAGES) {
    return (
      `realBytes is ${Math.ceil(real).toLocaleString('en-US')} pages of ${pageSizeBytes} bytes, over the limit of ` +
      `${MAX_WORKLOAD_PAGES.toLocaleString('en-US')} pages per workload`
    );
  }
  if (real + spec.realZeroBytes / pageSizeBytes > MAX_ADDRESS_SPACE_PAGES) {
    return (
      `the address space (realBytes + realZeroBytes) is over the limit of ` +
      `${MAX_ADDRESS_SPACE_PAGES.toLocaleString('en-US')} pages of ${pageSizeBytes} bytes`
    );
  }
  return null;
}

/** The fields together: references made, touched and resident shares, AMap runs, zero fill. */
function compositionProblems(spec: SyntheticWorkloadSpec, pageSizeBytes: number): string[] {
  const problems: string[] = [];
  const real = spec.realBytes / pageSizeBytes;
  const resident = spec.residentBytes / pageSizeBytes;
  const referencesAfter =
    (Math.round(spec.touchedFractionOfReal * real) + spec.zeroFillPages) * (1 + spec.rereferencesPerPage);
  if (referencesAfter > MAX_WORKLOAD_REFERENCES) {
    problems.push(
      `the workload would make about ${Math.round(referencesAfter).toLocaleString('en-US')} references, over the ` +
        `limit of ${MAX_WORKLOAD_REFERENCES.toLocaleString('en-US')} (fewer touched pages or re-references)`,
    );
  }
  const touched = Math.round(spec.touchedFractionOfReal * real);
  const overlap = Math.round(spec.touchedResidentFractionOfReal * real);
  if (overlap > Math.min(touched, resident)) {
    problems.push('touchedResidentFractionOfReal cannot exceed the touched or the resident share');
  }
  if (touched - overlap > real - resident) problems.push('too few non-resident pages for the touched share');
  const zero = spec.realZeroBytes / pageSizeBytes;
  if (Math.ceil(spec.amapEntries / 2) > real || Math.floor(spec.amapEntries / 2) > zero) {
    problems.push(
      `amapEntries (${spec.amapEntries}) needs more RealMem and RealZeroMem runs than there are pages`,
    );
  }
  if (spec.zeroFillPages > zero) problems.push('zeroFillPages exceeds the RealZeroMem pages');
  return problems;
}

/** The touch pattern's parameters together (their bounds are in fieldProblems). */
function patternProblems(spec: SyntheticWorkloadSpec, pageSizeBytes: number): string[] {
  const pattern = spec.pattern;
  return pattern.kind === 'dirty-rate' ? dirtyRateProblems(spec, pattern, pageSizeBytes) : [];
}

function dirtyRateProblems(
  spec: SyntheticWorkloadSpec,
  pattern: DirtyRatePattern,
  pageSizeBytes: number,
): string[] {
  const problems: string[] = [];
  const { workingSetBytes, dirtyBytesPerSecond } = pattern;
  // Each number's own bounds are reported by fieldProblems; here, how they fit together.
  if (!withinBounds(TOUCH_PATTERN_BOUNDS['dirty-rate'].workingSetBytes, workingSetBytes)) {
    // (reported already)
  } else if (workingSetBytes % pageSizeBytes !== 0) {
    problems.push(
      `workingSetBytes (${workingSetBytes}) must be a multiple of the page size (${pageSizeBytes})`,
    );
  } else if (workingSetBytes > spec.realBytes) problems.push('workingSetBytes cannot exceed realBytes');
  if (!withinBounds(TOUCH_PATTERN_BOUNDS['dirty-rate'].dirtyBytesPerSecond, dirtyBytesPerSecond)) {
    // (reported already)
  } else if (dirtyBytesPerSecond > 0 && workingSetBytes === 0) {
    problems.push('a dirty rate above 0 needs a working set of at least one page');
  } else if (Number.isFinite(spec.computeSeconds)) {
    const references = Math.round((spec.computeSeconds * dirtyBytesPerSecond) / pageSizeBytes);
    if (references > MAX_DIRTY_RATE_REFERENCES)
      problems.push(
        `the dirty rate over the compute time makes ${references.toLocaleString('en-US')} page writes; at most ${MAX_DIRTY_RATE_REFERENCES.toLocaleString('en-US')} are allowed`,
      );
  }
  if (pattern.order !== 'cyclic' && pattern.order !== 'random')
    problems.push('the dirty-rate order must be "cyclic" or "random"');
  return problems;
}
