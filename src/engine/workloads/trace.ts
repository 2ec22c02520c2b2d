import type { AMapRange } from '../model/amap';
import type { GeneratedWorkload, MigrationPoint, TraceWorkloadSource, TraceWorkloadSpec } from './spec';

/** A record's flag: some access merged into it wrote the page (a store or a modify). */
export const TRACE_WRITE = 1;
/** A record's flag: its first access was a store, which reads nothing (the page may be fresh). */
export const TRACE_FIRST_IS_STORE = 2;

/**
 * The page-reference string of a whole traced run, as the importer builds it (docs/traces.md).
 * Consecutive accesses to one page are merged into one record; the records index a table of the
 * distinct virtual pages, sorted by address, so record order is time and index order is address.
 */
export interface PageReferenceString {
  pageSizeBytes: number;
  /** Distinct virtual page numbers (address / page size), ascending. */
  pages: Float64Array;
  /** Per record: index into `pages`. */
  references: Uint32Array;
  /** Per record: instruction fetches merged into it (the compute between references). */
  instructions: Uint32Array;
  /** Per record: TRACE_WRITE | TRACE_FIRST_IS_STORE. */
  flags: Uint8Array;
  /** Sum of `instructions`: every instruction fetch of the run. */
  totalInstructions: number;
}

/**
 * Instruction rates for turning a trace's instruction count into compute time. Lackey counts x86-64
 * instructions of the traced program; the PERQ's microcoded processor ran about one million
 * instructions per second, a 2025 core a few billion. The choice is the user's; these are defaults.
 */
export const DEFAULT_INSTRUCTIONS_PER_SECOND: Record<string, number> = {
  'perq-1987': 1_000_000,
  'modern-2025': 3_000_000_000,
};

export function defaultInstructionsPerSecond(hardwareName: string): number {
  return DEFAULT_INSTRUCTIONS_PER_SECOND[hardwareName] ?? DEFAULT_INSTRUCTIONS_PER_SECOND['perq-1987']!;
}

/** What is wrong with a trace source, in words naming the field; empty when it is usable. */
export function traceSourceProblems(source: TraceWorkloadSource, pageSizeBytes: number): string[] {
  const problems: string[] = [];
  if (!source.path) problems.push('trace.path must name the trace file');
  if (!/^[0-9a-f]{64}$/.test(source.sha256)) problems.push('trace.sha256 must be 64 hex digits');
  if (source.pageSizeBytes !== pageSizeBytes) {
    problems.push(
      `trace.pageSizeBytes (${source.pageSizeBytes}) differs from the hardware's page size (${pageSizeBytes}): import the trace again at ${pageSizeBytes}`,
    );
  }
  const at = source.migrateAt;
  if ('fraction' in at) {
    if (!(at.fraction >= 0 && at.fraction <= 1))
      problems.push(`trace.migrateAt.fraction must be between 0 and 1 (got ${at.fraction})`);
  } else if (!(Number.isSafeInteger(at.instructions) && at.instructions >= 0)) {
    problems.push(`trace.migrateAt.instructions must be a whole number >= 0 (got ${at.instructions})`);
  }
  if (!(Number.isFinite(source.instructionsPerSecond) && source.instructionsPerSecond > 0))
    problems.push(
      `trace.instructionsPerSecond must be a positive number (got ${source.instructionsPerSecond})`,
    );
  const limit = source.residentLimitPages;
  if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 0))
    problems.push(`trace.residentLimitPages must be a whole number >= 0 (got ${limit})`);
  return problems;
}

/** The instruction count the process migrates at. */
export function migrationInstruction(at: MigrationPoint, totalInstructions: number): number {
  if ('fraction' in at) return Math.round(at.fraction * totalInstructions);
  return Math.min(at.instructions, totalInstructions);
}

/** Index of the first record that runs after the migration: every record before it has finished. */
export function migrationRecord(trace: PageReferenceString, at: MigrationPoint): number {
  const point = migrationInstruction(at, trace.totalInstructions);
  let executed = 0;
  for (let index = 0; index < trace.references.length; index += 1) {
    if (executed >= point) return index;
    executed += trace.instructions[index]!;
  }
  return trace.references.length;
}

export interface TraceComposition {
  realPages: number;
  realZeroPages: number;
  residentPages: number;
  amapEntries: number;
  /** Records after the migration point: the remote reference string. */
  references: number;
  instructionsAfter: number;
}

/**
 * The address space at migration and the reference string after it, from a trace (rules in
 * docs/traces.md):
 * - page numbers are compacted: pages touched anywhere in the run, in address order, consecutive
 *   virtual pages stay consecutive and every gap between them becomes one unmapped page;
 * - a page touched before the migration point is RealMem (it holds data); a page first touched
 *   after it is RealZeroMem if that first access is a store (fresh heap or stack), else RealMem
 *   (code or data it reads was there already);
 * - resident: the most recently touched pages before the migration point, up to `residentLimit`;
 * - the references after the migration point, each with its instructions as compute time.
 */
export function traceWorkload(
  trace: PageReferenceString,
  source: TraceWorkloadSource,
  residentLimit: number,
): GeneratedWorkload & { composition: TraceComposition } {
  const problems = traceSourceProblems(source, trace.pageSizeBytes);
  if (problems.length > 0) throw new Error(`trace ${source.path}: ${problems.join('; ')}`);
  const pageCount = trace.pages.length;
  const split = migrationRecord(trace, source.migrateAt);
  const compact = compactPageNumbers(trace.pages);
  const { lastBefore, zero } = touchesAroundSplit(trace, split);
  const { ranges, realPages } = addressMap(compact, zero);
  const residentPages = recentlyTouched(lastBefore, compact, residentLimit);
  const after = referencesAfter(trace, split, compact, zero, source.instructionsPerSecond);
  const { references, instructionsAfter } = after;
  const count = references.length;
  const computeSeconds = instructionsAfter / source.instructionsPerSecond;
  return {
    ranges,
    realPages,
    residentPages,
    touchedPages: after.touchedPages,
    references,
    secondsPerReference: count > 0 ? computeSeconds / count : 0,
    secondsBefore: after.secondsBefore,
    writes: after.writes,
    composition: {
      realPages: realPages.length,
      realZeroPages: pageCount - realPages.length,
      residentPages: residentPages.length,
      amapEntries: ranges.length,
      references: count,
      instructionsAfter,
    },
  };
}

/** Compact numbering: consecutive virtual pages stay neighbours, a gap becomes one hole. */
function compactPageNumbers(pages: Float64Array): Int32Array {
  const compact = new Int32Array(pages.length);
  for (let i = 0; i < pages.length; i += 1) {
    if (i === 0) compact[i] = 0;
    else compact[i] = compact[i - 1]! + (pages[i] === pages[i - 1]! + 1 ? 1 : 2);
  }
  return compact;
}

/**
 * Per page (index into the trace's pages): the record of its last touch before the split (-1:
 * none, for the resident set), and 1 in `zero` when it is first touched after the split by a store.
 */
function touchesAroundSplit(
  trace: PageReferenceString,
  split: number,
): { lastBefore: Float64Array; zero: Uint8Array } {
  const pageCount = trace.pages.length;
  const lastBefore = new Float64Array(pageCount).fill(-1);
  for (let index = 0; index < split; index += 1) lastBefore[trace.references[index]!] = index;
  const zero = new Uint8Array(pageCount);
  const seenAfter = new Uint8Array(pageCount);
  for (let index = split; index < trace.references.length; index += 1) {
    const page = trace.references[index]!;
    if (seenAfter[page]) continue;
    seenAfter[page] = 1;
    if (lastBefore[page]! < 0 && trace.flags[index]! & TRACE_FIRST_IS_STORE) zero[page] = 1;
  }
  return { lastBefore, zero };
}

/** The address map in compact pages (runs of RealMem and RealZeroMem), and its RealMem pages. */
function addressMap(compact: Int32Array, zero: Uint8Array): { ranges: AMapRange[]; realPages: number[] } {
  const ranges: AMapRange[] = [];
  const realPages: number[] = [];
  for (let i = 0; i < compact.length; i += 1) {
    const distance = zero[i] ? 'RealZeroMem' : 'RealMem';
    const page = compact[i]!;
    if (distance === 'RealMem') realPages.push(page);
    const last = ranges[ranges.length - 1];
    if (last && last.end === page && last.distance === distance) last.end = page + 1;
    else ranges.push({ start: page, end: page + 1, distance });
  }
  return { ranges, realPages };
}

/** The resident set: the most recently touched pages before the split, up to the limit, ascending. */
function recentlyTouched(lastBefore: Float64Array, compact: Int32Array, residentLimit: number): number[] {
  const touchedBefore: number[] = [];
  for (let i = 0; i < lastBefore.length; i += 1) if (lastBefore[i]! >= 0) touchedBefore.push(i);
  touchedBefore.sort((a, b) => lastBefore[b]! - lastBefore[a]!);
  return touchedBefore
    .slice(0, Math.max(0, residentLimit))
    .map((i) => compact[i]!)
    .sort((a, b) => a - b);
}

/** The reference string after the split in compact pages, with each record's compute time before it. */
function referencesAfter(
  trace: PageReferenceString,
  split: number,
  compact: Int32Array,
  zero: Uint8Array,
  instructionsPerSecond: number,
): {
  references: Int32Array;
  secondsBefore: Float64Array;
  writes: Uint8Array;
  touchedPages: Set<number>;
  instructionsAfter: number;
} {
  const count = trace.references.length - split;
  const references = new Int32Array(count);
  const secondsBefore = new Float64Array(count);
  const writes = new Uint8Array(count);
  const touchedPages = new Set<number>();
  let instructionsAfter = 0;
  for (let k = 0; k < count; k += 1) {
    const record = split + k;
    const page = trace.references[record]!;
    references[k] = compact[page]!;
    if (!zero[page]) touchedPages.add(compact[page]!);
    const instructions = trace.instructions[record]!;
    instructionsAfter += instructions;
    secondsBefore[k] = instructions / instructionsPerSecond;
    writes[k] = trace.flags[record]! & TRACE_WRITE;
  }
  return { references, secondsBefore, writes, touchedPages, instructionsAfter };
}

/**
 * The workload of a trace, as a design holds it: the source, plus the address space's composition
 * at the migration point in the summary fields (for tables and the designer; trials use the trace).
 */
export function traceWorkloadSpec(
  name: string,
  trace: PageReferenceString,
  source: TraceWorkloadSource,
  framesPerHost: number,
): TraceWorkloadSpec {
  const limit = Math.min(source.residentLimitPages ?? Infinity, framesPerHost);
  const { composition, touchedPages } = traceWorkload(trace, source, limit);
  const page = trace.pageSizeBytes;
  const real = Math.max(1, composition.realPages);
  const fileName = source.path.split(/[\\/]/).pop() ?? source.path;
  return {
    name,
    description: `Recorded with Valgrind lackey: ${fileName}, migrated at ${describeMigrationPoint(source.migrateAt)}`,
    realBytes: real * page,
    realZeroBytes: composition.realZeroPages * page,
    residentBytes: composition.residentPages * page,
    amapEntries: Math.max(1, composition.amapEntries),
    memoryObjects: 4,
    portRights: 10,
    residentRunPages: 1,
    touchedFractionOfReal: Math.min(1, touchedPages.size / real),
    touchedResidentFractionOfReal: 0,
    pattern: { kind: 'clustered', continueProbability: 0, order: 'random' },
    zeroFillPages: 0,
    computeSeconds: composition.instructionsAfter / source.instructionsPerSecond,
    rereferencesPerPage: 0,
    trace: structuredClone(source),
  };
}

export function describeMigrationPoint(at: MigrationPoint): string {
  return 'fraction' in at
    ? `${Math.round(at.fraction * 1000) / 10}% of the run`
    : `instruction ${at.instructions}`;
}
