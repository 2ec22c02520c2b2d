import type { AMap } from '../model/amap';

/**
 * Dense slots for the pages of a reference string, so that a trial keeps its per-page flags in
 * typed arrays indexed by slot and a reference costs array reads rather than hash lookups.
 *
 * When the address space is small enough, a page is its own slot (no pass over the string: that
 * pass would cost several times the bound's loop). A larger space numbers its distinct referenced
 * pages in order of first reference instead.
 */
export interface PageSlots {
  /** Pages are their own slots (slot = page). */
  ownSlots: boolean;
  /** The slot of each reference (the reference string itself when pages are their own slots). */
  slotOf: Int32Array;
  /** The page of each slot. */
  pageOfSlot: Int32Array;
  /** The slot of a page, or -1 when it has none. */
  slotOfPage(page: number): number;
  /**
   * Whether a slot's page is in range. In an address space's own slots a reference outside the
   * space has no slot (it is an addressing error: the pager throws before the slot is used).
   */
  inRange(slot: number): boolean;
}

/**
 * Pages are their own slots in an address space of up to this many pages, or of up to as many
 * pages as the string has references: a trial's per-slot arrays take some 30 bytes a slot.
 */
export const OWN_SLOTS_MIN_LIMIT = 1 << 16;

/** Slots for `references`, made in an address space of `extentPages` pages from page 0. */
export function pageSlots(references: Int32Array, extentPages: number): PageSlots {
  if (extentPages > 0 && extentPages <= Math.max(OWN_SLOTS_MIN_LIMIT, references.length)) {
    const pageOfSlot = new Int32Array(extentPages);
    for (let page = 0; page < extentPages; page += 1) pageOfSlot[page] = page;
    const inRange = (slot: number): boolean => slot >= 0 && slot < extentPages;
    return {
      ownSlots: true,
      slotOf: references,
      pageOfSlot,
      slotOfPage: (page) => (inRange(page) ? page : -1),
      inRange,
    };
  }
  return distinctPageSlots(references);
}

/** Slot `s` is the `s`-th distinct page of the string in order of first reference. */
export function distinctPageSlots(references: Int32Array): PageSlots {
  const slotOf = new Int32Array(references.length);
  const pages: number[] = [];
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
  return {
    ownSlots: false,
    slotOf,
    pageOfSlot: Int32Array.from(pages),
    slotOfPage: (page) => table.get(page) ?? -1,
    inRange: () => true,
  };
}

/** 1 for each slot whose page is RealMem in `amap`. */
export function realMemFlags(slots: PageSlots, amap: AMap): Uint8Array {
  const pages = slots.pageOfSlot;
  const flags = new Uint8Array(pages.length);
  if (slots.ownSlots) {
    // Pages are their own slots: mark the RealMem ranges rather than look up every page.
    for (const range of amap.ranges()) {
      if (range.distance !== 'RealMem') continue;
      flags.fill(1, Math.max(0, range.start), Math.min(pages.length, range.end));
    }
    return flags;
  }
  for (let slot = 0; slot < pages.length; slot += 1) {
    flags[slot] = amap.distanceOf(pages[slot]!) === 'RealMem' ? 1 : 0;
  }
  return flags;
}
