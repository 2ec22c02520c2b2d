import { describe, expect, it } from 'vitest';
import { contentOf } from '../../../src/engine/experiment/trialSetup';
import { AMap } from '../../../src/engine/model/amap';
import { piecesByFragment } from '../../../src/engine/model/netMessageServer';
import type { Message } from '../../../src/engine/model/ports';
import { placeTestProcess, runToEnd, TEST_SEED, twoHosts } from '../harness';

describe('NetMessageServer', () => {
  function sendRegion(noIOUs: boolean, iouPrefetch?: number) {
    const { sim, cluster, source, destination } = twoHosts();
    const process = placeTestProcess(source, [{ start: 0, end: 6, distance: 'RealMem' }], [0, 1, 2, 3, 4, 5]);
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
      ...(iouPrefetch !== undefined ? { iouPrefetch } : {}),
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
    expect(received.memory!.contents.get(5)).toBe(contentOf(TEST_SEED, 5));
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
    expect(original.backer!.prefetch).toBe(0);
  });

  it("answers the IOU's faults with the prefetch its message asks for (pure-IOU's)", () => {
    const { cluster, received } = sendRegion(false, 3);
    const standIn = cluster.segment(received.memory!.amap.backingOf(0)!.segmentId);
    expect(cluster.segment(standIn.standInFor!.segmentId).backer!.prefetch).toBe(3);
  });

  it('fragments large messages and reassembles them', () => {
    const { cluster } = sendRegion(true);
    // 64-byte header + 16 in-line + 8-byte AMap entry + 3,072 bytes of pages in 1,024-byte fragments.
    expect(cluster.counters.packets).toBe(4);
    expect(cluster.counters.bytesTotal).toBe(64 + 16 + 8 + 6 * 512 + 4 * 46);
  });
});

describe('resident-set pieces', () => {
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
});
