import {
  MAX_ADDRESS_SPACE_PAGES,
  MAX_DIRTY_RATE_REFERENCES,
  MAX_WORKLOAD_PAGES,
  MAX_WORKLOAD_REFERENCES,
} from './spec';
import type { DirtyRatePattern, SyntheticWorkloadSpec } from './spec';

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

/** Each number on its own: signs, whole pages, shares. */
function fieldProblems(spec: SyntheticWorkloadSpec, pageSizeBytes: number): string[] {
  const problems: string[] = [];
  const positive = (value: number, name: string, allowZero = true): void => {
    if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
      problems.push(
        `${name} must be a ${allowZero ? 'non-negative' : 'positive'} finite number (got ${value})`,
      );
    }
  };
  positive(spec.realBytes, 'realBytes', false);
  positive(spec.realZeroBytes, 'realZeroBytes');
  positive(spec.residentBytes, 'residentBytes');
  positive(spec.computeSeconds, 'computeSeconds');
  positive(spec.rereferencesPerPage, 'rereferencesPerPage');
  positive(spec.zeroFillPages, 'zeroFillPages');
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
  for (const [name, value] of [
    ['touchedFractionOfReal', spec.touchedFractionOfReal],
    ['touchedResidentFractionOfReal', spec.touchedResidentFractionOfReal],
  ] as const) {
    if (!(value >= 0 && value <= 1)) problems.push(`${name} must be between 0 and 1 (got ${value})`);
  }
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
  if (!Number.isInteger(spec.amapEntries) || spec.amapEntries < 1)
    problems.push('amapEntries must be a positive integer');
  const zero = spec.realZeroBytes / pageSizeBytes;
  if (Math.ceil(spec.amapEntries / 2) > real || Math.floor(spec.amapEntries / 2) > zero) {
    problems.push(
      `amapEntries (${spec.amapEntries}) needs more RealMem and RealZeroMem runs than there are pages`,
    );
  }
  if (spec.zeroFillPages > zero) problems.push('zeroFillPages exceeds the RealZeroMem pages');
  if (!(spec.residentRunPages >= 1)) problems.push('residentRunPages must be at least 1');
  for (const page of spec.extraReferences ?? []) {
    if (!Number.isSafeInteger(page) || page < 0 || page >= 2 ** 31)
      problems.push(`extra reference ${page} is not a page number`);
  }
  if (spec.writeFraction !== undefined && !(spec.writeFraction >= 0 && spec.writeFraction <= 1)) {
    problems.push(`writeFraction must be between 0 and 1 (got ${spec.writeFraction})`);
  }
  return problems;
}

/** The touch pattern's own parameters. */
function patternProblems(spec: SyntheticWorkloadSpec, pageSizeBytes: number): string[] {
  const pattern = spec.pattern;
  if (pattern.kind === 'dirty-rate') return dirtyRateProblems(spec, pattern, pageSizeBytes);
  const problems: string[] = [];
  if (pattern.kind === 'clustered') {
    const p = pattern.continueProbability;
    if (!(p >= 0 && p < 1)) problems.push('continueProbability must be in [0, 1)');
  } else {
    if (!(pattern.density > 0 && pattern.density <= 1)) problems.push('density must be in (0, 1]');
    if (!(pattern.extentPages >= 1)) problems.push('extentPages must be at least 1');
  }
  return problems;
}

function dirtyRateProblems(
  spec: SyntheticWorkloadSpec,
  pattern: DirtyRatePattern,
  pageSizeBytes: number,
): string[] {
  const problems: string[] = [];
  const { workingSetBytes, dirtyBytesPerSecond } = pattern;
  if (!(Number.isFinite(workingSetBytes) && workingSetBytes >= 0))
    problems.push(`workingSetBytes must be a non-negative finite number (got ${workingSetBytes})`);
  else if (workingSetBytes % pageSizeBytes !== 0)
    problems.push(
      `workingSetBytes (${workingSetBytes}) must be a multiple of the page size (${pageSizeBytes})`,
    );
  else if (workingSetBytes > spec.realBytes) problems.push('workingSetBytes cannot exceed realBytes');
  if (!(Number.isFinite(dirtyBytesPerSecond) && dirtyBytesPerSecond >= 0))
    problems.push(`dirtyBytesPerSecond must be a non-negative finite number (got ${dirtyBytesPerSecond})`);
  else if (dirtyBytesPerSecond > 0 && workingSetBytes === 0)
    problems.push('a dirty rate above 0 needs a working set of at least one page');
  else if (Number.isFinite(spec.computeSeconds)) {
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
