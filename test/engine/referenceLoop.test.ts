import { describe, expect, it } from 'vitest';
import { RandomStream } from '../../src/engine/kernel/random';
import { referencesSurelyBefore } from '../../src/engine/experiment/referenceLoop';

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
