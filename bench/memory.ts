import { MODERN_2025, PERQ_1987 } from '../src/engine/hardware/presets';
import { RandomStream } from '../src/engine/kernel/random';
import { AddressSpace } from '../src/engine/model/addressSpace';
import { pageKey } from '../src/engine/model/memory';
import { representative } from '../src/engine/workloads/representatives';
import type { GeneratedWorkload, SyntheticWorkloadSpec } from '../src/engine/workloads/spec';
import { generateWorkload } from '../src/engine/workloads/synthetic';

/**
 * Heap used by address spaces: the AMap's ranges plus per-page state for the RealMem pages,
 * built as a trial places its process (see runTrial's placeProcess). Needs `node --expose-gc`
 * for exact figures; without it the deltas include garbage.
 */

const MB = 1024 * 1024;

/** Two full collections, when Node runs with --expose-gc. */
export function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
}

export function gcAvailable(): boolean {
  return typeof (globalThis as { gc?: unknown }).gc === 'function';
}

/** Build the space as placeProcess does, then touch `zeroTouches` RealZeroMem pages (FillZero). */
export function buildSpace(
  generated: GeneratedWorkload,
  pageSizeBytes: number,
  zeroTouches = 0,
): AddressSpace {
  const space = AddressSpace.fromRanges(1, pageSizeBytes, generated.ranges);
  for (const page of generated.realPages) {
    space.pages.set(page, { content: page + 1, frameKey: pageKey(space.objectId, page) });
  }
  // Fill-zero faults spread over the zero ranges, as a growing heap would take them.
  const zeroRanges = generated.ranges.filter((range) => range.distance === 'RealZeroMem');
  for (let i = 0; i < zeroTouches && zeroRanges.length > 0; i += 1) {
    const range = zeroRanges[i % zeroRanges.length]!;
    const page = range.start + Math.floor(i / zeroRanges.length) * 7;
    if (page >= range.end) continue;
    space.amap.set(page, page + 1, 'RealMem');
    space.pages.set(page, { content: 0, frameKey: pageKey(space.objectId, page) });
  }
  return space;
}

export interface SpaceFigure {
  name: string;
  pages: number;
  ranges: number;
  realPages: number;
  heapMB: number;
}

/** Heap delta of building one space from an already generated workload. */
export function measureSpace(
  name: string,
  spec: SyntheticWorkloadSpec,
  pageSizeBytes: number,
  zeroTouches = 0,
): SpaceFigure {
  const generated = generateWorkload(spec, pageSizeBytes, RandomStream.fromSeed(1987).substream(1));
  collect();
  const before = process.memoryUsage().heapUsed;
  const space = buildSpace(generated, pageSizeBytes, zeroTouches);
  collect();
  const after = process.memoryUsage().heapUsed;
  const figure: SpaceFigure = {
    name,
    pages: (spec.realBytes + spec.realZeroBytes) / pageSizeBytes,
    ranges: space.amap.size,
    realPages: space.pages.size,
    heapMB: (after - before) / MB,
  };
  // Keep the space alive until after the second reading.
  if (space.pages.size < 0) throw new Error('unreachable');
  return figure;
}

/** The 4 GB Lisp space: Lisp-Del's generated ranges and RealMem pages, 512-byte pages. */
export function lispSpace(): SpaceFigure {
  return measureSpace('Lisp-Del, 4 GB', representative('Lisp-Del'), PERQ_1987.pageSizeBytes);
}

/** 64 GiB with 4 KiB pages, 64 MiB of it RealMem and 10,000 zero pages touched; the rest untouched. */
export function sparse64GiBSpec(totalBytes = 64 * 1024 ** 3, realBytes = 64 * MB): SyntheticWorkloadSpec {
  return {
    name: 'Sparse-64GiB',
    description: 'A large, mostly untouched address space on modern hardware',
    realBytes,
    realZeroBytes: totalBytes - realBytes,
    residentBytes: realBytes / 2,
    amapEntries: 400,
    memoryObjects: 8,
    portRights: 10,
    residentRunPages: 8,
    touchedFractionOfReal: 0.1,
    touchedResidentFractionOfReal: 0.05,
    pattern: { kind: 'clustered', continueProbability: 0.6, order: 'random' },
    zeroFillPages: 0,
    computeSeconds: 1,
    rereferencesPerPage: 1,
  };
}

export function sparse64GiBSpace(zeroTouches = 10_000): SpaceFigure {
  return measureSpace('64 GiB, 4 KiB pages', sparse64GiBSpec(), MODERN_2025.pageSizeBytes, zeroTouches);
}
