import type { RandomStream } from '../kernel/random';
import type { AMapRange } from '../model/amap';
import type { TraceWorkloadSource } from './trace';
import { traceSourceProblems } from './trace';

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

/** Most references a dirty-rate workload may make (rate x compute time / page size). */
export const MAX_DIRTY_RATE_REFERENCES = 50_000_000;

/**
 * A workload: the address space at migration time and a generator of the
 * references it makes afterwards. The representatives of section 4.1 are
 * instances; users can write their own.
 */
export interface WorkloadSpec {
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
  /**
   * Mean length, in pages, of the runs the resident pages form; under a clustered pattern only
   * the untouched resident pages (the touched ones follow the clusters, see generateWorkload).
   */
  residentRunPages: number;
  /** Share of RealMem touched after migration (Table 4-3, IOU column). */
  touchedFractionOfReal: number;
  /** Share of RealMem both touched after migration and resident at migration. */
  touchedResidentFractionOfReal: number;
  pattern: TouchPattern;
  /** RealZeroMem pages touched after migration (heap and stack growth). */
  zeroFillPages: number;
  /** CPU time of the remote execution when every page is at hand. */
  computeSeconds: number;
  /** References to already-touched pages per first touch. */
  rereferencesPerPage: number;
  /** Pages referenced after everything else, e.g. to provoke an addressing error on purpose. */
  extraReferences?: number[];
  /**
   * Share of references that write their page (0..1). Not in the paper: only the strategies
   * beyond 1987 (pre-copy re-sends pages written after they were sent) depend on it.
   * Default DEFAULT_WRITE_FRACTION.
   */
  writeFraction?: number;
  /**
   * A workload recorded from a real program (workloads/trace.ts). Its address space and references
   * come from the trace, not from the fields above, which then only summarise it for display.
   */
  trace?: TraceWorkloadSource;
}

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

export function pagesOf(bytes: number, pageSizeBytes: number, what: string): number {
  const pages = bytes / pageSizeBytes;
  if (!Number.isInteger(pages)) {
    throw new Error(`${what} (${bytes} bytes) is not a whole number of ${pageSizeBytes}-byte pages`);
  }
  return pages;
}

/** Check a workload for sense before generating it; returns a list of problems. */
export function workloadProblems(spec: WorkloadSpec, pageSizeBytes: number): string[] {
  if (spec.trace) return traceSourceProblems(spec.trace, pageSizeBytes);
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
  const real = spec.realBytes / pageSizeBytes;
  const resident = spec.residentBytes / pageSizeBytes;
  if (real > MAX_WORKLOAD_PAGES) {
    problems.push(
      `realBytes is ${Math.ceil(real).toLocaleString('en-US')} pages of ${pageSizeBytes} bytes, over the limit of ` +
        `${MAX_WORKLOAD_PAGES.toLocaleString('en-US')} pages per workload`,
    );
    return problems;
  }
  if (real + spec.realZeroBytes / pageSizeBytes > MAX_ADDRESS_SPACE_PAGES) {
    problems.push(
      `the address space (realBytes + realZeroBytes) is over the limit of ` +
        `${MAX_ADDRESS_SPACE_PAGES.toLocaleString('en-US')} pages of ${pageSizeBytes} bytes`,
    );
    return problems;
  }
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
  if (spec.pattern.kind === 'clustered') {
    const p = spec.pattern.continueProbability;
    if (!(p >= 0 && p < 1)) problems.push('continueProbability must be in [0, 1)');
  } else if (spec.pattern.kind === 'dirty-rate') {
    problems.push(...dirtyRateProblems(spec, spec.pattern, pageSizeBytes));
  } else {
    if (!(spec.pattern.density > 0 && spec.pattern.density <= 1)) problems.push('density must be in (0, 1]');
    if (!(spec.pattern.extentPages >= 1)) problems.push('extentPages must be at least 1');
  }
  return problems;
}

function dirtyRateProblems(spec: WorkloadSpec, pattern: DirtyRatePattern, pageSizeBytes: number): string[] {
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

/**
 * A dirty-rate workload's pages, references and write flags (all writes) over its laid-out
 * RealMem; see TouchPattern.
 */
function generateDirtyRate(
  spec: WorkloadSpec,
  pattern: DirtyRatePattern,
  pageSizeBytes: number,
  ranges: AMapRange[],
  realPages: number[],
  random: RandomStream,
): GeneratedWorkload {
  const workingSet = realPages.slice(0, pattern.workingSetBytes / pageSizeBytes);
  const residentPages = realPages.slice(0, spec.residentBytes / pageSizeBytes);
  const count =
    workingSet.length === 0
      ? 0
      : Math.round((spec.computeSeconds * pattern.dirtyBytesPerSecond) / pageSizeBytes);
  const references = new Int32Array(count);
  if (pattern.order === 'cyclic') {
    for (let index = 0; index < count; index += 1) references[index] = workingSet[index % workingSet.length]!;
  } else {
    for (let index = 0; index < count; index += 1)
      references[index] = workingSet[random.int(0, workingSet.length - 1)]!;
  }
  const touchedPages = new Set<number>();
  for (const page of workingSet.slice(0, count)) touchedPages.add(page);
  if (pattern.order === 'random') for (const page of references) touchedPages.add(page);
  return {
    ranges,
    realPages,
    residentPages,
    touchedPages,
    references,
    writes: new Uint8Array(count).fill(1),
    secondsPerReference: count > 0 ? spec.computeSeconds / count : 0,
  };
}

/** Split `total` into `parts` positive integers at random. */
function randomComposition(total: number, parts: number, random: RandomStream): number[] {
  if (parts === 0) return [];
  const cuts = new Set<number>();
  // Choose parts-1 distinct cut points in [1, total-1].
  if (parts - 1 > (total - 1) / 2) {
    const all = Array.from({ length: total - 1 }, (_, i) => i + 1);
    for (const cut of random.sample(all, parts - 1)) cuts.add(cut);
  } else {
    while (cuts.size < parts - 1) cuts.add(random.int(1, total - 1));
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  const sizes: number[] = [];
  let previous = 0;
  for (const cut of [...sorted, total]) {
    sizes.push(cut - previous);
    previous = cut;
  }
  return sizes;
}

/** Eligible positions not chosen yet, in random order; there must be at least `count`. */
function shuffledCandidates(
  eligible: Uint8Array,
  chosen: Uint8Array,
  count: number,
  random: RandomStream,
): number[] {
  const candidates: number[] = [];
  for (let i = 0; i < eligible.length; i += 1) if (eligible[i] && !chosen[i]) candidates.push(i);
  if (candidates.length < count) throw new Error(`cannot choose ${count} pages among ${candidates.length}`);
  return random.shuffle(candidates);
}

/**
 * Pick `count` positions among the eligible ones as runs: each run starts at
 * a random eligible position and goes on to the next eligible position with
 * probability `continueProbability`.
 */
function growRuns(
  eligible: Uint8Array,
  count: number,
  continueProbability: number,
  random: RandomStream,
  chosen: Uint8Array,
): number[] {
  const candidates = shuffledCandidates(eligible, chosen, count, random);
  const picked: number[] = [];
  let cursor = 0;
  while (picked.length < count) {
    let position = candidates[cursor++]!;
    if (chosen[position]) continue;
    for (;;) {
      chosen[position] = 1;
      picked.push(position);
      const next = position + 1;
      if (picked.length >= count || next >= eligible.length || !eligible[next] || chosen[next]) break;
      if (!random.chance(continueProbability)) break;
      position = next;
    }
  }
  return picked;
}

/**
 * Pick `count` positions as runs of `runPages` on average (a fractional part
 * makes some runs one page longer), each run starting at a random eligible
 * position and stopping early at an ineligible or already chosen one.
 */
function growFixedRuns(
  eligible: Uint8Array,
  count: number,
  runPages: number,
  random: RandomStream,
  chosen: Uint8Array,
): number[] {
  const candidates = shuffledCandidates(eligible, chosen, count, random);
  const picked: number[] = [];
  let cursor = 0;
  let carry = 0;
  let avoidJoining = true;
  while (picked.length < count) {
    if (cursor >= candidates.length) {
      // Second pass over what is left, now allowing runs that touch earlier ones.
      cursor = 0;
      avoidJoining = false;
    }
    let position = candidates[cursor++]!;
    if (chosen[position]) continue;
    // Do not start a run right after a chosen page: that would only lengthen a run.
    if (avoidJoining && position > 0 && chosen[position - 1]) continue;
    carry += runPages;
    const length = Math.max(1, Math.floor(carry));
    carry -= length;
    for (let taken = 0; taken < length && picked.length < count; taken += 1) {
      chosen[position] = 1;
      picked.push(position);
      position += 1;
      if (position >= eligible.length || !eligible[position] || chosen[position]) break;
    }
  }
  return picked;
}

/**
 * Sequential extents (mapped files): each starts at a random position not yet
 * covered by another extent and uses `density` of its pages, so the density
 * seen ahead of any touched page is `density`, whatever the prefetch.
 */
function growExtents(
  eligible: Uint8Array,
  count: number,
  density: number,
  extentPages: number,
  random: RandomStream,
  chosen: Uint8Array,
): number[] {
  const covered = new Uint8Array(eligible.length);
  const picked: number[] = [];
  let guard = 0;
  while (picked.length < count) {
    guard += 1;
    if (guard > 100_000) throw new Error(`cannot lay ${count} sequential pages`);
    let start = random.int(0, eligible.length - 1);
    while (start < eligible.length && covered[start]) start += 1;
    for (let position = start; position < Math.min(eligible.length, start + extentPages); position += 1) {
      if (covered[position]) break;
      covered[position] = 1;
      if (picked.length >= count || !eligible[position] || chosen[position]) continue;
      if (!random.chance(density)) continue;
      chosen[position] = 1;
      picked.push(position);
    }
    if (covered.every((flag) => flag === 1) && picked.length < count) covered.fill(0);
  }
  return picked;
}

/**
 * Generate the address space and the reference string of a workload. Write flags come from
 * their own stream (`writeRandom`), so adding them left every other draw as it was.
 */
export function generateWorkload(
  spec: WorkloadSpec,
  pageSizeBytes: number,
  random: RandomStream,
  writeRandom?: RandomStream,
): GeneratedWorkload {
  if (spec.trace) {
    throw new Error(`workload ${spec.name} is a trace: its page references must be loaded (traceWorkload)`);
  }
  const problems = workloadProblems(spec, pageSizeBytes);
  if (problems.length > 0) throw new Error(`workload ${spec.name}: ${problems.join('; ')}`);
  const realCount = pagesOf(spec.realBytes, pageSizeBytes, 'realBytes');
  const zeroCount = pagesOf(spec.realZeroBytes, pageSizeBytes, 'realZeroBytes');
  const residentCount = pagesOf(spec.residentBytes, pageSizeBytes, 'residentBytes');

  // Layout: alternate RealMem and RealZeroMem runs from page 0, amapEntries in all.
  const realRuns = randomComposition(realCount, Math.ceil(spec.amapEntries / 2), random);
  const zeroRuns = randomComposition(zeroCount, Math.floor(spec.amapEntries / 2), random);
  const ranges: AMapRange[] = [];
  const realPages: number[] = [];
  const zeroRangesList: AMapRange[] = [];
  let page = 0;
  for (let i = 0; i < realRuns.length; i += 1) {
    const real = realRuns[i]!;
    ranges.push({ start: page, end: page + real, distance: 'RealMem' });
    for (let p = page; p < page + real; p += 1) realPages.push(p);
    page += real;
    const zero = zeroRuns[i];
    if (zero !== undefined) {
      const range: AMapRange = { start: page, end: page + zero, distance: 'RealZeroMem' };
      ranges.push(range);
      zeroRangesList.push(range);
      page += zero;
    }
  }

  if (spec.pattern.kind === 'dirty-rate')
    return generateDirtyRate(spec, spec.pattern, pageSizeBytes, ranges, realPages, random);

  // Touched set T and resident set R with the given sizes and overlap, over RealMem positions.
  const touchedCount = Math.round(spec.touchedFractionOfReal * realCount);
  const overlapCount = Math.round(spec.touchedResidentFractionOfReal * realCount);
  const everything = new Uint8Array(realCount).fill(1);
  const touchedFlags = new Uint8Array(realCount);
  const pattern = spec.pattern;
  const touchedPositions =
    pattern.kind === 'clustered'
      ? growRuns(everything, touchedCount, pattern.continueProbability, random, touchedFlags)
      : growExtents(everything, touchedCount, pattern.density, pattern.extentPages, random, touchedFlags);
  const residentFlags = new Uint8Array(realCount);
  const notTouched = touchedFlags.map((flag) => (flag ? 0 : 1));
  if (pattern.kind === 'clustered') {
    // Residency follows the clusters of the reference pattern: the pages touched after migration
    // but not resident at it are the ones the process moved on to, stretches of a cluster, not
    // single pages taken out of every cluster; so they grow as runs the way touched pages do.
    const touchedNotResident = new Uint8Array(realCount);
    growRuns(
      touchedFlags,
      touchedCount - overlapCount,
      pattern.continueProbability,
      random,
      touchedNotResident,
    );
    for (let i = 0; i < realCount; i += 1)
      if (touchedFlags[i] && !touchedNotResident[i]) residentFlags[i] = 1;
  } else {
    // Files read front to back: the resident part of what is read is runs of residentRunPages.
    growFixedRuns(touchedFlags, overlapCount, spec.residentRunPages, random, residentFlags);
  }
  growFixedRuns(notTouched, residentCount - overlapCount, spec.residentRunPages, random, residentFlags);
  const residentPages: number[] = [];
  for (let i = 0; i < realCount; i += 1) if (residentFlags[i]) residentPages.push(realPages[i]!);

  // Order of first touches.
  let order = touchedPositions.map((position) => realPages[position]!);
  if (pattern.kind === 'sequential' || pattern.order === 'ascending') order.sort((a, b) => a - b);
  else random.shuffle(order);

  // RealZeroMem touched after migration: heap growth from the start of the largest zero run, going
  // on in the next largest when it is used up (never past a zero run: that page would be BadMem or
  // RealMem). workloadProblems has checked that the zero runs hold zeroFillPages in all.
  const bySize = zeroRangesList
    .map((range, index) => ({ range, index }))
    .sort((a, b) => b.range.end - b.range.start - (a.range.end - a.range.start) || a.index - b.index);
  const zeroTouches: number[] = [];
  for (const { range } of bySize) {
    for (let p = range.start; p < range.end && zeroTouches.length < spec.zeroFillPages; p += 1) {
      zeroTouches.push(p);
    }
    if (zeroTouches.length >= spec.zeroFillPages) break;
  }
  if (zeroTouches.length > 0) {
    // Interleave heap growth evenly with the RealMem touches.
    const merged: number[] = [];
    const total = order.length + zeroTouches.length;
    let realIndex = 0;
    let zeroIndex = 0;
    for (let i = 0; i < total; i += 1) {
      const zeroDue = Math.floor(((i + 1) * zeroTouches.length) / total) > zeroIndex;
      if ((zeroDue && zeroIndex < zeroTouches.length) || realIndex >= order.length)
        merged.push(zeroTouches[zeroIndex++]!);
      else merged.push(order[realIndex++]!);
    }
    order = merged;
  }

  // The reference string: each first touch followed by re-references to recently touched pages.
  const window = 64;
  const perPage = spec.rereferencesPerPage;
  const references: number[] = [];
  let owedRereferences = 0;
  order.forEach((first, index) => {
    references.push(first);
    owedRereferences += perPage;
    while (owedRereferences >= 1) {
      const back = random.int(0, Math.min(window, index));
      references.push(order[index - back]!);
      owedRereferences -= 1;
    }
  });

  for (const page of spec.extraReferences ?? []) references.push(page);
  const touchedPages = new Set(touchedPositions.map((position) => realPages[position]!));
  const writes = new Uint8Array(references.length);
  const writeFraction = spec.writeFraction ?? DEFAULT_WRITE_FRACTION;
  if (writeRandom && writeFraction > 0) {
    for (let index = 0; index < writes.length; index += 1)
      writes[index] = writeRandom.chance(writeFraction) ? 1 : 0;
  }
  return {
    ranges,
    realPages,
    residentPages,
    touchedPages,
    references: Int32Array.from(references),
    writes,
    secondsPerReference: references.length > 0 ? spec.computeSeconds / references.length : 0,
  };
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
