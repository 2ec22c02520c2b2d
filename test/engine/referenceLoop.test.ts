import { describe, expect, it } from 'vitest';
import { RandomStream } from '../../src/engine/kernel/random';
import { ReferenceLoop, referencesSurelyBefore } from '../../src/engine/experiment/referenceLoop';
import { AddressSpace } from '../../src/engine/model/addressSpace';
import { PhysicalMemory, pageKey } from '../../src/engine/model/memory';

/** How many sums of `seconds` onto `sum` stay below `limit` when each is tested: the plain way. */
function referencesBefore(sum: number, limit: number, seconds: number, cap: number): number {
  let count = 0;
  while (count < cap && sum + seconds < limit) {
    sum += seconds;
    count += 1;
  }
  return count;
}

describe('references that surely end before a limit', () => {
  it('never lets a summed reference reach the limit, and leaves at most a few for the tested loop', () => {
    const random = RandomStream.fromSeed(11);
    let close = 0;
    for (let trial = 0; trial < 400; trial += 1) {
      // Clocks from microseconds to a year of simulated time, and spans down to a few references.
      const seconds = 10 ** (random.next() * 8 - 9);
      const clock = random.chance(0.2) ? 0 : 10 ** (random.next() * 13 - 6);
      const references = random.int(0, 50_000);
      const horizon = clock + (references + random.next()) * seconds;
      const fit = referencesSurelyBefore(clock, horizon, seconds, horizon);
      const exact = referencesBefore(clock, horizon, seconds, references + 10);
      expect(fit).toBeLessThanOrEqual(exact);
      // Where the summed rounding is under a reference (any trial's clock), it leaves a few.
      const reserveReferences = ((references + 2) * 2 ** -51 * horizon) / seconds;
      if (reserveReferences < 1) {
        expect(exact - fit).toBeLessThanOrEqual(3);
        close += 1;
      }
    }
    expect(close).toBeGreaterThan(200);
  });

  it('keeps a batch added to the time before a tick below the tick', () => {
    const random = RandomStream.fromSeed(12);
    for (let trial = 0; trial < 400; trial += 1) {
      const seconds = 10 ** (random.next() * 6 - 7);
      const now = random.next() * 10 ** random.int(0, 7);
      const nextTick = now + random.next() * 50_000 * seconds;
      const batched = random.next() * (nextTick - now);
      const fit = referencesSurelyBefore(batched, nextTick - now, seconds, nextTick);
      let sum = batched;
      let reached = 0;
      for (let k = 0; k < fit; k += 1) {
        sum += seconds;
        if (now + sum >= nextTick) reached += 1;
      }
      expect(reached).toBe(0);
      expect(fit).toBeGreaterThan(0);
    }
  });

  it('runs everything before an infinite limit and nothing past the limit or at zero compute', () => {
    expect(referencesSurelyBefore(5, Infinity, 1e-5, Infinity)).toBe(Infinity);
    expect(referencesSurelyBefore(5, 5, 1e-5, 5)).toBe(0);
    expect(referencesSurelyBefore(6, 5, 1e-5, 6)).toBe(0);
    expect(referencesSurelyBefore(0, 1, 0, 1)).toBe(0);
  });
});

describe('the reference loop and the LRU order', () => {
  /**
   * A process's references run by the loop on one memory, and the same references touched one
   * by one on another, with the same touches, admissions and other activity of others between
   * runs: the two memories must hold the same frames in the same order throughout.
   */
  it('leaves the order that touching at every reference gives, with others touching and evicting between runs', () => {
    const random = RandomStream.fromSeed(21);
    for (let trial = 0; trial < 30; trial += 1) {
      const pages = random.int(20, 120);
      const references = new Int32Array(3_000);
      let at = 0;
      for (let i = 0; i < references.length; i += 1) {
        at = random.chance(0.05)
          ? random.int(0, pages - 1)
          : Math.max(0, Math.min(pages - 1, at + random.int(-3, 3)));
        references[i] = at;
      }
      const writes = new Uint8Array(references.length).map(() => (random.chance(0.3) ? 1 : 0));
      const space = AddressSpace.fromRanges(1, 512, [{ start: 0, end: pages, distance: 'RealMem' }]);
      for (let page = 0; page < pages; page += 1)
        space.pages.set(page, { content: 1, frameKey: pageKey(1, page) });
      const capacity = random.int(Math.ceil(pages / 2), pages + 20);
      const looped = new PhysicalMemory(capacity);
      const touched = new PhysicalMemory(capacity);
      for (let page = 0; page < pages; page += 1) {
        looped.admit(pageKey(1, page));
        touched.admit(pageKey(1, page));
      }
      const written: number[] = [];
      const loop = new ReferenceLoop({
        references,
        space,
        memory: looped,
        writes: { flags: writes, apply: (page) => written.push(page) },
        secondsBefore: undefined,
        secondsPerReference: 1,
        interval: Infinity,
        from: 0,
        firstReferenceSeconds: null,
      });
      let index = 0;
      let now = 0;
      while (index < references.length) {
        const ran = loop.runSourceHits(index, now, now + random.int(1, 60) + 0.5);
        for (let i = index; i < ran; i += 1) touched.touch(pageKey(1, references[i]!));
        now = loop.clock;
        index = ran;
        if (loop.stoppedAtFault) {
          // Evicted by others: the fault brings the page back into both.
          const key = pageKey(1, references[index]!);
          looped.admit(key);
          touched.admit(key);
          index += 1;
        }
        // Others between runs: a message reading pages, a page brought in, the host's own work.
        for (const memory of [looped, touched]) memory.touch(pageKey(1, (index * 7) % pages));
        const action = random.int(0, 3);
        const page = random.int(0, pages - 1);
        for (const memory of [looped, touched]) {
          if (action === 0) memory.touch(pageKey(1, page));
          if (action === 1) memory.admit(pageKey(2, page));
          if (action === 2) memory.admitAnonymous(3);
          if (action === 3) memory.drop(pageKey(1, page));
        }
        if (action === 3) space.pages.delete(page);
        // Looking settles the loop: not every time, so that a stretch spans others' touches.
        if (random.chance(0.2)) expect(looped.keysByAge()).toEqual(touched.keysByAge());
        if (action === 3) space.pages.set(page, { content: 1, frameKey: pageKey(1, page) });
      }
      loop.settle();
      expect(looped.keysByAge()).toEqual(touched.keysByAge());
      expect(looped.evictions).toBe(touched.evictions);
    }
  });
});
