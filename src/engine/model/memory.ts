import type { Simulation } from '../kernel/simulation';

/**
 * A host's page frames, replaced least-recently-used. Frames hold pages of
 * address spaces and caches; keys are opaque numbers from `pageKey`. The
 * host's other activity (Accent uses memory as a disk cache) keeps taking
 * frames at a steady rate, so a page shipped early and left untouched ages
 * out to the local disk.
 */
export class PhysicalMemory {
  /** Map iteration order is insertion order: the first key is the least recently used. */
  private readonly frames = new Map<number, true>();
  private nextAnonymous = -1;
  evictions = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error(`frames per host must be a positive integer`);
  }

  isResident(key: number): boolean {
    return this.frames.has(key);
  }

  /** Mark a page used now. Returns false if it was not resident. */
  touch(key: number): boolean {
    if (!this.frames.delete(key)) return false;
    this.frames.set(key, true);
    return true;
  }

  /** Bring a page into a frame, evicting the least recently used page if full. */
  admit(key: number): void {
    if (this.frames.delete(key)) {
      this.frames.set(key, true);
      return;
    }
    while (this.frames.size >= this.capacity) {
      const oldest = this.frames.keys().next().value as number;
      this.frames.delete(oldest);
      this.evictions += 1;
    }
    this.frames.set(key, true);
  }

  drop(key: number): void {
    this.frames.delete(key);
  }

  /** Frames taken by the host's other activity. */
  admitAnonymous(pages: number): void {
    for (let i = 0; i < pages; i += 1) this.admit(this.nextAnonymous--);
  }

  get used(): number {
    return this.frames.size;
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
