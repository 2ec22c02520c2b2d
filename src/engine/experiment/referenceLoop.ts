import type { AddressSpace } from '../model/addressSpace';
import type { AMap } from '../model/amap';
import { nextStretchSerial } from '../model/memory';
import type { Frame, PhysicalMemory, TouchReader } from '../model/memory';
import { pageSlots, realMemFlags } from './pageSlots';

/** Per-slot flags: not referenced yet at the destination; prefetched and not referenced since. */
const NOT_YET_REFERENCED = 1;
const PREFETCHED = 2;

export interface ReferenceLoopSetup {
  references: Int32Array;
  /** The running process's space, and the memory of the host it runs on. */
  space: AddressSpace;
  memory: PhysicalMemory;
  /**
   * At the destination: the AMap at migration (touches of its RealMem pages are what
   * pagesTouchedRemote counts) and the set that gets the RealMem pages touched there.
   */
  remote?: { originalAmap: AMap; touchedRemote: Set<number> };
  /**
   * At the source during pre-copy: which references write, and what a write does. `apply` is
   * called at the end of a stretch for each page written in it, with its last reference there
   * (which names the page's new contents): the writes of one page between two yields are seen by
   * nobody one by one.
   */
  writes?: { flags: Uint8Array; apply(page: number, lastReference: number): void };
  secondsBefore: Float64Array | undefined;
  secondsPerReference: number;
  /** Seconds between ticks of the host's other work (Infinity: none). */
  interval: number;
  /** The first reference to run, and its compute when a pre-copy freeze cut it short. */
  from: number;
  firstReferenceSeconds: number | null;
}

/**
 * How many references of `seconds` each surely end before `limit` when their times are summed
 * one by one onto `sum` (a batch of compute or a clock, never above `largest` in size): the
 * loops run these without testing the time, and test it for the rest, so that a reference ends
 * exactly where summing and testing each would end it. A sum rounds by at most 2^-53 of its size,
 * and a loop makes at most `span / seconds` sums; the reserve allows four times that, and one
 * reference more for the rounding of the division.
 */
export function referencesSurelyBefore(sum: number, limit: number, seconds: number, largest: number): number {
  const span = limit - sum;
  if (!(span > 0)) return 0;
  if (span === Infinity) return Infinity;
  const reserve = (span / seconds + 2) * 2 ** -51 * Math.abs(largest);
  const fit = Math.floor((span - reserve) / seconds) - 1;
  return fit > 0 ? fit : 0;
}

/**
 * A process's reference loop without its yields: at the destination, `runTrial`'s `execute`
 * generator yields (for a tick of the host's other work or a fault) and this class runs every
 * reference in between (`runHits`); at the source during pre-copy, it runs the references that
 * end before the next event (`runSourceHits`). A plain method is one V8 optimizes once for all
 * trials (closures made per trial would be recompiled for each).
 *
 * A stretch lasts until the host's memory would evict one of its frames, drop a page or make
 * room for other work: the memory settles the stretch first (`PhysicalMemory.deferTouches`).
 * Until then none of its frames leaves, so a page referenced earlier in the stretch is still
 * resident in the same frame, and later references to it only note the reference. Touches and
 * pages brought in by others meanwhile are kept with the position they came at. Settling moves
 * the stretch's frames and those to the newest end in order of their last touch: the order that
 * moving a frame at every touch gives, and nothing reads the order in between. The trial also
 * settles the stretch before a pre-copy round reads what the process wrote.
 *
 * A slot keeps its page's frame from one stretch to the next while the frame stays resident (a
 * resident page's frame key never changes: pages get new state only when they arrive), so a
 * stretch's first reference to a page costs a flag read, not two hash lookups. The per-slot flags
 * (first reference, prefetched) are only ever set before a new stretch, so they are read at a
 * slot's first reference in a stretch, not at every reference.
 */
export class ReferenceLoop implements TouchReader {
  prefetchHits = 0;
  /** Compute time batched since the last yield. */
  pending = 0;
  /** After `runSourceHits`: when its last reference ended, and why it stopped. */
  clock = 0;
  stoppedAtFault = false;
  private readonly slotOf: Int32Array;
  private readonly pageOfSlot: Int32Array;
  private readonly slotOfPage: (page: number) => number;
  private readonly inRange: (slot: number) => boolean;
  private readonly realAtMigration: Uint8Array;
  private readonly attention: Uint8Array;
  private readonly frameOf: (Frame | null)[];
  /**
   * The last reference to each slot (-1: none yet). A slot is in the current stretch when its
   * last reference is at or after `stretchStart`: one array read per reference tells both.
   */
  private readonly lastReference: Int32Array;
  /** Slots referenced in this stretch, and scratch space to order them. */
  private readonly stretchSlots: Int32Array;
  private readonly order: Int32Array;
  /**
   * With `writes`, `lastReference` holds `index << 1 | written`: whether the slot was written in
   * the stretch rides in the same array read and store as the stretch test, which a separate
   * array of last writes would double. Without, it holds the index itself.
   */
  private readonly shift: number;
  private stretchSize = 0;
  /** No reference before this one is in the current stretch (in `lastReference`'s encoding). */
  private stretchStart = 0;
  /** The reference a pre-copy freeze cut short, until its compute is done (-1: none). */
  private cutShortAt: number;
  private now = 0;
  private nextTick = 0;
  /**
   * The compute before reference `i` is `seconds[i & secondsMask]`: a trace's per-reference
   * times (mask all ones), or one even time (mask 0), without a test in the source's loop.
   */
  private readonly seconds: Float64Array;
  private readonly secondsMask: number;
  /** The open stretch's serial: the frames it holds unapplied touches of carry it. */
  stretchSerial = 0;
  /** The references before this one have run (their touches are in the stretch). */
  private position = 0;
  /** Frames others touched during the stretch, and the position at each touch. */
  private readonly othersTouched: Frame[] = [];
  private readonly othersPosition: number[] = [];

  constructor(private readonly setup: ReferenceLoopSetup) {
    const ranges = setup.space.amap.ranges();
    const extent = ranges.length > 0 ? ranges[ranges.length - 1]!.end : 0;
    const slots = pageSlots(setup.references, extent);
    this.slotOf = slots.slotOf;
    this.pageOfSlot = slots.pageOfSlot;
    this.slotOfPage = slots.slotOfPage;
    this.inRange = slots.inRange;
    const count = slots.pageOfSlot.length;
    this.realAtMigration = setup.remote ? realMemFlags(slots, setup.remote.originalAmap) : new Uint8Array(0);
    this.attention = new Uint8Array(count).fill(setup.remote ? NOT_YET_REFERENCED : 0);
    this.frameOf = new Array<Frame | null>(count).fill(null);
    this.lastReference = new Int32Array(count).fill(-1);
    this.stretchSlots = new Int32Array(count);
    this.order = new Int32Array(count);
    this.shift = setup.writes ? 1 : 0;
    if (setup.references.length > 2 ** 30) {
      throw new Error(`at most 2^30 references a trial, not ${setup.references.length}`);
    }
    this.seconds = setup.secondsBefore ?? Float64Array.of(setup.secondsPerReference);
    this.secondsMask = setup.secondsBefore ? -1 : 0;
    this.cutShortAt = setup.firstReferenceSeconds === null ? -1 : setup.from;
  }

  /** The process runs again at simulated time `now` (after every yield and fault). */
  resumeAt(now: number): void {
    this.now = now;
    this.nextTick = Math.floor(now / this.setup.interval + 1) * this.setup.interval;
  }

  /** The compute batched so far reaches the next tick: yield it first. */
  tickDue(): boolean {
    return this.now + this.pending >= this.nextTick;
  }

  /**
   * End the stretch: apply its touches to the LRU order, and its writes. The memory calls this
   * before it changes (see `PhysicalMemory.deferTouches`); the trial calls it before anything
   * reads what the process wrote.
   */
  settle(): void {
    const size = this.stretchSize;
    if (size === 0) return;
    this.stretchSize = 0;
    // Locals: the calls below could change fields, as far as V8 can tell, so it would reload them.
    const { lastReference, stretchSlots, frameOf, slotOf, shift } = this;
    const memory = this.setup.memory;
    // In order of last reference: sort the reference indices (a numeric typed-array sort).
    const order = this.order.subarray(0, size);
    for (let i = 0; i < size; i += 1) order[i] = lastReference[stretchSlots[i]!]!;
    order.sort();
    // References run in order: every later one is after the stretch's last.
    this.stretchStart = ((order[size - 1]! >> shift) + 1) << shift;
    // Merged with others' touches: one made at position p came after every reference before p.
    const { othersTouched, othersPosition } = this;
    const others = othersTouched.length;
    let other = 0;
    for (let i = 0; i < size; i += 1) {
      const index = order[i]! >> shift;
      while (other < others && othersPosition[other]! <= index) memory.retouch(othersTouched[other++]!);
      memory.retouch(frameOf[slotOf[index]!]!);
    }
    while (other < others) memory.retouch(othersTouched[other++]!);
    othersTouched.length = 0;
    othersPosition.length = 0;
    const writes = this.setup.writes;
    if (writes) {
      const pageOfSlot = this.pageOfSlot;
      for (let i = 0; i < size; i += 1) {
        const slot = stretchSlots[i]!;
        const last = lastReference[slot]!;
        if ((last & 1) === 1) writes.apply(pageOfSlot[slot]!, last >> 1);
      }
    }
  }

  /**
   * Run references from `start` while their pages are resident and their compute ends before
   * the next tick; return the first that needs the generator (a tick or a fault), its compute
   * already in `pending`.
   */
  runHits(start: number): number {
    let index = start;
    if (index === this.cutShortAt) {
      // A reference cut short by a pre-copy freeze finishes its compute here, once.
      this.cutShortAt = -1;
      this.pending += this.setup.firstReferenceSeconds!;
      if (this.tickDue() || !this.tryReference(index)) return index;
      index += 1;
    }
    return this.runDestinationHits(index);
  }

  /** `runHits` after the cut-short reference, if any. */
  private runDestinationHits(start: number): number {
    // Locals, not fields: V8 then keeps them in registers across the loop.
    const count = this.setup.references.length;
    const { slotOf, lastReference, stretchStart, now, nextTick, seconds, secondsMask } = this;
    // Even compute (a mask of 0): the references up to `safe` surely end before the tick.
    const evenSeconds = secondsMask === 0 ? seconds[0]! : NaN;
    let batched = this.pending;
    let index = start;
    // The inner loops run the references to slots already in the stretch and call nothing, so
    // that V8 keeps the arrays in registers; a slot's first reference in the stretch leaves them.
    // `!(last >= start)`, not `last < start`: a page outside the address space has no slot, and
    // its undefined entry must fail the test, so that the fault reports the addressing error.
    run: for (;;) {
      const fit =
        secondsMask === 0 ? referencesSurelyBefore(batched, nextTick - now, evenSeconds, nextTick) : 0;
      const safe = Math.min(count, index + fit);
      for (; index < safe; index += 1) {
        batched += evenSeconds;
        const slot = slotOf[index]!;
        if (!(lastReference[slot]! >= stretchStart)) break;
        lastReference[slot] = index;
      }
      if (index >= safe) {
        // Near the tick, or every reference with its own compute: the same loop with the test.
        for (; index < count; index += 1) {
          batched += seconds[index & secondsMask]!;
          if (now + batched >= nextTick) break run;
          const slot = slotOf[index]!;
          if (!(lastReference[slot]! >= stretchStart)) break;
          lastReference[slot] = index;
        }
        if (index >= count) break;
      }
      // The slot's first reference in this stretch, its compute batched.
      const slot = slotOf[index]!;
      if (!this.enterStretch(slot)) break;
      lastReference[slot] = index;
      index += 1;
    }
    this.pending = batched;
    this.position = index;
    return index;
  }

  /**
   * At the source: run references from `start` at simulated time `now` while their compute ends
   * before `horizon` (the next event anywhere: nothing can see the process before it) and their
   * pages are resident. Returns the first reference not run; `clock` is then when the last one
   * run ended, and `stoppedAtFault` says whether the first not run needs a fault (its compute is
   * then in `clock`, as the reference's compute comes before its fault) or ends at or after
   * `horizon` (its compute not in `clock`).
   */
  runSourceHits(start: number, now: number, horizon: number): number {
    const count = this.setup.references.length;
    const writes = this.setup.writes!.flags;
    const { slotOf, lastReference, stretchStart, seconds, secondsMask } = this;
    // Even compute (a mask of 0): the references up to `safe` surely end before the horizon.
    const evenSeconds = secondsMask === 0 ? seconds[0]! : NaN;
    let clock = now;
    let index = start;
    let stoppedAtFault = false;
    run: for (;;) {
      const fit = secondsMask === 0 ? referencesSurelyBefore(clock, horizon, evenSeconds, horizon) : 0;
      const safe = Math.min(count, index + fit);
      for (; index < safe; index += 1) {
        clock += evenSeconds;
        const slot = slotOf[index]!;
        const last = lastReference[slot]!;
        if (!(last >= stretchStart)) break;
        // Written in the stretch if it was or this reference writes: no branch on the write flag,
        // which is as good as random (a mispredicted branch costs more than the loop).
        lastReference[slot] = (index << 1) | (last & 1) | writes[index]!;
      }
      if (index >= safe) {
        // Near the horizon, or every reference with its own compute: the same loop with the test.
        for (; index < count; index += 1) {
          const end = clock + seconds[index & secondsMask]!;
          if (!(end < horizon)) break run;
          clock = end;
          const slot = slotOf[index]!;
          const last = lastReference[slot]!;
          if (!(last >= stretchStart)) break;
          lastReference[slot] = (index << 1) | (last & 1) | writes[index]!;
        }
        if (index >= count) break;
      }
      // The slot's first reference in this stretch, its compute in `clock`.
      const slot = slotOf[index]!;
      if (!this.enterStretch(slot)) {
        stoppedAtFault = true;
        break;
      }
      lastReference[slot] = (index << 1) | writes[index]!;
      index += 1;
    }
    this.clock = clock;
    this.stoppedAtFault = stoppedAtFault;
    this.position = index;
    return index;
  }

  /** Reference `index` if its page is resident (true), else leave everything as it was (false). */
  tryReference(index: number): boolean {
    const slot = this.slotOf[index]!;
    const last = this.lastReference[slot]!;
    const inStretch = last >= this.stretchStart;
    if (!inStretch && !this.enterStretch(slot)) return false;
    const writes = this.setup.writes;
    this.lastReference[slot] = writes
      ? (index << 1) | (inStretch ? last & 1 : 0) | writes.flags[index]!
      : index;
    this.position = index + 1;
    return true;
  }

  /** After the fault that brought in the page of reference `index`, and any it prefetched. */
  faulted(index: number, prefetched: readonly number[]): void {
    const slot = this.slotOf[index]!;
    // Outside the address space the fault throws (BadMem): a page without a slot never gets here.
    if (!this.inRange(slot)) throw new Error(`page ${this.setup.references[index]} has no slot`);
    for (const page of prefetched) {
      const arrived = this.slotOfPage(page);
      if (arrived >= 0) this.attention[arrived]! |= PREFETCHED;
    }
  }

  /** The touched-remote and prefetch-hit bookkeeping of reference `index`, its page in. */
  referenced(index: number): void {
    const slot = this.slotOf[index]!;
    if (this.attention[slot] !== 0) this.referencedFirst(slot);
  }

  private referencedFirst(slot: number): void {
    const flags = this.attention[slot]!;
    this.attention[slot] = 0;
    if (flags & NOT_YET_REFERENCED && this.realAtMigration[slot] === 1) {
      this.setup.remote!.touchedRemote.add(this.pageOfSlot[slot]!);
    }
    if (flags & PREFETCHED) this.prefetchHits += 1;
  }

  /** Another touched `frame` during this stretch: applied in its place when the stretch settles. */
  touchedByOther(frame: Frame): void {
    frame.deferredBy = this.stretchSerial;
    this.othersTouched.push(frame);
    this.othersPosition.push(this.position);
  }

  /** The first reference to a slot in a stretch: false if its page is not resident. */
  private enterStretch(slot: number): boolean {
    let frame = this.frameOf[slot];
    if (!frame || !frame.resident) {
      const state = this.setup.space.pages.get(this.pageOfSlot[slot]!);
      const found = state ? this.setup.memory.residentFrame(state.frameKey) : null;
      if (found === null) return false;
      frame = found;
      this.frameOf[slot] = frame;
    }
    if (this.stretchSize === 0) {
      this.stretchSerial = nextStretchSerial();
      this.setup.memory.deferTouches(this);
    }
    frame.deferredBy = this.stretchSerial;
    this.stretchSlots[this.stretchSize++] = slot;
    if (this.attention[slot] !== 0) this.referencedFirst(slot);
    return true;
  }
}
