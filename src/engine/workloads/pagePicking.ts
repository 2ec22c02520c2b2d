import type { RandomStream } from '../kernel/random';

/**
 * How a synthetic workload picks its pages (./synthetic.ts): random splits of a count into runs,
 * runs that go on with a probability or to a mean length, and sequential extents. Each works over
 * positions 0..n-1 marked eligible, and marks what it picks in `chosen`.
 */

/** Split `total` into `parts` positive integers at random. */
export function randomComposition(total: number, parts: number, random: RandomStream): number[] {
  if (parts === 0) return [];
  const cuts = new Set<number>();
  // Choose parts-1 distinct cut points in [1, total-1].
  if (parts - 1 > (total - 1) / 2) {
    const all = Array.from({ length: total - 1 }, (_, i) => i + 1);
    for (const cut of random.sample(all, parts - 1)) cuts.add(cut);
  } else {
    while (cuts.size < parts - 1) cuts.add(random.int(1, total - 1));
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  const sizes: number[] = [];
  let previous = 0;
  for (const cut of [...sorted, total]) {
    sizes.push(cut - previous);
    previous = cut;
  }
  return sizes;
}

/** Eligible positions not chosen yet, in random order; there must be at least `count`. */
function shuffledCandidates(
  eligible: Uint8Array,
  chosen: Uint8Array,
  count: number,
  random: RandomStream,
): number[] {
  const candidates: number[] = [];
  for (let i = 0; i < eligible.length; i += 1) if (eligible[i] && !chosen[i]) candidates.push(i);
  if (candidates.length < count) throw new Error(`cannot choose ${count} pages among ${candidates.length}`);
  return random.shuffle(candidates);
}

/**
 * Pick `count` positions among the eligible ones as runs: each run starts at
 * a random eligible position and goes on to the next eligible position with
 * probability `continueProbability`.
 */
export function growRuns(
  eligible: Uint8Array,
  count: number,
  continueProbability: number,
  random: RandomStream,
  chosen: Uint8Array,
): number[] {
  const candidates = shuffledCandidates(eligible, chosen, count, random);
  const picked: number[] = [];
  let cursor = 0;
  while (picked.length < count) {
    let position = candidates[cursor++]!;
    if (chosen[position]) continue;
    for (;;) {
      chosen[position] = 1;
      picked.push(position);
      const next = position + 1;
      if (picked.length >= count || next >= eligible.length || !eligible[next] || chosen[next]) break;
      if (!random.chance(continueProbability)) break;
      position = next;
    }
  }
  return picked;
}

/**
 * Pick `count` positions as runs of `runPages` on average (a fractional part
 * makes some runs one page longer), each run starting at a random eligible
 * position and stopping early at an ineligible or already chosen one.
 */
export function growFixedRuns(
  eligible: Uint8Array,
  count: number,
  runPages: number,
  random: RandomStream,
  chosen: Uint8Array,
): number[] {
  const candidates = shuffledCandidates(eligible, chosen, count, random);
  const picked: number[] = [];
  let cursor = 0;
  let carry = 0;
  let avoidJoining = true;
  while (picked.length < count) {
    if (cursor >= candidates.length) {
      // Second pass over what is left, now allowing runs that touch earlier ones.
      cursor = 0;
      avoidJoining = false;
    }
    let position = candidates[cursor++]!;
    if (chosen[position]) continue;
    // Do not start a run right after a chosen page: that would only lengthen a run.
    if (avoidJoining && position > 0 && chosen[position - 1]) continue;
    carry += runPages;
    const length = Math.max(1, Math.floor(carry));
    carry -= length;
    for (let taken = 0; taken < length && picked.length < count; taken += 1) {
      chosen[position] = 1;
      picked.push(position);
      position += 1;
      if (position >= eligible.length || !eligible[position] || chosen[position]) break;
    }
  }
  return picked;
}

/**
 * Sequential extents (mapped files): each starts at a random position not yet
 * covered by another extent and uses `density` of its pages, so the density
 * seen ahead of any touched page is `density`, whatever the prefetch.
 */
export function growExtents(
  eligible: Uint8Array,
  count: number,
  density: number,
  extentPages: number,
  random: RandomStream,
  chosen: Uint8Array,
): number[] {
  const covered = new Uint8Array(eligible.length);
  const picked: number[] = [];
  let guard = 0;
  while (picked.length < count) {
    guard += 1;
    if (guard > 100_000) throw new Error(`cannot lay ${count} sequential pages`);
    let start = random.int(0, eligible.length - 1);
    while (start < eligible.length && covered[start]) start += 1;
    for (let position = start; position < Math.min(eligible.length, start + extentPages); position += 1) {
      if (covered[position]) break;
      covered[position] = 1;
      if (picked.length >= count || !eligible[position] || chosen[position]) continue;
      if (!random.chance(density)) continue;
      chosen[position] = 1;
      picked.push(position);
    }
    if (covered.every((flag) => flag === 1) && picked.length < count) covered.fill(0);
  }
  return picked;
}
