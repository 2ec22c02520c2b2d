import { describe, expect, it } from 'vitest';
import { pageSlots } from '../../src/engine/experiment/pageSlots';

describe('pageSlots', () => {
  it('numbers distinct pages in order of first reference', () => {
    const slots = pageSlots(Int32Array.from([7, 3, 7, 9, 3]));
    expect([...slots.slotOf]).toEqual([0, 1, 0, 2, 1]);
    expect([...slots.pageOfSlot]).toEqual([7, 3, 9]);
    expect(slots.slotOfPage(9)).toBe(2);
    expect(slots.slotOfPage(8)).toBe(-1);
    expect(slots.slotOfPage(1_000_000)).toBe(-1);
    expect(slots.slotOfPage(-1)).toBe(-1);
  });

  it('gives the same slots for pages too sparse for a table', () => {
    const far = 2_000_000_000;
    const slots = pageSlots(Int32Array.from([far, 5, far, 5, -4]));
    expect([...slots.slotOf]).toEqual([0, 1, 0, 1, 2]);
    expect([...slots.pageOfSlot]).toEqual([far, 5, -4]);
    expect(slots.slotOfPage(-4)).toBe(2);
    expect(slots.slotOfPage(6)).toBe(-1);
  });
});
