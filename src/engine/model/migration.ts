import type { ProcessBody, SimEvent } from '../kernel/simulation';
import { AMap } from './amap';
import type { AMapRange } from './amap';
import { AddressSpace } from './addressSpace';
import type { Host } from './cluster';
import { ImaginaryBacker, ImaginarySegment } from './imaginary';
import type { OwedPage, ReadRequest } from './imaginary';
import { AMAP_ENTRY_BYTES, readReply } from './netMessageServer';
import { recordArrival } from './metrics';
import type { TrialCounters } from './metrics';
import type { MemoryRegion, Message, Port } from './ports';

/** Microstate, kernel stack, PCB and port-right names: "roughly 1 Kbyte" (section 3.1). */
export const CORE_CONTEXT_BYTES = 1024;

/** The paper's strategies (section 3.3). */
export type PaperStrategyName = 'pure-copy' | 'pure-iou' | 'resident-set';
/** Strategies of today's systems (see docs/model.md, "Beyond 1987"). */
export type ModernStrategyName = 'pre-copy' | 'post-copy' | 'hybrid' | 'sprite-flush';
export type StrategyName = PaperStrategyName | ModernStrategyName;
export const PAPER_STRATEGIES: readonly PaperStrategyName[] = ['pure-copy', 'pure-iou', 'resident-set'];
export const MODERN_STRATEGIES: readonly ModernStrategyName[] = [
  'pre-copy',
  'post-copy',
  'hybrid',
  'sprite-flush',
];
export const STRATEGIES: readonly StrategyName[] = [...PAPER_STRATEGIES, ...MODERN_STRATEGIES];

export function isPaperStrategy(strategy: StrategyName): strategy is PaperStrategyName {
  return (PAPER_STRATEGIES as readonly string[]).includes(strategy);
}

/**
 * The prefetch values the paper measured (section 4): the reproduction runs them and the designer
 * offers them as toggles.
 */
export const PAPER_PREFETCH_VALUES = [0, 1, 3, 7, 15] as const;
/** Most pages one fault may prefetch, in a design and in a figure's choice. */
export const MAX_PREFETCH_PAGES = 1024;

/** Strategies that never fault pages in, so prefetch means nothing to them. */
export function ignoresPrefetch(strategy: StrategyName): boolean {
  return strategy === 'pure-copy' || strategy === 'pre-copy';
}

/** Body of a stage-pages message: the process pages its region's pages are, in region order. */
export interface StagedPagesBody {
  pages: number[];
}

/**
 * A strategy with its prefetch, as results, charts and sweeps name it: "pure-copy" (prefetch does
 * not apply), "pure-iou pf1".
 */
export function variantName(strategy: StrategyName, prefetch: number): string {
  return ignoresPrefetch(strategy) ? strategy : `${strategy} pf${prefetch}`;
}

/** An Accent process as the migration primitives see it. */
export interface AccentProcess {
  name: string;
  space: AddressSpace;
  portRights: number;
  /** Memory objects (code, heap, stack, mapped files) its RealMem and ImagMem come from. */
  memoryObjects: number;
}

export interface CoreBody {
  name: string;
  amap: AMap;
  portRights: number;
  memoryObjects: number;
}

export interface ExciseResult {
  core: Message;
  rimas: Message;
  amapSeconds: number;
  rimasSeconds: number;
}

/**
 * ExciseProcess: remove a process from its host as two messages, Core
 * (context and AMap, physically copied) and RIMAS (its RealMem and ImagMem
 * collapsed into one contiguous area). Costs follow Table 4-4: AMap
 * construction grows with the map's entries, the collapse with the pages.
 */
export function* exciseProcess(host: Host, process: AccentProcess): ProcessBody<ExciseResult> {
  const sim = host.sim;
  const cluster = host.cluster;
  const costs = cluster.hardware.excise;
  const space = process.space;
  const composition = space.composition();
  const entries = composition.amapEntries;

  const amapSeconds =
    (costs.amapPerEntryMs * entries + costs.amapPerRealPageMs * composition.realPages) / 1000;
  yield sim.timeout(amapSeconds);
  let residentPages = 0;
  for (const state of space.pages.values()) if (host.memory.isResident(state.frameKey)) residentPages += 1;
  const rimasSeconds =
    (costs.collapseFixedMs +
      costs.collapsePerEntryMs * entries +
      costs.collapsePerResidentPageMs * residentPages) /
    1000;
  yield sim.timeout(rimasSeconds);
  yield sim.timeout(costs.contextMs / 1000);

  const region = collapse(space, process.memoryObjects);
  const core = cluster.message({
    kind: 'core',
    noIOUs: true,
    inlineBytes: CORE_CONTEXT_BYTES + AMAP_ENTRY_BYTES * entries,
    portRights: process.portRights,
    traffic: 'other',
    body: {
      name: process.name,
      amap: space.amap.clone(),
      portRights: process.portRights,
      memoryObjects: process.memoryObjects,
    } satisfies CoreBody,
  });
  const rimas = cluster.message({
    kind: 'rimas',
    noIOUs: true,
    inlineBytes: 0,
    portRights: 0,
    memory: region,
    traffic: 'other',
  });
  return { core, rimas, amapSeconds, rimasSeconds };
}

/** The RealMem and ImagMem of a space, in address order, as one contiguous region. */
export function collapse(space: AddressSpace, objects: number): MemoryRegion {
  const region: MemoryRegion = {
    amap: new AMap(),
    length: 0,
    contents: new Map(),
    frameKeys: new Map(),
    objects,
  };
  for (const range of space.amap.ranges()) {
    if (range.distance === 'RealZeroMem') continue;
    const length = range.end - range.start;
    const at = region.length;
    if (range.distance === 'RealMem') {
      region.amap.set(at, at + length, 'RealMem');
      for (let i = 0; i < length; i += 1) {
        const state = space.pages.get(range.start + i)!;
        region.contents.set(at + i, state.content);
        region.frameKeys.set(at + i, state.frameKey);
      }
    } else {
      region.amap.set(at, at + length, 'ImagMem', range.backing);
    }
    region.length += length;
  }
  return region;
}

/**
 * InsertProcess: rebuild the process from Core and RIMAS, using the AMap for
 * guidance and the RIMAS data for ammunition (section 3.1).
 */
export function* insertProcess(host: Host, core: Message, rimas: Message): ProcessBody<AccentProcess> {
  const sim = host.sim;
  const cluster = host.cluster;
  const costs = cluster.hardware.insert;
  const body = core.body as CoreBody;
  const region = rimas.memory!;
  yield sim.timeout(
    (costs.fixedMs + costs.perEntryMs * body.amap.size + costs.perPageMs * region.length) / 1000,
  );

  const space = new AddressSpace(cluster.nextId(), cluster.hardware.pageSizeBytes);
  // Pages that came physically over the network (not a local insert) count as arrivals.
  const arrivals = rimas.shippedFrom && rimas.shippedFrom !== host.name ? cluster.counters : undefined;
  const pieces = region.amap.ranges();
  let pieceIndex = 0;
  let consumed = 0;
  for (const range of body.amap.ranges()) {
    if (range.distance === 'RealZeroMem') {
      space.amap.set(range.start, range.end, 'RealZeroMem');
      continue;
    }
    // Lay the next (end - start) region pages over this range.
    let page = range.start;
    while (page < range.end) {
      const piece = pieces[pieceIndex]!;
      const take = Math.min(range.end - page, piece.end - consumed);
      placePiece(arrivals, sim.now, space, region, piece, consumed, page, take);
      page += take;
      consumed += take;
      if (consumed === piece.end) pieceIndex += 1;
    }
  }
  if (consumed !== region.length) {
    throw new Error(`RIMAS holds ${region.length} pages but the Core AMap placed ${consumed}`);
  }
  return { name: body.name, space, portRights: body.portRights, memoryObjects: body.memoryObjects };
}

function placePiece(
  arrivals: TrialCounters | undefined,
  now: number,
  space: AddressSpace,
  region: MemoryRegion,
  piece: AMapRange,
  from: number,
  page: number,
  length: number,
): void {
  if (piece.distance === 'RealMem') {
    space.amap.set(page, page + length, 'RealMem');
    for (let i = 0; i < length; i += 1) {
      space.pages.set(page + i, {
        content: region.contents.get(from + i)!,
        frameKey: region.frameKeys.get(from + i)!,
      });
      if (arrivals) recordArrival(arrivals, page + i, now);
    }
    return;
  }
  const offset = piece.backing!.offset + (from - piece.start);
  const segmentId = piece.backing!.segmentId;
  space.amap.set(page, page + length, 'ImagMem', { segmentId, offset });
  space.mapSegment(segmentId, offset, page, length);
}

export interface MigrationTimings {
  exciseSeconds: number;
  amapSeconds: number;
  rimasCollapseSeconds: number;
  coreTransferSeconds: number;
  rimasTransferSeconds: number;
}

/**
 * The MigrationManager of a host (section 3.2): excises a process, sends Core
 * and RIMAS to its peer, which inserts it. It also backs the owed part of a
 * resident-set migration itself.
 */
export class MigrationManager {
  readonly port: Port;
  /**
   * Pages received ahead of the process (pre-copy rounds at a destination, a flush at a file
   * server), newest copy of each, with the frame where it landed.
   */
  readonly staged = new Map<number, { content: number; frameKey: number }>();
  /** Count each staged page as an arrival at the process's destination (not at a file server). */
  countStagedArrivals = true;
  private readonly arrived: Message[] = [];
  private contextWaiter: SimEvent<Message[]> | null = null;

  constructor(readonly host: Host) {
    this.port = host.createPort(`${host.name}.MigrationManager`);
    host.sim.process(this.serve(), `${host.name}.migration-manager`);
  }

  private *serve(): ProcessBody<void> {
    for (;;) this.handle((yield this.port.receive()) as Message);
  }

  private handle(message: Message): void {
    const cluster = this.host.cluster;
    if (message.kind === 'core' || message.kind === 'rimas') {
      this.arrived.push(message);
      if (this.arrived.length === 2 && this.contextWaiter) {
        this.contextWaiter.succeed(this.arrived.splice(0));
        this.contextWaiter = null;
      }
      return;
    }
    if (message.kind === 'imaginary-read-request') {
      const request = message.body as ReadRequest;
      const segment = cluster.segment(request.segmentId);
      this.host.sim.process(this.serveRead(segment, request, message.replyPort!), 'migration manager read');
      return;
    }
    if (message.kind === 'imaginary-segment-death') {
      cluster.segment(message.body as number).backer?.release();
      return;
    }
    if (message.kind === 'stage-pages') {
      const { pages } = message.body as StagedPagesBody;
      const region = message.memory!;
      pages.forEach((page, index) => {
        this.staged.set(page, {
          content: region.contents.get(index)!,
          frameKey: region.frameKeys.get(index)!,
        });
        if (this.countStagedArrivals) recordArrival(cluster.counters, page, this.host.sim.now);
      });
      return;
    }
    throw new Error(`MigrationManager on ${this.host.name} got an unexpected ${message.kind} message`);
  }

  private *serveRead(segment: ImaginarySegment, request: ReadRequest, replyPort: Port): ProcessBody<void> {
    const { offsets, region } = yield* segment.backer!.read(request.offset);
    yield this.host.send(readReply(this.host, segment.id, offsets, region), replyPort);
  }

  /** Fires with [Core, RIMAS] once both have arrived here. */
  contextArrived(): SimEvent<Message[]> {
    const event = this.host.sim.event<Message[]>();
    if (this.arrived.length === 2) event.succeed(this.arrived.splice(0));
    else this.contextWaiter = event;
    return event;
  }

  /** Excise `process` and send it to `peer` with the given strategy. */
  *migrate(
    process: AccentProcess,
    peer: MigrationManager,
    strategy: StrategyName,
    prefetch: number,
  ): ProcessBody<MigrationTimings> {
    if (!isPaperStrategy(strategy)) throw new Error(`migrate() runs the paper's strategies, not ${strategy}`);
    const host = this.host;
    const sim = host.sim;
    const started = sim.now;
    const excised = yield* exciseProcess(host, process);
    const exciseSeconds = sim.now - started;
    const rimas = excised.rimas;
    switch (strategy) {
      case 'pure-copy':
        rimas.noIOUs = true; // every RealMem page is shipped now
        break;
      case 'pure-iou':
        rimas.noIOUs = false; // the NetMessageServer caches RealMem and passes IOUs
        rimas.iouPrefetch = prefetch; // ... and answers each fault with that many pages more
        break;
      case 'resident-set':
        this.backNonResidentPages(rimas.memory!, prefetch);
        rimas.noIOUs = true; // ship what is resident, owe the rest ourselves
        break;
    }
    const coreSent = sim.now;
    yield host.send(excised.core, peer.port);
    const coreTransferSeconds = sim.now - coreSent;
    const rimasSent = sim.now;
    yield host.send(rimas, peer.port);
    const rimasTransferSeconds = sim.now - rimasSent;
    return {
      exciseSeconds,
      amapSeconds: excised.amapSeconds,
      rimasCollapseSeconds: excised.rimasSeconds,
      coreTransferSeconds,
      rimasTransferSeconds,
    };
  }

  /** Resident-set strategy: replace the RealMem pages not in memory with an imaginary segment we back. */
  private backNonResidentPages(region: MemoryRegion, prefetch: number): void {
    const host = this.host;
    const cluster = host.cluster;
    const owed = new Map<number, OwedPage>();
    for (const page of region.amap.pagesOf('RealMem')) {
      const frameKey = region.frameKeys.get(page)!;
      if (!host.memory.isResident(frameKey))
        owed.set(page, { content: region.contents.get(page)!, frameKey });
    }
    if (owed.size === 0) return;
    const segment = new ImaginarySegment(
      cluster.nextId(),
      host,
      this.port,
      region.length,
      new ImaginaryBacker(host, owed, prefetch),
    );
    cluster.registerSegment(segment);
    for (const page of owed.keys()) {
      region.amap.set(page, page + 1, 'ImagMem', { segmentId: segment.id, offset: page });
      region.contents.delete(page);
      region.frameKeys.delete(page);
    }
  }
}
