import type { Simulation, SimEvent } from '../kernel/simulation';
import type { AMap } from './amap';
import type { Host } from './cluster';

/**
 * Memory carried by a message: pages [0, length) described by their own AMap.
 * RealMem pages have their contents here; ImagMem pages name the imaginary
 * segment that owes them.
 */
export interface MemoryRegion {
  amap: AMap;
  length: number;
  /** Contents of the RealMem pages, by region page. */
  contents: Map<number, number>;
  /** Frame keys of RealMem pages on the sender, to know which are still in memory. */
  frameKeys: Map<number, number>;
  /** Distinct memory objects (code, heap, stack, mapped files) the region was collapsed from. */
  objects: number;
}

/** What a message is for, so the byte-rate series can tell fault traffic from the rest. */
export type TrafficClass = 'fault' | 'other';

export interface Message {
  id: number;
  kind: string;
  /** Inhibits the NetMessageServer from caching RealMem and passing IOUs (section 2.4). */
  noIOUs: boolean;
  /**
   * When the NetMessageServer caches this message's RealMem behind an IOU: the pages each of its
   * fault replies carries beyond the faulted one (pure-IOU's prefetch; default 0).
   */
  iouPrefetch?: number;
  /** Bytes of in-line data (copied, not mapped). */
  inlineBytes: number;
  /** Port rights carried: each needs a stand-in port at a remote receiver. */
  portRights: number;
  memory?: MemoryRegion;
  traffic: TrafficClass;
  /** Where a reply should go. */
  replyPort?: Port;
  /** Host that sent the message over the network, set by the NetMessageServer. */
  shippedFrom?: string;
  /** Model payload (never counted in bytes: inlineBytes stands for it). */
  body?: unknown;
}

/** A port: a queue of messages with one receiver. */
export class Port {
  private readonly queued: Message[] = [];
  private readonly waiting: SimEvent<Message>[] = [];

  constructor(
    readonly id: number,
    readonly host: Host,
    readonly name: string,
    private readonly sim: Simulation,
  ) {}

  /** Put a message on the queue (the caller has paid for its delivery). */
  enqueue(message: Message): void {
    const receiver = this.waiting.shift();
    if (receiver) receiver.succeed(message);
    else this.queued.push(message);
  }

  receive(): SimEvent<Message> {
    const event = this.sim.event<Message>();
    const message = this.queued.shift();
    if (message) event.succeed(message);
    else this.waiting.push(event);
    return event;
  }
}
