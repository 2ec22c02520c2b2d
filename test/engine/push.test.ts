import { describe, expect, it } from 'vitest';
import { RandomStream } from '../../src/engine/kernel/random';
import type { Host } from '../../src/engine/model/cluster';
import { ImaginaryBacker } from '../../src/engine/model/imaginary';
import type { OwedPage } from '../../src/engine/model/imaginary';

/** What takeForPush must do, written the plain way: filter, then walk out from the pivot. */
function naiveTake(owed: Map<number, OwedPage>, pivot: number, count: number): number[] {
  const order = [...owed.keys()].sort((a, b) => a - b);
  let after = order.findIndex((offset) => offset >= pivot);
  if (after === -1) after = order.length;
  let before = after - 1;
  const taken: number[] = [];
  while (taken.length < count && (after < order.length || before >= 0)) {
    if (after < order.length) taken.push(order[after++]!);
    if (taken.length < count && before >= 0) taken.push(order[before--]!);
  }
  for (const offset of taken) owed.delete(offset);
  return taken;
}

describe('post-copy push order', () => {
  it('takes the owed pages nearest the last fault, alternately after and before, skipping pages faulted in', () => {
    const random = RandomStream.fromSeed(6);
    const host = { sim: { now: 0 } } as unknown as Host;
    for (let trial = 0; trial < 20; trial += 1) {
      const pages = random.int(1, 400);
      const owed = new Map<number, OwedPage>();
      for (let i = 0; i < pages; i += 1) {
        const offset = random.int(0, 1_000);
        owed.set(offset, { content: offset + 1, frameKey: offset });
      }
      const model = new Map(owed);
      const backer = new ImaginaryBacker(host, owed, 0);
      while (model.size > 0) {
        if (random.chance(0.3)) {
          // A fault takes a page off the owed set by itself, and moves the pivot.
          const offsets = [...model.keys()];
          const faulted = offsets[random.int(0, offsets.length - 1)]!;
          model.delete(faulted);
          owed.delete(faulted);
          backer.lastFaultOffset = faulted;
          continue;
        }
        const count = random.int(1, 9);
        const expected = naiveTake(model, backer.lastFaultOffset, count);
        const { offsets, pages: taken } = backer.takeForPush(count);
        expect(offsets).toEqual(expected);
        expect(taken.map((page) => page.frameKey)).toEqual(expected);
        expect(backer.owedPages).toBe(model.size);
      }
    }
  });
});
