import { describe, expect, it } from 'vitest';
import {
  countTrials,
  customWorkload,
  designProblems,
  DesignTrials,
  expandDesign,
} from '../../src/engine/experiment/design';
import type { ExperimentDesign } from '../../src/engine/experiment/design';
import { runTrial } from '../../src/engine/experiment/trial';
import { PERQ_1987, hardwarePreset } from '../../src/engine/hardware/presets';

const design = (changes: Partial<ExperimentDesign> = {}): ExperimentDesign => ({
  name: 'test',
  representatives: ['Minprog', 'Chess'],
  customWorkloads: [],
  strategies: ['pure-copy', 'pure-iou'],
  prefetchValues: [0, 1, 3],
  hardware: structuredClone(PERQ_1987),
  seed: 5,
  repetitions: 2,
  ...changes,
});

describe('experiment designs', () => {
  it('count and expand to the same trials: pure-copy once, the others per prefetch', () => {
    const trials = expandDesign(design());
    expect(countTrials(design())).toBe(2 * (1 + 3) * 2);
    expect(trials).toHaveLength(16);
    expect(new Set(trials.map((trial) => trial.id)).size).toBe(16);
    expect(trials.filter((trial) => trial.strategy === 'pure-copy')).toHaveLength(4);
    expect(trials.map((trial) => trial.replication)).toContain(1);
    expect(trials[0]!.id).toBe('Minprog/pure-copy');
    expect(trials.at(-1)!.id).toBe('Chess/pure-iou/pf3/r1');
  });

  it('expand lazily: DesignTrials.at(i) is the i-th trial of expandDesign, sweeps included', () => {
    const swept = design({
      sensitivity: {
        parameter: 'network-bits-per-second',
        values: [1e6, 1e7, 1e8],
        compare: ['pure-copy', 'pure-iou pf0'],
        metric: 'totalSeconds',
      },
    });
    for (const candidate of [design(), swept]) {
      const all = expandDesign(candidate);
      const lazy = new DesignTrials(candidate);
      expect(lazy.length).toBe(all.length);
      all.forEach((trial, index) => expect(lazy.at(index)).toEqual(trial));
      expect(() => lazy.at(all.length)).toThrow(RangeError);
    }
    const huge = new DesignTrials(
      design({ prefetchValues: Array.from({ length: 100 }, (_, i) => i), repetitions: 10_000 }),
    );
    expect(huge.length).toBe(2 * 101 * 10_000);
    expect(huge.at(huge.length - 1).id).toBe('Chess/pure-iou/pf99/r9999');
  });

  it('give repetitions independent streams but the same process across strategies', () => {
    const trials = expandDesign(
      design({ representatives: ['PM-End'], strategies: ['pure-iou'], prefetchValues: [0] }),
    );
    const [first, second] = trials.map((trial) => runTrial(trial));
    expect(first!.metrics!.remoteExecSeconds).not.toBe(second!.metrics!.remoteExecSeconds);
  });

  it('size the representatives to the hardware page size', () => {
    const trials = expandDesign(design({ hardware: hardwarePreset('modern-2025') }));
    expect(trials.every((trial) => trial.workload.realBytes % 4096 === 0)).toBe(true);
  });

  it('accept custom workloads and explain bad input', () => {
    const mine = customWorkload({
      name: 'Mine',
      realBytes: 512 * 100,
      realZeroBytes: 512 * 100,
      residentBytes: 512 * 40,
      touchedFraction: 0.3,
      locality: 0.5,
      computeSeconds: 2,
    });
    expect(designProblems(design({ customWorkloads: [mine] }))).toEqual([]);
    expect(runTrial(expandDesign(design({ representatives: [], customWorkloads: [mine] }))[1]!).ok).toBe(
      true,
    );

    const bad = design({
      name: ' ',
      representatives: ['Emacs'],
      strategies: [],
      prefetchValues: [-1],
      repetitions: 0,
      hardware: { ...structuredClone(PERQ_1987), pageSizeBytes: 1000 },
    });
    expect(designProblems(bad)).toEqual([
      'the experiment needs a name',
      'unknown representative "Emacs"',
      'choose at least one strategy',
      'prefetch -1 must be a whole number of pages from 0 to 1024',
      'repetitions must be a whole number from 1 to 10,000',
      'hardware: Page size (bytes) must be a power of two from 128 bytes to 1 MiB',
    ]);
    expect(() => expandDesign(bad)).toThrow(/experiment " " cannot run: the experiment needs a name/);
  });
});

describe('hardware checks', () => {
  it('refuse values that would stop or hang the engine, naming the parameter', async () => {
    const { hardwareProblems } = await import('../../src/engine/hardware/presets');
    const hardware = structuredClone(PERQ_1987);
    expect(hardwareProblems(hardware)).toEqual([]);
    hardware.network.maxFragmentPayloadBytes = 0;
    hardware.network.bitsPerSecond = Number.NaN;
    hardware.memory.framesPerHost = 0;
    expect(hardwareProblems(hardware)).toEqual([
      'hardware: Frames per host (frames) must be a whole number above 0 and at most 1,000,000,000 (got 0)',
      'hardware: Bandwidth (bit/s) must be a number above 0 and at most 10,000,000,000,000 (got NaN)',
      'hardware: Max fragment payload (bytes) must be a whole number above 0 and at most 1,000,000,000 (got 0)',
    ]);
    // Values no hardware has (a 10 Tb/s link, a fault overhead of 32 years) are refused too.
    const absurd = structuredClone(PERQ_1987);
    absurd.network.bitsPerSecond = 1e30;
    absurd.cpu.faultOverheadMs = 1e12;
    expect(hardwareProblems(absurd)).toEqual([
      'hardware: Fault overhead (ms) must be a number from 0 to 60,000 (got 1,000,000,000,000)',
      'hardware: Bandwidth (bit/s) must be a number above 0 and at most 10,000,000,000,000 (got 1,000,000,000,000,000,000,000,000,000,000)',
    ]);
    const trial = expandDesign(design())[0]!;
    expect(() => runTrial({ ...trial, hardware })).toThrow(
      /trial Minprog\/pure-copy: hardware: Frames per host \(frames\) must be a whole number above 0/,
    );
  });
});
