import { describe, expect, it } from 'vitest';
import { AddressingError } from '../../../src/engine/model/pager';
import { migrate, placeTestProcess, runToEnd, twoHosts } from '../harness';

describe('Pager/Scheduler fault paths', () => {
  it('FillZero: zero page in a frame, no disk, no network', () => {
    const { sim, cluster, source } = twoHosts();
    const process = placeTestProcess(source, [{ start: 0, end: 10, distance: 'RealZeroMem' }]);
    const outcome = runToEnd(sim, source.pager.fault(process.space, 4, process.name));
    expect(outcome.kind).toBe('fill-zero');
    const hardware = cluster.hardware;
    expect(sim.now * 1000).toBeCloseTo(hardware.cpu.faultOverheadMs + hardware.cpu.fillZeroMs, 9);
    expect(process.space.amap.distanceOf(4)).toBe('RealMem');
    expect(process.space.pages.get(4)?.content).toBe(0);
    expect(source.disk.busySeconds).toBe(0);
    expect(cluster.counters.bytesTotal).toBe(0);
  });

  it('disk fault: a RealMem page not in memory costs 40.8 ms on the Perq', () => {
    const { sim, cluster, source } = twoHosts();
    const process = placeTestProcess(source, [{ start: 0, end: 10, distance: 'RealMem' }], [1]);
    const outcome = runToEnd(sim, source.pager.fault(process.space, 5, process.name));
    expect(outcome.kind).toBe('disk');
    expect(sim.now * 1000).toBeCloseTo(40.8, 9);
    expect(source.memory.isResident(process.space.pages.get(5)!.frameKey)).toBe(true);
    expect(cluster.counters.diskFaults).toBe(1);
  });

  it('BadMem: a clear addressing error naming the page and address', () => {
    const { sim, source } = twoHosts();
    const process = placeTestProcess(source, [{ start: 0, end: 10, distance: 'RealMem' }]);
    const failing = sim.process(source.pager.fault(process.space, 12, process.name));
    failing.defused = true;
    sim.run();
    expect(failing.error).toBeInstanceOf(AddressingError);
    expect(failing.error?.message).toMatch(
      /addressing error: test-process touched page 12 \(address 0x1800\)/,
    );
  });
});

describe('imaginary faults after a migration', () => {
  it('imaginary faults bring the faulted page and prefetch the following owed ones', () => {
    const setup = migrate('pure-iou', 3);
    const { sim, destination, migrated, cluster } = setup;
    const outcome = runToEnd(sim, destination.pager.fault(migrated.space, 2, migrated.name));
    expect(outcome.kind).toBe('imaginary');
    // Pages 3..5 follow page 2 in the collapsed RIMAS.
    expect(outcome.prefetched).toEqual([3, 4, 5]);
    expect(cluster.counters.imaginaryFaults).toBe(1);
    expect(cluster.counters.bytesFault).toBeGreaterThan(4 * 512);
    // Page 7 is followed in the RIMAS by page 100 (RealZero pages are not in it).
    const across = runToEnd(sim, destination.pager.fault(migrated.space, 7, migrated.name));
    expect(across.prefetched).toEqual([100, 101, 102]);
  });

  it('a pure-IOU imaginary fault at PF0 on the Perq costs about 115 ms', () => {
    const setup = migrate('pure-iou', 0, []);
    const { sim, destination, migrated } = setup;
    const started = sim.now;
    runToEnd(sim, destination.pager.fault(migrated.space, 3, migrated.name));
    const ms = (sim.now - started) * 1000;
    expect(ms).toBeGreaterThan(100);
    expect(ms).toBeLessThan(140);
  });
});
