import type { ProcessBody, SimEvent } from '../kernel/simulation';
import { AMap } from './amap';
import { AddressSpace } from './addressSpace';
import type { Host } from './cluster';
import { ImaginaryBacker, ImaginarySegment } from './imaginary';
import type { OwedPage } from './imaginary';
import { mapArrivedPage } from './pager';
import type { CoreBody, StagedPagesBody } from './migration';
import type { MemoryRegion, Message, Port } from './ports';

/**
 * The machinery of today's strategies (docs/model.md, "Beyond 1987"): pages staged at a host
 * ahead of the process (pre-copy rounds, a Sprite flush), a process rebuilt from its Core and
 * those pages, and owed pages pushed by their backer while the process runs (post-copy).
 */

/** A message carrying process pages to a MigrationManager that stages them. */
export function stagePagesMessage(host: Host, space: AddressSpace, pages: readonly number[]): Message {
  const region: MemoryRegion = {
    amap: new AMap(),
    length: pages.length,
    contents: new Map(),
    frameKeys: new Map(),
    objects: 1,
  };
  pages.forEach((page, index) => {
    const state = space.pages.get(page)!;
    region.contents.set(index, state.content);
    region.frameKeys.set(index, state.frameKey);
  });
  if (pages.length > 0) region.amap.set(0, pages.length, 'RealMem');
  return host.cluster.message({
    kind: 'stage-pages',
    noIOUs: true,
    inlineBytes: 0,
    portRights: 0,
    memory: region,
    traffic: 'other',
    body: { pages: [...pages] } satisfies StagedPagesBody,
  });
}

/** An imaginary segment on `host`, backed by its NetMessageServer, owing `owed` (offsets are process pages). */
export function owedSegment(host: Host, owed: Map<number, OwedPage>, prefetch: number): ImaginarySegment {
  const cluster = host.cluster;
  let length = 0;
  for (const page of owed.keys()) length = Math.max(length, page + 1);
  const segment = new ImaginarySegment(
    cluster.nextId(),
    host,
    host.nms.port,
    length,
    new ImaginaryBacker(host, owed, prefetch),
  );
  cluster.registerSegment(segment);
  return segment;
}

/**
 * Rebuild a process at `host` from its Core, the pages staged there, and (for the pages not
 * staged) a remote imaginary segment reached through a local stand-in. Costs are InsertProcess's.
 */
export function* insertLive(
  host: Host,
  core: Message,
  staged: ReadonlyMap<number, { content: number; frameKey: number }>,
  owed: ImaginarySegment | null,
): ProcessBody<{ name: string; space: AddressSpace; portRights: number; memoryObjects: number }> {
  const sim = host.sim;
  const cluster = host.cluster;
  const costs = cluster.hardware.insert;
  const body = core.body as CoreBody;
  const realPages = body.amap.countPages('RealMem');
  let ms = costs.fixedMs + costs.perEntryMs * body.amap.size + costs.perPageMs * realPages;
  let standIn: ImaginarySegment | null = null;
  if (owed) {
    // A stand-in for the remote segment, as the NetMessageServer makes for an IOU.
    standIn = new ImaginarySegment(cluster.nextId(), host, host.nms.port, owed.length, undefined, {
      host: owed.host,
      segmentId: owed.id,
    });
    cluster.registerSegment(standIn);
    ms += cluster.hardware.netMessageServer.imaginaryObjectMs;
  }
  yield sim.timeout(ms / 1000);
  const space = new AddressSpace(cluster.nextId(), cluster.hardware.pageSizeBytes);
  for (const range of body.amap.ranges()) {
    if (range.distance !== 'RealMem') {
      space.amap.set(range.start, range.end, range.distance, range.backing);
      continue;
    }
    for (let page = range.start; page < range.end; page += 1) {
      const copy = staged.get(page);
      if (copy && !owed?.backer?.owes(page)) {
        space.amap.set(page, page + 1, 'RealMem');
        space.pages.set(page, { content: copy.content, frameKey: copy.frameKey });
      } else if (standIn) {
        space.amap.set(page, page + 1, 'ImagMem', { segmentId: standIn.id, offset: page });
        space.mapSegment(standIn.id, page, page, 1);
      } else {
        throw new Error(`page ${page} of ${body.name} reached ${host.name} neither staged nor owed`);
      }
    }
  }
  return { name: body.name, space, portRights: body.portRights, memoryObjects: body.memoryObjects };
}

/** Body of a push message: the original segment and the offsets its pages are, in region order. */
interface PushBody {
  segmentId: number;
  offsets: number[];
}

/**
 * Active push with adaptive pre-paging: the backer sends its owed pages, those nearest the last
 * fault first, `perMessage` to a message and up to `window` messages in flight, until it owes
 * nothing, the segment dies or `stop` says so (the host failed, the process exited).
 */
export function* pushOwedPages(
  segment: ImaginarySegment,
  target: Port,
  perMessage: number,
  window: number,
  stop: () => boolean,
): ProcessBody<void> {
  const sim = segment.host.sim;
  let inFlight = 0;
  const lane = function* (): ProcessBody<void> {
    for (;;) {
      const message = nextPushMessage(segment, perMessage, stop);
      if (!message) return;
      inFlight += 1;
      yield segment.host.send(message, target);
      inFlight -= 1;
      // The backer is released when the last page has arrived, not when it was taken.
      if (inFlight === 0) segment.backer!.pushed();
    }
  };
  // This process is one lane; the others run beside it, each taking the next pages when its
  // message is delivered.
  const others = Array.from({ length: window - 1 }, () => sim.process(lane(), 'post-copy push lane'));
  yield* lane();
  if (others.length > 0) yield sim.allOf(others);
}

/** The next push message of `segment`'s backer, or null when it is done pushing. */
function nextPushMessage(segment: ImaginarySegment, perMessage: number, stop: () => boolean): Message | null {
  const backer = segment.backer!;
  if (backer.owedPages === 0 || segment.dead || stop()) return null;
  const { offsets, pages } = backer.takeForPush(perMessage);
  if (offsets.length === 0) return null;
  const region: MemoryRegion = {
    amap: new AMap(),
    length: offsets.length,
    contents: new Map(pages.map((page, index) => [index, page.content])),
    frameKeys: new Map(pages.map((page, index) => [index, page.frameKey])),
    objects: 1,
  };
  region.amap.set(0, offsets.length, 'RealMem');
  return segment.host.cluster.message({
    kind: 'pushed-pages',
    noIOUs: true,
    inlineBytes: segment.host.cluster.hardware.ipc.imaginaryRequestBytes,
    portRights: 0,
    memory: region,
    traffic: 'other',
    body: { segmentId: segment.id, offsets } satisfies PushBody,
  });
}

/** The destination side of the push: maps pushed pages in and wakes faults waiting for them. */
export class PushReceiver {
  readonly port: Port;
  private space: AddressSpace | null = null;
  private standInId = 0;
  private readonly waiters = new Map<number, SimEvent<null>[]>();

  constructor(readonly host: Host) {
    this.port = host.createPort('post-copy.push');
  }

  /** Start receiving for a process whose owed pages are behind the stand-in `standInId`. */
  start(space: AddressSpace, standInId: number): void {
    this.space = space;
    this.standInId = standInId;
    this.host.pager.pushedPageArrival = (faulting, page) => this.arrival(faulting, page);
    this.host.sim.process(this.serve(), 'post-copy push receiver');
  }

  private arrival(space: AddressSpace, page: number): SimEvent<null> {
    const event = this.host.sim.event<null>();
    if (space.amap.distanceOf(page) !== 'ImagMem') return event.succeed(null);
    const list = this.waiters.get(page) ?? [];
    list.push(event);
    this.waiters.set(page, list);
    return event;
  }

  private *serve(): ProcessBody<void> {
    const host = this.host;
    const cluster = host.cluster;
    for (;;) {
      const message = (yield this.port.receive()) as Message;
      const { offsets } = message.body as PushBody;
      const region = message.memory!;
      const space = this.space!;
      yield host.sim.timeout((cluster.hardware.cpu.mapPageMs * offsets.length) / 1000);
      offsets.forEach((offset, index) => {
        const page = mapArrivedPage(host, space, this.standInId, offset, region, index);
        if (page === undefined) return;
        for (const waiter of this.waiters.get(page) ?? []) waiter.succeed(null);
        this.waiters.delete(page);
      });
    }
  }
}

/** Bucket edges (ms) of the remote-fault latency histogram: fixed, so trials and eras compare. */
export const FAULT_LATENCY_EDGES_MS: readonly number[] = [
  0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000, 3000,
];

/** Counts per bucket: [0, e0), [e0, e1), ..., [eLast, infinity). */
export function faultLatencyHistogram(latenciesSeconds: readonly number[]): number[] {
  const counts = new Array<number>(FAULT_LATENCY_EDGES_MS.length + 1).fill(0);
  for (const seconds of latenciesSeconds) {
    const ms = seconds * 1000;
    let bucket = FAULT_LATENCY_EDGES_MS.findIndex((edge) => ms < edge);
    if (bucket < 0) bucket = FAULT_LATENCY_EDGES_MS.length;
    counts[bucket]! += 1;
  }
  return counts;
}
