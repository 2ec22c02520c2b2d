import type { Simulation } from '../kernel/simulation';

/**
 * A host's page frames, replaced least-recently-used. Frames hold pages of
 * address spaces and caches; keys are opaque numbers from `pageKey`. The
 * host's other activity (Accent uses memory as a disk cache) keeps taking
 * frames at a steady rate, so a page shipped early and left untouched ages
 * out to the local disk.
 */
export class PhysicalMemory {
  /**
   * Least recently used first (Map iteration is insertion order). A page maps to 1;
   * frames of other activity are kept as blocks (negative keys) holding a count, so
   * filling a large memory costs one entry, not millions.
   */
  private readonly frames = new Map<number, number>();
  private usedFrames = 0;
  private nextAnonymous = -1;
  private newestAnonymous = 0;
  /** The most recently used key, to know whether the newest block can grow. */
  private newest = 0;
  evictions = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error('frames per host must be a positive integer');
  }

  isResident(key: number): boolean {
    return this.frames.has(key);
  }

  /** Mark a page used now. Returns false if it was not resident. */
  touch(key: number): boolean {
    if (!this.frames.delete(key)) return false;
    this.frames.set(key, 1);
    this.newest = key;
    return true;
  }

  /** Bring a page into a frame, evicting the least recently used frames if full. */
  admit(key: number): void {
    if (this.touch(key)) return;
    this.makeRoom(1);
    this.frames.set(key, 1);
    this.newest = key;
    this.usedFrames += 1;
  }

  drop(key: number): void {
    if (this.frames.delete(key)) this.usedFrames -= 1;
  }

  /** Frames taken by the host's other activity. */
  admitAnonymous(pages: number): void {
    const count = Math.min(pages, this.capacity);
    if (count <= 0) return;
    this.makeRoom(count);
    // Extend the newest block when nothing was admitted since, else start a new one.
    if (this.newest === this.newestAnonymous && this.frames.has(this.newestAnonymous)) {
      this.frames.set(this.newestAnonymous, this.frames.get(this.newestAnonymous)! + count);
    } else {
      this.newestAnonymous = this.nextAnonymous--;
      this.frames.set(this.newestAnonymous, count);
      this.newest = this.newestAnonymous;
    }
    this.usedFrames += count;
  }

  private makeRoom(needed: number): void {
    while (this.usedFrames + needed > this.capacity) {
      const [oldest, count] = this.frames.entries().next().value as [number, number];
      const excess = this.usedFrames + needed - this.capacity;
      if (oldest < 0 && count > excess) {
        this.frames.set(oldest, count - excess);
        this.usedFrames -= excess;
        this.evictions += excess;
        return;
      }
      this.frames.delete(oldest);
      this.usedFrames -= count;
      this.evictions += count;
    }
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
