import { describe, expect, it } from 'vitest';
import { AMap } from '../../src/engine/model/amap';
import { pageSlots, realMemFlags } from '../../src/engine/experiment/pageSlots';

describe('pageSlots', () => {
  it('makes pages their own slots in a small address space', () => {
    const references = Int32Array.from([7, 3, 7, 9]);
    const slots = pageSlots(references, 10);
    expect(slots.ownSlots).toBe(true);
    expect(slots.slotOf).toBe(references);
    expect(slots.pageOfSlot.length).toBe(10);
    expect(slots.slotOfPage(9)).toBe(9);
    expect(slots.slotOfPage(10)).toBe(-1);
    expect(slots.slotOfPage(-1)).toBe(-1);
    expect(slots.inRange(10)).toBe(false);
  });

  it('numbers distinct pages in order of first reference in a large one', () => {
    const far = 2_000_000_000;
    const slots = pageSlots(Int32Array.from([far, 5, far, 5, 9]), far + 1);
    expect(slots.ownSlots).toBe(false);
    expect([...slots.slotOf]).toEqual([0, 1, 0, 1, 2]);
    expect([...slots.pageOfSlot]).toEqual([far, 5, 9]);
    expect(slots.slotOfPage(9)).toBe(2);
    expect(slots.slotOfPage(6)).toBe(-1);
  });

  it('flags the RealMem pages either way', () => {
    const amap = new AMap();
    amap.set(0, 4, 'RealMem');
    amap.set(4, 8, 'RealZeroMem');
    amap.set(8, 9, 'RealMem');
    const references = Int32Array.from([8, 5, 1]);
    expect([...realMemFlags(pageSlots(references, 9), amap)]).toEqual([1, 1, 1, 1, 0, 0, 0, 0, 1]);
    expect([...realMemFlags(pageSlots(references, 1e9), amap)]).toEqual([1, 0, 1]);
  });
});
