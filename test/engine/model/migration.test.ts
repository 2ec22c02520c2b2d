import { describe, expect, it } from 'vitest';
import { migrate, migrateOn, touchAll } from '../harness';

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
});
