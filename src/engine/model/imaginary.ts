import type { ProcessBody, SimEvent } from '../kernel/simulation';
import type { Host } from './cluster';
import type { Port, MemoryRegion } from './ports';
import { AMap } from './amap';

/** A page an imaginary segment still owes: its contents and where it sits on the backer's host. */
export interface OwedPage {
  content: number;
  frameKey: number;
}

/** Body of an Imaginary Read Request. */
export interface ReadRequest {
  segmentId: number;
  offset: number;
}

/** Body of an Imaginary Read Reply: the segment pages carried, faulted page first. */
export interface ReadReply {
  segmentId: number;
  offsets: number[];
}

/**
 * The data behind an IOU, kept by whoever backs the segment (a NetMessageServer
 * that cached a message's RealMem, or a MigrationManager). A reply carries the
 * faulted page and up to `prefetch` following pages that are still owed.
 */
export class ImaginaryBacker {
  /** When the backer stopped owing anything (every page sent, or the segment died); null while it owes. */
  releasedAt: number | null = null;
  /** Segment offset of the last faulted page: where adaptive pre-paging pushes from. */
  lastFaultOffset = 0;
  private releaseWaiters: SimEvent<null>[] = [];

  constructor(
    readonly host: Host,
    private readonly owed: Map<number, OwedPage>,
    readonly prefetch: number,
  ) {
    if (owed.size === 0) this.releasedAt = host.sim.now;
  }

  get owedPages(): number {
    return this.owed.size;
  }

  owes(offset: number): boolean {
    return this.owed.has(offset);
  }

  /** Fires when the backer owes nothing more. */
  whenReleased(): SimEvent<null> {
    const event = this.host.sim.event<null>();
    if (this.releasedAt !== null) event.succeed(null);
    else this.releaseWaiters.push(event);
    return event;
  }

  private markReleasedIfEmpty(): void {
    if (this.owed.size > 0 || this.releasedAt !== null) return;
    this.releasedAt = this.host.sim.now;
    for (const waiter of this.releaseWaiters.splice(0)) waiter.succeed(null);
  }

  /** The owed offsets in order, built at the first push; see `nextOwed`. */
  private pushOrder: PushOrder | null = null;

  /**
   * Adaptive pre-paging (Hines and Gopalan): up to `count` owed pages nearest the last fault,
   * alternately after and before it, taken off the owed set to be pushed.
   */
  takeForPush(count: number): { offsets: number[]; pages: OwedPage[] } {
    this.pushOrder ??= new PushOrder([...this.owed.keys()].sort((a, b) => a - b));
    const order = this.pushOrder;
    const owed = (offset: number): boolean => this.owed.has(offset);
    const pivot = order.firstAtOrAfter(this.lastFaultOffset);
    let after = order.nextOwed(pivot, 1, owed);
    let before = order.nextOwed(pivot - 1, -1, owed);
    const offsets: number[] = [];
    while (offsets.length < count && (after !== -1 || before !== -1)) {
      if (after !== -1) {
        offsets.push(order.offsets[after]!);
        after = order.nextOwed(after + 1, 1, owed);
      }
      if (offsets.length < count && before !== -1) {
        offsets.push(order.offsets[before]!);
        before = order.nextOwed(before - 1, -1, owed);
      }
    }
    const pages = offsets.map((offset) => {
      const page = this.owed.get(offset)!;
      this.owed.delete(offset);
      return page;
    });
    return { offsets, pages };
  }

  /** Call once pushed pages have left: the backer may be empty now. */
  pushed(): void {
    this.markReleasedIfEmpty();
  }

  /** Read the faulted page and its prefetch from memory or the local disk. */
  *read(offset: number): ProcessBody<{ offsets: number[]; region: MemoryRegion }> {
    const host = this.host;
    const hardware = host.cluster.hardware;
    const offsets: number[] = [];
    this.lastFaultOffset = offset;
    if (this.owed.has(offset)) offsets.push(offset);
    for (let next = offset + 1; next <= offset + this.prefetch; next += 1) {
      if (this.owed.has(next)) offsets.push(next);
    }
    const region: MemoryRegion = {
      amap: new AMap(),
      length: offsets.length,
      contents: new Map(),
      frameKeys: new Map(),
      objects: 1,
    };
    let diskMs = 0;
    offsets.forEach((owedOffset, index) => {
      const page = this.owed.get(owedOffset)!;
      this.owed.delete(owedOffset);
      if (!host.memory.touch(page.frameKey)) {
        // One request for the whole reply: a seek for the first page, a transfer for the rest.
        diskMs += diskMs === 0 ? hardware.disk.randomReadMs : hardware.disk.transferMsPerPage;
        host.memory.admit(page.frameKey);
      }
      region.contents.set(index, page.content);
      region.frameKeys.set(index, page.frameKey);
    });
    if (offsets.length > 0) region.amap.set(0, offsets.length, 'RealMem');
    if (diskMs > 0) {
      yield host.disk.request();
      yield host.sim.timeout(diskMs / 1000);
      host.disk.release();
    }
    this.markReleasedIfEmpty();
    return { offsets, region };
  }

  /** Segment death: nothing more will be asked, the cached data can go. */
  release(): void {
    for (const page of this.owed.values()) this.host.memory.drop(page.frameKey);
    this.owed.clear();
    this.markReleasedIfEmpty();
  }
}

/**
 * An imaginary segment: memory whose data is reached through IPC. It is
 * backed by a port; a stand-in segment (made by a NetMessageServer for a
 * remote one) forwards its faults to the original on another host.
 */
export class ImaginarySegment {
  dead = false;

  constructor(
    readonly id: number,
    readonly host: Host,
    readonly backingPort: Port,
    readonly length: number,
    readonly backer?: ImaginaryBacker,
    readonly standInFor?: { host: Host; segmentId: number },
  ) {}
}

/**
 * A segment's owed offsets in order, for pushing. Offsets leave the owed set (pushed, or faulted
 * in) and are skipped from then on: each position keeps a link to the next position in each
 * direction that may still be owed, shortened as it is followed (path compression), so a push
 * costs about the pages it takes, not a pass over every page still owed.
 */
class PushOrder {
  /** Toward higher and lower positions: a position that may still be owed (itself, if it is). */
  private readonly up: Int32Array;
  private readonly down: Int32Array;

  constructor(readonly offsets: readonly number[]) {
    this.up = Int32Array.from(offsets, (_, index) => index);
    this.down = Int32Array.from(offsets, (_, index) => index);
  }

  /** The first position whose offset is at or after `offset` (the length if none). */
  firstAtOrAfter(offset: number): number {
    let low = 0;
    let high = this.offsets.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.offsets[mid]! < offset) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** The nearest position from `from` in direction `step` (1 or -1) still owed; -1 if none. */
  nextOwed(from: number, step: 1 | -1, owed: (offset: number) => boolean): number {
    const links = step === 1 ? this.up : this.down;
    const end = step === 1 ? this.offsets.length : -1;
    let position = from;
    while (position !== end) {
      const link = links[position]!;
      if (link !== position) position = link;
      else if (owed(this.offsets[position]!)) break;
      else position = links[position] = position + step;
    }
    // Shorten the links followed, so the next search jumps straight here.
    for (let at = from; at !== position;) {
      const link = links[at]!;
      links[at] = position;
      at = link;
    }
    return position === end ? -1 : position;
  }
}
