import type { Simulation } from '../kernel/simulation';

/**
 * A host's page frames, replaced least-recently-used. Frames hold pages of
 * address spaces and caches; keys are opaque numbers from `pageKey`. The
 * host's other activity (Accent uses memory as a disk cache) keeps taking
 * frames at a steady rate, so a page shipped early and left untouched ages
 * out to the local disk.
 */
/** A frame in the LRU list: a page (count 1) or a block of other activity's frames (negative key). */
export interface Frame {
  key: number;
  count: number;
  /** Less recently used neighbour (toward `oldest`), and more recently used one. */
  older: Frame | null;
  newer: Frame | null;
  /**
   * False once the frame is evicted or dropped. A frame object is never reused, so a caller may
   * keep a page's frame and trust it while this stays true, without looking the key up again.
   */
  resident: boolean;
  /** The reader stretch (a serial, see `TouchReader`) holding an unapplied touch of it; 0: none. */
  deferredBy: number;
}

/**
 * A reader that touches frames without telling the memory at each touch (a process's reference
 * loop), and applies its touches later, in their order, merged with the touches of others made
 * meanwhile (see `PhysicalMemory.deferTouches`).
 */
export interface TouchReader {
  /** Apply the reader's touches and the others' it holds to the LRU order, in the order made. */
  settle(): void;
  /** Someone else touched or brought in `frame` now, after every touch the reader has made. */
  touchedByOther(frame: Frame): void;
  /** The serial of the reader's open stretch: frames it holds unapplied touches of carry it. */
  readonly stretchSerial: number;
}

let lastStretchSerial = 0;

/** A serial for a reader's new stretch, unique in the process (serials only mark frames). */
export function nextStretchSerial(): number {
  lastStretchSerial += 1;
  return lastStretchSerial;
}

export class PhysicalMemory {
  /**
   * Frames by key, and the same frames in a doubly linked list, least recently used first. A
   * page holds one frame; frames of other activity are kept as blocks (negative keys) holding a
   * count, so filling a large memory costs one entry, not millions. A touch is one lookup and a
   * few pointer moves (a Map's delete-and-reinsert cost twice that, and the most of a long trial).
   */
  private readonly frames = new Map<number, Frame>();
  private oldest: Frame | null = null;
  private newestFrame: Frame | null = null;
  private usedFrames = 0;
  private nextAnonymous = -1;
  private newestAnonymous = 0;
  /** The most recently used key, to know whether the newest block can grow. */
  private newest = 0;
  /** A reader whose touches are not applied yet (see `deferTouches`). */
  private owedTouches: TouchReader | null = null;
  evictions = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error('frames per host must be a positive integer');
  }

  /**
   * A reader (a process's reference loop) has touched frames and will apply the touches with
   * `settle`, in order. The order after a run of touches depends only on each frame's last
   * touch, so the memory need not have the reader settle until something reads the order:
   * - a touch by anyone else of a resident frame, and a page brought in, go to the reader, which
   *   applies them in their place among its own (a message reads pages at every fragment);
   * - an eviction settles first if the frame it would take carries the reader's stretch serial
   *   (a frame the reader touched, or holds a touch of): any other is the least recently used
   *   with or without the touches;
   * - the host's other work and a drop settle first.
   * This gives the order that touching at once gives. The reader calls this again after each
   * `settle`.
   */
  deferTouches(reader: TouchReader): void {
    if (this.owedTouches !== reader) this.settleOwedTouches();
    this.owedTouches = reader;
  }

  private settleOwedTouches(): void {
    const reader = this.owedTouches;
    if (reader === null) return;
    this.owedTouches = null;
    reader.settle();
  }

  isResident(key: number): boolean {
    return this.frames.has(key);
  }

  private unlink(frame: Frame): void {
    if (frame.older) frame.older.newer = frame.newer;
    else this.oldest = frame.newer;
    if (frame.newer) frame.newer.older = frame.older;
    else this.newestFrame = frame.older;
    frame.older = null;
    frame.newer = null;
  }

  private append(frame: Frame): void {
    frame.older = this.newestFrame;
    frame.newer = null;
    if (this.newestFrame) this.newestFrame.newer = frame;
    else this.oldest = frame;
    this.newestFrame = frame;
  }

  private insert(key: number, count: number): Frame {
    const frame: Frame = { key, count, older: null, newer: null, resident: true, deferredBy: 0 };
    this.frames.set(key, frame);
    this.append(frame);
    return frame;
  }

  private remove(frame: Frame): void {
    this.frames.delete(frame.key);
    this.unlink(frame);
    frame.resident = false;
  }

  /** Mark a page used now. Returns false if it was not resident. */
  touch(key: number): boolean {
    return this.touchFrame(key) !== null;
  }

  /** Mark a page used now and return its frame, or null if it was not resident. */
  touchFrame(key: number): Frame | null {
    const frame = this.frames.get(key);
    if (frame === undefined) return null;
    if (this.owedTouches !== null) this.owedTouches.touchedByOther(frame);
    else this.retouch(frame);
    return frame;
  }

  /**
   * The frame holding a resident page, without marking it used; null if not resident. The frame
   * is a handle for `retouch` while nothing can have evicted it (no other code has run since).
   */
  residentFrame(key: number): Frame | null {
    return this.frames.get(key) ?? null;
  }

  /**
   * Mark used now a resident frame that `touchFrame` or `residentFrame` returned: a touch without
   * the lookup (frame keys above 2^31 are heap numbers in V8, which makes the lookup dear).
   */
  retouch(frame: Frame): void {
    this.settleOwedTouches();
    if (frame !== this.newestFrame) {
      this.unlink(frame);
      this.append(frame);
    }
    frame.count = 1;
    this.newest = frame.key;
  }

  /** Bring a page into a frame, evicting the least recently used frames if full. */
  admit(key: number): void {
    if (this.touch(key)) return;
    this.makeRoom(1);
    const frame = this.insert(key, 1);
    this.newest = key;
    this.usedFrames += 1;
    // Newest now, but the reader's earlier touches go after it when it settles: it takes its place.
    if (this.owedTouches !== null) this.owedTouches.touchedByOther(frame);
  }

  drop(key: number): void {
    this.settleOwedTouches();
    const frame = this.frames.get(key);
    if (frame === undefined) return;
    this.remove(frame);
    this.usedFrames -= 1;
  }

  /** Frames taken by the host's other activity. */
  admitAnonymous(pages: number): void {
    const count = Math.min(pages, this.capacity);
    if (count <= 0) return;
    this.settleOwedTouches();
    this.makeRoom(count);
    // Extend the newest block when nothing was admitted since, else start a new one.
    const block = this.newest === this.newestAnonymous ? this.frames.get(this.newestAnonymous) : undefined;
    if (block !== undefined) {
      block.count += count;
    } else {
      this.newestAnonymous = this.nextAnonymous--;
      this.insert(this.newestAnonymous, count);
      this.newest = this.newestAnonymous;
    }
    this.usedFrames += count;
  }

  private makeRoom(needed: number): void {
    while (this.usedFrames + needed > this.capacity) {
      const reader = this.owedTouches;
      if (reader !== null && this.oldest!.deferredBy === reader.stretchSerial) {
        this.settleOwedTouches(); // the reader's touches would move this frame: apply them
        continue;
      }
      const oldest = this.oldest!;
      const excess = this.usedFrames + needed - this.capacity;
      if (oldest.key < 0 && oldest.count > excess) {
        oldest.count -= excess;
        this.usedFrames -= excess;
        this.evictions += excess;
        return;
      }
      this.remove(oldest);
      this.usedFrames -= oldest.count;
      this.evictions += oldest.count;
    }
  }

  /** The keys in LRU order, least recently used first (for tests and checks; settles first). */
  keysByAge(): number[] {
    this.settleOwedTouches();
    const keys: number[] = [];
    for (let frame = this.oldest; frame !== null; frame = frame.newer) keys.push(frame.key);
    return keys;
  }

  get used(): number {
    return this.usedFrames;
  }
}

/** A frame key for page `page` of memory object `objectId` (object ids < 2^20, pages < 2^32). */
export function pageKey(objectId: number, page: number): number {
  return objectId * 4_294_967_296 + page;
}

/** Background demand: every `intervalSeconds`, take the frames other activity needs. */
export function* backgroundDemand(
  sim: Simulation,
  memory: PhysicalMemory,
  pagesPerSecond: number,
  intervalSeconds = 1,
): Generator<ReturnType<Simulation['timeout']>, void, unknown> {
  if (pagesPerSecond <= 0) return;
  let owed = 0;
  for (;;) {
    yield sim.timeout(intervalSeconds);
    owed += pagesPerSecond * intervalSeconds;
    const whole = Math.floor(owed);
    owed -= whole;
    memory.admitAnonymous(whole);
  }
}
