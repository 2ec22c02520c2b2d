import type { ProcessBody, SimEvent } from '../kernel/simulation';
import { recordArrival } from './metrics';
import type { AddressSpace } from './addressSpace';
import type { Host } from './cluster';
import type { ReadReply } from './imaginary';
import { pageKey } from './memory';
import type { MemoryRegion, Message } from './ports';

/** Touching BadMem: a true addressing error (Accent invokes the debugger). */
export class AddressingError extends Error {
  constructor(
    readonly page: number,
    readonly processName: string,
    readonly pageSizeBytes: number,
  ) {
    super(
      `addressing error: ${processName} touched page ${page} (address 0x${(page * pageSizeBytes).toString(16)}), ` +
        'which is BadMem (never validated)',
    );
    this.name = 'AddressingError';
  }
}

export type FaultKind = 'fill-zero' | 'disk' | 'imaginary';

export interface FaultOutcome {
  kind: FaultKind;
  /** Pages that arrived with an imaginary fault besides the faulted one (prefetch). */
  prefetched: number[];
}

/**
 * The Pager/Scheduler of a host: resolves the page faults of the processes
 * running there, by the faulted page's AMap distance (section 2.3).
 */
export class Pager {
  /**
   * Set while owed pages are being pushed to this host (post-copy): a fault whose page is already
   * on its way waits for the push to deliver it instead of asking again.
   */
  pushedPageArrival: ((space: AddressSpace, page: number) => SimEvent<null>) | null = null;

  constructor(readonly host: Host) {}

  *fault(space: AddressSpace, page: number, processName: string): ProcessBody<FaultOutcome> {
    const host = this.host;
    const sim = host.sim;
    const hardware = host.cluster.hardware;
    const counters = host.cluster.counters;
    const started = sim.now;
    const distance = space.amap.distanceOf(page);
    switch (distance) {
      case 'BadMem':
        throw new AddressingError(page, processName, space.pageSizeBytes);
      case 'RealZeroMem': {
        // FillZero: reserve a frame and zero it; the disk is never consulted.
        yield sim.timeout((hardware.cpu.faultOverheadMs + hardware.cpu.fillZeroMs) / 1000);
        const frameKey = pageKey(space.objectId, page);
        space.amap.set(page, page + 1, 'RealMem');
        space.pages.set(page, { content: 0, frameKey });
        host.memory.admit(frameKey);
        counters.fillZeroFaults += 1;
        return { kind: 'fill-zero', prefetched: [] };
      }
      case 'RealMem': {
        yield sim.timeout(hardware.cpu.faultOverheadMs / 1000);
        yield host.disk.request();
        yield sim.timeout(hardware.disk.randomReadMs / 1000);
        host.disk.release();
        host.memory.admit(space.pages.get(page)!.frameKey);
        counters.diskFaults += 1;
        counters.diskFaultSeconds += sim.now - started;
        return { kind: 'disk', prefetched: [] };
      }
      case 'ImagMem':
        return yield* this.imaginaryFault(space, page, started);
    }
  }

  /** Send an Imaginary Read Request to the backing port and map in what the reply carries. */
  private *imaginaryFault(space: AddressSpace, page: number, started: number): ProcessBody<FaultOutcome> {
    const host = this.host;
    const sim = host.sim;
    const cluster = host.cluster;
    const hardware = cluster.hardware;
    const backing = space.amap.backingOf(page)!;
    const segment = cluster.segment(backing.segmentId);
    const replyPort = host.createPort('pager.reply');
    yield sim.timeout((hardware.cpu.faultOverheadMs + hardware.cpu.imaginaryFaultOverheadMs) / 1000);
    const request = cluster.message({
      kind: 'imaginary-read-request',
      noIOUs: true,
      inlineBytes: hardware.ipc.imaginaryRequestBytes,
      portRights: 0,
      traffic: 'fault',
      replyPort,
      body: { segmentId: segment.id, offset: backing.offset },
    });
    host.send(request, segment.backingPort);
    const reply = (yield replyPort.receive()) as Message;
    const { offsets } = reply.body as ReadReply;
    const region = reply.memory!;
    if (offsets[0] !== backing.offset && this.pushedPageArrival) {
      // The backer had already pushed the page; it is on the wire.
      yield this.pushedPageArrival(space, page);
    } else if (offsets[0] !== backing.offset) {
      throw new Error(`imaginary read reply for page ${page} did not carry it (segment ${segment.id})`);
    }
    const prefetched: number[] = [];
    offsets.forEach((offset, index) => {
      const target = mapArrivedPage(host, space, segment.id, offset, region, index);
      if (target !== undefined && target !== page) prefetched.push(target);
    });
    yield sim.timeout((hardware.cpu.mapPageMs * offsets.length) / 1000);
    cluster.counters.imaginaryFaults += 1;
    cluster.counters.imaginaryFaultSeconds += sim.now - started;
    cluster.counters.remoteFaultSeconds.push(sim.now - started);
    cluster.counters.prefetchedPages += prefetched.length;
    return { kind: 'imaginary', prefetched };
  }
}

/**
 * Map in page `index` of an arrived region, segment page `offset` of `segmentId`, where the space
 * still maps it imaginary: it becomes RealMem in a frame of `host`. Returns the process page, or
 * undefined when the page is not (or no longer) owed there.
 */
export function mapArrivedPage(
  host: Host,
  space: AddressSpace,
  segmentId: number,
  offset: number,
  region: MemoryRegion,
  index: number,
): number | undefined {
  const page = space.pageForSegmentOffset(segmentId, offset);
  if (page === undefined || space.amap.distanceOf(page) !== 'ImagMem') return undefined;
  const frameKey = region.frameKeys.get(index)!;
  space.amap.set(page, page + 1, 'RealMem');
  space.pages.set(page, { content: region.contents.get(index)!, frameKey });
  host.memory.admit(frameKey);
  recordArrival(host.cluster.counters, page, host.sim.now);
  return page;
}
