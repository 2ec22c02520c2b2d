import type { RandomStream } from '../kernel/random';
import type { AMapRange } from '../model/amap';
import { growExtents, growFixedRuns, growRuns, randomComposition } from './pagePicking';
import { DEFAULT_WRITE_FRACTION } from './spec';
import type { DirtyRatePattern, GeneratedWorkload, SyntheticWorkloadSpec, TouchPattern } from './spec';
import { syntheticWorkloadProblems } from './syntheticProblems';

/**
 * A synthetic workload's address space and reference string, drawn from its parameters. The steps
 * below draw from the workload's stream in a fixed order (layout, touched pages, resident pages,
 * order of first touches, re-references): a trial's workload depends on its seed only.
 */

function pagesOf(bytes: number, pageSizeBytes: number, what: string): number {
  const pages = bytes / pageSizeBytes;
  if (!Number.isInteger(pages)) {
    throw new Error(`${what} (${bytes} bytes) is not a whole number of ${pageSizeBytes}-byte pages`);
  }
  return pages;
}

/**
 * Generate the address space and the reference string of a workload. Write flags come from
 * their own stream (`writeRandom`), so adding them left every other draw as it was.
 */
export function generateWorkload(
  spec: SyntheticWorkloadSpec,
  pageSizeBytes: number,
  random: RandomStream,
  writeRandom?: RandomStream,
): GeneratedWorkload {
  // The type keeps traces out; a caller without types (a worker's message) gets a clear error.
  if ((spec as { trace?: unknown }).trace !== undefined) {
    throw new Error(`workload ${spec.name} is a trace: its page references must be loaded (traceWorkload)`);
  }
  const problems = syntheticWorkloadProblems(spec, pageSizeBytes);
  if (problems.length > 0) throw new Error(`workload ${spec.name}: ${problems.join('; ')}`);
  const realCount = pagesOf(spec.realBytes, pageSizeBytes, 'realBytes');
  const zeroCount = pagesOf(spec.realZeroBytes, pageSizeBytes, 'realZeroBytes');
  const residentCount = pagesOf(spec.residentBytes, pageSizeBytes, 'residentBytes');
  const { ranges, realPages, zeroRanges } = layOut(realCount, zeroCount, spec.amapEntries, random);
  const pattern = spec.pattern;
  if (pattern.kind === 'dirty-rate')
    return generateDirtyRate(spec, pattern, pageSizeBytes, ranges, realPages, random);

  const { touchedPositions, residentFlags } = touchedAndResident(
    spec,
    pattern,
    realCount,
    residentCount,
    random,
  );
  const residentPages: number[] = [];
  for (let i = 0; i < realCount; i += 1) if (residentFlags[i]) residentPages.push(realPages[i]!);

  let order = touchedPositions.map((position) => realPages[position]!);
  if (pattern.kind === 'sequential' || pattern.order === 'ascending') order.sort((a, b) => a - b);
  else random.shuffle(order);
  order = withZeroFill(order, zeroRanges, spec.zeroFillPages);

  const references = referenceString(order, spec.rereferencesPerPage, random);
  for (const page of spec.extraReferences ?? []) references.push(page);
  return {
    ranges,
    realPages,
    residentPages,
    touchedPages: new Set(touchedPositions.map((position) => realPages[position]!)),
    references: Int32Array.from(references),
    writes: drawWrites(references.length, spec.writeFraction ?? DEFAULT_WRITE_FRACTION, writeRandom),
    secondsPerReference: references.length > 0 ? spec.computeSeconds / references.length : 0,
  };
}

/** The layout: RealMem and RealZeroMem runs alternating from page 0, `amapEntries` in all. */
function layOut(
  realCount: number,
  zeroCount: number,
  amapEntries: number,
  random: RandomStream,
): { ranges: AMapRange[]; realPages: number[]; zeroRanges: AMapRange[] } {
  const realRuns = randomComposition(realCount, Math.ceil(amapEntries / 2), random);
  const zeroRuns = randomComposition(zeroCount, Math.floor(amapEntries / 2), random);
  const ranges: AMapRange[] = [];
  const realPages: number[] = [];
  const zeroRanges: AMapRange[] = [];
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
      zeroRanges.push(range);
      page += zero;
    }
  }
  return { ranges, realPages, zeroRanges };
}

/**
 * The touched set T and the resident set R over RealMem positions, with the sizes and the overlap
 * the workload gives.
 */
function touchedAndResident(
  spec: SyntheticWorkloadSpec,
  pattern: Exclude<TouchPattern, DirtyRatePattern>,
  realCount: number,
  residentCount: number,
  random: RandomStream,
): { touchedPositions: number[]; residentFlags: Uint8Array } {
  const touchedCount = Math.round(spec.touchedFractionOfReal * realCount);
  const overlapCount = Math.round(spec.touchedResidentFractionOfReal * realCount);
  const everything = new Uint8Array(realCount).fill(1);
  const touchedFlags = new Uint8Array(realCount);
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
  return { touchedPositions, residentFlags };
}

/**
 * RealZeroMem touched after migration, interleaved evenly with the RealMem first touches: heap
 * growth from the start of the largest zero run, going on in the next largest when it is used up
 * (never past a zero run: that page would be BadMem or RealMem). The workload's problems have
 * checked that the zero runs hold `zeroFillPages` in all.
 */
function withZeroFill(order: number[], zeroRanges: readonly AMapRange[], zeroFillPages: number): number[] {
  const bySize = zeroRanges
    .map((range, index) => ({ range, index }))
    .sort((a, b) => b.range.end - b.range.start - (a.range.end - a.range.start) || a.index - b.index);
  const zeroTouches: number[] = [];
  for (const { range } of bySize) {
    for (let p = range.start; p < range.end && zeroTouches.length < zeroFillPages; p += 1) {
      zeroTouches.push(p);
    }
    if (zeroTouches.length >= zeroFillPages) break;
  }
  if (zeroTouches.length === 0) return order;
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
  return merged;
}

/** The reference string: each first touch followed by re-references to recently touched pages. */
function referenceString(
  order: readonly number[],
  rereferencesPerPage: number,
  random: RandomStream,
): number[] {
  const window = 64;
  const references: number[] = [];
  let owedRereferences = 0;
  order.forEach((first, index) => {
    references.push(first);
    owedRereferences += rereferencesPerPage;
    while (owedRereferences >= 1) {
      const back = random.int(0, Math.min(window, index));
      references.push(order[index - back]!);
      owedRereferences -= 1;
    }
  });
  return references;
}

/** Which references write their page, drawn from their own stream; none without one. */
function drawWrites(count: number, writeFraction: number, writeRandom: RandomStream | undefined): Uint8Array {
  const writes = new Uint8Array(count);
  if (writeRandom && writeFraction > 0) {
    for (let index = 0; index < count; index += 1) writes[index] = writeRandom.chance(writeFraction) ? 1 : 0;
  }
  return writes;
}

/**
 * A dirty-rate workload's pages, references and write flags (all writes) over its laid-out
 * RealMem; see TouchPattern.
 */
function generateDirtyRate(
  spec: SyntheticWorkloadSpec,
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
