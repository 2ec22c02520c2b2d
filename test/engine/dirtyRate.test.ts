import { describe, expect, it } from 'vitest';
import { customWorkload } from '../../src/engine/experiment/design';
import { runTrial } from '../../src/engine/experiment/trial';
import type { TrialSpec } from '../../src/engine/experiment/trial';
import { ETHERNET_1G_2025 } from '../../src/engine/hardware/presets';
import type { HardwarePreset } from '../../src/engine/hardware/presets';
import { RandomStream } from '../../src/engine/kernel/random';
import { strategyOptionsProblems } from '../../src/engine/model/strategyOptions';
import type { StrategyOptions } from '../../src/engine/model/strategyOptions';
import { generateWorkload } from '../../src/engine/workloads/synthetic';
import { workloadProblems } from '../../src/engine/workloads/workload';
import type { SyntheticWorkloadSpec } from '../../src/engine/workloads/spec';
import { strategyOptionsSchema } from '../../src/shared/schemas/design';
import { workloadSpecSchema } from '../../src/shared/schemas/workload';

const PAGE = 4096;
const MiB = 1024 * 1024;

/** A VM-like writer: `memory` of RealMem, all resident, writing `workingSet` at `rate`. */
function writer(
  memory: number,
  workingSet: number,
  rate: number,
  computeSeconds: number,
  order: 'cyclic' | 'random' = 'cyclic',
): SyntheticWorkloadSpec {
  return customWorkload({
    name: 'vm',
    realBytes: memory,
    realZeroBytes: 0,
    residentBytes: memory,
    touchedFraction: 0,
    locality: 0,
    computeSeconds,
    dirtyRate: { workingSetBytes: workingSet, dirtyBytesPerSecond: rate, order },
  });
}

function generate(spec: SyntheticWorkloadSpec) {
  const random = RandomStream.fromSeed(7);
  return generateWorkload(spec, PAGE, random.substream(1), random.substream(2));
}

describe('the dirty-rate workload', () => {
  it('writes its working set in cyclic order at the set rate', () => {
    const spec = writer(64 * PAGE, 8 * PAGE, 100 * PAGE, 2);
    expect(workloadProblems(spec, PAGE)).toEqual([]);
    const generated = generate(spec);
    expect(generated.references.length).toBe(200); // 2 s at 100 pages a second
    expect([...generated.writes].every((flag) => flag === 1)).toBe(true);
    expect(generated.secondsPerReference).toBeCloseTo(0.01, 12);
    expect([...generated.references.slice(0, 10)]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 0, 1]);
    expect(generated.residentPages.length).toBe(64);
    expect(generated.touchedPages.size).toBe(8);
  });

  it('in random order draws pages of the working set only, each about equally often', () => {
    const generated = generate(writer(64 * PAGE, 16 * PAGE, 1000 * PAGE, 16, 'random'));
    const counts = new Array<number>(64).fill(0);
    for (const page of generated.references) counts[page]! += 1;
    expect(counts.slice(16).every((count) => count === 0)).toBe(true);
    // 16,000 draws over 16 pages: 1,000 each on average, a standard deviation of about 31.
    for (const count of counts.slice(0, 16)) expect(Math.abs(count - 1000)).toBeLessThan(200);
  });

  it('is idle at rate 0, and says what is wrong with bad parameters', () => {
    expect(generate(writer(64 * PAGE, 0, 0, 5)).references.length).toBe(0);
    expect(workloadProblems(writer(64 * PAGE, 65 * PAGE, 1, 1), PAGE).join()).toContain(
      'workingSetBytes cannot exceed realBytes',
    );
    expect(workloadProblems(writer(64 * PAGE, 100, 1, 1), PAGE).join()).toContain(
      'multiple of the page size',
    );
    expect(workloadProblems(writer(64 * PAGE, 0, 1, 1), PAGE).join()).toContain(
      'working set of at least one page',
    );
    expect(workloadProblems(writer(64 * PAGE, PAGE, 1e12, 1e6), PAGE).join()).toContain('at most 50,000,000');
    expect(workloadProblems(writer(64 * PAGE, PAGE, -1, 1), PAGE).join()).toContain('dirtyBytesPerSecond');
  });

  it('passes the notebook schema, which rejects an unknown order', () => {
    const spec = writer(64 * PAGE, 8 * PAGE, 100 * PAGE, 2);
    expect(workloadSpecSchema.safeParse(spec).success).toBe(true);
    const bad = { ...spec, pattern: { ...spec.pattern, order: 'backwards' } };
    expect(workloadSpecSchema.safeParse(bad).success).toBe(false);
  });
});

describe("pre-copy's downtime stopping rule", () => {
  const hardware: HardwarePreset = {
    ...structuredClone(ETHERNET_1G_2025),
    network: { ...ETHERNET_1G_2025.network, bitsPerSecond: 100_000_000 },
  };
  function preCopy(workload: SyntheticWorkloadSpec, options: Partial<StrategyOptions>) {
    const spec: TrialSpec = {
      id: 'vm/pre-copy',
      workload,
      strategy: 'pre-copy',
      prefetch: 0,
      hardware,
      seed: 1,
      strategyOptions: options,
    };
    const result = runTrial(spec);
    expect(result.ok, result.error).toBe(true);
    return result.metrics!;
  }
  // 16 MiB at 100 Mb/s: a first round of about 1.35 s, at 3 MB/s a quarter of the link's rate.
  const vm = writer(16 * MiB, 16 * MiB, 3_000_000, 10);

  it('is off by default, and its bounds are checked', () => {
    expect(strategyOptionsProblems({ preCopyMaxDowntimeSeconds: 0.03 })).toEqual([]);
    expect(strategyOptionsProblems({ preCopyMaxDowntimeSeconds: -1 }).join()).toContain(
      'preCopyMaxDowntimeSeconds',
    );
    expect(strategyOptionsSchema.safeParse({ preCopyMaxDowntimeSeconds: 4000 }).success).toBe(false);
    const byDefault = preCopy(vm, {});
    const explicitOff = preCopy(vm, { preCopyMaxDowntimeSeconds: 0 });
    expect(explicitOff).toEqual(byDefault);
  });

  it('stops once the dirty pages fit in the downtime at the last round rate, as a geometric series predicts', () => {
    const maxDowntime = 0.03;
    const m = preCopy(vm, {
      preCopyMaxRounds: 1000,
      preCopyStopPages: 0,
      preCopyMaxDowntimeSeconds: maxDowntime,
    });
    // The wire carries 8,192 bytes of pages in each 8,270-byte packet.
    const rate = (100_000_000 / 8) * (8192 / 8270);
    // Each round sends what the cyclic writer dirtied during the last one: rate x its time.
    let bytes = 16 * MiB;
    let rounds = 0;
    let total = 0;
    for (;;) {
      const seconds = bytes / rate;
      total += seconds;
      rounds += 1;
      const dirtied = Math.min(16 * MiB, Math.ceil((3_000_000 * seconds) / PAGE) * PAGE);
      if (dirtied <= rate * maxDowntime) break;
      bytes = dirtied;
    }
    expect(m.preCopyRounds).toBe(rounds);
    expect(m.rimasTransferSeconds).toBeLessThanOrEqual(maxDowntime * 1.05);
    expect(m.totalMigrationSeconds! - m.downtimeSeconds!).toBeGreaterThan(total * 0.98);
    expect(m.totalMigrationSeconds! - m.downtimeSeconds!).toBeLessThan(total * 1.02);
    // A long allowed downtime stops after the first round.
    expect(preCopy(vm, { preCopyMaxDowntimeSeconds: 10 }).preCopyRounds).toBe(1);
  });
});
