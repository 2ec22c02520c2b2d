import type { ProcessBody } from '../kernel/simulation';
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
  constructor(
    readonly host: Host,
    private readonly owed: Map<number, OwedPage>,
    readonly prefetch: number,
  ) {}

  get owedPages(): number {
    return this.owed.size;
  }

  /** Read the faulted page and its prefetch from memory or the local disk. */
  *read(offset: number): ProcessBody<{ offsets: number[]; region: MemoryRegion }> {
    const host = this.host;
    const hardware = host.cluster.hardware;
    const offsets: number[] = [];
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
    return { offsets, region };
  }

  /** Segment death: nothing more will be asked, the cached data can go. */
  release(): void {
    for (const page of this.owed.values()) this.host.memory.drop(page.frameKey);
    this.owed.clear();
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
