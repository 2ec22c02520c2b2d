import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { LARGE_DESIGN_TRIALS } from '../../src/engine/experiment/design';
import { MODERN_2025 } from '../../src/engine/hardware/presets';
import { useDesignStore } from '../../src/renderer/src/stores/design';

describe('design store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('counts trials live and lists problems until the design can run', () => {
    const store = useDesignStore();
    expect(store.trialCount).toBe(0);
    expect(store.problems).toContain('choose at least one workload');
    expect(store.canRun).toBe(false);

    store.setRepresentative('Minprog', true);
    store.setRepresentative('Chess', true);
    store.setPrefetch(1, true);
    // 2 workloads x (pure-copy + pure-iou at prefetch 0 and 1)
    expect(store.trialCount).toBe(6);
    expect(store.problems).toEqual([]);
    expect(store.canRun).toBe(true);

    store.setStrategy('pure-iou', false);
    store.setStrategy('pure-copy', false);
    expect(store.problems).toContain('choose at least one strategy');
  });

  it('keeps prefetch values sorted and unique', () => {
    const store = useDesignStore();
    store.setPrefetch(7, true);
    store.setPrefetch(3, true);
    store.setPrefetch(7, true);
    expect(store.design.prefetchValues).toEqual([0, 3, 7]);
    store.setPrefetch(0, false);
    expect(store.design.prefetchValues).toEqual([3, 7]);
  });

  it('adds custom workloads through customWorkload() and reports their problems', () => {
    const store = useDesignStore();
    store.addCustomWorkload({
      name: 'Odd',
      realBytes: 1000, // not a multiple of the 512-byte page
      realZeroBytes: 0,
      residentBytes: 0,
      touchedFraction: 0.5,
      locality: 0.5,
      computeSeconds: 1,
    });
    expect(store.design.customWorkloads[0]?.name).toBe('Odd');
    expect(store.problems.some((problem) => problem.startsWith('Odd:'))).toBe(true);
    store.removeCustomWorkload(0);
    expect(store.design.customWorkloads).toEqual([]);
  });

  it('takes a hardware preset as a copy and tells when its parameters were edited', () => {
    const store = useDesignStore();
    store.applyHardwarePreset(MODERN_2025);
    expect(store.hardwareEdited).toBe(false);
    store.design.hardware.network.latencyMs = 1;
    expect(store.hardwareEdited).toBe(true);
    expect(MODERN_2025.network.latencyMs).toBe(0.05);
  });

  it('refuses hardware parameters that are negative, or zero where the engine divides by them', () => {
    const store = useDesignStore();
    store.setRepresentative('Minprog', true);
    expect(store.problems).toEqual([]);
    store.design.hardware.network.bitsPerSecond = 0;
    store.design.hardware.disk.randomReadMs = -1;
    store.design.hardware.memory.framesPerHost = 10.5;
    expect(store.problems).toEqual([
      'hardware: Frames per host (frames) must be a whole number above 0 and at most 1,000,000,000 (got 10.5)',
      'hardware: Random read (ms) must be a number from 0 to 60,000 (got -1)',
      'hardware: Bandwidth (bit/s) must be a number above 0 and at most 10,000,000,000,000 (got 0)',
    ]);
    expect(store.canRun).toBe(false);
  });

  it('flags designs over LARGE_DESIGN_TRIALS', () => {
    const store = useDesignStore();
    store.setRepresentative('Minprog', true);
    store.design.repetitions = 10_000;
    store.design.prefetchValues = Array.from({ length: 20 }, (_, i) => i);
    expect(store.trialCount).toBeGreaterThan(LARGE_DESIGN_TRIALS);
    expect(store.isLarge).toBe(true);
  });

  it('snapshots a plain copy for the host', () => {
    const store = useDesignStore();
    const snapshot = store.snapshot();
    snapshot.name = 'changed';
    expect(store.design.name).not.toBe('changed');
    expect(structuredClone(snapshot)).toEqual(snapshot);
  });

  it('sets up a sensitivity sweep: parameter, range, the variants to compare', () => {
    const store = useDesignStore();
    store.setRepresentative('Minprog', true);
    store.setSensitivity(true);
    expect(store.design.sensitivity).toEqual({
      parameter: 'network-bits-per-second',
      values: [1e6, 5.75e6, 1.05e7, 1.525e7, 2e7],
      compare: ['pure-copy', 'pure-iou pf0'],
      metric: 'endToEndSeconds',
    });
    // 5 values x 2 variants
    expect(store.trialCount).toBe(10);
    expect(store.problems).toEqual([]);
    store.setSweepParameter('touched-fraction');
    expect(store.sweepRange).toEqual({ from: 0.05, to: 0.8, steps: 6 });
    store.setSweepRange({ from: 0.1, to: 0.3, steps: 3 });
    expect(store.design.sensitivity!.values).toEqual([0.1, 0.2, 0.3]);
    store.setStrategy('pure-iou', false);
    expect(store.problems.join()).toMatch(/"pure-iou pf0" is not a strategy the design runs/);
    store.setSensitivity(false);
    expect(store.design.sensitivity).toBeUndefined();
    expect(store.trialCount).toBe(1);
  });

  it('takes a loaded sweep’s range from its values', () => {
    const store = useDesignStore();
    store.load({
      ...(JSON.parse(JSON.stringify(store.design)) as typeof store.design),
      sensitivity: {
        parameter: 'page-size-bytes',
        values: [512, 1024, 2048],
        compare: ['pure-copy', 'pure-iou pf0'],
        metric: 'bytesTotal',
      },
    });
    // Powers of two grow by one ratio: a logarithmic range.
    expect(store.sweepRange).toEqual({ from: 512, to: 2048, steps: 3, logarithmic: true });
  });
});

describe('design store: options beyond 1987', () => {
  it('sets and clears strategy options, the source failure and concurrent migrations', () => {
    setActivePinia(createPinia());
    const store = useDesignStore();
    store.setStrategy('pre-copy', true);
    store.setStrategyOption('preCopyMaxRounds', 5);
    expect(store.design.strategyOptions).toEqual({ preCopyMaxRounds: 5 });
    store.setStrategyOption('preCopyMaxRounds', null);
    expect(store.design.strategyOptions).toBeUndefined();
    store.setStrategyOption('hybridRounds', -1);
    expect(store.problems).toContain('strategyOptions.hybridRounds must be a whole number from 0 to 1,000');
    store.setStrategyOption('hybridRounds', null);
    store.setSourceFailure(3);
    store.setConcurrentMigrations(2);
    expect(store.problems).toContain('a source failure can be injected only with one migration at a time');
    store.setSourceFailure(null);
    expect(store.problems.some((problem) => problem.includes('source failure'))).toBe(false);
    expect(store.design.concurrentMigrations).toBe(2);
  });
});

describe('restoring the preset', () => {
  it('puts back the values of the preset the hardware came from (passed as the reactive basePreset)', () => {
    setActivePinia(createPinia());
    const store = useDesignStore();
    const before = store.design.hardware.network.bitsPerSecond;
    store.design.hardware.network.bitsPerSecond = 1e30;
    expect(store.hardwareEdited).toBe(true);
    store.applyHardwarePreset(store.basePreset);
    expect(store.design.hardware.network.bitsPerSecond).toBe(before);
    expect(store.hardwareEdited).toBe(false);
  });
});
