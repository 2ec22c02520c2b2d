import { describe, expect, it } from 'vitest';
import { RandomStream } from '../../src/engine/kernel/random';
import { AMap } from '../../src/engine/model/amap';

describe('AMap', () => {
  it('treats anything outside its ranges as BadMem', () => {
    const amap = new AMap();
    amap.set(10, 20, 'RealMem');
    expect(amap.distanceOf(9)).toBe('BadMem');
    expect(amap.distanceOf(10)).toBe('RealMem');
    expect(amap.distanceOf(19)).toBe('RealMem');
    expect(amap.distanceOf(20)).toBe('BadMem');
  });

  it('splits a range when the middle changes and merges it back', () => {
    const amap = new AMap();
    amap.set(0, 100, 'RealZeroMem');
    amap.set(40, 50, 'RealMem');
    expect(amap.ranges()).toEqual([
      { start: 0, end: 40, distance: 'RealZeroMem' },
      { start: 40, end: 50, distance: 'RealMem' },
      { start: 50, end: 100, distance: 'RealZeroMem' },
    ]);
    amap.set(40, 50, 'RealZeroMem');
    expect(amap.ranges()).toEqual([{ start: 0, end: 100, distance: 'RealZeroMem' }]);
  });

  it('overwrites ranges that a new range covers, partly or wholly', () => {
    const amap = new AMap();
    amap.set(0, 10, 'RealMem');
    amap.set(10, 20, 'RealZeroMem');
    amap.set(20, 30, 'RealMem');
    amap.set(5, 25, 'ImagMem', { segmentId: 1, offset: 100 });
    expect(amap.ranges()).toEqual([
      { start: 0, end: 5, distance: 'RealMem' },
      { start: 5, end: 25, distance: 'ImagMem', backing: { segmentId: 1, offset: 100 } },
      { start: 25, end: 30, distance: 'RealMem' },
    ]);
    expect(amap.backingOf(7)).toEqual({ segmentId: 1, offset: 102 });
  });

  it('merges ImagMem ranges only when their backing is contiguous', () => {
    const amap = new AMap();
    amap.set(0, 10, 'ImagMem', { segmentId: 1, offset: 0 });
    amap.set(10, 20, 'ImagMem', { segmentId: 1, offset: 10 });
    amap.set(20, 30, 'ImagMem', { segmentId: 1, offset: 50 });
    amap.set(30, 40, 'ImagMem', { segmentId: 2, offset: 60 });
    expect(amap.size).toBe(3);
    // Turning one page real in the middle splits the backing offsets correctly.
    amap.set(5, 6, 'RealMem');
    expect(amap.backingOf(4)).toEqual({ segmentId: 1, offset: 4 });
    expect(amap.backingOf(6)).toEqual({ segmentId: 1, offset: 6 });
    expect(amap.distanceOf(5)).toBe('RealMem');
  });

  it('removes pages set to BadMem and counts pages by distance', () => {
    const amap = new AMap();
    amap.set(0, 8_253_762, 'RealZeroMem');
    amap.set(100, 200, 'RealMem');
    amap.set(150, 160, 'BadMem');
    expect(amap.distanceOf(155)).toBe('BadMem');
    expect(amap.countPages('RealMem')).toBe(90);
    expect(amap.countPages('RealZeroMem')).toBe(8_253_762 - 100);
    expect([...amap.pagesOf('RealMem')]).toHaveLength(90);
  });

  it('keeps a space of millions of pages as a handful of entries', () => {
    const amap = new AMap();
    amap.set(0, 8_258_065, 'RealZeroMem');
    for (let page = 0; page < 4000; page += 40) amap.set(page, page + 20, 'RealMem');
    expect(amap.size).toBe(200);
    const copy = amap.clone();
    copy.set(0, 20, 'RealZeroMem');
    expect(amap.distanceOf(0)).toBe('RealMem');
  });

  it('gives every page the distance and backing the last set gave it, and stays merged, over random sets', () => {
    const random = RandomStream.fromSeed(31);
    const distances = ['RealMem', 'RealZeroMem', 'ImagMem', 'BadMem'] as const;
    for (let trial = 0; trial < 40; trial += 1) {
      const pages = random.int(10, 200);
      const amap = new AMap();
      // The plain model: one entry per page.
      const model: (string | null)[] = new Array<string | null>(pages).fill(null);
      for (let step = 0; step < 300; step += 1) {
        // Mostly one page at a time, in order, as a resident set is backed or pages arrive.
        const start = random.chance(0.5) ? step % pages : random.int(0, pages - 1);
        const end = Math.min(pages, start + (random.chance(0.7) ? 1 : random.int(1, 20)));
        const distance = distances[random.int(0, 3)]!;
        const segmentId = random.int(1, 2);
        const shift = random.chance(0.8) ? 0 : 7;
        const backing = distance === 'ImagMem' ? { segmentId, offset: start + shift } : undefined;
        amap.set(start, end, distance, backing);
        for (let page = start; page < end; page += 1) {
          model[page] =
            distance === 'BadMem'
              ? null
              : distance === 'ImagMem'
                ? `ImagMem ${segmentId}:${page + shift}`
                : distance;
        }
      }
      for (let page = 0; page < pages; page += 1) {
        const backing = amap.backingOf(page);
        const distance = amap.distanceOf(page);
        const seen =
          distance === 'BadMem'
            ? null
            : distance === 'ImagMem'
              ? `ImagMem ${backing!.segmentId}:${backing!.offset}`
              : distance;
        expect(seen).toBe(model[page]);
      }
      const ranges = amap.ranges();
      for (let at = 1; at < ranges.length; at += 1) {
        const left = ranges[at - 1]!;
        const right = ranges[at]!;
        const mergeable =
          left.end === right.start &&
          left.distance === right.distance &&
          (left.distance !== 'ImagMem' ||
            (left.backing!.segmentId === right.backing!.segmentId &&
              left.backing!.offset + (left.end - left.start) === right.backing!.offset));
        expect(mergeable).toBe(false);
      }
    }
  });

  it('rejects malformed ranges', () => {
    const amap = new AMap();
    expect(() => amap.set(5, 2, 'RealMem')).toThrow(/invalid/);
    expect(() => amap.set(0.5, 2, 'RealMem')).toThrow(/invalid/);
    expect(() => amap.set(0, 2, 'ImagMem')).toThrow(/backing/);
  });
});

describe('PhysicalMemory', () => {
  it('replaces the least recently used frames, other activity included', async () => {
    const { PhysicalMemory } = await import('../../src/engine/model/memory');
    const memory = new PhysicalMemory(4);
    memory.admitAnonymous(4);
    memory.admit(1);
    memory.admit(2);
    expect(memory.used).toBe(4);
    memory.touch(1);
    memory.admitAnonymous(1); // evicts the last old anonymous frames first
    memory.admitAnonymous(1);
    expect(memory.isResident(1)).toBe(true);
    expect(memory.isResident(2)).toBe(true);
    memory.admit(3); // now the oldest is page 2
    expect(memory.isResident(2)).toBe(false);
    expect(memory.isResident(1)).toBe(true);
    expect(memory.used).toBe(4);
    expect(memory.evictions).toBe(5);
  });

  it('tells a kept frame handle that its page was evicted or dropped', async () => {
    const { PhysicalMemory } = await import('../../src/engine/model/memory');
    const memory = new PhysicalMemory(2);
    memory.admit(1);
    memory.admit(2);
    const one = memory.residentFrame(1)!;
    const two = memory.residentFrame(2)!;
    memory.admit(3); // evicts page 1, the least recently used
    expect(one.resident).toBe(false);
    expect(two.resident).toBe(true);
    memory.admit(1); // back in a new frame: the old handle stays stale
    expect(memory.residentFrame(1)).not.toBe(one);
    expect(one.resident).toBe(false);
    memory.drop(3);
    memory.drop(2);
    expect(two.resident).toBe(false);
  });

  it('fills millions of frames with other activity cheaply', async () => {
    const { PhysicalMemory } = await import('../../src/engine/model/memory');
    const memory = new PhysicalMemory(4_194_304);
    memory.admitAnonymous(4_194_304);
    memory.admit(7);
    expect(memory.used).toBe(4_194_304);
    expect(memory.isResident(7)).toBe(true);
  });
});
