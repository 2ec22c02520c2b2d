import { AMap } from './amap';
import type { AMapRange } from './amap';

/** A RealMem page's contents and the frame key that says where it lives in memory. */
export interface PageState {
  content: number;
  frameKey: number;
}

/** A run of an imaginary segment mapped at a run of process pages. */
interface SegmentMapping {
  segmentId: number;
  offset: number;
  page: number;
  length: number;
}

/**
 * A process address space: its AMap, and per-page state only for pages that
 * are real (never for RealZeroMem, so a 4 GB Lisp space stays small).
 */
export class AddressSpace {
  readonly amap = new AMap();
  readonly pages = new Map<number, PageState>();
  /** For each imaginary segment mapped here, where its pages sit (to place prefetched pages). */
  private readonly segmentMappings = new Map<number, SegmentMapping[]>();

  constructor(
    /** Memory object id, also the high part of this space's frame keys. */
    readonly objectId: number,
    readonly pageSizeBytes: number,
  ) {}

  /** Record that segment pages [offset, offset+length) are mapped at process pages from `page`. */
  mapSegment(segmentId: number, offset: number, page: number, length: number): void {
    let list = this.segmentMappings.get(segmentId);
    if (!list) {
      list = [];
      this.segmentMappings.set(segmentId, list);
    }
    const last = list[list.length - 1];
    if (last && last.offset + last.length === offset && last.page + last.length === page) {
      last.length += length;
    } else {
      list.push({ segmentId, offset, page, length });
    }
  }

  /** The process page where a segment page is mapped, if any. Mappings are in offset order. */
  pageForSegmentOffset(segmentId: number, offset: number): number | undefined {
    const list = this.segmentMappings.get(segmentId);
    if (!list) return undefined;
    let low = 0;
    let high = list.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const mapping = list[mid]!;
      if (offset < mapping.offset) high = mid - 1;
      else if (offset >= mapping.offset + mapping.length) low = mid + 1;
      else return mapping.page + (offset - mapping.offset);
    }
    return undefined;
  }

  segmentIds(): number[] {
    return [...this.segmentMappings.keys()];
  }

  /** Sizes in pages by distance: the composition of Table 4-1. */
  composition(): { realPages: number; realZeroPages: number; imaginaryPages: number; amapEntries: number } {
    return {
      realPages: this.amap.countPages('RealMem'),
      realZeroPages: this.amap.countPages('RealZeroMem'),
      imaginaryPages: this.amap.countPages('ImagMem'),
      amapEntries: this.amap.size,
    };
  }

  static fromRanges(objectId: number, pageSizeBytes: number, ranges: readonly AMapRange[]): AddressSpace {
    const space = new AddressSpace(objectId, pageSizeBytes);
    for (const range of ranges) space.amap.set(range.start, range.end, range.distance, range.backing);
    return space;
  }
}
