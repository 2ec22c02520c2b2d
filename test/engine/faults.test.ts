import { describe, expect, it } from 'vitest';
import { AddressingError } from '../../src/engine/model/pager';
import { insertProcess } from '../../src/engine/model/migration';
import type { AccentProcess, StrategyName } from '../../src/engine/model/migration';
import type { Message } from '../../src/engine/model/ports';
import { placeProcess, quietPerq, runToEnd, twoHosts } from './harness';
import { AMap } from '../../src/engine/model/amap';
import type { HardwarePreset } from '../../src/engine/hardware/presets';
import { piecesByFragment } from '../../src/engine/model/netMessageServer';

describe('Pager/Scheduler fault paths', () => {
  it('FillZero: zero page in a frame, no disk, no network', () => {
    const { sim, cluster, source } = twoHosts();
    const process = placeProcess(cluster, source, [{ start: 0, end: 10, distance: 'RealZeroMem' }]);
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
    const process = placeProcess(cluster, source, [{ start: 0, end: 10, distance: 'RealMem' }], [1]);
    const outcome = runToEnd(sim, source.pager.fault(process.space, 5, process.name));
    expect(outcome.kind).toBe('disk');
    expect(sim.now * 1000).toBeCloseTo(40.8, 9);
    expect(source.memory.isResident(process.space.pages.get(5)!.frameKey)).toBe(true);
    expect(cluster.counters.diskFaults).toBe(1);
  });

  it('BadMem: a clear addressing error naming the page and address', () => {
    const { sim, cluster, source } = twoHosts();
    const process = placeProcess(cluster, source, [{ start: 0, end: 10, distance: 'RealMem' }]);
    const failing = sim.process(source.pager.fault(process.space, 12, process.name));
    failing.defused = true;
    sim.run();
    expect(failing.error).toBeInstanceOf(AddressingError);
    expect(failing.error?.message).toMatch(
      /addressing error: test-process touched page 12 \(address 0x1800\)/,
    );
  });
});

/** Excise on the source, send with a strategy, insert on the destination. */
function migrate(strategy: StrategyName, prefetch = 0, resident: number[] = [0, 1, 2]) {
  return migrateOn(quietPerq(), strategy, prefetch, resident);
}

function migrateOn(hardware: HardwarePreset, strategy: StrategyName, prefetch: number, resident: number[]) {
  const setup = twoHosts(hardware);
  const { sim, cluster, source, destination } = setup;
  const process = placeProcess(
    cluster,
    source,
    [
      { start: 0, end: 8, distance: 'RealMem' },
      { start: 8, end: 100, distance: 'RealZeroMem' },
      { start: 100, end: 112, distance: 'RealMem' },
    ],
    resident,
  );
  const original = new Map([...process.space.pages].map(([page, state]) => [page, state.content]));
  const migrated = runToEnd(
    sim,
    (function* () {
      yield* source.migrationManager.migrate(process, destination.migrationManager, strategy, prefetch);
      const [core, rimas] = (yield destination.migrationManager.contextArrived()) as Message[];
      return yield* insertProcess(destination, core!, rimas!);
    })(),
  );
  return { ...setup, process, migrated, original };
}

/** Touch every page that was real before migration; return the contents seen. */
function touchAll(setup: ReturnType<typeof migrate>): Map<number, number> {
  const { sim, destination, migrated, original } = setup;
  const seen = new Map<number, number>();
  runToEnd(
    sim,
    (function* (process: AccentProcess) {
      for (const page of original.keys()) {
        const state = process.space.pages.get(page);
        if (!(state && destination.memory.touch(state.frameKey))) {
          yield* destination.pager.fault(process.space, page, process.name);
        }
        seen.set(page, process.space.pages.get(page)!.content);
      }
    })(migrated),
  );
  return seen;
}

describe('ExciseProcess / InsertProcess round trip', () => {
  for (const strategy of ['pure-copy', 'pure-iou', 'resident-set'] as const) {
    it(`keeps the address space page by page under ${strategy}`, () => {
      const setup = migrate(strategy);
      const { migrated, process } = setup;
      expect(migrated.space.amap.countPages('RealZeroMem')).toBe(92);
      expect(migrated.space.composition().realPages + migrated.space.composition().imaginaryPages).toBe(20);
      expect(migrated.portRights).toBe(process.portRights);
      expect(touchAll(setup)).toEqual(setup.original);
    });
  }

  it('pure-copy ships every RealMem page at migration; pure-IOU none; resident set the resident ones', () => {
    expect(migrate('pure-copy').migrated.space.amap.countPages('RealMem')).toBe(20);
    expect(migrate('pure-iou').migrated.space.amap.countPages('ImagMem')).toBe(20);
    const rs = migrate('resident-set', 0, [0, 1, 2, 105]).migrated.space;
    expect(rs.amap.countPages('RealMem')).toBe(4);
    expect(rs.amap.countPages('ImagMem')).toBe(16);
  });

  it('resident-set pieces pace the sender as their data moves, as VM work, not message handling', () => {
    // Resident pages 0-2 and 105: the RIMAS alternates shipped, owed, shipped, owed: 3 pieces.
    const resident = [0, 1, 2, 105];
    const withPieces = migrate('resident-set', 0, resident);
    const hardware = withPieces.cluster.hardware;
    const free = structuredClone(hardware);
    free.netMessageServer.pieceMs = 0;
    const withoutPieces = migrateOn(free, 'resident-set', 0, resident);
    const pieceSeconds = (3 * hardware.netMessageServer.pieceMs) / 1000;
    // The same message handling either way; the sender is held longer, so the migration ends later
    // (by at most the pieces' time: the receiver's share of the pipeline overlaps some of it).
    expect(withPieces.source.messageSeconds).toBeCloseTo(withoutPieces.source.messageSeconds, 9);
    expect(withPieces.destination.messageSeconds).toBeCloseTo(withoutPieces.destination.messageSeconds, 9);
    const later = withPieces.sim.now - withoutPieces.sim.now;
    expect(later).toBeGreaterThan(pieceSeconds / 2);
    expect(later).toBeLessThanOrEqual(pieceSeconds + 1e-9);
  });

  it('gives each piece to the fragment that carries the first shipped page at or after it', () => {
    const region = {
      amap: new AMap(),
      length: 12,
      contents: new Map<number, number>(),
      frameKeys: new Map<number, number>(),
      objects: 1,
    };
    region.amap.set(0, 2, 'RealMem');
    region.amap.set(2, 5, 'ImagMem', { segmentId: 1, offset: 2 });
    region.amap.set(5, 6, 'RealMem');
    region.amap.set(6, 12, 'ImagMem', { segmentId: 1, offset: 6 });
    // Pieces start at 2 (owed), 5 (shipped) and 6 (owed, with no shipped page after it).
    expect(piecesByFragment(region, [{ pages: [] }, { pages: [0, 1] }, { pages: [5] }])).toEqual([0, 0, 3]);
    expect(piecesByFragment(region, [{ pages: [0] }, { pages: [1, 5] }])).toEqual([0, 3]);
    expect(piecesByFragment(region, [{ pages: [0, 1] }, { pages: [5] }, { pages: [] }])).toEqual([0, 2, 1]);
  });

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

describe('NetMessageServer', () => {
  function sendRegion(noIOUs: boolean) {
    const { sim, cluster, source, destination } = twoHosts();
    const process = placeProcess(
      cluster,
      source,
      [{ start: 0, end: 6, distance: 'RealMem' }],
      [0, 1, 2, 3, 4, 5],
    );
    const port = destination.createPort('receiver');
    const region = {
      amap: process.space.amap.clone(),
      length: 6,
      contents: new Map([...process.space.pages].map(([page, state]) => [page, state.content])),
      frameKeys: new Map([...process.space.pages].map(([page, state]) => [page, state.frameKey])),
      objects: 1,
    };
    const message = cluster.message({
      kind: 'data',
      noIOUs,
      inlineBytes: 16,
      portRights: 1,
      memory: region,
      traffic: 'other',
    });
    const received = runToEnd(
      sim,
      (function* () {
        yield source.send(message, port);
        return (yield port.receive()) as Message;
      })(),
    );
    return { cluster, received, source, destination };
  }

  it('with NoIOUs set, ships RealMem physically', () => {
    const { cluster, received } = sendRegion(true);
    expect(received.memory!.amap.countPages('RealMem')).toBe(6);
    expect(received.memory!.contents.get(5)).toBe(1005);
    expect(cluster.counters.bytesPageData).toBe(6 * 512);
    expect(cluster.counters.pagesShippedAtMigration).toBe(6);
  });

  it('without NoIOUs, caches RealMem and passes an IOU backed by a stand-in', () => {
    const { cluster, received, destination, source } = sendRegion(false);
    const region = received.memory!;
    expect(region.amap.countPages('ImagMem')).toBe(6);
    expect(cluster.counters.bytesPageData).toBe(0);
    const standIn = cluster.segment(region.amap.backingOf(0)!.segmentId);
    expect(standIn.host).toBe(destination);
    expect(standIn.backingPort).toBe(destination.nms.port);
    const original = cluster.segment(standIn.standInFor!.segmentId);
    expect(original.host).toBe(source);
    expect(original.backer!.owedPages).toBe(6);
  });

  it('fragments large messages and reassembles them', () => {
    const { cluster } = sendRegion(true);
    // 64-byte header + 16 in-line + 8-byte AMap entry + 3,072 bytes of pages in 1,024-byte fragments.
    expect(cluster.counters.packets).toBe(4);
    expect(cluster.counters.bytesTotal).toBe(64 + 16 + 8 + 6 * 512 + 4 * 46);
  });
});
