import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';

/**
 * Seeded random numbers. One experiment seed; each trial (and each named
 * purpose inside a trial) gets its own stream by jumping the generator
 * (2^64 steps per jump), never by inventing new seeds, so streams do not overlap.
 */
export class RandomStream {
  private constructor(private readonly generator: JumpableRandomGenerator) {}

  static fromSeed(seed: number): RandomStream {
    if (!Number.isSafeInteger(seed)) throw new Error(`seed must be a safe integer, got ${seed}`);
    return new RandomStream(xoroshiro128plus(seed));
  }

  /** The stream `index` jumps away from this one; this stream is left unchanged. */
  substream(index: number): RandomStream {
    const generator = this.generator.clone();
    for (let i = 0; i <= index; i += 1) generator.jump();
    return new RandomStream(generator);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return uniformFloat64(this.generator);
  }

  /** Uniform integer in [from, to]. */
  int(from: number, to: number): number {
    return uniformInt(this.generator, from, to);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** Fisher-Yates shuffle in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i -= 1) {
      const j = this.int(0, i);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }

  /** `count` distinct items drawn without replacement, in their original order. */
  sample<T>(items: readonly T[], count: number): T[] {
    if (count > items.length) throw new Error(`cannot sample ${count} of ${items.length}`);
    const indices = this.shuffle(items.map((_, index) => index)).slice(0, count);
    indices.sort((a, b) => a - b);
    return indices.map((index) => items[index]!);
  }
}
