import type { TraceSummary } from '../../shared/hostApi';
import { TRACE_FIRST_IS_STORE, TRACE_WRITE } from '../../engine/workloads/trace';
import { printablePath } from '../printable';

/**
 * The parser of Valgrind lackey output (`valgrind --tool=lackey --trace-mem=yes`), fed chunk by
 * chunk. The counting rules are in docs/traces.md. Every input it may be given is bounded: a line
 * is at most MAX_TRACE_LINE_BYTES, an access at most MAX_ACCESS_BYTES, the records and distinct
 * pages at most MAX_TRACE_RECORDS and MAX_TRACE_PAGES; past a bound it stops with a
 * TraceLimitError. Its errors never quote the file: they say which line and what was expected.
 */

/** Longest line accepted (lackey's are under 40 bytes; Valgrind's own log lines are longer). */
export const MAX_TRACE_LINE_BYTES = 4096;
/** Largest access accepted, in bytes (lackey reports at most a few hundred, for vector state). */
export const MAX_ACCESS_BYTES = 4096;
/** Most page-reference records a trace may make (9 bytes each in the cache: 288 MiB). */
export const MAX_TRACE_RECORDS = 2 ** 25;
/** Most distinct pages a trace may touch. */
export const MAX_TRACE_PAGES = 2 ** 22;

/** A line of the trace that is not lackey output; `line` counts from 1. */
export class TraceFormatError extends Error {
  constructor(
    readonly path: string,
    readonly line: number,
    readonly detail: string,
  ) {
    super(`${printablePath(path)}, line ${line}: ${detail}`);
    this.name = 'TraceFormatError';
  }
}

/** A trace over one of the parser's bounds (or the importer's memory or time). */
export class TraceLimitError extends Error {
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super(`${printablePath(path)}: ${detail}`);
    this.name = 'TraceLimitError';
  }
}

const CHAR_NEWLINE = 0x0a;
const CHAR_RETURN = 0x0d;
const CHAR_SPACE = 0x20;
const CHAR_COMMA = 0x2c;
const CHAR_EQUALS = 0x3d;
const CHAR_DASH = 0x2d;

/** Records per chunk of the parser's store: growth never copies, and no capacity is wasted. */
const CHUNK_RECORDS = 1 << 20;

export interface RecordChunk {
  references: Uint32Array;
  instructions: Uint32Array;
  flags: Uint8Array;
}

/** Page-reference records in fixed-size chunks. */
class RecordChunks {
  readonly chunks: RecordChunk[] = [];
  length = 0;
  private used = CHUNK_RECORDS;

  push(page: number, instructions: number, flags: number): void {
    if (this.used === CHUNK_RECORDS) {
      this.chunks.push({
        references: new Uint32Array(CHUNK_RECORDS),
        instructions: new Uint32Array(CHUNK_RECORDS),
        flags: new Uint8Array(CHUNK_RECORDS),
      });
      this.used = 0;
    }
    const chunk = this.chunks[this.chunks.length - 1]!;
    chunk.references[this.used] = page;
    chunk.instructions[this.used] = instructions;
    chunk.flags[this.used] = flags;
    this.used += 1;
    this.length += 1;
  }

  /** Merge into the last record. */
  addToLast(instructions: number, flags: number): void {
    const chunk = this.chunks[this.chunks.length - 1]!;
    chunk.instructions[this.used - 1]! += instructions;
    chunk.flags[this.used - 1]! |= flags;
  }

  /** The chunks cut to the records they hold. */
  filled(): RecordChunk[] {
    return this.chunks.map((chunk, index) => {
      const length = index === this.chunks.length - 1 ? this.used : CHUNK_RECORDS;
      return {
        references: chunk.references.subarray(0, length),
        instructions: chunk.instructions.subarray(0, length),
        flags: chunk.flags.subarray(0, length),
      };
    });
  }
}

/** What the parser produces: the distinct pages and the records, still in chunks. */
export interface ParsedTrace {
  pages: Float64Array;
  chunks: RecordChunk[];
  records: number;
}

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  return -1;
}

const NOT_A_RECORD = "is not a lackey record ('I  ADDR,SIZE' or ' L|S|M ADDR,SIZE')";

/** Parses lackey lines chunk by chunk into the page-reference string. */
export class LackeyParser {
  lines = 0;
  counts: TraceSummary['referencesByKind'] = { instruction: 0, load: 0, store: 0, modify: 0 };
  private readonly pageIndex = new Map<number, number>();
  private readonly pageNumbers: number[] = [];
  private readonly records = new RecordChunks();
  private currentPage = -1;
  /** The start of a line cut by the end of a chunk (at most MAX_TRACE_LINE_BYTES). */
  private carry: Buffer | null = null;

  constructor(
    private readonly path: string,
    private readonly pageSizeBytes: number,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    if (this.carry) {
      const newline = chunk.indexOf(CHAR_NEWLINE);
      const end = newline < 0 ? chunk.length : newline;
      if (this.carry.length + end > MAX_TRACE_LINE_BYTES) this.tooLong();
      if (newline < 0) {
        this.carry = Buffer.concat([this.carry, chunk]);
        return;
      }
      const line = Buffer.concat([this.carry, chunk.subarray(0, newline)]);
      this.carry = null;
      this.line(line, 0, line.length);
      start = newline + 1;
    }
    for (;;) {
      const newline = chunk.indexOf(CHAR_NEWLINE, start);
      if (newline < 0) break;
      if (newline - start > MAX_TRACE_LINE_BYTES) this.tooLong();
      this.line(chunk, start, newline);
      start = newline + 1;
    }
    if (start < chunk.length) {
      if (chunk.length - start > MAX_TRACE_LINE_BYTES) this.tooLong();
      this.carry = Buffer.from(chunk.subarray(start));
    }
  }

  /** After the last chunk: a trace must end with a whole line. */
  end(): void {
    if (this.carry && this.carry.length > 0) {
      throw new TraceFormatError(
        this.path,
        this.lines + 1,
        'the trace ends in the middle of a line: the file is truncated',
      );
    }
  }

  private tooLong(): never {
    throw new TraceFormatError(
      this.path,
      this.lines + 1,
      `the line is longer than ${MAX_TRACE_LINE_BYTES} bytes: this is not a lackey trace`,
    );
  }

  private fail(what: string): never {
    throw new TraceFormatError(this.path, this.lines, what);
  }

  private line(bytes: Buffer, start: number, end: number): void {
    this.lines += 1;
    if (end > start && bytes[end - 1] === CHAR_RETURN) end -= 1;
    const first = bytes[start];
    // Valgrind's own log lines: "==PID== ..." and "--PID-- ...".
    if ((first === CHAR_EQUALS || first === CHAR_DASH) && bytes[start + 1] === first) return;
    if (end - start < 6 || bytes[start + 2] !== CHAR_SPACE) this.fail(`the line ${NOT_A_RECORD}`);
    const second = bytes[start + 1];
    let kind: 'instruction' | 'load' | 'store' | 'modify';
    if (first === 0x49 && second === CHAR_SPACE) kind = 'instruction';
    else if (first === CHAR_SPACE && second === 0x4c) kind = 'load';
    else if (first === CHAR_SPACE && second === 0x53) kind = 'store';
    else if (first === CHAR_SPACE && second === 0x4d) kind = 'modify';
    else this.fail(`the line ${NOT_A_RECORD}`);
    let position = start + 3;
    let address = 0;
    let digits = 0;
    for (; position < end && bytes[position] !== CHAR_COMMA; position += 1) {
      const value = hexValue(bytes[position]!);
      if (value < 0) this.fail('the address is not hexadecimal');
      address = address * 16 + value;
      digits += 1;
    }
    if (digits === 0 || digits > 13 || position >= end) {
      this.fail('expected a hexadecimal address of 1 to 13 digits, a comma and a size');
    }
    let size = 0;
    for (position += 1; position < end; position += 1) {
      const byte = bytes[position]!;
      if (byte < 0x30 || byte > 0x39 || size > MAX_ACCESS_BYTES) {
        this.fail(`the size after the comma must be a whole number of bytes from 1 to ${MAX_ACCESS_BYTES}`);
      }
      size = size * 10 + (byte - 0x30);
    }
    if (size === 0 || size > MAX_ACCESS_BYTES) {
      this.fail(`the size after the comma must be a whole number of bytes from 1 to ${MAX_ACCESS_BYTES}`);
    }
    this.counts[kind] += 1;
    const firstPage = Math.floor(address / this.pageSizeBytes);
    const lastPage = Math.floor((address + size - 1) / this.pageSizeBytes);
    const write = kind === 'store' || kind === 'modify' ? TRACE_WRITE : 0;
    for (let page = firstPage; page <= lastPage; page += 1) {
      // The instruction is counted once, with the first page it touches.
      this.touch(page, kind === 'instruction' && page === firstPage ? 1 : 0, write, kind === 'store');
    }
  }

  private touch(page: number, instructions: number, write: number, store: boolean): void {
    const records = this.records;
    if (page === this.currentPage) {
      records.addToLast(instructions, write);
      return;
    }
    this.currentPage = page;
    let index = this.pageIndex.get(page);
    if (index === undefined) {
      if (this.pageNumbers.length >= MAX_TRACE_PAGES) {
        throw new TraceLimitError(
          this.path,
          `the trace touches more than ${MAX_TRACE_PAGES.toLocaleString('en-US')} distinct pages (line ${this.lines}): ` +
            'import it at a larger page size, or trace a shorter run',
        );
      }
      index = this.pageNumbers.length;
      this.pageIndex.set(page, index);
      this.pageNumbers.push(page);
    }
    if (records.length >= MAX_TRACE_RECORDS) {
      throw new TraceLimitError(
        this.path,
        `the trace makes more than ${MAX_TRACE_RECORDS.toLocaleString('en-US')} page references (line ${this.lines}): ` +
          'import it at a larger page size, or trace a shorter run',
      );
    }
    records.push(index, instructions, write | (store ? TRACE_FIRST_IS_STORE : 0));
  }

  /** The distinct pages sorted by address, and the records renumbered to match, in place. */
  result(): ParsedTrace {
    const order = this.pageNumbers
      .map((_, index) => index)
      .sort((a, b) => this.pageNumbers[a]! - this.pageNumbers[b]!);
    const rank = new Uint32Array(order.length);
    order.forEach((index, position) => (rank[index] = position));
    const chunks = this.records.filled();
    for (const { references } of chunks) {
      for (let i = 0; i < references.length; i += 1) references[i] = rank[references[i]!]!;
    }
    return {
      pages: Float64Array.from(order, (index) => this.pageNumbers[index]!),
      chunks,
      records: this.records.length,
    };
  }
}
