/**
 * Accessibility map (AMap): the address space as sorted, non-overlapping page
 * ranges, each with one of the paper's accessibility distances. Anything not
 * covered by a range is BadMem (never validated). Ranges are kept merged, so a
 * 4 GB Lisp space that is nearly all RealZeroMem costs a handful of entries.
 */

export type Distance = 'RealZeroMem' | 'RealMem' | 'ImagMem' | 'BadMem';

/** Where an ImagMem range's data lives: a page offset into an imaginary segment. */
export interface ImaginaryBacking {
  segmentId: number;
  /** Segment page that backs the range's first page. */
  offset: number;
}

export interface AMapRange {
  /** First page (inclusive). */
  start: number;
  /** Page after the last (exclusive). */
  end: number;
  distance: Exclude<Distance, 'BadMem'>;
  backing?: ImaginaryBacking;
}

function canMerge(left: AMapRange, right: AMapRange): boolean {
  if (left.end !== right.start || left.distance !== right.distance) return false;
  if (left.distance !== 'ImagMem') return true;
  return (
    left.backing!.segmentId === right.backing!.segmentId &&
    left.backing!.offset + (left.end - left.start) === right.backing!.offset
  );
}

/** The part of `range` from `from` to `to`, with its backing offset moved along. */
function slice(range: AMapRange, from: number, to: number): AMapRange {
  const part: AMapRange = { start: from, end: to, distance: range.distance };
  if (range.backing) {
    part.backing = {
      segmentId: range.backing.segmentId,
      offset: range.backing.offset + (from - range.start),
    };
  }
  return part;
}

export class AMap {
  private entries: AMapRange[] = [];

  /** Number of ranges (AMap entries); excision cost grows with it. */
  get size(): number {
    return this.entries.length;
  }

  ranges(): readonly AMapRange[] {
    return this.entries;
  }

  /** Index of the range holding `page`, or -1. */
  private indexOf(page: number): number {
    let low = 0;
    let high = this.entries.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const range = this.entries[mid]!;
      if (page < range.start) high = mid - 1;
      else if (page >= range.end) low = mid + 1;
      else return mid;
    }
    return -1;
  }

  /** First index whose range ends after `page`. */
  private firstEndingAfter(page: number): number {
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.entries[mid]!.end <= page) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  lookup(page: number): AMapRange | undefined {
    const index = this.indexOf(page);
    return index < 0 ? undefined : this.entries[index];
  }

  distanceOf(page: number): Distance {
    return this.lookup(page)?.distance ?? 'BadMem';
  }

  /** Segment page backing an ImagMem page. */
  backingOf(page: number): ImaginaryBacking | undefined {
    const range = this.lookup(page);
    if (!range?.backing) return undefined;
    return { segmentId: range.backing.segmentId, offset: range.backing.offset + (page - range.start) };
  }

  /**
   * Give pages [start, end) one distance, splitting and merging neighbours.
   * 'BadMem' removes the pages (invalidates them).
   */
  set(start: number, end: number, distance: Distance, backing?: ImaginaryBacking): void {
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start) {
      throw new Error(`invalid AMap range [${start}, ${end})`);
    }
    if (start === end) return;
    if (distance === 'ImagMem' && !backing) throw new Error('an ImagMem range needs a backing segment');
    const first = this.firstEndingAfter(start);
    let last = first;
    const replacement: AMapRange[] = [];
    while (last < this.entries.length && this.entries[last]!.start < end) {
      const range = this.entries[last]!;
      if (range.start < start) replacement.push(slice(range, range.start, start));
      if (range.end > end) replacement.push(slice(range, end, range.end));
      last += 1;
    }
    if (distance !== 'BadMem') {
      const inserted: AMapRange = { start, end, distance };
      if (backing) inserted.backing = { ...backing };
      // Keep order: pieces left of `start`, the new range, pieces right of `end`.
      const left = replacement.filter((r) => r.end <= start);
      const right = replacement.filter((r) => r.start >= end);
      replacement.length = 0;
      replacement.push(...left, inserted, ...right);
    }
    this.entries.splice(first, last - first, ...replacement);
    this.mergeAround(first, replacement.length);
  }

  private mergeAround(from: number, count: number): void {
    let index = Math.max(0, from - 1);
    const stop = Math.min(this.entries.length - 1, from + count);
    let checked = stop - index;
    while (checked > 0 && index < this.entries.length - 1) {
      const left = this.entries[index]!;
      const right = this.entries[index + 1]!;
      if (canMerge(left, right)) {
        left.end = right.end;
        this.entries.splice(index + 1, 1);
      } else {
        index += 1;
      }
      checked -= 1;
    }
  }

  /** Pages of each distance (BadMem is not counted: it is not part of the space). */
  countPages(distance: Exclude<Distance, 'BadMem'>): number {
    let pages = 0;
    for (const range of this.entries) if (range.distance === distance) pages += range.end - range.start;
    return pages;
  }

  /** Every page of a distance, in address order (use only for RealMem/ImagMem, never RealZero). */
  *pagesOf(distance: 'RealMem' | 'ImagMem'): Generator<number> {
    for (const range of this.entries) {
      if (range.distance !== distance) continue;
      for (let page = range.start; page < range.end; page += 1) yield page;
    }
  }

  clone(): AMap {
    const copy = new AMap();
    copy.entries = this.entries.map((range) => slice(range, range.start, range.end));
    return copy;
  }

  static fromRanges(ranges: readonly AMapRange[]): AMap {
    const amap = new AMap();
    for (const range of ranges) amap.set(range.start, range.end, range.distance, range.backing);
    return amap;
  }
}
