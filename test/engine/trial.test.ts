import { describe, expect, it } from 'vitest';
import { generateTrialWorkload, runTrial } from '../../src/engine/experiment/trial';
import type { TrialSpec } from '../../src/engine/experiment/trial';
import { MODERN_2025, PERQ_1987, hardwarePreset } from '../../src/engine/hardware/presets';
import { RandomStream } from '../../src/engine/kernel/random';
import { STRATEGIES } from '../../src/engine/model/migration';
import { REPRESENTATIVES, representative } from '../../src/engine/workloads/representatives';
import { generateWorkload } from '../../src/engine/workloads/synthetic';
import { workloadProblems } from '../../src/engine/workloads/workload';

function spec(workload: string, strategy: TrialSpec['strategy'], prefetch = 0, seed = 1987): TrialSpec {
  return {
    id: `${workload}/${strategy}/${prefetch}`,
    workload: representative(workload),
    strategy,
    prefetch,
    hardware: PERQ_1987,
    seed,
  };
}

describe('trials', () => {
  it('are deterministic: the same seed gives an identical results file', () => {
    const a = JSON.stringify(runTrial(spec('PM-End', 'pure-iou', 3)));
    const b = JSON.stringify(runTrial(spec('PM-End', 'pure-iou', 3)));
    expect(a).toBe(b);
    const other = runTrial(spec('PM-End', 'pure-iou', 3, 42));
    expect(JSON.stringify(other)).not.toBe(a);
  });

  for (const strategy of STRATEGIES) {
    for (const prefetch of strategy === 'pure-copy' || strategy === 'pre-copy' ? [0] : [0, 3]) {
      it(`conserve bytes and pages under ${strategy} at prefetch ${prefetch}`, () => {
        for (const workload of ['Minprog', 'PM-End']) {
          const result = runTrial(spec(workload, strategy, prefetch));
          expect(result.ok).toBe(true);
          const m = result.metrics!;
          // Bytes on the wire are headers + in-line data (Core, AMaps, requests) + page data.
          expect(m.bytesTotal).toBe(m.bytesHeaders + m.bytesInline + m.bytesPageData);
          expect(m.bytesPageData).toBe((m.pagesShippedAtMigration + m.pagesDeliveredByFaults) * 512);
          // Every page touched remotely arrived exactly once, with the right contents.
          expect(m.pagesArrivedTwice).toBe(0);
          expect(m.pagesTouchedNeverArrived).toBe(0);
          expect(m.pagesWithWrongContents).toBe(0);
          if (strategy === 'pure-copy') {
            expect(m.pagesShippedAtMigration).toBe(m.realPages);
            expect(m.bytesFault).toBe(0);
          }
          if (strategy === 'pure-iou') {
            expect(m.pagesShippedAtMigration).toBe(0);
            expect(m.pagesDeliveredByFaults).toBe(m.imaginaryFaults + m.prefetchedPages);
          }
          if (strategy === 'resident-set') expect(m.pagesShippedAtMigration).toBe(m.residentPages);
          if (prefetch === 0 && (strategy === 'pure-iou' || strategy === 'resident-set')) {
            // A request (packet + message header + body) and a one-fragment reply per fault.
            const perFault = 46 + 64 + 32 + (46 + 64 + 32 + 8 + 512);
            expect(m.bytesFault).toBe(m.imaginaryFaults * perFault);
          }
          expect(m.endToEndSeconds).toBeCloseTo(
            m.coreTransferSeconds + m.rimasTransferSeconds + m.remoteExecSeconds,
            9,
          );
          const series = result.series!;
          const seriesBytes = series.fault
            .concat(series.other)
            .reduce((sum, rate) => sum + rate * series.binSeconds, 0);
          expect(seriesBytes).toBeCloseTo(m.bytesTotal, 3);
          expect(series.fault.reduce((sum, rate) => sum + rate * series.binSeconds, 0)).toBeCloseTo(
            m.bytesFault,
            3,
          );
        }
      });
    }
  }

  it('reports progress with the bytes so far, without changing the result', () => {
    const quiet = runTrial(spec('Lisp-T', 'resident-set', 1));
    const seen: { simulatedSeconds: number; bytes: number; phase: string }[] = [];
    const watched = runTrial(spec('Lisp-T', 'resident-set', 1), {
      progressEvery: 500,
      onProgress: (p) =>
        seen.push({
          simulatedSeconds: p.simulatedSeconds,
          bytes: p.bytesFault + p.bytesOther,
          phase: p.phase,
        }),
    });
    expect(JSON.stringify(watched)).toBe(JSON.stringify(quiet));
    expect(seen.length).toBeGreaterThan(5);
    expect(seen.map((p) => p.phase)).toContain('executing');
    expect(seen.at(-1)!.phase).toBe('done');
    for (let i = 1; i < seen.length; i += 1) {
      expect(seen[i]!.simulatedSeconds).toBeGreaterThanOrEqual(seen[i - 1]!.simulatedSeconds);
      expect(seen[i]!.bytes).toBeGreaterThanOrEqual(seen[i - 1]!.bytes);
    }
    expect(seen.at(-1)!.bytes).toBe(quiet.metrics!.bytesTotal);
  });

  it('run a workload generated beforehand to the same result, for every strategy', () => {
    for (const strategy of STRATEGIES) {
      const trial = spec('PM-End', strategy, 2);
      const workload = generateTrialWorkload(trial);
      const given = runTrial(trial, { workload });
      expect(JSON.stringify(given)).toBe(JSON.stringify(runTrial(trial)));
      // The trial changed nothing in it: it serves the next strategy too.
      expect(generateTrialWorkload(trial)).toEqual(workload);
    }
  });

  it('reports a BadMem reference as an addressing error, not a crash', () => {
    const workload = representative('Minprog');
    workload.extraReferences = [5_000];
    const result = runTrial({ ...spec('Minprog', 'pure-iou'), workload });
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/addressing error: Minprog touched page 5000 .*BadMem/);
  });

  it('runs on the modern preset with 4 KiB pages', () => {
    const workload = representative('Chess');
    workload.realBytes = 48 * 4096;
    workload.realZeroBytes = 74 * 4096;
    workload.residentBytes = 26 * 4096;
    const result = runTrial({
      ...spec('Chess', 'pure-iou', 1),
      workload,
      hardware: hardwarePreset('modern-2025'),
    });
    expect(result.ok).toBe(true);
    expect(result.metrics!.bytesPageData % 4096).toBe(0);
    expect(result.metrics!.meanImaginaryFaultMs).toBeLessThan(1);
  });

  it('rejects unknown hardware presets clearly', () => {
    expect(() => hardwarePreset('vax')).toThrow(
      /unknown hardware preset "vax" \(known: perq-1987, modern-2025, ethernet-1g-2025, ethernet-10g-2025\)/,
    );
    expect(MODERN_2025.pageSizeBytes).toBe(4096);
  });
});

describe('representative workloads', () => {
  for (const workload of REPRESENTATIVES) {
    it(`${workload.name} has Table 4-1 and 4-2 sizes and the touched/resident overlap of Table 4-3`, () => {
      const generated = generateWorkload(workload, 512, RandomStream.fromSeed(3));
      const pages = (distance: string) =>
        generated.ranges.filter((r) => r.distance === distance).reduce((sum, r) => sum + r.end - r.start, 0);
      expect(pages('RealMem') * 512).toBe(workload.realBytes);
      expect(pages('RealZeroMem') * 512).toBe(workload.realZeroBytes);
      expect(generated.ranges).toHaveLength(workload.amapEntries);
      expect(generated.residentPages.length * 512).toBe(workload.residentBytes);
      const real = workload.realBytes / 512;
      expect(generated.touchedPages.size).toBe(Math.round(workload.touchedFractionOfReal * real));
      const overlap = generated.residentPages.filter((page) => generated.touchedPages.has(page)).length;
      expect(overlap).toBe(Math.round(workload.touchedResidentFractionOfReal * real));
    });
  }

  it('explains what is wrong with a nonsensical workload', () => {
    const workload = representative('Minprog');
    workload.realBytes = 1000;
    workload.residentBytes = 10_000_000;
    workload.touchedFractionOfReal = 1.5;
    const problems = workloadProblems(workload, 512);
    expect(problems).toContain('realBytes (1000) must be a multiple of the page size (512)');
    expect(problems).toContain('residentBytes cannot exceed realBytes');
    expect(problems).toContain('touchedFractionOfReal must be a number from 0 to 1 (got 1.5)');
    expect(() => generateWorkload(workload, 512, RandomStream.fromSeed(1))).toThrow(/workload Minprog: /);
  });
});
