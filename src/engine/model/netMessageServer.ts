import { Resource } from '../kernel/resource';
import type { ProcessBody, SimEvent } from '../kernel/simulation';
import { AMap } from './amap';
import type { Host } from './cluster';
import { ImaginaryBacker, ImaginarySegment } from './imaginary';
import type { OwedPage, ReadRequest } from './imaginary';
import { pageKey } from './memory';
import type { MemoryRegion, Message, Port } from './ports';

interface Fragment {
  /** Bytes of the message stream (message header, in-line data, pages) in this fragment. */
  streamBytes: number;
  /** Of the packet's bytes, how many are headers (packet header, and the message header in the first). */
  headerBytes: number;
  /** Region pages whose data starts in this fragment. */
  pages: number[];
  /** In-line bytes to count when this fragment is on the wire (all in the first). */
  inlineBytes: number;
}

/** AMap entries are described on the wire in this many bytes each. */
export const AMAP_ENTRY_BYTES = 8;

/**
 * The NetMessageServer of one host (section 2.4): it carries messages to
 * ports on other hosts, fragmenting and reassembling them; ships RealMem
 * physically; creates local stand-ins for remote imaginary objects; and, unless
 * the NoIOUs bit is set, may cache a message's RealMem and pass an IOU instead,
 * becoming the backer that answers the imaginary faults on it.
 */
export class NetMessageServer {
  /** The server is one thread: its busy time is this host's message-handling time. */
  readonly thread: Resource;
  readonly port: Port;
  /**
   * Processor time spent handling messages while the trial is measured: the
   * message-handling time of Figure 4-4. Waiting for the disk is not in it.
   */
  cpuSeconds = 0;

  constructor(readonly host: Host) {
    this.thread = new Resource(host.sim, `${host.name}.nms`);
    this.port = host.createPort(`${host.name}.NetMessageServer`);
  }

  /** Spend `ms` of this server's processor time on message handling. */
  work(ms: number): SimEvent<null> {
    if (this.host.cluster.counters.open) this.cpuSeconds += ms / 1000;
    return this.host.sim.timeout(ms / 1000);
  }

  private get hardware() {
    return this.host.cluster.hardware;
  }

  start(): void {
    this.host.sim.process(this.serve(), `${this.host.name}.nms.server`);
  }

  private *serve(): ProcessBody<void> {
    for (;;) this.handle((yield this.port.receive()) as Message);
  }

  private handle(message: Message): void {
    const sim = this.host.sim;
    const cluster = this.host.cluster;
    if (message.kind === 'imaginary-read-request') {
      const request = message.body as ReadRequest;
      const segment = cluster.segment(request.segmentId);
      if (segment.standInFor) {
        const original = segment.standInFor;
        const forward = cluster.message({
          ...message,
          body: { segmentId: original.segmentId, offset: request.offset } satisfies ReadRequest,
        });
        sim.process(this.transmit(forward, original.host.nms.port), 'forward read request');
      } else if (segment.backer && segment.backingPort === this.port) {
        sim.process(this.serveRead(segment, request, message.replyPort!), 'serve read request');
      } else {
        this.host.send(message, segment.backingPort);
      }
      return;
    }
    if (message.kind === 'imaginary-segment-death') {
      const segmentId = message.body as number;
      const segment = cluster.segment(segmentId);
      segment.dead = true;
      if (segment.standInFor) {
        const notice = cluster.message({ ...message, body: segment.standInFor.segmentId });
        sim.process(this.transmit(notice, segment.standInFor.host.nms.port), 'forward segment death');
      } else if (segment.backer && segment.backingPort === this.port) {
        segment.backer.release();
      } else {
        this.host.send(message, segment.backingPort);
      }
      return;
    }
    throw new Error(`${this.host.name} NetMessageServer got an unexpected ${message.kind} message`);
  }

  /** Answer an imaginary fault on data this server cached (pure-IOU). */
  private *serveRead(segment: ImaginarySegment, request: ReadRequest, replyPort: Port): ProcessBody<void> {
    yield this.thread.request();
    const { offsets, region } = yield* segment.backer!.read(request.offset);
    this.thread.release();
    const reply = readReply(this.host, segment.id, offsets, region);
    if (replyPort.host === this.host) replyPort.enqueue(reply);
    else yield* this.transmit(reply, replyPort);
  }

  /** Carry a message to a port on another host; returns when it is on that port's queue. */
  *transmit(message: Message, target: Port): ProcessBody<void> {
    const source = this.host;
    const destination = target.host;
    const sim = source.sim;
    const hardware = this.hardware;
    const nms = hardware.netMessageServer;
    const counters = source.cluster.counters;
    const region = message.memory;

    // Sender side: message bookkeeping, port rights, and (unless NoIOUs) caching RealMem behind an IOU.
    yield this.thread.request();
    let ms = nms.messageMs + message.portRights * nms.portRightMs;
    if (region) {
      if (!message.noIOUs && this.shouldCache(region)) {
        this.cacheAsIou(region, message.iouPrefetch ?? 0);
        ms += nms.imaginaryObjectMs * region.objects;
      }
    }
    yield this.work(ms);
    this.thread.release();
    counters.recordMessage(source.name);

    // A message is counted whole or not at all: by whether counting was on when it set out.
    const counted = counters.open;
    if (counted) counters.inFlight += 1;
    const fragments = this.layoutFragments(message);
    const pieces = region ? piecesByFragment(region, fragments) : [];
    const deliveries = [];
    for (const [index, fragment] of fragments.entries()) {
      yield this.thread.request();
      // Each switch between shipped and owed data is a range whose accessibility the kernel looks
      // up in its VM tables as the stream reaches it (section 4.3.1: costly for ranges): VM work
      // that paces the sender, charged as the data moves, and not message handling.
      const pieceMs = nms.pieceMs * (pieces[index] ?? 0);
      if (pieceMs > 0) yield sim.timeout(pieceMs / 1000);
      const fragmentMs = nms.fragmentMs + nms.pageSendMs * fragment.pages.length;
      let diskMs = 0;
      for (const page of fragment.pages) {
        const key = region!.frameKeys.get(page)!;
        if (!source.memory.touch(key)) {
          diskMs += hardware.disk.clusteredReadMsPerPage; // read in one sweep with its neighbours
          source.memory.admit(key);
        }
      }
      if (diskMs > 0) {
        yield source.disk.request();
        yield sim.timeout(diskMs / 1000);
        source.disk.release();
      }
      yield this.work(fragmentMs);
      this.thread.release();
      deliveries.push(sim.process(this.carry(message, fragment, destination, counted), 'fragment'));
    }
    yield sim.allOf(deliveries);

    // Receiver side: reassembly done; stand-ins for imaginary parts and port rights.
    const receiver = destination.nms;
    yield receiver.thread.request();
    let receiveMs = nms.messageMs + message.portRights * nms.portRightMs;
    if (region && region.amap.countPages('ImagMem') > 0) {
      receiver.createStandIns(region, source);
      receiveMs += nms.imaginaryObjectMs * region.objects;
    }
    yield receiver.work(receiveMs);
    receiver.thread.release();
    counters.recordMessage(destination.name);
    if (region && counted) {
      const shipped = region.amap.countPages('RealMem');
      if (message.traffic === 'fault') counters.pagesDeliveredByFaults += shipped;
      else counters.pagesShippedAtMigration += shipped;
    }
    message.shippedFrom = source.name;
    if (counted) counters.messageDone();
    target.enqueue(message);
  }

  /** One fragment over the Ethernet and through the receiver's reassembly. */
  private *carry(
    message: Message,
    fragment: Fragment,
    destination: Host,
    counted: boolean,
  ): ProcessBody<void> {
    const sim = this.host.sim;
    const hardware = this.hardware;
    const cluster = this.host.cluster;
    const bytes = fragment.streamBytes + hardware.network.packetHeaderBytes;
    yield cluster.link.request();
    yield sim.timeout((bytes * 8) / hardware.network.bitsPerSecond);
    if (counted) {
      cluster.counters.recordPacket(sim.now, bytes, fragment.headerBytes, message.traffic);
      cluster.counters.bytesInline += fragment.inlineBytes;
      cluster.counters.bytesPageData += fragment.pages.length * hardware.pageSizeBytes;
    }
    cluster.link.release();
    yield sim.timeout(hardware.network.latencyMs / 1000);
    const receiver = destination.nms;
    yield receiver.thread.request();
    const ms =
      hardware.netMessageServer.fragmentMs + hardware.netMessageServer.pageReceiveMs * fragment.pages.length;
    yield receiver.work(ms);
    // Pages land in the reassembly buffer, in the receiver's memory.
    const region = message.memory;
    if (region) {
      for (const page of fragment.pages) {
        const key = pageKey(receiver.bufferObjectId(message), page);
        region.frameKeys.set(page, key);
        destination.memory.admit(key);
      }
    }
    receiver.thread.release();
  }

  private readonly buffers = new Map<number, number>();

  /** The memory object of the reassembly buffer of a message. */
  bufferObjectId(message: Message): number {
    let id = this.buffers.get(message.id);
    if (id === undefined) {
      id = this.host.cluster.nextId();
      this.buffers.set(message.id, id);
    }
    return id;
  }

  private shouldCache(region: MemoryRegion): boolean {
    const realBytes = region.amap.countPages('RealMem') * this.hardware.pageSizeBytes;
    return realBytes > 0 && realBytes >= this.hardware.ipc.copyThresholdBytes;
  }

  /**
   * Keep the region's RealMem here and replace it with an imaginary segment this server backs,
   * each fault reply carrying up to `prefetch` owed pages beyond the faulted one.
   */
  private cacheAsIou(region: MemoryRegion, prefetch: number): void {
    const cluster = this.host.cluster;
    const owed = new Map<number, OwedPage>();
    for (const page of region.amap.pagesOf('RealMem')) {
      owed.set(page, { content: region.contents.get(page)!, frameKey: region.frameKeys.get(page)! });
    }
    const backer = new ImaginaryBacker(this.host, owed, prefetch);
    const segment = new ImaginarySegment(cluster.nextId(), this.host, this.port, region.length, backer);
    cluster.registerSegment(segment);
    const realRanges = region.amap.ranges().filter((range) => range.distance === 'RealMem');
    for (const range of realRanges.map((r) => ({ ...r }))) {
      region.amap.set(range.start, range.end, 'ImagMem', { segmentId: segment.id, offset: range.start });
    }
    for (const page of owed.keys()) {
      region.contents.delete(page);
      region.frameKeys.delete(page);
    }
  }

  /** Make local stand-in segments for the region's remote imaginary segments. */
  createStandIns(region: MemoryRegion, origin: Host): void {
    const cluster = this.host.cluster;
    const standIns = new Map<number, number>();
    const rewritten = new AMap();
    for (const range of region.amap.ranges()) {
      if (range.distance !== 'ImagMem') {
        rewritten.set(range.start, range.end, range.distance);
        continue;
      }
      const originalId = range.backing!.segmentId;
      let localId = standIns.get(originalId);
      if (localId === undefined) {
        const original = cluster.segment(originalId);
        const standIn = new ImaginarySegment(
          cluster.nextId(),
          this.host,
          this.port,
          original.length,
          undefined,
          {
            host: origin,
            segmentId: originalId,
          },
        );
        cluster.registerSegment(standIn);
        localId = standIn.id;
        standIns.set(originalId, localId);
      }
      rewritten.set(range.start, range.end, 'ImagMem', { segmentId: localId, offset: range.backing!.offset });
    }
    region.amap = rewritten;
  }

  private layoutFragments(message: Message): Fragment[] {
    const hardware = this.hardware;
    const region = message.memory;
    const pageSize = hardware.pageSizeBytes;
    const realPages = region ? [...region.amap.pagesOf('RealMem')] : [];
    const inlineBytes = message.inlineBytes + (region ? AMAP_ENTRY_BYTES * region.amap.size : 0);
    const prefix = hardware.ipc.messageHeaderBytes + inlineBytes;
    const payload = prefix + realPages.length * pageSize;
    const max = hardware.network.maxFragmentPayloadBytes;
    const count = Math.max(1, Math.ceil(payload / max));
    const fragments: Fragment[] = [];
    for (let index = 0; index < count; index += 1) {
      fragments.push({
        streamBytes: Math.min(max, payload - index * max),
        headerBytes:
          hardware.network.packetHeaderBytes +
          Math.max(0, Math.min(max, hardware.ipc.messageHeaderBytes - index * max)),
        pages: [],
        inlineBytes: index === 0 ? inlineBytes : 0,
      });
    }
    realPages.forEach((page, k) => {
      fragments[Math.floor((prefix + k * pageSize) / max)]!.pages.push(page);
    });
    return fragments;
  }
}

/**
 * How many pieces of `region` (each switch between shipped and owed data: AMap ranges after the
 * first) each fragment carries: a piece goes with the fragment holding the first shipped page at or
 * after its start, or with the last fragment when no shipped page follows it.
 */
export function piecesByFragment(region: MemoryRegion, fragments: readonly { pages: number[] }[]): number[] {
  const counts = fragments.map(() => 0);
  if (fragments.length === 0) return counts;
  const ranges = region.amap.ranges();
  let at = 0;
  for (let index = 1; index < ranges.length; index += 1) {
    const start = ranges[index]!.start;
    // Fragments carry pages in region order: move on past those whose pages all lie before start.
    while (at < fragments.length) {
      const pages = fragments[at]!.pages;
      if (pages.length > 0 && pages[pages.length - 1]! >= start) break;
      at += 1;
    }
    counts[Math.min(at, fragments.length - 1)]! += 1;
  }
  return counts;
}

/** Build an Imaginary Read Reply carrying `region` (always shipped physically). */
export function readReply(host: Host, segmentId: number, offsets: number[], region: MemoryRegion): Message {
  return host.cluster.message({
    kind: 'imaginary-read-reply',
    noIOUs: true,
    inlineBytes: host.cluster.hardware.ipc.imaginaryRequestBytes,
    portRights: 0,
    memory: region,
    traffic: 'fault',
    body: { segmentId, offsets },
  });
}
