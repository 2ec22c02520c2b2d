import type { AddressSpace } from '../model/addressSpace';
import type { AMap } from '../model/amap';
import type { Frame, PhysicalMemory } from '../model/memory';
import { pageSlots, realMemFlags } from './pageSlots';

/** Per-slot flags: not referenced yet at the destination; prefetched and not referenced since. */
const NOT_YET_REFERENCED = 1;
const PREFETCHED = 2;

export interface ReferenceLoopSetup {
  references: Int32Array;
  /** The running process's space, and the memory of the host it runs on. */
  space: AddressSpace;
  memory: PhysicalMemory;
  /** The AMap at migration: touches of its RealMem pages are what pagesTouchedRemote counts. */
  originalAmap: AMap;
  /** Gets the RealMem pages touched at the destination. */
  touchedRemote: Set<number>;
  secondsBefore: Float64Array | undefined;
  secondsPerReference: number;
  /** Seconds between ticks of the host's other work (Infinity: none). */
  interval: number;
  /** The first reference to run, and its compute when a pre-copy freeze cut it short. */
  from: number;
  firstReferenceSeconds: number | null;
}

/**
 * The destination's reference loop without its yields: `runTrial`'s `execute` generator yields
 * (for a tick of the host's other work or a fault) and this class runs every reference in
 * between, in a plain method that V8 optimizes once for all trials (closures made per trial
 * would be recompiled for each).
 *
 * Between two yields only this process runs and a touch evicts nothing, so a page referenced
 * earlier in the same stretch is still resident in the same frame: later references in the
 * stretch only note the reference. The LRU order is settled at the stretch's end: moving the
 * stretch's frames to the newest end in order of their last reference gives the order that moving
 * a frame at every reference gives, and nothing reads the order in between.
 *
 * A slot keeps its page's frame from one stretch to the next while the frame stays resident (a
 * resident page's frame key never changes: pages get new state only when they arrive), so a
 * stretch's first reference to a page costs a flag read, not two hash lookups. The per-slot flags
 * (first reference, prefetched) are only ever set before a new stretch, so they are read at a
 * slot's first reference in a stretch, not at every reference.
 */
export class ReferenceLoop {
  prefetchHits = 0;
  /** Compute time batched since the last yield. */
  pending = 0;
  private readonly slotOf: Int32Array;
  private readonly pageOfSlot: Int32Array;
  private readonly slotOfPage: (page: number) => number;
  private readonly inRange: (slot: number) => boolean;
  private readonly realAtMigration: Uint8Array;
  private readonly attention: Uint8Array;
  private readonly frameOf: (Frame | null)[];
  /** The stretch in which each slot was last referenced, and the reference. */
  private readonly stretchOf: Int32Array;
  private readonly lastReference: Int32Array;
  /** Slots referenced in this stretch, and scratch space to order them. */
  private readonly stretchSlots: Int32Array;
  private readonly order: Int32Array;
  private stretchSize = 0;
  private stretch = 0;
  /** The reference a pre-copy freeze cut short, until its compute is done (-1: none). */
  private cutShortAt: number;
  private now = 0;
  private nextTick = 0;

  constructor(private readonly setup: ReferenceLoopSetup) {
    const ranges = setup.space.amap.ranges();
    const extent = ranges.length > 0 ? ranges[ranges.length - 1]!.end : 0;
    const slots = pageSlots(setup.references, extent);
    this.slotOf = slots.slotOf;
    this.pageOfSlot = slots.pageOfSlot;
    this.slotOfPage = slots.slotOfPage;
    this.inRange = slots.inRange;
    this.realAtMigration = realMemFlags(slots, setup.originalAmap);
    const count = slots.pageOfSlot.length;
    this.attention = new Uint8Array(count).fill(NOT_YET_REFERENCED);
    this.frameOf = new Array<Frame | null>(count).fill(null);
    this.stretchOf = new Int32Array(count);
    this.lastReference = new Int32Array(count);
    this.stretchSlots = new Int32Array(count);
    this.order = new Int32Array(count);
    this.cutShortAt = setup.firstReferenceSeconds === null ? -1 : setup.from;
  }

  /** Start a stretch at simulated time `now` (after every yield and fault). */
  newStretch(now: number): void {
    this.stretch += 1;
    this.now = now;
    this.nextTick = Math.floor(now / this.setup.interval + 1) * this.setup.interval;
  }

  /** The compute batched so far reaches the next tick: yield it first. */
  tickDue(): boolean {
    return this.now + this.pending >= this.nextTick;
  }

  /** Settle the LRU order before anything else can run or evict: before every yield and fault. */
  settle(): void {
    const size = this.stretchSize;
    if (size === 0) return;
    // In order of last reference: sort the reference indices (a numeric typed-array sort).
    const order = this.order.subarray(0, size);
    for (let i = 0; i < size; i += 1) order[i] = this.lastReference[this.stretchSlots[i]!]!;
    order.sort();
    for (let i = 0; i < size; i += 1) this.setup.memory.retouch(this.frameOf[this.slotOf[order[i]!]!]!);
    this.stretchSize = 0;
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
    // Two loops, so that neither tests per reference where its compute comes from.
    const secondsBefore = this.setup.secondsBefore;
    return secondsBefore ? this.runTimedHits(index, secondsBefore) : this.runEvenHits(index);
  }

  /** `runHits` when every reference computes `secondsPerReference` first. */
  private runEvenHits(start: number): number {
    // Locals, not fields: V8 then keeps them in registers across the loop.
    const count = this.setup.references.length;
    const secondsPerReference = this.setup.secondsPerReference;
    const { slotOf, stretchOf, lastReference, stretch, now, nextTick } = this;
    let batched = this.pending;
    let index = start;
    for (; index < count; index += 1) {
      batched += secondsPerReference;
      if (now + batched >= nextTick) break;
      const slot = slotOf[index]!;
      if (stretchOf[slot] !== stretch && !this.enterStretch(slot)) break;
      lastReference[slot] = index;
    }
    this.pending = batched;
    return index;
  }

  /** `runHits` when each reference computes its own `secondsBefore` first (traces). */
  private runTimedHits(start: number, secondsBefore: Float64Array): number {
    const count = this.setup.references.length;
    const { slotOf, stretchOf, lastReference, stretch, now, nextTick } = this;
    let batched = this.pending;
    let index = start;
    for (; index < count; index += 1) {
      batched += secondsBefore[index]!;
      if (now + batched >= nextTick) break;
      const slot = slotOf[index]!;
      if (stretchOf[slot] !== stretch && !this.enterStretch(slot)) break;
      lastReference[slot] = index;
    }
    this.pending = batched;
    return index;
  }

  /** Reference `index` if its page is resident (true), else leave everything as it was (false). */
  tryReference(index: number): boolean {
    const slot = this.slotOf[index]!;
    if (this.stretchOf[slot] !== this.stretch && !this.enterStretch(slot)) return false;
    this.lastReference[slot] = index;
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
      this.setup.touchedRemote.add(this.pageOfSlot[slot]!);
    }
    if (flags & PREFETCHED) this.prefetchHits += 1;
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
    this.stretchOf[slot] = this.stretch;
    this.stretchSlots[this.stretchSize++] = slot;
    if (this.attention[slot] !== 0) this.referencedFirst(slot);
    return true;
  }
}
