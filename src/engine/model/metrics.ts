import type { TrafficClass } from './ports';

/** One packet on the wire, for the byte-rate series (Figure 4-5). */
export interface WireRecord {
  time: number;
  bytes: number;
  traffic: TrafficClass;
}

const WIRE_CHUNK = 1 << 16;

/**
 * Every packet's time, size and class, in chunks of typed arrays (17 bytes a packet, against about
 * 50 for an object each): a large pre-copy sends millions of packets. Iterates as WireRecords.
 */
export class WireLog implements Iterable<WireRecord> {
  private readonly times: Float64Array[] = [];
  private readonly sizes: Float64Array[] = [];
  private readonly faults: Uint8Array[] = [];
  length = 0;

  push(record: WireRecord): void {
    const offset = this.length % WIRE_CHUNK;
    if (offset === 0) {
      this.times.push(new Float64Array(WIRE_CHUNK));
      this.sizes.push(new Float64Array(WIRE_CHUNK));
      this.faults.push(new Uint8Array(WIRE_CHUNK));
    }
    const chunk = this.times.length - 1;
    this.times[chunk]![offset] = record.time;
    this.sizes[chunk]![offset] = record.bytes;
    this.faults[chunk]![offset] = record.traffic === 'fault' ? 1 : 0;
    this.length += 1;
  }

  *[Symbol.iterator](): Iterator<WireRecord> {
    for (let index = 0; index < this.length; index += 1) {
      const chunk = Math.floor(index / WIRE_CHUNK);
      const offset = index % WIRE_CHUNK;
      yield {
        time: this.times[chunk]![offset]!,
        bytes: this.sizes[chunk]![offset]!,
        traffic: this.faults[chunk]![offset] ? 'fault' : 'other',
      };
    }
  }
}

/** Counters one trial accumulates while it runs. Hosts are 'source' and 'destination'. */
export class TrialCounters {
  wire = new WireLog();
  bytesTotal = 0;
  bytesFault = 0;
  /** Bytes that are packet and message headers, not data. */
  bytesHeaders = 0;
  /** Page data that crossed the wire, in bytes. */
  bytesPageData = 0;
  /** In-line message data (Core context, AMap, imaginary read requests) in bytes. */
  bytesInline = 0;
  messages = 0;
  messagesByHost: Record<string, number> = {};
  packets = 0;
  imaginaryFaults = 0;
  imaginaryFaultSeconds = 0;
  diskFaults = 0;
  diskFaultSeconds = 0;
  fillZeroFaults = 0;
  prefetchedPages = 0;
  prefetchHits = 0;
  /** Pages physically shipped during migration (RIMAS), and delivered by fault replies. */
  pagesShippedAtMigration = 0;
  pagesDeliveredByFaults = 0;
  /**
   * How many times each destination page arrived over the network: at most once, plus once for
   * each time it was written at the source after being sent (pre-copy).
   */
  arrivals = new Map<number, number>();
  /** Per page, how many times it was written at the source after a copy of it had been sent. */
  redirtied = new Map<number, number>();
  /** Time the last page of the process arrived at the destination (any strategy, any route). */
  lastArrivalSeconds = 0;
  /** Latency of each imaginary (remote) fault, in seconds, in the order they completed. */
  remoteFaultSeconds: number[] = [];
  /** Counting stops when remote execution ends (the paper's measurement interval). */
  open = true;
  /** Counted messages still on their way: a trial ends only once they are through. */
  inFlight = 0;
  private drainedWaiters: (() => void)[] = [];

  /** Call `then` once no counted message is in flight (now, if none is). */
  whenDrained(then: () => void): void {
    if (this.inFlight === 0) then();
    else this.drainedWaiters.push(then);
  }

  messageDone(): void {
    this.inFlight -= 1;
    if (this.inFlight === 0) for (const then of this.drainedWaiters.splice(0)) then();
  }

  /** A packet of a counted message (one that set out while counting was on). */
  recordPacket(time: number, bytes: number, headerBytes: number, traffic: TrafficClass): void {
    this.wire.push({ time, bytes, traffic });
    this.bytesTotal += bytes;
    this.bytesHeaders += headerBytes;
    if (traffic === 'fault') this.bytesFault += bytes;
    this.packets += 1;
  }

  recordMessage(host: string): void {
    if (!this.open) return;
    this.messages += 1;
    this.messagesByHost[host] = (this.messagesByHost[host] ?? 0) + 1;
  }
}

/** Record that a page arrived at the destination now. */
export function recordArrival(counters: TrialCounters, page: number, now: number): void {
  counters.arrivals.set(page, (counters.arrivals.get(page) ?? 0) + 1);
  counters.lastArrivalSeconds = Math.max(counters.lastArrivalSeconds, now);
}
