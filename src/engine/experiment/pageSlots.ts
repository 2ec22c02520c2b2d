/**
 * Dense slots for the distinct pages of a reference string: slot `s` is the `s`-th distinct page
 * in order of first reference. A trial keeps its per-page flags in typed arrays indexed by slot,
 * so that the per-reference work is array reads rather than hash lookups.
 */
export interface PageSlots {
  /** The slot of each reference. */
  slotOf: Int32Array;
  /** The page of each slot. */
  pageOfSlot: Int32Array;
  /** The slot of a page, or -1 when the string never references it. */
  slotOfPage(page: number): number;
}

/** Largest page table kept as an array (4 bytes a page); sparser strings use a Map. */
const DENSE_TABLE_LIMIT = 1 << 22;

export function pageSlots(references: Int32Array): PageSlots {
  let highest = -1;
  let lowest = 0;
  for (let index = 0; index < references.length; index += 1) {
    const page = references[index]!;
    if (page > highest) highest = page;
    if (page < lowest) lowest = page;
  }
  const slotOf = new Int32Array(references.length);
  const pages: number[] = [];
  const dense =
    lowest >= 0 && highest < Math.max(1 << 16, Math.min(2 * references.length, DENSE_TABLE_LIMIT));
  if (dense) {
    const table = new Int32Array(highest + 1).fill(-1);
    for (let index = 0; index < references.length; index += 1) {
      const page = references[index]!;
      let slot = table[page]!;
      if (slot < 0) {
        slot = pages.length;
        table[page] = slot;
        pages.push(page);
      }
      slotOf[index] = slot;
    }
    return {
      slotOf,
      pageOfSlot: Int32Array.from(pages),
      slotOfPage: (page) => (page >= 0 && page < table.length ? table[page]! : -1),
    };
  }
  const table = new Map<number, number>();
  for (let index = 0; index < references.length; index += 1) {
    const page = references[index]!;
    let slot = table.get(page);
    if (slot === undefined) {
      slot = pages.length;
      table.set(page, slot);
      pages.push(page);
    }
    slotOf[index] = slot;
  }
  return { slotOf, pageOfSlot: Int32Array.from(pages), slotOfPage: (page) => table.get(page) ?? -1 };
}
